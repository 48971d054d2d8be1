/* SPDX-License-Identifier: MIT */
/* load_ds(selector), load_es, load_fs, load_gs: load one of a guest's data segment
 * selectors in ring 0, where the CPU checks it against the guest's GDT. Each returns 1,
 * or 0 when the CPU refused the selector (#GP: no such descriptor, or not a readable
 * segment; #NP: not present; #PF: its GDT page is not mapped). Then the exception
 * handler resumes at the routine's fixup, which loads the null selector instead, as
 * Xen's load_segments does before it raises the failsafe callback. Loading FS or GS
 * also loads that segment's base from the descriptor; the caller writes the bases after. */
    .text

.macro segment_loader reg
    .globl load_\reg, load_\reg\()_instruction, load_\reg\()_fixup
    .type load_\reg, @function
load_\reg:
    mov $1, %eax
load_\reg\()_instruction:
    mov %edi, %\reg
    ret
load_\reg\()_fixup:
    xor %eax, %eax
    mov %eax, %\reg
    ret
    .size load_\reg, . - load_\reg
.endm

    segment_loader ds
    segment_loader es
    segment_loader fs
    segment_loader gs
