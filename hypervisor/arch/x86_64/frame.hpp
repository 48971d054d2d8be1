// SPDX-License-Identifier: MIT
// The registers saved on every entry into the hypervisor: from a guest's SYSCALL, from an
// exception or an interrupt. Layout shared with entry.S through frame_offsets.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "arch/x86_64/frame_offsets.h"

namespace arch {

/// A guest's (or, for a fatal fault, the hypervisor's) registers at the moment of entry.
/// The same order as Xen's struct cpu_user_regs, so a reader can compare the two.
struct CpuUserRegs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint32_t error_code;    ///< the exception's error code, or 0
    uint32_t entry_vector;  ///< exception vector, or ENTRY_VECTOR_SYSCALL
    uint64_t rip, cs, rflags, rsp, ss;  ///< the hardware interrupt frame (IRETQ pops these)

    bool from_guest() const { return (cs & 3) == 3; }
};

static_assert(offsetof(CpuUserRegs, r15) == FRAME_R15);
static_assert(offsetof(CpuUserRegs, rax) == FRAME_RAX);
static_assert(offsetof(CpuUserRegs, rcx) == FRAME_RCX);
static_assert(offsetof(CpuUserRegs, rdi) == FRAME_RDI);
static_assert(offsetof(CpuUserRegs, error_code) == FRAME_ERROR_CODE);
static_assert(offsetof(CpuUserRegs, entry_vector) == FRAME_ENTRY_VECTOR);
static_assert(offsetof(CpuUserRegs, rip) == FRAME_RIP);
static_assert(offsetof(CpuUserRegs, cs) == FRAME_CS);
static_assert(offsetof(CpuUserRegs, rflags) == FRAME_RFLAGS);
static_assert(offsetof(CpuUserRegs, rsp) == FRAME_RSP);
static_assert(offsetof(CpuUserRegs, ss) == FRAME_SS);
static_assert(sizeof(CpuUserRegs) == FRAME_SIZE);

inline constexpr uint32_t kEntryVectorSyscall = ENTRY_VECTOR_SYSCALL;

/// The frame of the guest that entered last: it sits at the top of the hypervisor stack
/// (the SYSCALL entry builds it there; TSS.RSP0 points there for exceptions).
CpuUserRegs& guest_frame();

}  // namespace arch
