/* SPDX-License-Identifier: MIT */
/* SMAP for the assembly files: STAC and CLAC where the hypervisor touches guest memory,
 * and the layout of the probe's trap record, which hv::SmapProbeTrap (core/smap_policy.hpp)
 * repeats and smap.cpp checks with static_assert. */
#pragma once

#define SMAP_TRAP_VECTOR      0
#define SMAP_TRAP_ERROR_CODE  8
#define SMAP_TRAP_RIP         16
#define SMAP_TRAP_CR2         24
#define SMAP_TRAP_SIZE        32

/* One entry of the patch table (.smap_patches): the address of a three-byte site, then
 * the three bytes to write there, padded to 16 bytes (arch::SmapPatch in smap.cpp). */
#define SMAP_PATCH_SIZE       16

#ifdef __ASSEMBLER__

/* STAC (0f 01 cb) sets RFLAGS.AC, which lets ring 0 touch user pages while SMAP is on;
 * CLAC (0f 01 ca) clears it again (SDM Vol. 2B). A CPU without SMAP raises #UD for both,
 * so they are not assembled as such: a site holds a three-byte NOP of the same length,
 * and smap.cpp writes the real instruction over it when it turns SMAP on (Xen does the
 * same with its "alternatives"). Without SMAP the NOP stays, and AC does not matter. */
.macro SMAP_PATCH_SITE byte0, byte1, byte2
7770:
    .byte 0x0f, 0x1f, 0x00                /* nopl (%rax) */
    .pushsection .smap_patches, "a"
    .balign 8
    .quad 7770b
    .byte \byte0, \byte1, \byte2
    .skip SMAP_PATCH_SIZE - 8 - 3
    .popsection
.endm

#define SMAP_STAC SMAP_PATCH_SITE 0x0f, 0x01, 0xcb
#define SMAP_CLAC SMAP_PATCH_SITE 0x0f, 0x01, 0xca

#endif
