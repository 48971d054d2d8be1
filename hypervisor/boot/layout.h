/* SPDX-License-Identifier: MIT */
/* Where the hypervisor lives, shared by the linker script, the boot assembly and C++.
 * The numbers are Xen's (xen/arch/x86/include/asm/config.h) so that a reader can hold the
 * two side by side: the image at XEN_VIRT_START in L4 slot 261, the direct map of RAM
 * from slot 262. Plain #defines, because ld and the assembler read this file too. */
#pragma once

#define XENOLITH_LOAD_PHYS      0x200000               /* physical load address, 2 MiB aligned */
#define XENOLITH_VIRT_START     0xffff82d040000000     /* Xen's XEN_VIRT_START */
#define XENOLITH_VIRT_OFFSET    (XENOLITH_VIRT_START - XENOLITH_LOAD_PHYS)
#define XENOLITH_DIRECTMAP_START 0xffff830000000000    /* Xen's DIRECTMAP_VIRT_START */
#define XENOLITH_BOOT_MAP_GIB   4                      /* RAM mapped by the boot page tables */
#define XENOLITH_STACK_SIZE     0x8000                 /* the hypervisor stack, 32 KiB */
