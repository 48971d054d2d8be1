// SPDX-License-Identifier: MIT
// The console ring's backend side (see console_ring.hpp). Indices are free-running
// 32-bit counters; a byte's slot is index & (size - 1).
#include "core/console_ring.hpp"

namespace hv {
namespace {

inline void barrier() { asm volatile("" ::: "memory"); }  // x86 keeps stores in order (TSO)

}  // namespace

uint32_t drain_console_output(abi::ConsoleInterface& ring, GuestLineBuffer& lines, lib::Sink& out) {
    volatile abi::ConsoleRingIndex& producer = ring.out_prod;
    const uint32_t prod = producer;
    barrier();
    uint32_t cons = ring.out_cons;
    if (prod - cons > abi::kConsoleOutSize) {
        ring.out_cons = prod;  // the guest broke the ring: skip what it claims
        return 0;
    }
    const uint32_t taken = prod - cons;
    char chunk[64];
    while (cons != prod) {
        uint32_t n = 0;
        while (cons != prod && n < sizeof chunk) chunk[n++] = ring.out[cons++ & (abi::kConsoleOutSize - 1)];
        lines.write(chunk, n, out);
    }
    barrier();
    ring.out_cons = cons;
    return taken;
}

uint32_t feed_console_input(abi::ConsoleInterface& ring, const char* bytes, uint32_t length) {
    const uint32_t cons = ring.in_cons;
    uint32_t prod = ring.in_prod;
    barrier();
    uint32_t stored = 0;
    while (stored < length && prod - cons < abi::kConsoleInSize) ring.in[prod++ & (abi::kConsoleInSize - 1)] = bytes[stored++];
    barrier();
    ring.in_prod = prod;
    return stored;
}

}  // namespace hv
