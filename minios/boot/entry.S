/* SPDX-License-Identifier: MIT */
/* minios' first instruction. Xen (or Xenolith) enters here in 64-bit ring 3 with RSI
 * pointing at start_info and RSP at the top of a one-page boot stack (XEN-PV-ABI.md 2.3).
 * We move to a bigger stack of our own and call minios_main(start_info). */
    .section .text.entry, "ax"
    .globl _start
_start:
    cld
    lea stack_top(%rip), %rsp
    xor %ebp, %ebp
    mov %rsi, %rdi
    call minios_main
1:  jmp 1b                           /* minios_main never returns */

    .bss
    .balign 16
stack:
    .skip 32768
stack_top:
