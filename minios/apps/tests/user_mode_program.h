/* SPDX-License-Identifier: MIT */
/* The user-mode test's constants, shared by its user program (user_mode_program.S) and
 * its checks (user_mode.cpp). Plain #defines: the assembler reads this file too. */
#pragma once

/* The user program's syscalls (RAX); 0 is kSyscallExit. */
#define USER_SYSCALL_PROBE 1  /* = __HYPERVISOR_mmu_update: a hypercall number on purpose */
#define USER_SYSCALL_GS 2     /* = __HYPERVISOR_set_gdt */
/* What user_syscall_probe loads into each register before its SYSCALL. */
#define USER_PATTERN_RBX 0x5eed00000000b0b0
#define USER_PATTERN_RBP 0x5eed00000000b9b9
#define USER_PATTERN_RSI 0x5eed00000000515e
#define USER_PATTERN_RDI 0x5eed00000000d1d1
#define USER_PATTERN_RDX 0x5eed00000000d0d0
#define USER_PATTERN_R8 0x5eed000000000808
#define USER_PATTERN_R9 0x5eed000000000909
#define USER_PATTERN_R10 0x5eed000000001010
#define USER_PATTERN_R12 0x5eed000000001212
#define USER_PATTERN_R13 0x5eed000000001313
#define USER_PATTERN_R14 0x5eed000000001414
#define USER_PATTERN_R15 0x5eed000000001515
/* How long user_spin waits for an event: seconds under TCG, far longer than the 10 ms */
/* period of the timer it waits for. */
#define USER_SPINS 0x10000000
