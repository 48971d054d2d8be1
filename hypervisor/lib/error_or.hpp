// SPDX-License-Identifier: MIT
// ErrorOr<T>: a value or a Xen errno, and TRY, which returns the error to the caller.
#pragma once

#include <type_traits>
#include <utility>

#include "abi/errno.hpp"
#include "lib/assert.hpp"

namespace lib {

/// A failure: one of Xen's errno values, and optionally why, in words (a string with
/// static storage, for messages such as "module 2: segment 1 overlaps segment 0").
/// The hypercall dispatcher is the only place that turns it into the guest's -errno.
struct Error {
    abi::Errno code;
    const char* reason = nullptr;
    constexpr bool operator==(const Error& other) const { return code == other.code; }
};

constexpr Error error(abi::Errno code, const char* reason = nullptr) { return Error{code, reason}; }

/// Either a T or an Error; never both, never neither.
template <typename T>
class [[nodiscard]] ErrorOr {
public:
    constexpr ErrorOr(T value) : value_(std::move(value)), ok_(true) {}
    constexpr ErrorOr(Error err) : error_(err), ok_(false) {}

    constexpr bool is_error() const { return !ok_; }
    constexpr abi::Errno error_code() const { ASSERT(!ok_); return error_.code; }
    constexpr Error error() const { ASSERT(!ok_); return error_; }
    constexpr T& value() { ASSERT(ok_); return value_; }
    constexpr const T& value() const { ASSERT(ok_); return value_; }
    constexpr T release_value() { ASSERT(ok_); return std::move(value_); }

private:
    static_assert(std::is_trivially_destructible_v<T>, "ErrorOr holds plain values only");
    union {
        T value_;
        Error error_;
    };
    bool ok_;
};

template <>
class [[nodiscard]] ErrorOr<void> {
public:
    constexpr ErrorOr() = default;
    constexpr ErrorOr(Error err) : error_(err), ok_(false) {}

    constexpr bool is_error() const { return !ok_; }
    constexpr abi::Errno error_code() const { ASSERT(!ok_); return error_.code; }
    constexpr Error error() const { ASSERT(!ok_); return error_; }
    constexpr void release_value() const {}

private:
    Error error_{abi::Errno::Inval};
    bool ok_ = true;
};

}  // namespace lib

/// Evaluate an ErrorOr expression; on error return it from the enclosing function,
/// otherwise the expression's value is the value (a GNU statement expression).
#define TRY(expression)                                      \
    ({                                                       \
        auto&& try_result_ = (expression);                   \
        if (try_result_.is_error()) return try_result_.error(); \
        try_result_.release_value();                         \
    })
