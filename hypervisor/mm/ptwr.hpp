// SPDX-License-Identifier: MIT
// Writable page tables (Xen's "ptwr"): a guest kernel that enabled
// VMASST_TYPE_writable_pagetables may write its L1 entries directly; the write faults (the
// L1 is mapped read-only), and the hypervisor validates and applies it as mmu_update would.
#pragma once

#include <cstdint>

#include "arch/x86_64/frame.hpp"
#include "core/domain.hpp"

namespace hv {

/// Try to emulate the page fault in `regs` (address `cr2`) as a write to an L1 entry.
/// Applies only where Xen applies it (XEN-PV-ABI.md 3.5): the assist enabled, a write to a
/// present read-only page, no reserved bit or fetch, and the page is an L1 the domain
/// owns. @return true if the write was emulated (RIP is past the instruction).
bool emulate_page_table_write(Domain& domain, arch::CpuUserRegs& regs, uint64_t cr2);

}  // namespace hv
