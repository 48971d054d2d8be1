// SPDX-License-Identifier: MIT
// Boot test: write to the PV console ring (start_info.console.domU) instead of console_io;
// the hypervisor, as this guest's console backend, must print the lines with the domain's
// prefix and consume the ring. (On real Xen the boot-tested guest is dom0, which has no
// console ring: this test runs on Xenolith only.)
#include "abi/io_console.hpp"
#include "abi/layout.hpp"
#include "apps/app.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"

namespace minios {
namespace {

abi::ConsoleInterface& console_ring(const abi::StartInfo& info) {
    // minios is linked at 0 (VIRT_BASE 0): the ring's PFN, from the M2P, is its page number.
    const auto* m2p = reinterpret_cast<const uint64_t*>(abi::kMachToPhysVirtStart);
    return *reinterpret_cast<abi::ConsoleInterface*>(m2p[info.console.domU.mfn] * 4096);
}

void ring_write(abi::ConsoleInterface& ring, const char* text) {
    uint32_t prod = ring.out_prod;
    for (const char* c = text; *c != '\0'; ++c) {
        while (prod - ring.out_cons >= abi::kConsoleOutSize) raw_hypercall(abi::Hypercall::SchedOp, 0);  // full: yield
        ring.out[prod++ & (abi::kConsoleOutSize - 1)] = *c;
    }
    asm volatile("" ::: "memory");  // the bytes before the index (x86 keeps stores in order)
    ring.out_prod = prod;
}

}  // namespace

const char* app_name() { return "console-ring"; }

int app_main(const abi::StartInfo& info) {
    abi::ConsoleInterface& ring = console_ring(info);
    ring_write(ring, "console-ring: hello through the ring\n");
    ring_write(ring, "console-ring: a second line, then no newline...");
    ring_write(ring, " and its end\n");
    // The backend drains the ring on its timer tick: wait (yielding) until it has.
    for (uint64_t spins = 0; ring.out_cons != ring.out_prod; ++spins) {
        if (spins == 100'000'000) {
            printk("console-ring: the backend never consumed the ring (out_cons {}, out_prod {})\n", ring.out_cons,
                   ring.out_prod);
            return 1;
        }
        raw_hypercall(abi::Hypercall::SchedOp, 0);  // SCHEDOP_yield
    }
    printk("console-ring: the backend consumed {} bytes\n", ring.out_prod);
    return 0;
}

}  // namespace minios
