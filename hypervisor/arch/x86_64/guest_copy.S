/* SPDX-License-Identifier: MIT */
/* guest_copy(destination, source, length): rep movsb that may fault. The #PF handler
 * sees a fault at guest_copy_instruction and resumes at guest_copy_fixup, which returns
 * the number of bytes NOT copied (0 = success), as Linux's copy_user does. */
    .text
    .globl guest_copy, guest_copy_instruction, guest_copy_fixup
guest_copy:
    mov %rdx, %rcx
guest_copy_instruction:
    rep movsb
guest_copy_fixup:
    mov %rcx, %rax
    ret
