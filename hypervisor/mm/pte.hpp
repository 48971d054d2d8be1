// SPDX-License-Identifier: MIT
// The x86-64 page-table entry format, as data (SDM Vol. 3A 4.5, Tables 4-15 to 4-20).
#pragma once

#include <cstdint>

#include "lib/field.hpp"
#include "mm/frame.hpp"

namespace hv::pte {

using Present = lib::Flag<0>;
using Writable = lib::Flag<1>;
using User = lib::Flag<2>;
using WriteThrough = lib::Flag<3>;   // PWT
using CacheDisable = lib::Flag<4>;   // PCD
using Accessed = lib::Flag<5>;
using Dirty = lib::Flag<6>;
using PageSize = lib::Flag<7>;       // PS: a large page at L2/L3; PAT at L1
using Global = lib::Flag<8>;
using Frame = lib::Field<51, 12>;    // the mapped frame (or next-level table)
using NoExecute = lib::Flag<63>;

inline constexpr uint64_t kPresent = Present::kMask;
inline constexpr uint64_t kWritable = Writable::kMask;
inline constexpr uint64_t kUser = User::kMask;
inline constexpr uint64_t kAccessed = Accessed::kMask;
inline constexpr uint64_t kDirty = Dirty::kMask;
inline constexpr uint64_t kPageSizeFlag = PageSize::kMask;
inline constexpr uint64_t kGlobal = Global::kMask;
inline constexpr uint64_t kNoExecute = NoExecute::kMask;

constexpr uint64_t make(Mfn mfn, uint64_t flags) { return Frame::make(mfn.raw()) | flags; }
constexpr Mfn mfn(uint64_t entry) { return Mfn(Frame::get(entry)); }
constexpr bool present(uint64_t entry) { return Present::get(entry) != 0; }
constexpr bool writable(uint64_t entry) { return Writable::get(entry) != 0; }

/// Index of `va` in the table of `level` (1 = L1 ... 4 = L4): bits 12+9(level-1) up.
constexpr unsigned index(uint64_t va, unsigned level) {
    return static_cast<unsigned>((va >> (kPageShift + 9 * (level - 1))) & 511);
}

// Worked example: 0xffff82d040000000 is L4 slot 261, L3 slot 321, L2 slot 0.
static_assert(index(0xffff82d040000000, 4) == 261);
static_assert(index(0xffff82d040000000, 3) == 321);
static_assert(make(Mfn(0x1234), kPresent | kWritable) == 0x1234003);

}  // namespace hv::pte
