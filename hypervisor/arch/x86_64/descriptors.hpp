// SPDX-License-Identifier: MIT
// The CPU's tables: GDT (Xen's reserved selectors), IDT (every vector), TSS (stacks).
#pragma once

#include <cstdint>
#include <span>

#include "mm/frame.hpp"

namespace arch {

/// The GDT's virtual address: the per-vCPU GDT area at Xen's PERDOMAIN_VIRT_START
/// (L4 slot 260). Its first 14 pages are the running vCPU's own descriptor pages
/// (set_gdt), or a page of null descriptors where it has none; page 14 holds the
/// hypervisor's reserved entries, so selector 0xe033 (FLAT_RING3_CS64) is entry 7174, as
/// on Xen.
inline constexpr uint64_t kGdtVirtStart = 0xffff820000000000;
inline constexpr unsigned kGuestGdtPages = 14;  // FIRST_RESERVED_GDT_PAGE

// Hypervisor-only selectors in the reserved page (Xen's __HYPERVISOR_CS etc.).
inline constexpr uint16_t kHypervisorCs = 0xe008;
inline constexpr uint16_t kHypervisorDs = 0xe010;
inline constexpr uint16_t kTssSelector = 0xe040;

/// One 64-bit IDT entry (SDM Vol. 3A 6.14.1).
struct IdtGate {
    uint64_t low;
    uint64_t high;
};

/// The operand of LGDT and LIDT: the table's last byte offset and its address.
struct [[gnu::packed]] TablePointer {
    uint16_t limit;
    uint64_t base;
};

/// The TSS stack of double faults (IST1). Nothing else uses it, so the SMAP probe's own
/// IDT (smap.cpp), which runs before any guest, sends its exceptions there too.
inline constexpr unsigned kIstDoubleFault = 1;

/// An interrupt gate (IF cleared on entry) to `handler` in the hypervisor's code segment,
/// reachable by `int n` from rings up to `dpl`, on TSS stack `ist` (0: the current stack,
/// or TSS.RSP0 when coming from ring 3).
IdtGate interrupt_gate(uint64_t handler, unsigned dpl, unsigned ist);

/// The LIDT operand for a table of gates (vectors past its end raise #GP).
TablePointer idt_pointer(std::span<const IdtGate> gates);

/// Load the hypervisor's own IDT (again, after the SMAP probe used its own).
void load_hypervisor_idt();

/// Build the reserved GDT page, map the GDT area, load GDTR, TSS, IDT and the SYSCALL
/// MSRs. Needs the frame allocator (for the page tables of the GDT area).
void descriptors_init();

/// Show `frames` (checked descriptor pages, at most 14) as the first pages of the GDT and
/// the null page in the rest, and drop the old translations of the pages that changed
/// (Xen's pv_destroy_gdt + the install of pv_set_gdt, and its flush). No GDTR reload is
/// needed: the GDT keeps its address and limit; segment registers already loaded keep
/// the descriptors they cached.
void load_guest_gdt(std::span<const hv::Mfn> frames);

}  // namespace arch
