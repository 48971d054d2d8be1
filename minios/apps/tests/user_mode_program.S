/* SPDX-License-Identifier: MIT */
/* The user-mode test's user program (one page of user code) and the #GP entry of its
 * forged-iret runs. See user_mode.cpp for what each routine checks. */
#include "arch/x86_64/registers.h"
#include "apps/tests/user_mode_program.h"

/* Faults the kernel expects (a read or write of a kernel page, a MOV from CR3, int $0x80)
 * have exception-table entries (ex_table, as MINIOS_FIXUP in kernel/traps.hpp writes them).
 * The user program: one page, nothing in it calls the kernel. Every routine ends in */
/* user_report, which pushes RFLAGS and every general register (UserRegisters) and */
/* makes the exit syscall with RDI pointing at them, on the user stack. */
    .section .text.user_mode, "ax", @progbits
    .balign 4096
    .globl user_code_start
user_code_start:

    .globl user_syscall_probe, user_syscall_probe_return
user_syscall_probe:
    movabs $USER_PATTERN_RBX, %rbx
    movabs $USER_PATTERN_RBP, %rbp
    movabs $USER_PATTERN_RSI, %rsi
    movabs $USER_PATTERN_RDI, %rdi
    movabs $USER_PATTERN_RDX, %rdx
    movabs $USER_PATTERN_R8, %r8
    movabs $USER_PATTERN_R9, %r9
    movabs $USER_PATTERN_R10, %r10
    movabs $USER_PATTERN_R12, %r12
    movabs $USER_PATTERN_R13, %r13
    movabs $USER_PATTERN_R14, %r14
    movabs $USER_PATTERN_R15, %r15
    mov $USER_SYSCALL_PROBE, %eax
    std                          /* does the callback see DF, and does it come back? */
    syscall
user_syscall_probe_return:
    jmp user_report

    .globl user_gs_probe
user_gs_probe:                   /* %gs:0 in user mode, in the kernel, in user mode again */
    mov %gs:0, %rbx
    mov $USER_SYSCALL_GS, %eax
    syscall
    mov %gs:0, %r12
    jmp user_report

    .globl user_read, user_read_resume
user_read:                       /* RDI: the address to read */
    mov (%rdi), %rax
user_read_resume:
    jmp user_report
    .pushsection ex_table, "a"
    .balign 8
    .quad user_read, user_read_resume
    .popsection

    .globl user_write, user_write_resume
user_write:                      /* RDI: the address to write */
    movq $0, (%rdi)
user_write_resume:
    jmp user_report
    .pushsection ex_table, "a"
    .balign 8
    .quad user_write, user_write_resume
    .popsection

    .globl user_read_cr3, user_read_cr3_resume
user_read_cr3:
    mov %cr3, %rax
user_read_cr3_resume:
    jmp user_report
    .pushsection ex_table, "a"
    .balign 8
    .quad user_read_cr3, user_read_cr3_resume
    .popsection

    .globl user_int80, user_int80_resume
user_int80:                      /* #GP without a handler (fixed up), delivered with one */
    int $0x80
user_int80_resume:
    jmp user_report
    .pushsection ex_table, "a"
    .balign 8
    .quad user_int80, user_int80_resume
    .popsection

    .globl user_int3, user_int3_resume
user_int3:
    int3
user_int3_resume:
    jmp user_report

    .globl user_spin
user_spin:                       /* RDI: a flag the kernel sets; RSI counts down the wait */
    movabs $USER_SPINS, %rsi
1:  cmpq $0, (%rdi)
    jne user_report
    pause
    dec %rsi
    jnz 1b
    jmp user_report

user_report:
    pushfq
    cld
    PUSH_GENERAL_REGISTERS
    mov %rsp, %rdi
    xor %eax, %eax               /* kSyscallExit */
    syscall
    ud2

    .balign 4096, 0xcc
    .globl user_code_end
user_code_end:
    .previous

/* The #GP handler of the iret-forged runs: it gets the hypervisor's bounce frame (RCX, */
/* R11, error code, RIP, CS, RFLAGS, RSP, SS) and checks it, on a 16-byte aligned stack. */
    .text
    .globl forged_gp_entry
forged_gp_entry:
    mov %rsp, %rdi
    and $-16, %rsp
    call check_forged_gp
    ud2
