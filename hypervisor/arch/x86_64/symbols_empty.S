/* SPDX-License-Identifier: MIT */
/* The first link's symbol table: empty. The second link uses the generated one. */
    .section .symbols, "a"
    .balign 8
    .globl hypervisor_symbols
hypervisor_symbols:
    .quad 0
