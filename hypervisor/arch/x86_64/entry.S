/* SPDX-License-Identifier: MIT */
/* Every way into the hypervisor, and the one way back to a guest.
 *
 * - SYSCALL from the guest kernel (a hypercall): the CPU loads CS/SS from STAR and RIP
 *   from LSTAR but keeps the guest's RSP, so the stub switches to the hypervisor stack
 *   and builds the same frame an exception would (frame_offsets.h).
 * - Exceptions and interrupts: one small stub per vector pushes a zero error code where
 *   the CPU does not push one (SDM Vol. 3A 6.13), records the vector, saves the GPRs.
 *   From a guest (ring 3) the CPU switches to TSS.RSP0, the top of the hypervisor stack.
 * - Back to the guest: always IRETQ from the frame. (SYSRET would be faster but a
 *   non-canonical RCX makes it fault in ring 0 on Intel CPUs; one exit path is simpler.)
 * One CPU for now, so the stack and the scratch slot are plain globals. */
#include "arch/x86_64/frame_offsets.h"
#include "arch/x86_64/smap.h"

#define FLAT_RING3_CS64 0xe033
#define FLAT_RING3_SS64 0xe02b

.macro SAVE_GPRS
    push %rdi
    push %rsi
    push %rdx
    push %rcx
    push %rax
    push %r8
    push %r9
    push %r10
    push %r11
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
.endm

.macro RESTORE_GPRS
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rax
    pop %rcx
    pop %rdx
    pop %rsi
    pop %rdi
.endm

    .section .text.entry, "ax"

    .globl syscall_entry
syscall_entry:
    mov %rsp, syscall_guest_rsp(%rip)
    lea hypervisor_stack_top(%rip), %rsp
    push $FLAT_RING3_SS64
    push syscall_guest_rsp(%rip)
    push %r11                            /* the guest's RFLAGS */
    push $FLAT_RING3_CS64
    push %rcx                            /* the guest's RIP, after the SYSCALL */
    push $0
    movl $ENTRY_VECTOR_SYSCALL, 4(%rsp)
    SAVE_GPRS
    mov %rsp, %rdi
    call handle_syscall
    jmp return_to_guest

    .globl return_to_guest, return_to_guest_iretq
return_to_guest:
    /* The frame at the top of the stack is the guest to run (it may have been replaced
     * by the scheduler while we were in C++). Last chance for an event upcall. */
    lea hypervisor_stack_top - FRAME_SIZE(%rip), %rsp
    mov %rsp, %rdi
    call prepare_return_to_guest
    RESTORE_GPRS
    add $8, %rsp                         /* error code and vector */
return_to_guest_iretq:
    /* If the guest's frame cannot be returned to, the CPU faults right here in ring 0:
     * traps.cpp recognises this address and crashes the guest instead. */
    iretq

/* An exception stub. With has_error_code=0 a zero takes the CPU's error-code slot. */
.macro EXCEPTION vector, has_error_code
    .balign 16
exception_\vector:
    .if \has_error_code == 0
    push $0
    .endif
    movl $\vector, 4(%rsp)
    jmp exception_common
.endm

exception_common:
    /* From ring 3 the interrupt gate kept the guest's RFLAGS.AC (only SYSCALL's flag mask
     * clears it): with SMAP on, AC set would let the hypervisor touch user pages. */
    SMAP_CLAC
    cld
    SAVE_GPRS
    mov %rsp, %rdi
    xor %ebp, %ebp
    call handle_exception
    /* Back to a guest through the one exit path; a hypervisor frame (a fixed-up fault)
     * resumes where it was. */
    testb $3, FRAME_CS(%rsp)
    jnz return_to_guest
    RESTORE_GPRS
    add $8, %rsp
    iretq

/* Vectors with an error code: 8, 10-14, 17, 21, 29, 30 (SDM Vol. 3A Table 6-1). */
EXCEPTION 0, 0
EXCEPTION 1, 0
EXCEPTION 2, 0
EXCEPTION 3, 0
EXCEPTION 4, 0
EXCEPTION 5, 0
EXCEPTION 6, 0
EXCEPTION 7, 0
EXCEPTION 8, 1
EXCEPTION 9, 0
EXCEPTION 10, 1
EXCEPTION 11, 1
EXCEPTION 12, 1
EXCEPTION 13, 1
EXCEPTION 14, 1
EXCEPTION 15, 0
EXCEPTION 16, 0
EXCEPTION 17, 1
EXCEPTION 18, 0
EXCEPTION 19, 0
EXCEPTION 20, 0
EXCEPTION 21, 1
EXCEPTION 22, 0
EXCEPTION 23, 0
EXCEPTION 24, 0
EXCEPTION 25, 0
EXCEPTION 26, 0
EXCEPTION 27, 0
EXCEPTION 28, 0
EXCEPTION 29, 1
EXCEPTION 30, 1
EXCEPTION 31, 0

/* Interrupt vectors 32-255 share one stub each, as exceptions without an error code. */
.altmacro
.macro INTERRUPT vector
    EXCEPTION %vector, 0
.endm
.set vector, 32
.rept 224
    INTERRUPT %vector
    .set vector, vector + 1
.endr

    .section .rodata
    .balign 8
    .globl exception_stubs
exception_stubs:
.macro STUB_ADDRESS vector
    .quad exception_\vector
.endm
.set vector, 0
.rept 256
    STUB_ADDRESS %vector
    .set vector, vector + 1
.endr

    .bss
    .balign 8
syscall_guest_rsp:
    .quad 0
