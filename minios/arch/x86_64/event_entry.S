/* SPDX-License-Identifier: MIT */
/* Where Xen enters minios for an event upcall (CALLBACKTYPE_event) and a failsafe return
 * (CALLBACKTYPE_failsafe); both leave through the iret hypercall. Frames: XEN-PV-ABI.md 4.1-4.3.
 *
 * Xen reaches a callback with SYSRET, so RCX and R11 hold garbage: their real values are
 * the first two words of the frame, and popping them leaves what the CPU itself pushes
 * for an interrupt without an error code (RIP, CS, RFLAGS, RSP, SS). We save the
 * registers a C++ call may change, call C++, and ask Xen to pop that frame for us: the
 * iret hypercall sets evtchn_upcall_mask from the frame's RFLAGS.IF (the mask the
 * interrupted code had) in the same step, so an event that arrived while the handler ran
 * comes back as a fresh upcall instead of being stranded. A failsafe callback (Xen could
 * not reload DS/ES/FS/GS as it switched to us, and put null in the refused ones) has the
 * four selectors it tried between R11 and RIP: the handler is given their address, and
 * they are dropped before the iret (a 64-bit kernel runs happily on null selectors). */

/* iret_context.flags: 0 = return with IRETQ, restoring RCX and R11 from the frame. */
#define IRET_FLAGS_IRETQ 0
/* The iret hypercall's stub: __HYPERVISOR_iret (23) * 32 bytes = 0x2E0, the guest jumps
 * to it (abi/hypercall.hpp: kHypercallIretOffset, static_assert-ed there). */
#define IRET_STUB_OFFSET 0x2E0
/* The failsafe frame's DS, ES, FS and GS words, between R11 and RIP. */
#define FAILSAFE_SEGMENT_BYTES 32
/* What save_scratch_registers pushes: nine registers. */
#define SCRATCH_BYTES 72

/* The registers the SysV ABI lets a called function change, saved around the C++ call.
 * A callback frame starts seven words (eleven for a failsafe frame) below a 16-byte
 * boundary; after the two pops and these nine pushes RSP is 16-byte aligned again, as a
 * call needs. */
.macro save_scratch_registers
    push %rax
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %r8
    push %r9
    push %r10
    push %r11
.endm

.macro restore_scratch_registers
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rax
.endm

    .text

    .globl event_upcall_entry
    .type event_upcall_entry, @function
event_upcall_entry:
    pop %rcx                          /* frame +0: the interrupted RCX */
    pop %r11                          /* frame +8: the interrupted R11 */
    save_scratch_registers
    cld                               /* the C++ ABI wants DF clear; IRETQ restores it */
    call handle_event_upcall          /* kernel/events.cpp, with events masked */
    restore_scratch_registers
    jmp return_with_iret_hypercall
    .size event_upcall_entry, . - event_upcall_entry

    .globl event_failsafe_entry
    .type event_failsafe_entry, @function
event_failsafe_entry:
    pop %rcx
    pop %r11
    save_scratch_registers            /* below the segment words: RSP is 16-aligned again */
    cld
    lea SCRATCH_BYTES(%rsp), %rdi     /* the frame's DS, ES, FS, GS words */
    call handle_failsafe_callback
    restore_scratch_registers
    add $FAILSAFE_SEGMENT_BYTES, %rsp
    jmp return_with_iret_hypercall
    .size event_failsafe_entry, . - event_failsafe_entry

/* RSP points at RIP, CS, RFLAGS, RSP, SS: push iret_context.flags and jump (not call) to
 * the stub, which pushes RCX, R11 and RAX and makes the hypercall. It does not return. */
return_with_iret_hypercall:
    pushq $IRET_FLAGS_IRETQ
    jmp hypercall_page + IRET_STUB_OFFSET

    .section .note.GNU-stack, "", @progbits
