/* SPDX-License-Identifier: MIT */
/* From the bootloader's 32-bit protected mode to 64-bit long mode, then up to boot_main.
 * The boot page tables map the first 4 GiB three times with 2 MiB pages: at 0 (so this
 * code keeps running when paging starts), at XENOLITH_VIRT_START for the image, and at
 * the direct map. The sequence is the SDM's (Vol. 3A 10.8.5, "Initializing IA-32e Mode"):
 * PAE, CR3, EFER.LME, then CR0.PG. */
#include "boot/layout.h"

#define CR0_PE      (1 << 0)
#define CR0_MP      (1 << 1)
#define CR0_NE      (1 << 5)
#define CR0_AM      (1 << 18)
#define CR0_WP      (1 << 16)
#define CR0_PG      (1 << 31)
#define CR4_PAE     (1 << 5)
#define MSR_EFER    0xc0000080
#define EFER_SCE    (1 << 0)
#define EFER_LME    (1 << 8)
#define EFER_NXE    (1 << 11)
#define PTE_P       0x1
#define PTE_RW      0x2
#define PTE_PS      0x80
#define PAGE_2M     0x200000
#define BOOT_CS64   0x08
#define BOOT_DS     0x10

/* Slot numbers: (address >> 39) & 511, and L3 index (address >> 30) & 511. */
#define IMAGE_L4_SLOT  ((XENOLITH_VIRT_START >> 39) & 511)
#define IMAGE_L3_SLOT  ((XENOLITH_VIRT_START >> 30) & 511)
#define DIRECT_L4_SLOT ((XENOLITH_DIRECTMAP_START >> 39) & 511)

    .section .boot.text, "ax"
    .code32
    .globl multiboot_entry
/* Both loaders enter here the same way (Multiboot 0.6.96 section 3.2, Multiboot2 section
 * 3.3): 32-bit protected mode, flat 4 GiB CS and data segments, paging and interrupts off,
 * magic in EAX and the information's physical address in EBX. Nothing else is promised:
 * ESP and the GDTR may be invalid, so we set our own stack and load our own GDT before
 * touching a segment register. */
multiboot_entry:
    cli
    cld
    mov %eax, boot_magic                 /* 0x2badb002 (Multiboot1) or 0x36d76289 (Multiboot2) */
    mov %ebx, boot_info                  /* physical address of the loader's information */
    mov $boot_stack_top, %esp

    /* Check for long mode (CPUID 0x80000001 EDX bit 29) before relying on it. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    bt $29, %edx
    jnc no_long_mode

    /* Four L2 tables: 2048 2 MiB pages covering physical 0-4 GiB. */
    mov $boot_l2, %edi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $(PTE_P | PTE_RW | PTE_PS), %eax
    mov %eax, (%edi, %ecx, 8)
    mov %ecx, %eax
    shr $11, %eax                        /* bits 32+ of the address: (ecx * 2 MiB) >> 32 */
    mov %eax, 4(%edi, %ecx, 8)
    inc %ecx
    cmp $(XENOLITH_BOOT_MAP_GIB * 512), %ecx
    jne 1b

    /* L3 for the identity and direct maps: entries 0-3 point at the four L2 tables. */
    mov $boot_l3_low, %edi
    mov $boot_l2, %eax
    or $(PTE_P | PTE_RW), %eax
    xor %ecx, %ecx
2:  mov %eax, (%edi, %ecx, 8)
    add $0x1000, %eax
    inc %ecx
    cmp $XENOLITH_BOOT_MAP_GIB, %ecx
    jne 2b

    /* L3 for the image: XENOLITH_VIRT_START maps physical XENOLITH_LOAD_PHYS through an
     * L2 of its own (the image is linked at a 1 GiB boundary + 0). */
    mov $boot_l2_image, %edi
    mov $(XENOLITH_LOAD_PHYS | PTE_P | PTE_RW | PTE_PS), %eax
    xor %ecx, %ecx
3:  mov %eax, (%edi, %ecx, 8)
    add $PAGE_2M, %eax
    inc %ecx
    cmp $16, %ecx                        /* 32 MiB is room enough for the image */
    jne 3b
    mov $boot_l2_image, %eax
    or $(PTE_P | PTE_RW), %eax
    mov %eax, boot_l3_image + IMAGE_L3_SLOT * 8

    mov $boot_l3_low, %eax
    or $(PTE_P | PTE_RW), %eax
    mov %eax, boot_l4
    mov %eax, boot_l4 + DIRECT_L4_SLOT * 8
    mov $boot_l3_image, %eax
    or $(PTE_P | PTE_RW), %eax
    mov %eax, boot_l4 + IMAGE_L4_SLOT * 8

    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
    mov $boot_l4, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $(EFER_LME | EFER_NXE | EFER_SCE), %eax
    wrmsr
    mov %cr0, %eax
    /* As Xen's CR0 (0x80050033): MP and NE so that x87 errors are #MF, AM for guests. */
    or $(CR0_PE | CR0_MP | CR0_NE | CR0_WP | CR0_AM | CR0_PG), %eax
    mov %eax, %cr0

    lgdt boot_gdt_pointer
    ljmp $BOOT_CS64, $entry64

no_long_mode:
    /* Nothing to print with yet: leave QEMU with the panic status (see arch/x86_64/debug_exit). */
    mov $0xf4, %dx
    mov $2, %eax
    out %eax, %dx
4:  hlt
    jmp 4b

    .code64
entry64:
    mov $BOOT_DS, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    movabs $boot_high, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff             /* 0x08: 64-bit ring-0 code */
    .quad 0x00cf92000000ffff             /* 0x10: ring-0 data */
boot_gdt_end:
boot_gdt_pointer:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt
    .globl boot_magic, boot_info
boot_magic:
    .long 0
boot_info:
    .long 0

    /* Zero-filled but stored in the file (progbits): the a.out kludge loads the file as
     * one contiguous block, so the low part may not have a hole. */
    .section .boot.tables, "aw"
    .balign 4096
    .globl boot_l4
boot_l4:        .skip 4096
boot_l3_low:    .skip 4096
boot_l3_image:  .skip 4096
boot_l2_image:  .skip 4096
boot_l2:        .skip 4096 * XENOLITH_BOOT_MAP_GIB
                .skip 1024
boot_stack_top:

    /* In the high image from here on. */
    .text
    .globl boot_high
boot_high:
    lea hypervisor_stack_top(%rip), %rsp
    xor %ebp, %ebp                       /* the end of every backtrace */
    mov boot_magic, %edi                 /* still identity mapped: absolute low addresses */
    mov boot_info, %esi
    call boot_main
5:  hlt
    jmp 5b

    .bss
    .balign 4096
    .globl hypervisor_stack_bottom, hypervisor_stack_top
hypervisor_stack_bottom:
    .skip XENOLITH_STACK_SIZE
hypervisor_stack_top:

    /* The boot L4's physical address, where high code can read it (a RIP-relative
     * reference from the high image cannot reach the low boot sections). */
    .data
    .balign 8
    .globl boot_l4_phys
boot_l4_phys:
    .quad boot_l4
