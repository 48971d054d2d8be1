// SPDX-License-Identifier: MIT
// The traps test's probes: each executes one instruction that traps, and says where.
#pragma once

#include <cstdint>

namespace minios::traps_test {

/// Written by every probe just before its trapping instruction.
struct Probe {
    uint64_t rsp;        ///< RSP at the instruction: the frame's RSP
    uint64_t fault_rip;  ///< the instruction: a fault's RIP
    uint64_t next_rip;   ///< the instruction after it: a trap's RIP
    uint64_t address;    ///< the address a #PF probe touches
};
extern Probe probe;

/// An unmapped address: above the start-of-day region and the fixmap, below Xen's range.
inline constexpr uint64_t kUnmapped = 0x0000'4000'0000'0000;
/// Another unmapped address, where only probe_fetch_unmapped jumps: its fixup is keyed
/// by this address, so no other fault there may exist.
inline constexpr uint64_t kUnmappedCode = 0x0000'4000'0000'1000;
/// A non-canonical address (bits 63:47 not all equal).
inline constexpr uint64_t kNonCanonical = 0x8000'0000'0000'0000;

void probe_divide_error();            // div by 0
void probe_single_step();             // popf with TF set, then a nop
void probe_int3();                    // int3 (0xCC)
void probe_int_3();                   // int $3 (0xCD 0x03)
void probe_into();                    // into (0xCE): invalid in 64-bit mode
void probe_ud2();                     // ud2
void probe_fninit();                  // fninit: an x87 instruction
void probe_hlt();                     // hlt: privileged
void probe_non_canonical_read();      // mov from kNonCanonical
void probe_read(uint64_t address);    // mov from address
void probe_write(uint64_t address);   // mov to address
void probe_fetch_unmapped();          // jmp to kUnmappedCode
void probe_int_0x80();                // int $0x80
void probe_int_0x20();                // int $0x20 (no trap-table entry)
void probe_int_0x21();                // int $0x21 (registered with DPL 1)
void probe_int_0x22();                // int $0x22 (registered with DPL 0)

/// CR0 through the hypervisor's emulation of `mov %cr0` (XEN-PV-ABI.md 8); false if it
/// trapped instead.
bool read_cr0(uint64_t& value);

/// How many general registers a TrapFrame holds (all but RSP).
inline constexpr unsigned kGeneralRegisters = 15;
/// The general registers in TrapFrame order (r15 first, rax last).
struct Registers {
    uint64_t value[kGeneralRegisters];
};
/// What probe_registers loads into register i before its int3.
constexpr uint64_t register_pattern(unsigned i) { return 0x5EED'0000'0000'0000 + i * 0x0101'0101'0101; }

/// Loads every general register with register_pattern, sets RFLAGS.DF, executes int3,
/// and returns what the registers and DF hold after the handler returned.
struct AfterTrap {
    Registers registers;
    bool direction_flag;
};
AfterTrap probe_registers();

}  // namespace minios::traps_test
