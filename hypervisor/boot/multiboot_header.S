/* SPDX-License-Identifier: MIT */
/* The Multiboot1 and Multiboot2 headers, in the first page of the image.
 * Multiboot1 (QEMU -kernel): QEMU 7.2 refuses an ELF64 unless the header carries the
 * "a.out kludge" address fields (flag bit 16), which tell it where to load the file.
 * Multiboot2 (GRUB2 `multiboot2`; Multiboot2 spec 2.0): the header must lie 8-byte aligned
 * in the first 32768 bytes (3.1.1), each tag 8-byte aligned (3.1.3). Without an address
 * tag (3.1.5) the loader loads the ELF64's PT_LOAD segments at their physical addresses
 * (p_paddr) itself; the entry address tag (3.1.6) names our 32-bit entry; the module
 * alignment tag (3.1.11) asks for page-aligned modules. Tag flags 0: none is optional. */
#include "boot/layout.h"

#define MB1_MAGIC        0x1badb002
#define MB1_PAGE_ALIGN   (1 << 0)      /* modules on page boundaries */
#define MB1_MEMORY_INFO  (1 << 1)      /* mem_* and mmap_* fields */
#define MB1_AOUT_KLUDGE  (1 << 16)     /* the address fields below are valid */
#define MB1_FLAGS        (MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_AOUT_KLUDGE)

#define MB2_MAGIC        0xe85250d6
#define MB2_ARCH_I386    0
#define MB2_TAG_END      0
#define MB2_TAG_ENTRY    3             /* physical address of multiboot_entry */
#define MB2_TAG_ALIGN    6             /* modules page aligned */

#define PHYS(symbol)     ((symbol) - XENOLITH_VIRT_OFFSET)

    .section .multiboot, "a"
    .balign 8
multiboot1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)
    .long multiboot1_header            /* header_addr: .multiboot is linked at its physical address */
    .long XENOLITH_LOAD_PHYS           /* load_addr */
    .long PHYS(__image_data_end)       /* load_end_addr */
    .long PHYS(__image_bss_end)        /* bss_end_addr */
    .long multiboot_entry              /* entry_addr */

    .balign 8
multiboot2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long multiboot2_header_end - multiboot2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (multiboot2_header_end - multiboot2_header))
    .balign 8
    .short MB2_TAG_ENTRY, 0
    .long 12
    .long multiboot_entry
    .balign 8
    .short MB2_TAG_ALIGN, 0
    .long 8
    .balign 8
    .short MB2_TAG_END, 0
    .long 8
multiboot2_header_end:
