// SPDX-License-Identifier: MIT
// Traps from the guest's side: the trap table, the frame the entry stubs build, fixups.
#pragma once

// Numbers shared with arch/x86_64/trap_entry.S, which includes this header; the C++
// part below checks each against the types it describes.

/// Bytes between two entry stubs: the stub of vector v is at trap_entries + v * 16.
#define MINIOS_TRAP_ENTRY_STRIDE 16
/// minios_handle_trap's answer: return with the iret hypercall, or with IRETQ.
#define MINIOS_TRAP_RETURN_HYPERCALL 0
#define MINIOS_TRAP_RETURN_IRETQ 1
/// Where the iret stub sits in the hypercall page (XEN-PV-ABI.md 4.3).
#define MINIOS_HYPERCALL_IRET_OFFSET 0x2E0
/// CS and SS in a hardware IRETQ frame (RIP at +0, then CS, RFLAGS, RSP, SS).
#define MINIOS_IRETQ_CS 8
#define MINIOS_IRETQ_SS 32

/// An exception-table entry, for inline assembly: if the instruction at `fault` traps,
/// the handler resumes at `resume` instead of reporting the trap (Linux's __ex_table).
#define MINIOS_FIXUP(fault, resume) \
    ".pushsection ex_table, \"a\"\n\t.balign 8\n\t.quad " #fault ", " #resume "\n\t.popsection\n\t"

#ifndef __ASSEMBLER__

#include <cstddef>
#include <cstdint>
#include <optional>

#include "abi/hypercall.hpp"
#include "abi/start_info.hpp"
#include "lib/error_or.hpp"
#include "lib/field.hpp"

namespace minios {

/// The architectural vectors (SDM Vol. 3A 6.3.1) and the one software interrupt Xen
/// treats specially (int $0x80, XEN-PV-ABI.md 4.5).
enum class Vector : uint8_t {
    DivideError = 0,          // #DE
    Debug = 1,                // #DB
    Nmi = 2,                  // NMI
    Breakpoint = 3,           // #BP
    Overflow = 4,             // #OF
    BoundRange = 5,           // #BR
    InvalidOpcode = 6,        // #UD
    DeviceNotAvailable = 7,   // #NM
    DoubleFault = 8,          // #DF
    SegmentOverrun = 9,       // coprocessor segment overrun (legacy)
    InvalidTss = 10,          // #TS
    SegmentNotPresent = 11,   // #NP
    StackFault = 12,          // #SS
    GeneralProtection = 13,   // #GP
    PageFault = 14,           // #PF
    X87Error = 16,            // #MF
    AlignmentCheck = 17,      // #AC
    MachineCheck = 18,        // #MC
    SimdError = 19,           // #XM
    Int80 = 0x80,             // int $0x80
};

/// The vectors minios registers at boot: every exception from #DE to #XM.
inline constexpr unsigned kExceptionVectors = 20;

/// Whether the CPU pushes an error code for `vector` (SDM Vol. 3A 6.15; Xen's
/// X86_EXC_HAVE_EC). Software interrupts (int $n) never have one.
constexpr bool has_error_code(unsigned vector) {
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 ||
           vector == 30;
}

/// What the entry stubs save, lowest address first: the general registers, the vector
/// and error code (0 when the vector has none), then the hardware frame that the
/// hypervisor's bounce frame ends with (XEN-PV-ABI.md 4.1). RCX and R11 hold the
/// interrupted values: the stubs pop them from the bounce frame's first two words.
struct TrapFrame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip;
    uint64_t cs;  ///< selector in bits 15:0, the saved event mask in bits 39:32
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};
static_assert(sizeof(TrapFrame) == 22 * 8);
static_assert(offsetof(TrapFrame, rip) - offsetof(TrapFrame, vector) == 16);
static_assert(offsetof(TrapFrame, ss) - offsetof(TrapFrame, rip) == MINIOS_IRETQ_SS);
static_assert(offsetof(TrapFrame, cs) - offsetof(TrapFrame, rip) == MINIOS_IRETQ_CS);
static_assert(MINIOS_HYPERCALL_IRET_OFFSET == abi::kHypercallIretOffset);

