// SPDX-License-Identifier: MIT
// Field<Hi, Lo>: a bit range of a raw register or table entry, named as the Intel SDM
// writes it (bits 51:12 of a PTE are Field<51, 12>).
#pragma once

#include <cstdint>

namespace lib {

template <unsigned Hi, unsigned Lo>
struct Field {
    static_assert(Hi >= Lo && Hi < 64, "Field<Hi, Lo> needs 63 >= Hi >= Lo");
    static constexpr unsigned kWidth = Hi - Lo + 1;
    static constexpr uint64_t kMask = (kWidth == 64 ? ~uint64_t{0} : ((uint64_t{1} << kWidth) - 1)) << Lo;

    static constexpr uint64_t get(uint64_t raw) { return (raw & kMask) >> Lo; }
    static constexpr uint64_t set(uint64_t raw, uint64_t value) { return (raw & ~kMask) | ((value << Lo) & kMask); }
    /// The value placed at its position, for building a register from its fields.
    static constexpr uint64_t make(uint64_t value) { return (value << Lo) & kMask; }
};

/// A single bit.
template <unsigned Bit>
using Flag = Field<Bit, Bit>;

// Worked example: bits 51:12 of 0x0000'0001'2345'6067 hold 0x123456.
static_assert(Field<51, 12>::get(0x0000'0001'2345'6067) == 0x123456);
static_assert(Flag<1>::make(1) == 0x2);

}  // namespace lib
