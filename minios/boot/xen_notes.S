/* SPDX-License-Identifier: MIT */
/* The Xen ELF notes that make minios a PV kernel Xen (and Xenolith) will load
 * (public/elfnote.h; XEN-PV-ABI.md 2.1). Each note: namesz, descsz, type, "Xen\0",
 * then the descriptor, both padded to 4 bytes. */
#define XEN_ELFNOTE_ENTRY              1
#define XEN_ELFNOTE_HYPERCALL_PAGE     2
#define XEN_ELFNOTE_VIRT_BASE          3
#define XEN_ELFNOTE_PADDR_OFFSET       4
#define XEN_ELFNOTE_XEN_VERSION        5
#define XEN_ELFNOTE_GUEST_OS           6
#define XEN_ELFNOTE_GUEST_VERSION      7
#define XEN_ELFNOTE_LOADER             8
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17
#define XENFEAT_dom0                   11

.macro NOTE_BEGIN type
    .balign 4
    .long 4                      /* namesz: "Xen" and its NUL */
    .long 2f - 1f                /* descsz */
    .long \type
    .asciz "Xen"
1:
.endm
.macro NOTE_END
2:  .balign 4
.endm

    .section .note.Xen, "a", @note
    NOTE_BEGIN XEN_ELFNOTE_GUEST_OS
    .asciz "minios"
    NOTE_END
    NOTE_BEGIN XEN_ELFNOTE_GUEST_VERSION
    .asciz "0.1"
    NOTE_END
    NOTE_BEGIN XEN_ELFNOTE_XEN_VERSION
    .asciz "xen-3.0"
    NOTE_END
    NOTE_BEGIN XEN_ELFNOTE_LOADER
    .asciz "generic"
    NOTE_END
    NOTE_BEGIN XEN_ELFNOTE_VIRT_BASE
    .quad 0
    NOTE_END
    NOTE_BEGIN XEN_ELFNOTE_PADDR_OFFSET
    .quad 0
    NOTE_END
    NOTE_BEGIN XEN_ELFNOTE_ENTRY
    .quad _start
    NOTE_END
    NOTE_BEGIN XEN_ELFNOTE_HYPERCALL_PAGE
    .quad hypercall_page
    NOTE_END
    /* Runs as dom0 too (the harness boots it as dom0 on real Xen, which refuses a kernel
     * whose SUPPORTED_FEATURES lacks dom0). */
    NOTE_BEGIN XEN_ELFNOTE_SUPPORTED_FEATURES
    .long 1 << XENFEAT_dom0
    NOTE_END
