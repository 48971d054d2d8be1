// SPDX-License-Identifier: MIT
// Hypercalls from minios: a call into the hypervisor's stub for the number, arguments in
// rdi, rsi, rdx, r10, r8 (XEN-PV-ABI.md section 1), a typed result.
#pragma once

#include <cstdint>

#include "abi/hypercall.hpp"
#include "abi/xen.hpp"
#include "lib/error_or.hpp"

extern "C" char hypercall_page[4096];

namespace minios {

/// The raw RAX of a hypercall, with up to five arguments. The stub keeps RCX and R11;
/// Xen may overwrite the argument registers (a debug Xen does), so they are outputs too.
inline int64_t raw_hypercall(abi::Hypercall number, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
                             uint64_t a4 = 0, uint64_t a5 = 0) {
    register uint64_t r10 asm("r10") = a4;
    register uint64_t r8 asm("r8") = a5;
    int64_t result;
    void* stub = hypercall_page + static_cast<uint64_t>(number) * abi::kHypercallStubSize;
    asm volatile("call *%[stub]"
                 : "=a"(result), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : [stub] "r"(stub)
                 : "memory", "r9", "r11", "rcx");
    return result;
}

/// RAX as Xen means it: -1..-4095 is -errno, anything else a value.
inline lib::ErrorOr<int64_t> to_result(int64_t rax) {
    if (rax < 0 && rax >= -4095) return lib::error(static_cast<abi::Errno>(-rax));
    return rax;
}

template <typename... Args>
lib::ErrorOr<int64_t> hypercall(abi::Hypercall number, Args... args) {
    return to_result(raw_hypercall(number, static_cast<uint64_t>(args)...));
}

/// RAX of a call that answers only success or -errno.
inline lib::ErrorOr<void> to_status(int64_t rax) {
    auto result = to_result(rax);
    if (result.is_error()) return result.error();
    return {};
}

/// mmu_update (XEN-PV-ABI.md 3.6): Xen runs the requests in order and stops at the first
/// failure, whose error it returns; *done (if not null) receives how many succeeded.
inline lib::ErrorOr<void> mmu_update(const abi::MmuUpdate* requests, uint32_t count, uint32_t* done,
                                     abi::DomainId domain) {
    return to_status(raw_hypercall(abi::Hypercall::MmuUpdate, reinterpret_cast<uint64_t>(requests), count,
                                   reinterpret_cast<uint64_t>(done), domain));
}

/// mmuext_op: pin, unpin, base pointers, flushes; the same *done rule as mmu_update.
inline lib::ErrorOr<void> mmuext_op(const abi::MmuextOp* operations, uint32_t count, uint32_t* done,
                                    abi::DomainId domain) {
    return to_status(raw_hypercall(abi::Hypercall::MmuextOp, reinterpret_cast<uint64_t>(operations), count,
                                   reinterpret_cast<uint64_t>(done), domain));
}

/// update_va_mapping: write the L1 entry that maps va in the *current* page tables, then
/// flush as flags (abi::kUvmf*) say.
inline lib::ErrorOr<void> update_va_mapping(uint64_t va, uint64_t entry, uint64_t flags) {
    return to_status(raw_hypercall(abi::Hypercall::UpdateVaMapping, va, entry, flags));
}

}  // namespace minios
