// SPDX-License-Identifier: MIT
// Frame numbers and addresses as minios sees them: its own pseudo-physical frames (Pfn),
// the machine frames behind them (Mfn), machine addresses and its own virtual addresses.
#pragma once

#include <cstdint>

#include "abi/layout.hpp"
#include "lib/strong_int.hpp"

namespace minios::mm {

struct PfnTag;
struct MfnTag;
struct MaddrTag;
struct VaddrTag;

/// A pseudo-physical frame number: this domain's own numbering, 0 .. nr_pages - 1.
/// Xen's PV code calls it a pfn (the hypervisor's side calls it a Gfn).
using Pfn = lib::StrongInt<PfnTag, uint64_t>;
/// A machine frame number: what page-table entries, CR3 and mmu_update hold, because
/// a PV guest is not translated (XEN-PV-ABI.md 3.2).
using Mfn = lib::StrongInt<MfnTag, uint64_t>;
/// A machine address (an Mfn << 12 plus an offset): mmu_update's `ptr`, start_info's
/// shared_info.
using Maddr = lib::StrongInt<MaddrTag, uint64_t>;
/// A virtual address in minios' own address space.
using Vaddr = lib::StrongInt<VaddrTag, uint64_t>;

inline constexpr uint64_t kPageShift = abi::kPageShift;
inline constexpr uint64_t kPageSize = abi::kPageSize;

constexpr Maddr maddr_of(Mfn mfn) { return Maddr(mfn.raw() << kPageShift); }
constexpr Mfn mfn_of(Maddr maddr) { return Mfn(maddr.raw() >> kPageShift); }

/// The start-of-day mapping puts pfn n at virt_base + n * 4096, and minios' VIRT_BASE
/// note is 0 (boot/xen_notes.S; XEN-PV-ABI.md 2.2), so a pfn's address is pfn << 12 —
/// for the pfns inside that mapping only.
constexpr Vaddr start_of_day_address(Pfn pfn) { return Vaddr(pfn.raw() << kPageShift); }
constexpr Pfn start_of_day_pfn(Vaddr va) { return Pfn(va.raw() >> kPageShift); }

template <typename T>
T* pointer_to(Vaddr va) { return reinterpret_cast<T*>(va.raw()); }

}  // namespace minios::mm
