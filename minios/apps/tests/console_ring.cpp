// SPDX-License-Identifier: MIT
// Boot test: write to the PV console ring (start_info.console.domU) instead of console_io;
// the hypervisor, as this guest's console backend, must print the lines with the domain's
// prefix and consume the ring: on its tick for a guest that only writes, at once for one
// that then sends on its console port. With `input` on its command line it instead waits
// in SCHEDOP_poll on its console port for typed input, which must come with that event.
// (On real Xen the boot-tested guest is dom0, which has no console ring: Xenolith only.)
#include "abi/io_console.hpp"
#include "abi/layout.hpp"
#include "apps/app.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/events.hpp"
#include "kernel/time.hpp"
#include "lib/string.hpp"

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

constexpr uint64_t kQuietLimitNs = 60 * kNsPerSecond;  // TCG under a parallel ctest is slow

/// Wait for one typed line in the ring's `in` half, each piece announced by an event on
/// the console port: block in SCHEDOP_poll on the port, and read the ring once it is pending.
int read_input(const abi::StartInfo& info, abi::ConsoleInterface& ring) {
    if (init_events(info).is_error()) {  // events stay masked: this guest polls
        printk("console-ring: init_events failed\n");
        return 1;
    }
    const Port console_port(info.console.domU.evtchn);
    printk("console-ring: ready for input (blocking in SCHEDOP_poll on console port {})\n", console_port.raw());
    char line[81];
    size_t length = 0;
    for (;;) {
        uint32_t port = console_port.raw();
        abi::SchedPoll poll{{reinterpret_cast<uint64_t>(&port)}, 1, 0, monotonic_ns() + kQuietLimitNs};
        (void)sched_op(abi::SchedOp::Poll, &poll);  // returns at once if the port is pending
        if (!port_pending(console_port)) {
            printk("console-ring: no event on the console port for {} s\n", kQuietLimitNs / kNsPerSecond);
            return 1;
        }
        clear_port_pending(console_port);  // before reading: a byte fed after the read raises it again
        const uint32_t prod = static_cast<volatile abi::ConsoleRingIndex&>(ring.in_prod);
        asm volatile("" ::: "memory");
        uint32_t cons = ring.in_cons;
        if (prod - cons > abi::kConsoleInSize) {
            printk("console-ring: broken input ring (in_cons {}, in_prod {})\n", cons, prod);
            return 1;
        }
        for (; cons != prod; ++cons) {
            const char byte = ring.in[cons & (abi::kConsoleInSize - 1)];
            if (byte != '\r' && byte != '\n' && length < sizeof line - 1) {
                line[length++] = byte;
                continue;
            }
            line[length] = '\0';
            printk("console-ring: input \"{}\" came with events on the console port\n", static_cast<const char*>(line));
            return 0;
        }
        asm volatile("" ::: "memory");
        static_cast<volatile abi::ConsoleRingIndex&>(ring.in_cons) = cons;
    }
}

}  // namespace

const char* app_name() { return "console-ring"; }

int app_main(const abi::StartInfo& info) {
    abi::ConsoleInterface& ring = console_ring(info);
    if (lib::equal(reinterpret_cast<const char*>(info.cmd_line), "input")) return read_input(info, ring);
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

    // A guest that notifies: EVTCHNOP_send on the console port drains the ring before the
    // hypercall returns (the hypervisor is the port's other end).
    const Port console_port(info.console.domU.evtchn);
    ring_write(ring, "console-ring: a line announced by an event\n");
    const auto sent = send_event(console_port);
    if (sent.is_error()) {
        printk("console-ring: EVTCHNOP_send on the console port failed: {}\n", abi::errno_name(sent.error_code()));
        return 1;
    }
    if (ring.out_cons != ring.out_prod) {
        printk("console-ring: EVTCHNOP_send returned 0 but the ring is not drained (out_cons {}, out_prod {})\n",
               ring.out_cons, ring.out_prod);
        return 1;
    }
    printk("console-ring: EVTCHNOP_send on port {} returned 0, the ring was drained at once\n", console_port.raw());

    const auto status = port_status(console_port);
    if (status.is_error()) {
        printk("console-ring: EVTCHNOP_status on the console port failed: {}\n", abi::errno_name(status.error_code()));
        return 1;
    }
    printk("console-ring: console port status {}, remote d{:#x} port {}\n", status.value().status,
           status.value().u.interdomain.dom, status.value().u.interdomain.port);
    return 0;
}

}  // namespace minios
