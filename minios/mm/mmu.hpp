// SPDX-License-Identifier: MIT
// The PV MMU hypercalls with minios' types: batched mmu_update, the mmuext_op commands
// minios uses (pin, unpin, new base pointer), and update_va_mapping.
#pragma once

#include <cstdint>

#include "abi/xen.hpp"
#include "lib/error_or.hpp"
#include "mm/frame.hpp"

namespace minios::mm {

/// Page-table writes queued for mmu_update and sent kCapacity at a time, so that
/// filling a table costs a few hypercalls instead of one per entry.
class MmuUpdateBatch {
public:
    /// Requests per hypercall. Xen takes any count below 2^31 (bit 31 is its own
    /// preemption marker) and continues long batches itself; 64 keeps this on the stack.
    static constexpr uint32_t kCapacity = 64;

    /// Queue `*entry = value` (MMU_NORMAL_PT_UPDATE); sends the batch once it is full.
    /// @pre entry is 8-byte aligned (its low 3 bits carry the command)
    lib::ErrorOr<void> write_entry(Maddr entry, uint64_t value);
    /// Send what is queued. On failure prints which request Xen refused, drops the
    /// requests after it, and returns Xen's error.
    lib::ErrorOr<void> flush();

    uint64_t requests_sent() const { return requests_sent_; }
    uint64_t hypercalls_made() const { return hypercalls_made_; }

private:
    abi::MmuUpdate requests_[kCapacity];
    uint32_t queued_ = 0;
    uint64_t requests_sent_ = 0;
    uint64_t hypercalls_made_ = 0;
};

/// Pin `table` as a level-`level` page table (MMUEXT_PIN_L1_TABLE .. PIN_L4_TABLE): Xen
/// validates it and everything it maps, and keeps it typed until it is unpinned.
lib::ErrorOr<void> pin_table(unsigned level, Mfn table);
/// Drop the pin (MMUEXT_UNPIN_TABLE).
lib::ErrorOr<void> unpin_table(Mfn table);
/// Load `l4` as the kernel's page-table base (MMUEXT_NEW_BASEPTR: Xen's view of a CR3
/// write), which also flushes the TLB.
lib::ErrorOr<void> switch_base(Mfn l4);
/// Write the L1 entry that maps `va` in the current page tables and flush that one
/// address on this vCPU (update_va_mapping with UVMF_INVLPG | UVMF_LOCAL).
lib::ErrorOr<void> set_mapping(Vaddr va, uint64_t entry);

}  // namespace minios::mm
