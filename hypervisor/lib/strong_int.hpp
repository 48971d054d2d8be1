// SPDX-License-Identifier: MIT
// StrongInt: a number that knows what it counts (Mfn, Gfn, DomId, Port), so that the
// compiler refuses to mix a machine frame with a guest frame.
#pragma once

#include <compare>
#include <cstdint>

namespace lib {

template <typename Tag, typename Rep>
class StrongInt {
public:
    using RepType = Rep;
    constexpr StrongInt() = default;
    constexpr explicit StrongInt(Rep value) : value_(value) {}
    constexpr Rep raw() const { return value_; }
    constexpr auto operator<=>(const StrongInt&) const = default;

    /// The next one (frames and ports are counted, not added).
    constexpr StrongInt operator+(Rep offset) const { return StrongInt(static_cast<Rep>(value_ + offset)); }

private:
    Rep value_{};
};

}  // namespace lib
