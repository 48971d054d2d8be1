// SPDX-License-Identifier: MIT
// The x86-64 page-table entry as data (SDM Vol. 3A 4.5, Tables 4-15 to 4-20), plus the
// bit Xen adds to the L1 entries of a PV kernel's own pages (XEN-PV-ABI.md 3.3).
#pragma once

#include <cstdint>

#include "lib/field.hpp"
#include "mm/frame.hpp"

namespace minios::mm::pte {

using Present = lib::Flag<0>;
using Writable = lib::Flag<1>;
using User = lib::Flag<2>;
using Accessed = lib::Flag<5>;
using Dirty = lib::Flag<6>;
using Global = lib::Flag<8>;
using Frame = lib::Field<51, 12>;  // the mapped frame, or the next-level table: an Mfn
/// Xen's _PAGE_GUEST_KERNEL (xen/arch/x86/include/asm/x86_64/page.h): Xen sets it, with
/// USER, on every L1 entry a 64-bit PV guest writes without USER (pv/mm.h:
/// adjust_guest_l1e), to remember that the page belongs to the guest kernel.
using GuestKernel = lib::Flag<52>;

inline constexpr uint64_t kPresent = Present::kMask;
inline constexpr uint64_t kWritable = Writable::kMask;
inline constexpr uint64_t kUser = User::kMask;
inline constexpr uint64_t kAccessed = Accessed::kMask;
inline constexpr uint64_t kDirty = Dirty::kMask;
inline constexpr uint64_t kGuestKernel = GuestKernel::kMask;

/// Levels as the SDM counts them: 1 is the table of 4 KiB pages, 4 the root.
inline constexpr unsigned kL1 = 1;
inline constexpr unsigned kL4 = 4;

constexpr bool present(uint64_t entry) { return Present::get(entry) != 0; }
constexpr bool writable(uint64_t entry) { return Writable::get(entry) != 0; }
constexpr Mfn frame(uint64_t entry) { return Mfn(Frame::get(entry)); }
/// Everything but the frame: bits 11:0 and 63:52.
constexpr uint64_t flags(uint64_t entry) { return entry & ~Frame::kMask; }

/// Bits of address below one entry of a level-`level` table: 12 + 9 * (level - 1),
/// so an L1 entry covers 4 KiB, an L2 entry 2 MiB, an L3 entry 1 GiB.
constexpr unsigned entry_shift(unsigned level) { return static_cast<unsigned>(kPageShift) + 9 * (level - 1); }
/// Index of `va` in a level-`level` table.
constexpr unsigned index(Vaddr va, unsigned level) {
    return static_cast<unsigned>((va.raw() >> entry_shift(level)) & 511);
}

// Worked example: 0x0000'0100'0000'1000 is L4 slot 2, L3 0, L2 0, L1 1; bits 51:12 of
// 0x0010'0000'1234'5067 are 0x12345 and its flags are USER, bit 52 and 0x63.
static_assert(index(Vaddr(0x0000'0100'0000'1000), 4) == 2 && index(Vaddr(0x0000'0100'0000'1000), 1) == 1);
static_assert(frame(0x0010'0000'1234'5067) == Mfn(0x12345) && flags(0x0010'0000'1234'5067) == 0x0010'0000'0000'0067);

}  // namespace minios::mm::pte
