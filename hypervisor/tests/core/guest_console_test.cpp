// SPDX-License-Identifier: MIT
// Tests of the guest console filter: a guest can never print an unprefixed line.
#include <doctest/doctest.h>

#include <string>

#include "core/guest_console.hpp"

namespace {

class StringSink final : public lib::Sink {
public:
    void put(char c) override { text += c; }
    std::string text;
};

std::string run(uint16_t domain, const std::string& input) {
    hv::GuestLineBuffer buffer(domain);
    StringSink out;
    buffer.write(input.data(), input.size(), out);
    return out.text;
}

}  // namespace

TEST_CASE("a guest line is held until its newline, then printed with the domain prefix") {
    hv::GuestLineBuffer buffer(1);
    StringSink out;
    buffer.write("hel", 3, out);
    CHECK(out.text.empty());
    buffer.write("lo\n", 3, out);
    CHECK(out.text == "(d1) hello\n");
}

TEST_CASE("a newline inside one write starts a new prefixed line") {
    CHECK(run(2, "one\nPANIC: forged\n") == "(d2) one\n(d2) PANIC: forged\n");
}

TEST_CASE("control characters, carriage returns and escapes are dropped; tab passes") {
    CHECK(run(0, "a\rb\x1b[2Jc\td\x7f\x01\n") == "(d0) ab[2Jc\td\n");
}

TEST_CASE("a line longer than the buffer is cut into prefixed pieces") {
    std::string long_line(hv::GuestLineBuffer::kLineCapacity + 5, 'x');
    std::string out = run(3, long_line + "\n");
    std::string expected = "(d3) " + std::string(hv::GuestLineBuffer::kLineCapacity, 'x') + "\n(d3) xxxxx\n";
    CHECK(out == expected);
}

TEST_CASE("flush prints a partial line and nothing when empty") {
    hv::GuestLineBuffer buffer(4);
    StringSink out;
    buffer.flush(out);
    CHECK(out.text.empty());
    buffer.write("bye", 3, out);
    buffer.flush(out);
    CHECK(out.text == "(d4) bye\n");
}
