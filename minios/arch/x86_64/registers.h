/* SPDX-License-Identifier: MIT */
/* Saving and restoring the general registers in minios' entry code, in one order
 * everywhere: RAX pushed first, R15 last, so R15 is at the lowest address (the C++ frame
 * structs in kernel/traps.hpp and kernel/user_mode.hpp read them in that order). */
#pragma once

.macro PUSH_GENERAL_REGISTERS
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
.endm

.macro POP_GENERAL_REGISTERS
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
.endm
