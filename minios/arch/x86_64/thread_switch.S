/* SPDX-License-Identifier: MIT */
/* Switching between minios' cooperative threads (kernel/sched.cpp). A switch happens only
 * inside a call, so only the registers the SysV ABI says a call preserves (RBX, RBP,
 * R12-R15) and RSP need saving; they go on the old thread's own stack. */

    .text

/* void switch_stacks(uint64_t* save_rsp, uint64_t next_rsp): push the preserved
 * registers, store RSP in *save_rsp, load next_rsp, pop that thread's registers and
 * return into it. sched.cpp builds a new thread's stack in the same shape, returning
 * into thread_start. */
    .globl switch_stacks
    .type switch_stacks, @function
switch_stacks:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, (%rdi)
    mov %rsi, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
    .size switch_stacks, . - switch_stacks

/* A new thread's first instruction: its slot number is in RBX (sched.cpp put it there).
 * run_thread never returns. */
    .globl thread_start
    .type thread_start, @function
thread_start:
    mov %rbx, %rdi
    and $-16, %rsp                    /* the call below needs a 16-byte aligned RSP */
    call run_thread
    ud2
    .size thread_start, . - thread_start

    .section .note.GNU-stack, "", @progbits
