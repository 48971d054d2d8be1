// SPDX-License-Identifier: MIT
// Tests of the allocation-free formatter.
#include <doctest/doctest.h>

#include <string>

#include "lib/format.hpp"
#include "lib/strong_int.hpp"

namespace {

template <typename... Args>
std::string format(const char* fmt, const Args&... args) {
    char storage[128];
    lib::FixedBuffer buffer(storage, sizeof storage);
    lib::format_to(buffer, fmt, args...);
    return buffer.c_str();
}

struct Tag;
using Number = lib::StrongInt<Tag, uint64_t>;

}  // namespace

TEST_CASE("format substitutes integers, text and booleans in order") {
    CHECK(format("d{} says {} ({})", 3, "hello", true) == "d3 says hello (true)");
    CHECK(format("{} {}", -42, uint64_t{18446744073709551615u}) == "-42 18446744073709551615");
}

TEST_CASE("format writes hexadecimal with prefix, zero padding and width") {
    CHECK(format("{:#x}", 0xe033) == "0xe033");
    CHECK(format("{:016x}", 0x1234) == "0000000000001234");
    CHECK(format("{:#018x}", 0xffff82d040000000) == "0xffff82d040000000");
    CHECK(format("[{:<6}][{:>6}]", "ab", "cd") == "[ab    ][    cd]");
}

TEST_CASE("format prints a strong integer as its number") {
    CHECK(format("mfn {:#x}", Number(0x1f)) == "mfn 0x1f");
}

TEST_CASE("format keeps braces that are escaped and marks missing arguments") {
    CHECK(format("{{}} {}") == "{} {?}");
}

TEST_CASE("a fixed buffer truncates and stays terminated") {
    char storage[8];
    lib::FixedBuffer buffer(storage, sizeof storage);
    lib::format_to(buffer, "{}", "0123456789");
    CHECK(std::string(buffer.c_str()) == "0123456");
}
