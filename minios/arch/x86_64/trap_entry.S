/* SPDX-License-Identifier: MIT */
/* Trap entry and return: one stub per vector, a common path that saves every register
 * and calls minios_handle_trap, and the two ways back (XEN-PV-ABI.md 4.1, 4.3, 4.6).
 *
 * The hypervisor enters a stub in ring 3 on the interrupted kernel stack, with a bounce
 * frame at RSP: RCX, R11, [error code,] RIP, CS, RFLAGS, RSP, SS. It returned to us with
 * SYSRET, so RCX and R11 hold garbage; their real values are the frame's first two
 * words. Once a stub has popped them, what remains is exactly a hardware exception
 * frame, and the rest is what a native kernel does. */
#include "arch/x86_64/registers.h"
#include "kernel/traps.hpp"

    .text

/* trap_entries: 256 stubs, MINIOS_TRAP_ENTRY_STRIDE bytes apart. Each restores RCX and
 * R11, pushes a zero where the vector has no error code (so that every TrapFrame has the
 * same layout), pushes the vector and joins the common path. */
    .balign MINIOS_TRAP_ENTRY_STRIDE
    .globl trap_entries
trap_entries:
    .set vector, 0
    .rept 256
0:  pop %rcx
    pop %r11
    .if (vector == 8) || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 || vector == 30
    /* the hypervisor pushed an error code (kernel/traps.hpp: has_error_code) */
    .else
    pushq $0
    .endif
    pushq $vector
    jmp trap_common
    /* pad to the stride with int3; the assembler refuses if the stub is longer */
    .org 0b + MINIOS_TRAP_ENTRY_STRIDE, 0xcc
    .set vector, vector + 1
    .endr

/* Save the registers in TrapFrame order (kernel/traps.hpp: RAX is pushed first, so it
 * sits highest), call minios_handle_trap(frame) on a 16-byte aligned stack with DF clear
 * (the C++ ABI's rules; the frame keeps the interrupted RFLAGS), and return the way it
 * says. */
trap_common:
    PUSH_GENERAL_REGISTERS
    cld
    mov %rsp, %rdi
    mov %rsp, %rbx                /* callee-saved: the frame, after the call */
    and $-16, %rsp
    call minios_handle_trap
    mov %rbx, %rsp
    cmp $MINIOS_TRAP_RETURN_IRETQ, %eax
    /* From here to the branch nothing may change the flags: pop and lea do not. */
    POP_GENERAL_REGISTERS
    lea 16(%rsp), %rsp            /* the vector and the error code */
    je 1f

    /* The iret hypercall (XEN-PV-ABI.md 4.3): on top of the hardware frame push the
     * flags word (0: return with IRETQ, not SYSRET) and jump to the iret stub, which
     * pushes RCX, R11 and RAX and never returns here. Xen restores all three, sets the
     * event mask from RFLAGS.IF, switches to user mode if CS says so, and ends NMI
     * blocking. */
    pushq $0
    jmp hypercall_page + MINIOS_HYPERCALL_IRET_OFFSET

    /* IRETQ straight back (XEN-PV-ABI.md 4.6), chosen by minios_handle_trap only for a
     * kernel-to-kernel return that leaves the event mask as it is. We run in ring 3, so
     * the selectors need RPL 3: Xen gave us the kernel CS with RPL 0 (0xE030). */
1:  orq $3, MINIOS_IRETQ_CS(%rsp)
    orq $3, MINIOS_IRETQ_SS(%rsp)
    iretq
