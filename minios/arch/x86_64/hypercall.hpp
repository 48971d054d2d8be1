// SPDX-License-Identifier: MIT
// Hypercalls from minios: a call into the hypervisor's stub for the number, arguments in
// rdi, rsi, rdx, r10, r8 (XEN-PV-ABI.md section 1), a typed result.
#pragma once

#include <cstdint>

#include "abi/callback.hpp"
#include "abi/event_channel.hpp"
#include "abi/hypercall.hpp"
#include "abi/sched.hpp"
#include "abi/segments.hpp"
#include "abi/vcpu.hpp"
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

/// set_trap_table: add or replace the trap-table entries of `table`, which ends at the
/// first entry whose address is 0; a null table clears all 256 (XEN-PV-ABI.md 4.4).
inline lib::ErrorOr<void> set_trap_table(const abi::TrapInfo* table) {
    return to_status(raw_hypercall(abi::Hypercall::SetTrapTable, reinterpret_cast<uint64_t>(table)));
}

/// fpu_taskswitch: set (true) or clear the virtual CR0.TS. With it set, the next x87/SSE
/// instruction raises #NM, and Xen clears it before delivering the #NM.
inline lib::ErrorOr<void> fpu_taskswitch(bool set) {
    return to_status(raw_hypercall(abi::Hypercall::FpuTaskswitch, set ? 1 : 0));
}

/// get_debugreg: the vCPU's debug register `reg` (0-3, 6, 7), or -EINVAL for another.
/// The value comes back in RAX, so DR0-3 holding an address in the top 4095 bytes would
/// read as an error; DR6 and DR7 have bits 63:32 clear.
inline lib::ErrorOr<uint64_t> get_debugreg(unsigned reg) {
    const int64_t value = TRY(to_result(raw_hypercall(abi::Hypercall::GetDebugreg, reg)));
    return static_cast<uint64_t>(value);
}

/// set_debugreg: write the vCPU's debug register `reg` (0-3, 6, 7), as Xen checks it.
inline lib::ErrorOr<void> set_debugreg(unsigned reg, uint64_t value) {
    return to_status(raw_hypercall(abi::Hypercall::SetDebugreg, reg, value));
}

// Events, time and scheduling (kernel/events.cpp, event_channel.cpp, time.cpp, sched.cpp).

/// event_channel_op(cmd, arg): `argument` is the struct named after the command
/// (abi/event_channel.hpp); Xen copies it in and, for binds, the port back out.
template <typename Argument>
lib::ErrorOr<void> event_channel_op(abi::EventChannelOp command, Argument* argument) {
    return to_status(raw_hypercall(abi::Hypercall::EventChannelOp, static_cast<uint64_t>(command),
                                   reinterpret_cast<uint64_t>(argument)));
}

/// sched_op(cmd, arg): yield, block (which also clears evtchn_upcall_mask), poll, shutdown.
inline lib::ErrorOr<int64_t> sched_op(abi::SchedOp command, void* argument = nullptr) {
    return to_result(raw_hypercall(abi::Hypercall::SchedOp, static_cast<uint64_t>(command),
                                   reinterpret_cast<uint64_t>(argument)));
}

/// set_timer_op(deadline): one VIRQ_TIMER at an absolute system time in ns; 0 cancels
/// (XEN-PV-ABI.md 7). On x86-64 the 64-bit deadline is the only argument.
inline lib::ErrorOr<void> set_timer_op(uint64_t deadline_ns) {
    return to_status(raw_hypercall(abi::Hypercall::SetTimerOp, deadline_ns));
}

/// vcpu_op(cmd, vcpu, arg): per-vCPU timers and state (abi/vcpu.hpp).
inline lib::ErrorOr<int64_t> vcpu_op(abi::VcpuOp command, uint32_t vcpu, void* argument = nullptr) {
    return to_result(raw_hypercall(abi::Hypercall::VcpuOp, static_cast<uint64_t>(command), vcpu,
                                   reinterpret_cast<uint64_t>(argument)));
}

/// callback_op(CALLBACKOP_register, &registration): where Xen enters the kernel for
/// events, failsafe returns, syscalls and NMIs (abi/callback.hpp).
inline lib::ErrorOr<void> register_callback(const abi::CallbackRegister& registration) {
    return to_status(raw_hypercall(abi::Hypercall::CallbackOp, static_cast<uint64_t>(abi::CallbackOp::Register),
                                   reinterpret_cast<uint64_t>(&registration)));
}

// Guest user mode (kernel/user_mode.cpp).

/// stack_switch(ss, sp): the kernel stack Xen switches to when a trap, an event or a
/// syscall arrives in user mode (kernel_ss with its RPL forced to 3, kernel_sp;
/// XEN-PV-ABI.md 4.1, 5). Always succeeds.
inline lib::ErrorOr<void> stack_switch(uint16_t ss, uint64_t sp) {
    return to_status(raw_hypercall(abi::Hypercall::StackSwitch, ss, sp));
}

/// set_segment_base(which, base): the FS base, the user or kernel GS base, or the user
/// %gs selector (XEN-PV-ABI.md 5). Xen swaps the two GS bases as it switches modes.
/// @retval Errno::Inval for a non-canonical base or an unknown `which`.
inline lib::ErrorOr<void> set_segment_base(abi::SegmentBase which, uint64_t base) {
    return to_status(raw_hypercall(abi::Hypercall::SetSegmentBase, static_cast<uint64_t>(which), base));
}

/// MMUEXT_NEW_USER_BASEPTR: the L4 Xen loads while this vCPU runs in user mode (an L4
/// type reference: Xen validates the tree if it is not pinned). 0 clears it.
inline lib::ErrorOr<void> new_user_baseptr(uint64_t l4_mfn) {
    abi::MmuextOp operation{};
    operation.cmd = static_cast<uint32_t>(abi::MmuextCommand::NewUserBaseptr);
    operation.arg1.mfn = l4_mfn;
    return mmuext_op(&operation, 1, nullptr, abi::kDomidSelf);
}

}  // namespace minios
