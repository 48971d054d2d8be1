// SPDX-License-Identifier: MIT
// A small, allocation-free formatter: format_to(sink, "mfn {:#x} of d{}", mfn, id).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace lib {

/// Where formatted text goes: the serial console, a fixed buffer, a guest line buffer.
class Sink {
public:
    virtual void put(char c) = 0;
    void write(const char* text, size_t length) { for (size_t i = 0; i < length; ++i) put(text[i]); }

protected:
    ~Sink() = default;
};

/// A sink that fills a caller's array and always keeps it NUL-terminated (truncating).
class FixedBuffer final : public Sink {
public:
    FixedBuffer(char* storage, size_t capacity) : storage_(storage), capacity_(capacity) { storage_[0] = '\0'; }
    void put(char c) override {
        if (length_ + 1 < capacity_) { storage_[length_++] = c; storage_[length_] = '\0'; }
    }
    const char* c_str() const { return storage_; }
    size_t length() const { return length_; }

private:
    char* storage_;
    size_t capacity_;
    size_t length_ = 0;
};

/// One argument, with its type erased: integers, text, pointers, booleans.
struct FormatArg {
    enum class Kind : uint8_t { Unsigned, Signed, Text, Pointer, Boolean, Character };
    Kind kind;
    union {
        uint64_t u;
        int64_t s;
        const char* text;
        const void* pointer;
    };
};

/// Types with a `raw()` accessor (StrongInt: Mfn, DomId, ...) format as their number.
template <typename T>
concept HasRaw = requires(const T& t) { { t.raw() } -> std::integral; };

template <typename T>
constexpr FormatArg make_format_arg(const T& value) {
    FormatArg arg{};
    if constexpr (std::is_same_v<T, bool>) {
        arg.kind = FormatArg::Kind::Boolean; arg.u = value ? 1 : 0;
    } else if constexpr (std::is_same_v<T, char>) {
        arg.kind = FormatArg::Kind::Character; arg.u = static_cast<unsigned char>(value);
    } else if constexpr (std::is_enum_v<T>) {
        using U = std::underlying_type_t<T>;
        return make_format_arg(static_cast<U>(value));
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        arg.kind = FormatArg::Kind::Signed; arg.s = value;
    } else if constexpr (std::is_integral_v<T>) {
        arg.kind = FormatArg::Kind::Unsigned; arg.u = value;
    } else if constexpr (std::is_convertible_v<T, const char*>) {
        arg.kind = FormatArg::Kind::Text; arg.text = value;
    } else if constexpr (HasRaw<T>) {
        return make_format_arg(value.raw());
    } else if constexpr (std::is_pointer_v<T>) {
        arg.kind = FormatArg::Kind::Pointer; arg.pointer = value;
    } else {
        static_assert(sizeof(T) == 0, "format: unsupported argument type");
    }
    return arg;
}

/// Format with `{}` placeholders. A spec after a colon takes, in order: an alignment
/// (`<` or `>`), `#` (0x prefix), `0` (zero padding), a width, and a type (`x`, `d`, `s`).
void vformat_to(Sink& sink, const char* fmt, const FormatArg* args, size_t count);

template <typename... Args>
void format_to(Sink& sink, const char* fmt, const Args&... args) {
    if constexpr (sizeof...(Args) == 0) {
        vformat_to(sink, fmt, nullptr, 0);
    } else {
        const FormatArg erased[] = {make_format_arg(args)...};
        vformat_to(sink, fmt, erased, sizeof...(Args));
    }
}

}  // namespace lib
