/* SPDX-License-Identifier: MIT */
/* guest_copy(destination, source, length): rep movsb that may fault. The #PF handler
 * sees a fault at guest_copy_instruction and resumes at guest_copy_fixup, which returns
 * the number of bytes NOT copied (0 = success), as Linux's copy_user does.
 * Guest memory is user memory: with SMAP on, the copy runs between STAC and CLAC, and
 * the CLAC sits after the fixup label so that a faulting copy clears AC too (the #PF
 * handler's IRETQ brings back the RFLAGS of the fault, AC set). See smap.cpp. */
#include "arch/x86_64/smap.h"

    .text
    .globl guest_copy, guest_copy_instruction, guest_copy_fixup
guest_copy:
    mov %rdx, %rcx
    SMAP_STAC
guest_copy_instruction:
    rep movsb
guest_copy_fixup:
    SMAP_CLAC
    mov %rcx, %rax
    ret
