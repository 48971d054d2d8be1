// SPDX-License-Identifier: MIT
// Benchmark: hypercall, event and scheduling round trips, in one domain or between two.
//
// Alone (no role= on the command line; runs on Xen as dom0 too):
//   - null hypercall: xen_version(XENVER_version), the cheapest call there is;
//   - sched_op(SCHEDOP_yield) with no other domain to run: a hypercall through the scheduler;
//   - event send to upcall: EVTCHNOP_send on an IPI port bound to this vCPU; the hypervisor
//     raises the port and delivers the upcall on the way out of the send, so the handler
//     runs before the send returns. Two numbers: from before the send to the handler's
//     first TSC read (latency), and the whole loop (send, upcall, scan, handler, iret).
// In pairs (Xenolith: two modules, `role=ping remote=1` and `role=pong remote=0`; real Xen
// boots a single dom0 here):
//   - interdomain ping-pong: ping sends, blocks; pong wakes, answers, blocks; one round
//     trip is two sends, two blocks, two upcalls and two domain switches;
//   - sched_op(SCHEDOP_yield) with two runnable domains: each yield switches to the other,
//     which yields straight back, so one yield on ping's clock is two domain switches and
//     two yield hypercalls. Pong yields until ping's "done" event is pending.
// The pong side finds ping's port as the events test does: it tries to bind remote ports
// 1..63 (Xen accepts only a port unbound for it), yielding between rounds.
// Command line: ops=N (operations per measurement, default 10,240).
#include "apps/app.hpp"
#include "apps/bench/bench.hpp"
#include "abi/version.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/events.hpp"
#include "kernel/sched.hpp"
#include "kernel/time.hpp"

