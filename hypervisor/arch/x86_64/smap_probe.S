/* SPDX-License-Identifier: MIT */
/* The SMAP probe's machine code (smap.cpp tells the story): the way down to ring 3 and
 * back, the 32 stubs of the probe's own IDT, and the ring-3 code that smap.cpp copies onto
 * a user page.
 *
 * The way back is the point of the design: whatever exception ends the stay in ring 3
 * (the int3 of a working IRETQ, the #PF of a broken one, or anything unforeseen, even in
 * ring 0), its stub records it and returns from smap_probe_run to the C++ caller, on the
 * stack that smap_probe_run saved. Nothing of the hypervisor's normal trap path runs. */
#include "arch/x86_64/smap.h"

#define FLAT_RING3_CS64 0xe033
#define FLAT_RING3_SS64 0xe02b
#define HYPERVISOR_DS   0xe010
#define RFLAGS_FIXED    0x2           /* bit 1 always reads as one; IF, IOPL, AC all zero */

    .text

/* uint64_t smap_probe_run(uint64_t user_rip, uint64_t user_rsp, const void* idtr)
 * Load the probe's IDT (idtr: its 10-byte table pointer), then IRETQ to ring 3 at
 * user_rip with RSP = user_rsp and interrupts off. Returns the trap's vector, with the
 * whole trap in smap_probe_trap. The caller keeps CR4 and reloads the hypervisor's IDT. */
    .globl smap_probe_run
smap_probe_run:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, probe_saved_rsp(%rip)
    lidt (%rdx)
    pushq $FLAT_RING3_SS64
    push %rsi
    pushq $RFLAGS_FIXED
    pushq $FLAT_RING3_CS64
    push %rdi
    iretq

/* One stub per exception vector. The gates send every one to the double-fault stack
 * (IST1), so the probe never depends on the stack it was on. A stub pushes a zero where
 * the CPU pushes no error code, then its vector (SDM Vol. 3A Table 6-1). Vectors 32-255
 * lie past the IDT's limit: an interrupt there would arrive as #GP. */
.macro PROBE_STUB vector
    .balign 16
probe_stub_\vector:
    .if (\vector == 8) || (\vector >= 10 && \vector <= 14) || \vector == 17 || \vector == 21 || \vector == 29 || \vector == 30
    /* the CPU pushed an error code */
    .else
    pushq $0
    .endif
    pushq $\vector
    jmp probe_trap
.endm

.altmacro
.macro PROBE_STUB_AT vector
    PROBE_STUB %vector
.endm
.set vector, 0
.rept 32
    PROBE_STUB_AT %vector
    .set vector, vector + 1
.endr

/* Record the trap (the rest of its frame, CS to SS, is left on the IST stack), put the
 * data segments back that IRETQ to ring 3 cleared (DPL 0 < CPL 3: SDM Vol. 2A, IRET),
 * and return from smap_probe_run. */
probe_trap:
    popq smap_probe_trap + SMAP_TRAP_VECTOR(%rip)
    popq smap_probe_trap + SMAP_TRAP_ERROR_CODE(%rip)
    popq smap_probe_trap + SMAP_TRAP_RIP(%rip)
    mov %cr2, %rax
    mov %rax, smap_probe_trap + SMAP_TRAP_CR2(%rip)
    mov $HYPERVISOR_DS, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov probe_saved_rsp(%rip), %rsp
    mov smap_probe_trap + SMAP_TRAP_VECTOR(%rip), %rax
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret

/* The ring-3 code, copied to the start of the probe's user page, whose top is its stack.
 * It is position-independent (it runs at another address than it is linked at): it
 * builds an IRETQ frame on the user stack that returns to the next instruction in ring 3,
 * and executes the IRETQ at CPL 3. A CPU that pops the frame with user-mode accesses
 * gets to the int3, which comes back through its DPL-3 gate with RIP = smap_probe_user_done;
 * QEMU 7.2 pops it with supervisor accesses, which SMAP refuses: a #PF at the IRETQ. */
    .globl smap_probe_user_code, smap_probe_user_iretq, smap_probe_user_done, smap_probe_user_code_end
smap_probe_user_code:
    mov %rsp, %rax
    pushq $FLAT_RING3_SS64
    push %rax
    pushfq
    pushq $FLAT_RING3_CS64
    lea 1f(%rip), %rax
    push %rax
smap_probe_user_iretq:
    iretq
1:  int3
smap_probe_user_done:
smap_probe_user_code_end:

    .section .rodata
    .balign 8
    .globl smap_probe_stubs
smap_probe_stubs:
.macro PROBE_STUB_ADDRESS vector
    .quad probe_stub_\vector
.endm
.set vector, 0
.rept 32
    PROBE_STUB_ADDRESS %vector
    .set vector, vector + 1
.endr

    .bss
    .balign 8
    .globl smap_probe_trap
smap_probe_trap:
    .skip SMAP_TRAP_SIZE
probe_saved_rsp:
    .quad 0