/// The parts of the CS slot (XEN-PV-ABI.md 4.1).
using FrameSelector = lib::Field<15, 0>;
using FrameSavedMask = lib::Field<39, 32>;
/// RFLAGS bits the tests and the report look at (SDM Vol. 1 3.4.3).
using RflagsTrap = lib::Flag<8>;
using RflagsInterrupt = lib::Flag<9>;
using RflagsDirection = lib::Flag<10>;

/// Whether the frame interrupted the guest kernel: Xen clears the RPL of a kernel CS
/// (0xE030); user mode keeps RPL 3.
constexpr bool interrupted_kernel(const TrapFrame& frame) { return (FrameSelector::get(frame.cs) & 3) == 0; }

/// Where the hypervisor wrote the bounce frame for `frame`: its RCX word, which is
/// where the entry stub found RSP (RCX, R11, [error code,] RIP ...).
inline uint64_t bounce_frame_address(const TrapFrame& frame) {
    const uint64_t words_below_rip = has_error_code(frame.vector) ? 3 : 2;
    return reinterpret_cast<uint64_t>(&frame.rip) - words_below_rip * 8;
}

/// Map shared_info (CR2 of a #PF arrives in vcpu_info.arch.cr2) and register a handler
/// for every exception vector with HYPERVISOR_set_trap_table. Until this returns, any
/// exception crashes the domain (the hypervisor has no handler to bounce to).
/// @pre mm::init_memory(info) has run (shared_info needs a frame for the fixmap's L1)
lib::ErrorOr<void> init_traps(const abi::StartInfo& info);

/// Clear the whole trap table (set_trap_table with a null list), then register the
/// exception handlers again, as init_traps did: a vector added since is gone.
lib::ErrorOr<void> reset_trap_table();

/// Add one vector to the trap table, or change its entry. `dpl` is the least privileged
/// ring that may raise it with int $n (3: user mode too); `mask_events` delivers it
/// with events masked. A vector cannot be removed again (Xen's list ends at address 0).
lib::ErrorOr<void> set_trap_handler(uint8_t vector, unsigned dpl, bool mask_events);

/// How a handler returns when either way would do.
enum class TrapReturn {
    Fastest,        ///< IRETQ straight back when the return is kernel to kernel and safe
    IretHypercall,  ///< always HYPERVISOR_iret
};
void set_trap_return(TrapReturn policy);

/// How many handlers returned each way since boot.
struct TrapReturnCounts {
    uint64_t iretq;
    uint64_t iret_hypercall;
};
TrapReturnCounts trap_return_counts();

/// What the handler saw of the first trap after expect_traps().
struct TrapRecord {
    TrapFrame frame;         ///< as delivered (before a fixup moved RIP)
    uint64_t cr2;            ///< vcpu_info.arch.cr2 at entry (a #PF's address)
    uint64_t bounce_frame;   ///< where the hypervisor wrote the frame
    uint8_t current_mask;    ///< vcpu_info.evtchn_upcall_mask at entry
    unsigned count;          ///< traps handled since expect_traps()
};

/// From now on, record traps instead of reporting them, and resume each at its fixup
/// (or where the frame says, for a trap or a fault the hypervisor already fixed).
/// A burst of more than a few traps means no progress: that is reported as a crash.
void expect_traps();
/// Stop recording; what was seen.
TrapRecord stop_expecting_traps();

/// Read a byte that may not be mapped: nothing if reading it traps.
std::optional<uint8_t> read_byte_nofault(uint64_t address);

/// The vector's mnemonic and name: "#PF (page fault)"; "int $n" outside the exceptions.
const char* trap_name(unsigned vector);

/// Print a readable report of an unexpected trap: what, where, why (the error code
/// decoded), the instruction's bytes, the registers.
void report_trap(const TrapFrame& frame, uint64_t cr2);

}  // namespace minios

#endif  // __ASSEMBLER__
