// SPDX-License-Identifier: MIT
// The events test's thread checks: sleepers wake in deadline order, yield alternates, a
// thread blocked on a port wakes when it is raised, and two threads ping-pong 10,000
// times over a loopback interdomain channel (the same code two domains run).
#include "apps/tests/events.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/sched.hpp"
#include "kernel/time.hpp"
#include "lib/string.hpp"

namespace minios::events_test {
namespace {

constexpr uint32_t kLoopbackRounds = 10'000;

struct Sleeper {
    uint64_t milliseconds;
    uint64_t deadline;
    uint64_t woke_at;
};

constexpr unsigned kSleepers = 3;
Sleeper* woken[kSleepers];
unsigned woken_count = 0;

void sleeper(void* argument) {
    auto* self = static_cast<Sleeper*>(argument);
    sleep_until(self->deadline);
    self->woke_at = monotonic_ns();
    if (woken_count < kSleepers) woken[woken_count++] = self;
}

void check_sleepers() {
    Sleeper sleepers[kSleepers] = {{30, 0, 0}, {10, 0, 0}, {20, 0, 0}};
    ThreadId ids[kSleepers];
    const uint64_t base = monotonic_ns();
    unsigned spawned = 0;
    for (Sleeper& entry : sleepers) {
        entry.deadline = base + entry.milliseconds * kNsPerMs;
        auto id = spawn_thread("sleeper", sleeper, &entry);
        if (id.is_error()) break;
        ids[spawned++] = id.value();
    }
    for (unsigned i = 0; i < spawned; ++i) (void)join_thread(ids[i]);
    bool early = false;
    for (unsigned i = 0; i < woken_count; ++i) early = early || woken[i]->woke_at < woken[i]->deadline;
    const bool ordered = woken_count == kSleepers && woken[0] == &sleepers[1] && woken[1] == &sleepers[2] &&
                         woken[2] == &sleepers[0];
    check(spawned == kSleepers && ordered && !early, "threads-sleep",
          "{} threads sleeping 30, 10, 20 ms woke after {}, {}, {} ms, {} early", spawned,
          woken_count > 0 ? woken[0]->milliseconds : 0, woken_count > 1 ? woken[1]->milliseconds : 0,
          woken_count > 2 ? woken[2]->milliseconds : 0, early ? "some" : "none");
}

char trace[16];
unsigned trace_length = 0;

void yielder(void* argument) {
    for (int i = 0; i < 3; ++i) {
        if (trace_length + 1 < sizeof trace) trace[trace_length++] = *static_cast<const char*>(argument);
        yield();
    }
}

void check_yield() {
    static const char kA = 'A';
    static const char kB = 'B';
    auto a = spawn_thread("yield-a", yielder, const_cast<char*>(&kA));
    auto b = spawn_thread("yield-b", yielder, const_cast<char*>(&kB));
    if (!a.is_error()) (void)join_thread(a.value());
    if (!b.is_error()) (void)join_thread(b.value());
    trace[trace_length] = '\0';
    check(!a.is_error() && !b.is_error() && lib::equal(trace, "ABABAB"), "threads-yield",
          "two threads that yield after each step ran as {}", trace);
}

struct Waiter {
    Port port;
    bool woke = false;
};

void waiter(void* argument) {
    auto* self = static_cast<Waiter*>(argument);
    wait_for_event(self->port);
    self->woke = true;
}

/// A thread blocked on a port wakes when it is raised; a raise that comes before the
/// wait is not lost.
void check_wait_for_event() {
    auto ipi = bind_ipi(0);
    if (ipi.is_error() || watch_port(ipi.value()).is_error()) {
        check(false, "threads-event", "bind_ipi(vcpu 0) and watch_port failed");
        return;
    }
    Waiter blocked{ipi.value()};
    auto first = spawn_thread("waiter", waiter, &blocked);
    yield();  // the waiter runs and blocks on the port
    const bool woke_early = blocked.woke;
    auto sent = send_event(ipi.value());
    if (!first.is_error()) (void)join_thread(first.value());

    (void)send_event(ipi.value());  // before anyone waits
    Waiter late{ipi.value()};
    auto second = spawn_thread("waiter", waiter, &late);
    if (!second.is_error()) (void)join_thread(second.value());
    clear_event_handler(ipi.value());
    (void)close_port(ipi.value());
    check(!first.is_error() && !woke_early && !sent.is_error() && blocked.woke && late.woke, "threads-event",
          "a thread blocked on port {} woke {} before the send and {} after it; a send before the wait woke it {}",
          ipi.value(), woke_early ? "already" : "not", blocked.woke ? "right" : "not", late.woke ? "too" : "never");
}

struct Ponger {
    Port remote;
    uint32_t rounds;
    uint32_t answered = 0;
};

/// The other end of the loopback: connect to the pinger's unbound port, then answer.
void ponger(void* argument) {
    auto* self = static_cast<Ponger*>(argument);
    lib::ErrorOr<Port> port = lib::error(abi::Errno::Inval);
    {
        EventsMasked masked;
        port = bind_interdomain(abi::kDomidSelf, self->remote);
        if (port.is_error()) return;
        clear_port_pending(port.value());  // Xen's "maybe lost" event at bind: nothing was sent yet
        (void)watch_port(port.value());
    }
    self->answered = run_ponger(port.value(), self->rounds);
    clear_event_handler(port.value());
    (void)close_port(port.value());
}

void check_loopback_pingpong() {
    lib::ErrorOr<Port> unbound = lib::error(abi::Errno::Inval);
    {
        EventsMasked masked;
        unbound = alloc_unbound(abi::kDomidSelf);
        if (!unbound.is_error()) (void)watch_port(unbound.value());
    }
    if (unbound.is_error()) {
        check(false, "pingpong-loopback", "alloc_unbound(DOMID_SELF) -> {}", result_name(unbound));
        return;
    }
    Ponger other{unbound.value(), kLoopbackRounds};
    auto thread = spawn_thread("pong", ponger, &other);
    const uint64_t start = monotonic_ns();
    const uint32_t done = run_pinger(unbound.value(), kLoopbackRounds);
    const uint64_t elapsed = monotonic_ns() - start;
    if (!thread.is_error()) (void)join_thread(thread.value());
    clear_event_handler(unbound.value());
    (void)close_port(unbound.value());
    check(!thread.is_error() && done == kLoopbackRounds && other.answered == kLoopbackRounds, "pingpong-loopback",
          "{} round trips between two threads over a loopback interdomain channel ({} answered), {} ns each", done,
          other.answered, elapsed / kLoopbackRounds);
}

}  // namespace

uint32_t run_pinger(Port port, uint32_t rounds) {
    wait_for_event(port);  // the ponger's hello: it is connected
    for (uint32_t round = 0; round < rounds; ++round) {
        if (send_event(port).is_error()) return round;
        wait_for_event(port);
    }
    return rounds;
}

uint32_t run_ponger(Port port, uint32_t rounds) {
    if (send_event(port).is_error()) return 0;  // hello
    for (uint32_t round = 0; round < rounds; ++round) {
        wait_for_event(port);
        if (send_event(port).is_error()) return round;
    }
    return rounds;
}

void run_thread_checks() {
    check_sleepers();
    check_yield();
    check_wait_for_event();
    check_loopback_pingpong();
}

}  // namespace minios::events_test
