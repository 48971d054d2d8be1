/* SPDX-License-Identifier: MIT */
/* Guest user mode, the assembly half (kernel/user_mode.cpp is the C++ half): entering
 * user mode, the syscall callback, and the way back to the kernel (XEN-PV-ABI.md 4.2, 4.3).
 *
 * A PV kernel cannot switch to user mode itself: IRETQ at CPL 3 cannot change page
 * tables or GS. It asks Xen with the iret hypercall, whose CS has RPL 3: Xen loads the
 * user L4 (MMUEXT_NEW_USER_BASEPTR), swaps the GS bases and returns to the frame. A
 * SYSCALL in user mode enters Xen, which switches back to the kernel L4, writes the
 * callback frame on the kernel stack (stack_switch) and enters syscall_entry. */
#include "arch/x86_64/registers.h"
#include "kernel/traps.hpp"
#include "kernel/user_mode.hpp"

    .text

/* uint64_t minios_enter_user(UserContext* context, const UserEntry* entry)
 *
 * Keep what a C++ callee must preserve in *context, then make the iret hypercall with
 * the entry's frame: SS, RSP, RFLAGS, CS, RIP, then flags 0 (return with IRETQ; the
 * stub's RCX and R11 are restored, so they are zeroed first, like every register user
 * mode could otherwise read kernel values from). Returns only through
 * minios_leave_user, with its value. */
    .globl minios_enter_user
    .type minios_enter_user, @function
minios_enter_user:
    mov (%rsp), %rax
    mov %rax, MINIOS_USER_CONTEXT_RIP(%rdi)
    lea 8(%rsp), %rax                 /* RSP as the caller sees it after the return */
    mov %rax, MINIOS_USER_CONTEXT_RSP(%rdi)
    mov %rbx, MINIOS_USER_CONTEXT_RBX(%rdi)
    mov %rbp, MINIOS_USER_CONTEXT_RBP(%rdi)
    mov %r12, MINIOS_USER_CONTEXT_R12(%rdi)
    mov %r13, MINIOS_USER_CONTEXT_R13(%rdi)
    mov %r14, MINIOS_USER_CONTEXT_R14(%rdi)
    mov %r15, MINIOS_USER_CONTEXT_R15(%rdi)
    pushq MINIOS_USER_ENTRY_SS(%rsi)
    pushq MINIOS_USER_ENTRY_RSP(%rsi)
    pushq MINIOS_USER_ENTRY_RFLAGS(%rsi)
    pushq MINIOS_USER_ENTRY_CS(%rsi)
    pushq MINIOS_USER_ENTRY_RIP(%rsi)
    pushq $MINIOS_IRET_FLAGS_IRETQ
    mov MINIOS_USER_ENTRY_RDI(%rsi), %rdi
    xor %eax, %eax
    xor %ebx, %ebx
    xor %ecx, %ecx
    xor %edx, %edx
    xor %esi, %esi
    xor %ebp, %ebp
    xor %r8d, %r8d
    xor %r9d, %r9d
    xor %r10d, %r10d
    xor %r11d, %r11d
    xor %r12d, %r12d
    xor %r13d, %r13d
    xor %r14d, %r14d
    xor %r15d, %r15d
    jmp hypercall_page + MINIOS_HYPERCALL_IRET_OFFSET
    .size minios_enter_user, . - minios_enter_user

/* [[noreturn]] void minios_leave_user(const UserContext* context, uint64_t value)
 *
 * Back to the kernel: called in kernel mode (Xen switched when the syscall arrived),
 * it abandons the kernel stack the syscall came in on and returns from the
 * minios_enter_user that saved *context, with `value`. */
    .globl minios_leave_user
    .type minios_leave_user, @function
minios_leave_user:
    mov MINIOS_USER_CONTEXT_RBX(%rdi), %rbx
    mov MINIOS_USER_CONTEXT_RBP(%rdi), %rbp
    mov MINIOS_USER_CONTEXT_R12(%rdi), %r12
    mov MINIOS_USER_CONTEXT_R13(%rdi), %r13
    mov MINIOS_USER_CONTEXT_R14(%rdi), %r14
    mov MINIOS_USER_CONTEXT_R15(%rdi), %r15
    mov MINIOS_USER_CONTEXT_RSP(%rdi), %rsp
    mov %rsi, %rax
    jmp *MINIOS_USER_CONTEXT_RIP(%rdi)
    .size minios_leave_user, . - minios_leave_user

/* The syscall callback (CALLBACKTYPE_syscall). RSP is the kernel stack Xen switched to,
 * with the callback frame: RCX, R11, RIP, CS, RFLAGS, RSP, SS. RCX and R11 hold
 * garbage (Xen entered us with SYSRET); the frame's first two words are what SYSCALL
 * left in them: the user's return address and RFLAGS. Pop them, save every register
 * as a SyscallFrame (kernel/user_mode.hpp: RAX is pushed first, so it sits highest,
 * and RFLAGS as we were entered last), call minios_handle_syscall on a 16-byte aligned
 * stack with DF clear, and return the way it says. */
    .globl syscall_entry
    .type syscall_entry, @function
syscall_entry:
    pop %rcx
    pop %r11
    PUSH_GENERAL_REGISTERS
    pushfq
    cld
    mov %rsp, %rdi
    mov %rsp, %rbx                /* callee-saved: the frame, after the call */
    and $-16, %rsp
    call minios_handle_syscall
    mov %rbx, %rsp
    cmp $MINIOS_SYSCALL_RETURN_SYSRET, %eax
    /* From here to the branch nothing may change the flags: pop and lea do not. */
    lea 8(%rsp), %rsp             /* entry_rflags */
    POP_GENERAL_REGISTERS
    je 1f
    /* IRETQ: Xen restores RCX and R11 from the words the stub pushes, i.e. from the
     * frame's RCX and R11 that the handler may have set. */
    pushq $MINIOS_IRET_FLAGS_IRETQ
    jmp hypercall_page + MINIOS_HYPERCALL_IRET_OFFSET
    /* SYSRET: Xen sets RCX to RIP and R11 to RFLAGS, as the user's SYSCALL expects. */
1:  pushq $MINIOS_IRET_FLAGS_SYSRET
    jmp hypercall_page + MINIOS_HYPERCALL_IRET_OFFSET
    .size syscall_entry, . - syscall_entry

    .section .note.GNU-stack, "", @progbits
