// SPDX-License-Identifier: MIT
// Tests of the console ring backend: what a guest writes comes out prefixed, whatever
// the indices; a broken producer index cannot make the hypervisor read past the ring.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "core/console_ring.hpp"

namespace {

class StringSink final : public lib::Sink {
public:
    void put(char c) override { text += c; }
    std::string text;
};

void produce(abi::ConsoleInterface& ring, const std::string& text) {
    for (char c : text) ring.out[ring.out_prod++ & (abi::kConsoleOutSize - 1)] = c;
}

}  // namespace

TEST_CASE("what the guest put in the output ring is printed as its lines and consumed") {
    auto ring = std::make_unique<abi::ConsoleInterface>();
    hv::GuestLineBuffer lines(3);
    StringSink out;
    produce(*ring, "hello\nwor");
    CHECK(hv::drain_console_output(*ring, lines, out) == 9);
    CHECK(out.text == "(d3) hello\n");
    CHECK(ring->out_cons == ring->out_prod);
    produce(*ring, "ld\n");
    hv::drain_console_output(*ring, lines, out);
    CHECK(out.text == "(d3) hello\n(d3) world\n");
}

TEST_CASE("the output ring's indices wrap around the 32-bit counters and the ring") {
    auto ring = std::make_unique<abi::ConsoleInterface>();
    ring->out_prod = ring->out_cons = 0xffff'fffe;  // near the counter's end, and the ring's
    hv::GuestLineBuffer lines(0);
    StringSink out;
    produce(*ring, "abcd\n");
    CHECK(hv::drain_console_output(*ring, lines, out) == 5);
    CHECK(out.text == "(d0) abcd\n");
    CHECK(ring->out_cons == 3u);
}

TEST_CASE("a producer index more than a ring ahead is dropped, not read") {
    auto ring = std::make_unique<abi::ConsoleInterface>();
    ring->out_prod = abi::kConsoleOutSize + 1;
    hv::GuestLineBuffer lines(1);
    StringSink out;
    CHECK(hv::drain_console_output(*ring, lines, out) == 0);
    CHECK(out.text.empty());
    CHECK(ring->out_cons == ring->out_prod);
}

TEST_CASE("input fills the input ring up to its size and no further") {
    auto ring = std::make_unique<abi::ConsoleInterface>();
    std::string input(abi::kConsoleInSize + 10, 'x');
    CHECK(hv::feed_console_input(*ring, input.data(), static_cast<uint32_t>(input.size())) == abi::kConsoleInSize);
    CHECK(ring->in_prod == abi::kConsoleInSize);
    ring->in_cons = 4;
    CHECK(hv::feed_console_input(*ring, "abcdef", 6) == 4);
}