namespace minios {
namespace {

constexpr uint32_t kProbedPorts = 64;
constexpr uint64_t kBindPatience = 30 * kNsPerSecond;

/// Set by the handlers (which run in the upcall, events masked).
volatile uint64_t upcalls = 0;
volatile uint64_t upcall_tsc = 0;
volatile bool signalled = false;

void on_ipi(Port, void*) {
    upcall_tsc = bench::read_tsc();
    upcalls = upcalls + 1;
}

void on_signal(Port, void*) { signalled = true; }

int64_t yield_now() { return raw_hypercall(abi::Hypercall::SchedOp, static_cast<uint64_t>(abi::SchedOp::Yield)); }

void measure_null_hypercall(uint64_t ops) {
    const uint64_t start = bench::read_tsc();
    for (uint64_t i = 0; i < ops; ++i)
        raw_hypercall(abi::Hypercall::XenVersion, static_cast<uint64_t>(abi::VersionOp::Version), 0);
    bench::report("null hypercall (xen_version)", "call", ops, bench::read_tsc() - start);
}

void measure_lone_yield(uint64_t ops) {
    const uint64_t start = bench::read_tsc();
    for (uint64_t i = 0; i < ops; ++i) yield_now();
    bench::report("sched_op yield, one domain", "yield", ops, bench::read_tsc() - start);
}

lib::ErrorOr<void> measure_send_to_upcall(uint64_t ops) {
    const Port port = TRY(bind_ipi());
    TRY(set_event_handler(port, on_ipi));
    unmask_events();
    uint64_t latency = 0;
    const uint64_t start = bench::read_tsc();
    for (uint64_t i = 0; i < ops; ++i) {
        const uint64_t sent = bench::read_tsc();
        TRY(send_event(port));
        latency += upcall_tsc - sent;
    }
    const uint64_t cycles = bench::read_tsc() - start;
    mask_events();
    if (upcalls != ops) {
        printk("bench: event send to upcall: failed: {} upcalls for {} sends\n", upcalls, ops);
        return lib::error(abi::Errno::Io, "an upcall did not come before the send returned");
    }
    bench::report("event send to upcall", "event", ops, latency);
    bench::report("event send, upcall and return", "event", ops, cycles);
    return {};
}

int run_alone(uint64_t ops) {
    measure_null_hypercall(ops);
    measure_lone_yield(ops);
    if (auto done = measure_send_to_upcall(ops); done.is_error()) return bench::fail("event send", done.error());
    return 0;
}

/// Block until the peer's event has been handled. @pre events masked
void wait_for_signal() {
    while (!signalled) block_vcpu();
    signalled = false;
}

int ping(abi::DomainId remote, uint64_t ops) {
    const auto unbound = alloc_unbound(remote);
    if (unbound.is_error()) return bench::fail("alloc_unbound", unbound.error());
    const Port port = unbound.value();
    if (auto set = set_event_handler(port, on_signal); set.is_error()) return bench::fail("handler", set.error());
    printk("bench: ping: port {} is unbound for d{}; waiting for its hello\n", port, remote);
    wait_for_signal();
    uint64_t start = bench::read_tsc();
    for (uint64_t i = 0; i < ops; ++i) {
        if (auto sent = send_event(port); sent.is_error()) return bench::fail("send", sent.error());
        wait_for_signal();
    }
    bench::report("interdomain ping-pong", "round-trip", ops, bench::read_tsc() - start);
    // Pong is yielding by now (it went on as soon as it sent the last answer).
    start = bench::read_tsc();
    for (uint64_t i = 0; i < ops; ++i) yield_now();
    const uint64_t cycles = bench::read_tsc() - start;
    if (auto sent = send_event(port); sent.is_error()) return bench::fail("send", sent.error());
    bench::report("sched_op yield, two domains", "yield", ops, cycles);
    return 0;
}

/// Bind to ping's unbound port, trying remote ports until one is ours (see the top).
lib::ErrorOr<Port> connect(abi::DomainId remote) {
    const uint64_t give_up = monotonic_ns() + kBindPatience;
    for (;;) {
        for (uint32_t candidate = 1; candidate < kProbedPorts; ++candidate) {
            auto port = bind_interdomain(remote, Port(candidate));
            if (port.is_error()) continue;
            // Xen marks a freshly bound port pending in case a send was lost; none was.
            clear_port_pending(port.value());
            TRY(set_event_handler(port.value(), on_signal));
            printk("bench: pong: bound port {} to d{} port {}\n", port.value(), remote, candidate);
            return port.value();
        }
        if (monotonic_ns() >= give_up) return lib::error(abi::Errno::Srch, "no port of the ping side to bind to");
        yield_now();
    }
}

int pong(abi::DomainId remote, uint64_t ops) {
    const auto connected = connect(remote);
    if (connected.is_error()) return bench::fail("connect", connected.error());
    const Port port = connected.value();
    if (auto hello = send_event(port); hello.is_error()) return bench::fail("hello", hello.error());
    uint64_t answered = 0;
    for (; answered < ops; ++answered) {
        wait_for_signal();
        if (auto sent = send_event(port); sent.is_error()) return bench::fail("send", sent.error());
    }
    // Events stay masked: ping's "done" only sets the pending bit, which is what we watch.
    uint64_t yields = 0;
    for (; !port_pending(port); ++yields) yield_now();
    printk("bench: pong: answered {} pings, yielded {} times\n", answered, yields);
    return 0;
}

}  // namespace

const char* app_name() { return "bench-events"; }

int app_main(const abi::StartInfo& info) {
    if (auto ready = bench::start(info); ready.is_error()) return bench::fail("set-up", ready.error());
    const uint64_t ops = bench::number_option(info, "ops=", bench::kDefaultOps);
    mask_events();  // as at boot; the alone mode unmasks for its upcalls
    const auto remote = static_cast<abi::DomainId>(bench::number_option(info, "remote=", 0));
    if (bench::option_is(info, "role=", "ping")) return ping(remote, ops);
    if (bench::option_is(info, "role=", "pong")) return pong(remote, ops);
    return run_alone(ops);
}

}  // namespace minios
