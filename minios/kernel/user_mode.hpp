// SPDX-License-Identifier: MIT
// Guest user mode: a user page table, entering user mode, and the syscall callback.
#pragma once

// Numbers shared with arch/x86_64/user_entry.S, which includes this header; the C++
// part below checks them against the types they describe.

/// minios_handle_syscall's answer: how the entry stub returns to user mode.
#define MINIOS_SYSCALL_RETURN_SYSRET 0  /* iret hypercall with VGCF_in_syscall */
#define MINIOS_SYSCALL_RETURN_IRETQ 1   /* iret hypercall without it */
/// iret_context.flags for each (VGCF_in_syscall, abi/vcpu.hpp).
#define MINIOS_IRET_FLAGS_SYSRET 0x100
#define MINIOS_IRET_FLAGS_IRETQ 0
/// UserContext: where minios_enter_user keeps the kernel's callee-saved registers.
#define MINIOS_USER_CONTEXT_RBX 0
#define MINIOS_USER_CONTEXT_RBP 8
#define MINIOS_USER_CONTEXT_R12 16
#define MINIOS_USER_CONTEXT_R13 24
#define MINIOS_USER_CONTEXT_R14 32
#define MINIOS_USER_CONTEXT_R15 40
#define MINIOS_USER_CONTEXT_RSP 48
#define MINIOS_USER_CONTEXT_RIP 56
/// UserEntry: the iret_context words minios_enter_user pushes.
#define MINIOS_USER_ENTRY_RIP 0
#define MINIOS_USER_ENTRY_CS 8
#define MINIOS_USER_ENTRY_RFLAGS 16
#define MINIOS_USER_ENTRY_RSP 24
#define MINIOS_USER_ENTRY_SS 32
#define MINIOS_USER_ENTRY_RDI 40

#ifndef __ASSEMBLER__

#include <cstddef>
#include <cstdint>

#include "abi/vcpu.hpp"
#include "lib/error_or.hpp"

namespace minios {

/// The syscall number (RAX) that ends a run in user mode: the kernel does not return to
/// user mode but goes on after the run_in_user_mode() that started it.
inline constexpr uint64_t kSyscallExit = 0;

/// What the syscall entry stub saves, lowest address first: RFLAGS as the handler was
/// entered (Xen clears DF), the general registers as user mode left them (RCX and R11
/// as SYSCALL set them: the user's return RIP and RFLAGS, popped from the callback
/// frame's first two words), then the rest of the callback frame (XEN-PV-ABI.md 4.2).
struct SyscallFrame {
    uint64_t entry_rflags;
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t rip;
    uint64_t cs;  ///< selector in bits 15:0 (0xE033 from 64-bit user mode), saved event mask in 39:32
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};
static_assert(sizeof(SyscallFrame) == 21 * 8);

/// One syscall as the kernel received it.
struct Syscall {
    SyscallFrame* frame;    ///< the handler may change RAX (the result), RCX and R11 (IRETQ return)
    uint64_t bounce_frame;  ///< where Xen wrote the callback frame (its RCX word)
    uint8_t entry_mask;     ///< vcpu_info.evtchn_upcall_mask as the handler was entered
};

/// How the kernel returns from a syscall to user mode. Both use the iret hypercall,
/// which reloads the user page table and GS and sets the event mask from RFLAGS.IF.
enum class SyscallReturn {
    Sysret,  ///< VGCF_in_syscall: Xen returns with SYSRET, so RCX := RIP and R11 := RFLAGS
    Iretq,   ///< flags 0: Xen returns with IRETQ and restores RCX and R11 from the frame
};

/// Handles every syscall but kSyscallExit: sets frame->rax, says how to return.
using SyscallHandler = SyscallReturn (*)(const Syscall& call);

/// What a program needs in user mode; everything else of the kernel is absent from
/// the user page table. Code is mapped read-only, the pages writable, each with USER
/// and at the address the kernel sees it at (so a pointer means the same in both modes).
struct UserSpaceLayout {
    uint64_t code_start;  ///< page-aligned; the code must not call into the kernel
    uint64_t code_end;    ///< page-aligned
    unsigned data_pages;  ///< fresh zeroed pages, writable from user mode; the last is the stack
};

/// Build the user page table (a fresh L4 mapping only the layout's pages, pinned so
/// that Xen validates the whole tree), register it (MMUEXT_NEW_USER_BASEPTR), give Xen
/// a kernel stack for entries from user mode (stack_switch), and register the syscall
/// callback (CALLBACKTYPE_syscall).
/// @pre init_events has run (the event mask is read and restored around user mode)
lib::ErrorOr<void> init_user_mode(const UserSpaceLayout& layout, SyscallHandler handler);

/// Register the syscall callback again, with or without CALLBACKF_mask_events.
lib::ErrorOr<void> set_syscall_masks_events(bool mask_events);

/// The user page table's L4 (its machine frame), for tests that look at it.
uint64_t user_l4_mfn();
/// The first of the layout's data pages, and the top of the last (the user stack).
uint64_t user_data_page(unsigned index);
uint64_t user_stack_top();
/// The kernel stack Xen switches to (stack_switch): [bottom, top).
uint64_t kernel_stack_bottom();
uint64_t kernel_stack_top();

/// How a run in user mode ended: the exit syscall as it arrived.
struct UserExit {
    SyscallFrame frame;
    uint64_t bounce_frame;
    uint8_t entry_mask;
};

/// Enter user mode at `rip` with RSP `rsp` and RDI `argument` (every other register 0)
/// through the iret hypercall (CS 0xE033, SS 0xE02B; RFLAGS.IF set when
/// `events_enabled`, which is the event mask user mode runs with), and come back here
/// when the program makes the exit syscall. The event mask is then restored to what it
/// was at the call.
UserExit run_in_user_mode(uint64_t rip, uint64_t rsp, uint64_t argument, bool events_enabled);

/// How many syscalls reached the callback since init_user_mode.
uint64_t syscall_count();

}  // namespace minios

#endif  // __ASSEMBLER__
