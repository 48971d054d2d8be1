// SPDX-License-Identifier: MIT
// Boot test: a hostile domain. It floods event channels and throws bad event-channel and
// timer requests at the hypervisor; each must get Xen 4.17's answer, and the domains
// beside it must not notice (tests/boot/domains.toml).
//
//   role=flood [remote=1] [sends=200000] [own=N] [high=N] [ipi=N] [other=N] [closed=N]
//   role=receive [remote=0]
//   role=solo [sends=200000] [own=40] [high=1000]        (one domain; also runs on Xen)
//
// The receive side (usually domain 1) allocates, in this order: a port unbound for a
// domain no test boots (other=), another such port it closes at the end (closed=), IPIs
// until one lands in its second bucket of 64 ports (ipi= is the first, high= the last),
// and last the port unbound for the flood side, then closes closed=. It prints their
// numbers, does a worker's three steps and waits for a flood event.
// The flood side binds to remote ports 1..127 until Xen accepts one (only the port
// unbound for it can be), checks the hostile requests, floods its IPI and the
// interdomain channel with events masked, then checks the timers. Port numbers of the
// other domain are only numbers here: in our own table `own=` is free (bucket 0) and
// `high=` beyond our valid ports, so Xen answers them as such.
// Each check prints `flooder: <name>: <what happened> ok|UNEXPECTED`; the summary is
// `flooder: N checks, M unexpected`.
#include "abi/event_channel.hpp"
#include "abi/vcpu.hpp"
#include "apps/app.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/command_line.hpp"
#include "kernel/console.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/events.hpp"
#include "kernel/sched.hpp"
#include "kernel/time.hpp"
#include "lib/string.hpp"

namespace minios {
namespace {

using abi::Errno;

constexpr uint64_t kDefaultSends = 200'000;
/// A domain ID below the hypervisor's table size that no test boots.
constexpr abi::DomainId kUnbootedDomain = 7;
/// The receive side's ports go up to 65; probing up to here finds the flood port.
constexpr uint32_t kProbedPorts = 128;
constexpr uint64_t kRetryInterval = 10 * kNsPerMs;
constexpr uint64_t kPatience = 30 * kNsPerSecond;
/// How long an absurd set_timer_op may take at most before we give up waiting.
constexpr uint64_t kTimerPatience = 10 * kNsPerSecond;
/// Xen turns an absurd deadline into NOW() + 100 ms; "not at once" is judged at half that.
constexpr uint64_t kAbsurdTimerFloor = 50 * kNsPerMs;

unsigned checks = 0;
unsigned unexpected = 0;

template <typename... Args>
bool check(bool ok, const char* name, const char* details, const Args&... args) {
    ++checks;
    if (!ok) ++unexpected;
    printk("flooder: {}: ", name);
    printk(details, args...);
    printk(" {}\n", ok ? "ok" : "UNEXPECTED");
    return ok;
}

template <typename T>
const char* result_name(const lib::ErrorOr<T>& result) {
    return result.is_error() ? abi::errno_name(result.error_code()) : "success";
}

template <typename T>
bool failed_with(const lib::ErrorOr<T>& result, Errno expected) {
    return result.is_error() && result.error_code() == expected;
}

/// `call` failed with `expected` (Errno::Ok-like "success" is expressed with check_ok).
template <typename T>
bool check_error(const char* name, const char* call, const lib::ErrorOr<T>& result, Errno expected) {
    const bool ok = result.is_error() && result.error_code() == expected;
    return check(ok, name, "{} -> {} (Xen: {})", call, result_name(result), abi::errno_name(expected));
}

template <typename T>
bool check_ok(const char* name, const char* call, const lib::ErrorOr<T>& result) {
    return check(!result.is_error(), name, "{} -> {} (Xen: success)", call, result_name(result));
}


void count_event(Port, void* context) { ++*static_cast<uint64_t*>(context); }

void set_flag(Timer& timer, uint64_t) { *static_cast<bool*>(timer.context) = true; }

/// Block the vCPU until `done()` holds or `patience` passes; false on the latter.
template <typename Done>
bool block_until(Done done, uint64_t patience) {
    EventsMasked masked;
    bool gave_up = false;
    Timer timer;
    start_timer(timer, monotonic_ns() + patience, set_flag, &gave_up);
    while (!done() && !gave_up) block_vcpu();
    stop_timer(timer);
    return done();
}

// ---------------------------------------------------------------------------------------
// The receive side.

uint64_t flood_events = 0;

int receive(abi::DomainId remote) {
    auto other = alloc_unbound(kUnbootedDomain);
    auto closed = alloc_unbound(kUnbootedDomain);
    uint32_t first_ipi = 0;
    uint32_t last_ipi = 0;
    while (last_ipi < 64) {
        auto ipi = bind_ipi(0);
        if (ipi.is_error()) break;
        if (first_ipi == 0) first_ipi = ipi.value().raw();
        last_ipi = ipi.value().raw();
    }
    lib::ErrorOr<Port> flood = lib::error(Errno::Inval);
    {
        EventsMasked masked;
        flood = alloc_unbound(remote);
        if (!flood.is_error()) (void)set_event_handler(flood.value(), count_event, &flood_events);
    }
    if (other.is_error() || closed.is_error() || last_ipi < 64 || flood.is_error()) {
        printk("receiver: setting up ports failed: other {}, closed {}, last IPI {}, flood {}\n", result_name(other),
               result_name(closed), last_ipi, result_name(flood));
        return 1;
    }
    auto closing = close_port(closed.value());
    printk("receiver: ports: other={} closed={} ipi={} high={} flood={} (unbound for d{}); close({}) -> {}\n",
           other.value(), closed.value(), first_ipi, last_ipi, flood.value(), remote, closed.value(),
           result_name(closing));

    for (int step = 1; step <= 3; ++step) {
        volatile uint64_t work = 0;
        for (uint64_t i = 0; i < 2'000'000; ++i) work = work + i;
        printk("receiver: step {} done\n", step);
    }
    const bool seen = block_until([] { return flood_events != 0; }, kPatience);
    const EventCounters counters = event_counters();
    printk("receiver: saw flood events: {} ({} handler calls, {} upcalls)\n", seen ? "yes" : "no", flood_events,
           counters.upcalls);
    printk("receiver: done\n");
    return seen ? 0 : 1;
}

// ---------------------------------------------------------------------------------------
// The flood side: hostile event-channel requests.

/// Bind to the remote's port unbound for us, probing its ports until one exists.
lib::ErrorOr<Port> connect(abi::DomainId remote, uint32_t* remote_port) {
    const uint64_t give_up = monotonic_ns() + kPatience;
    for (;;) {
        lib::ErrorOr<Port> port = lib::error(Errno::Inval);
        for (uint32_t candidate = 1; candidate < kProbedPorts; ++candidate) {
            port = bind_interdomain(remote, Port(candidate));
            if (port.is_error()) continue;
            *remote_port = candidate;
            return port;
        }
        if (monotonic_ns() >= give_up) return port.error();
        sleep(kRetryInterval);
    }
}

/// A check's name: `<what>-<suffix>`.
struct CheckName {
    char text[48];
    CheckName(const char* what, const char* suffix) {
        lib::FixedBuffer buffer(text, sizeof text);
        lib::format_to(buffer, "{}-{}", what, suffix);
    }
};

/// A port number with no channel in our table: free in bucket 0 (`valid`), or beyond it.
void check_foreign_number(const char* what, uint32_t number, bool valid) {
    const Port port(number);
    auto closing = close_port(port);
    check(failed_with(closing, Errno::Inval), CheckName(what, "close").text, "close(port {}) -> {} (Xen: EINVAL)",
          number, result_name(closing));
    auto sending = send_event(port);
    check(failed_with(sending, Errno::Inval), CheckName(what, "send").text, "send(port {}) -> {} (Xen: EINVAL)",
          number, result_name(sending));
    // Xen's evtchn_unmask checks only port_is_valid: a free port in a valid bucket is 0.
    auto unmask = unmask_port_hypercall(port);
    check(valid ? !unmask.is_error() : failed_with(unmask, Errno::Inval), CheckName(what, "unmask").text,
          "unmask(port {}) -> {} (Xen: {})", number, result_name(unmask), valid ? "success" : "EINVAL");
    auto status = port_status(port);
    const bool closed =
        !status.is_error() && status.value().status == static_cast<uint32_t>(abi::EventChannelState::Closed);
    check(valid ? closed : failed_with(status, Errno::Inval), CheckName(what, "status").text,
          "status(port {}) -> {} {} (Xen: {})", number, result_name(status),
          status.is_error() ? "-" : port_state_name(status.value().status), valid ? "success, closed" : "EINVAL");
}

/// bind_interdomain to one of the remote's ports that is not unbound for us.
void check_bind_refused(const char* name, const char* what, abi::DomainId remote, uint32_t port) {
    auto bound = bind_interdomain(remote, Port(port));
    check(failed_with(bound, Errno::Inval), name,
          "bind_interdomain(d{}, port {}: {}) -> {} (Xen: EINVAL)", remote, port, what, result_name(bound));
    if (!bound.is_error()) (void)close_port(bound.value());
}

/// Checks against another domain's ports (role=flood).
void check_remote_ports(const char* line, abi::DomainId remote, uint32_t flood_port) {
    check_bind_refused("bind-already-bound", "bound to us already", remote, flood_port);
    if (const uint64_t port = number_option(line, "ipi=", 0); port != 0)
        check_bind_refused("bind-remote-ipi", "an IPI", remote, static_cast<uint32_t>(port));
    if (const uint64_t port = number_option(line, "other=", 0); port != 0)
        check_bind_refused("bind-unbound-for-other", "unbound for another domain", remote, static_cast<uint32_t>(port));
    if (const uint64_t port = number_option(line, "closed=", 0); port != 0)
        check_bind_refused("bind-closed", "closed", remote, static_cast<uint32_t>(port));
    check_bind_refused("bind-remote-console", "its console port, reserved", remote, 2);
    check_bind_refused("bind-remote-port-0", "reserved", remote, 0);
    check_bind_refused("bind-remote-beyond", "beyond the 2-level ABI", remote, kMaxPorts);

    // Every other port of the remote: none is unbound for us.
    uint32_t accepted = 0;
    uint32_t first_accepted = 0;
    for (uint32_t port = 1; port < kProbedPorts; ++port) {
        if (port == flood_port) continue;
        auto bound = bind_interdomain(remote, Port(port));
        if (failed_with(bound, Errno::Inval)) continue;
        if (accepted++ == 0) first_accepted = port;
        if (!bound.is_error()) (void)close_port(bound.value());
    }
    check(accepted == 0, "bind-every-other-port", "bind_interdomain(d{}, ports 1..{} but {}): {} not EINVAL (first: {})",
          remote, kProbedPorts - 1, flood_port, accepted, first_accepted);

    // Acting on another domain's table needs privilege (XSM_TARGET); we have none.
    abi::EventChannelStatus status{};
    status.dom = remote;
    status.port = flood_port;
    check_error("status-other-domain", "status(dom d1, its flood port)",
                event_channel_op(abi::EventChannelOp::Status, &status), Errno::Perm);
    check_error("alloc-unbound-for-other-owner", "alloc_unbound(dom d1, remote self)",
                alloc_unbound(abi::kDomidSelf, remote), Errno::Perm);
}

/// Checks that need no other domain: loopback binds, nonexistent remotes, free numbers.
void check_own_ports(const char* line) {
    auto nobody = alloc_unbound(kUnbootedDomain);
    check_ok("alloc-unbound-unbooted-remote", "alloc_unbound(remote d7, not booted)", nobody);
    if (!nobody.is_error()) (void)close_port(nobody.value());
    auto reserved = alloc_unbound(static_cast<abi::DomainId>(0x7FF2));
    check_ok("alloc-unbound-reserved-remote", "alloc_unbound(remote DOMID_IO)", reserved);
    if (!reserved.is_error()) (void)close_port(reserved.value());

    auto unbound = alloc_unbound(abi::kDomidSelf);
    if (!check_ok("loopback-alloc", "alloc_unbound(DOMID_SELF)", unbound)) return;
    const Port far = unbound.value();
    Port near(0);
    {
        EventsMasked masked;
        auto bound = bind_interdomain(abi::kDomidSelf, far);
        check_ok("loopback-bind", "bind_interdomain(DOMID_SELF, that port)", bound);
        if (!bound.is_error()) {
            near = bound.value();
            clear_port_pending(near);  // Xen marks a new binding pending
        }
    }
    auto again = bind_interdomain(abi::kDomidSelf, far);
    check_error("loopback-bind-twice", "bind_interdomain(DOMID_SELF, the same port again)", again, Errno::Inval);
    if (!again.is_error()) (void)close_port(again.value());
    if (near.raw() != 0) {
        // Closing one end puts the other back to unbound for us: binding to it works again.
        (void)close_port(near);
        auto status = port_status(far);
        check(!status.is_error() && status.value().status == static_cast<uint32_t>(abi::EventChannelState::Unbound),
              "loopback-peer-closed", "status(far end after closing the near one) -> {} (Xen: unbound)",
              status.is_error() ? result_name(status) : port_state_name(status.value().status));
    }
    (void)close_port(far);
    check_error("bind-closed-own", "bind_interdomain(DOMID_SELF, a port just closed)",
                bind_interdomain(abi::kDomidSelf, far), Errno::Inval);
    check_error("close-twice", "close(a port just closed)", close_port(far), Errno::Inval);
    check_error("send-closed", "send(a port just closed)", send_event(far), Errno::Inval);

    check_foreign_number("free-number", static_cast<uint32_t>(number_option(line, "own=", 40)), true);
    check_foreign_number("invalid-number", static_cast<uint32_t>(number_option(line, "high=", 1000)), false);
    check_foreign_number("beyond-abi", kMaxPorts, false);
}

// ---------------------------------------------------------------------------------------
// The flood.

uint64_t ipi_events = 0;
uint64_t channel_events = 0;

/// Send on `port` `sends` times with events masked; returns how many sends failed.
uint64_t flood_port(Port port, uint64_t sends) {
    EventsMasked masked;
    uint64_t failed = 0;
    for (uint64_t i = 0; i < sends; ++i) {
        if (send_event(port).is_error()) ++failed;
    }
    return failed;
}

void check_flood(Port ipi, Port channel, const char* channel_what, uint64_t sends) {
    const EventCounters before = event_counters();
    const uint64_t start = monotonic_ns();
    const uint64_t ipi_failed = flood_port(ipi, sends);
    const uint64_t channel_failed = flood_port(channel, sends);
    const uint64_t elapsed = monotonic_ns() - start;
    // Events are unmasked again: what the flood left pending comes as one upcall.
    const bool delivered = block_until([] { return ipi_events != 0; }, kPatience);
    const EventCounters after = event_counters();
    check(ipi_failed == 0 && channel_failed == 0 && delivered, "flood",
          "{} sends on an IPI and {} on {}, events masked: {} and {} failed, {} ms; then {} IPI handler calls, "
          "{} upcalls",
          sends, sends, channel_what, ipi_failed, channel_failed, elapsed / kNsPerMs, ipi_events,
          after.upcalls - before.upcalls);
}

// ---------------------------------------------------------------------------------------
// Absurd timers.

/// set_timer_op(`deadline`): it must fire, Xen's way, about 100 ms later (never at once,
/// never not at all). Timing beyond that floor is not judged.
void check_absurd_timer(const char* name, const char* what, uint64_t deadline) {
    const uint64_t before = timer_counters().virqs;
    const uint64_t start = monotonic_ns();
    auto set = set_timer_op(deadline);
    while (timer_counters().virqs == before && monotonic_ns() - start < kTimerPatience) {
    }
    const uint64_t waited = monotonic_ns() - start;
    const bool fired = timer_counters().virqs != before;
    check(!set.is_error() && fired && waited >= kAbsurdTimerFloor, name,
          "set_timer_op({}) -> {}; VIRQ_TIMER {} after {} ms (Xen: success, fires in 100 ms)", what,
          result_name(set), fired ? "came" : "never came", waited / kNsPerMs);
}

void check_periodic(const char* name, const char* what, uint64_t period, Errno expected, uint32_t vcpu = 0) {
    abi::VcpuSetPeriodicTimer set{period};
    check_error(name, what, vcpu_op(abi::VcpuOp::SetPeriodicTimer, vcpu, &set), expected);
}

void check_timers() {
    // VIRQ_TIMER must come only from set_timer_op while we watch it.
    check_ok("stop-periodic", "VCPUOP_stop_periodic_timer", stop_periodic_timer());
    check_absurd_timer("timer-negative", "-1", ~uint64_t{0});
    check_absurd_timer("timer-most-negative", "INT64_MIN", uint64_t{1} << 63);
    check_absurd_timer("timer-2^50-ahead", "now + 2^50 + 1 s", monotonic_ns() + (uint64_t{1} << 50) + kNsPerSecond);
    check_absurd_timer("timer-2^62", "2^62", uint64_t{1} << 62);
    // A deadline just under the limit is taken as given: no event in the next 200 ms.
    {
        const uint64_t before = timer_counters().virqs;
        auto set = set_timer_op(monotonic_ns() + (uint64_t{1} << 49));
        const uint64_t start = monotonic_ns();
        while (monotonic_ns() - start < 200 * kNsPerMs) {
        }
        const uint64_t fired = timer_counters().virqs - before;
        (void)set_timer_op(0);
        check(!set.is_error() && fired == 0, "timer-2^49-ahead",
              "set_timer_op(now + 2^49) -> {}; {} VIRQ_TIMER in the next 200 ms (Xen: success, none)",
              result_name(set), fired);
    }
    check_periodic("periodic-zero", "VCPUOP_set_periodic_timer(0 ns)", 0, Errno::Inval);
    check_periodic("periodic-under-1ms", "VCPUOP_set_periodic_timer(999999 ns)", 999'999, Errno::Inval);
    check_periodic("periodic-2^63", "VCPUOP_set_periodic_timer(2^63 ns)", uint64_t{1} << 63, Errno::Inval);
    check_periodic("periodic-max", "VCPUOP_set_periodic_timer(2^64-1 ns)", ~uint64_t{0}, Errno::Inval);
    // Xen 4.17.7 ignores VCPU_SSHOTTMR_future (it used to answer -ETIME): a past
    // timeout is simply due at once.
    abi::VcpuSetSingleshotTimer past{1, abi::kVcpuSshottmrFuture, 0};
    check_ok("singleshot-past-future-flag", "VCPUOP_set_singleshot_timer(1 ns, VCPU_SSHOTTMR_future)",
             vcpu_op(abi::VcpuOp::SetSingleshotTimer, 0, &past));
    check_periodic("periodic-other-vcpu", "VCPUOP_set_periodic_timer on vCPU 1000 (10 ms)", 10 * kNsPerMs,
                   Errno::NoEnt, 1000);
}

lib::ErrorOr<Port> bind_watched_ipi() {
    EventsMasked masked;
    auto ipi = bind_ipi(0);
    if (!ipi.is_error()) (void)set_event_handler(ipi.value(), count_event, &ipi_events);
    return ipi;
}

int flood(const char* line, abi::DomainId remote, uint64_t sends) {
    auto ipi = bind_watched_ipi();
    uint32_t remote_port = 0;
    lib::ErrorOr<Port> channel = lib::error(Errno::Inval);
    {
        channel = connect(remote, &remote_port);
        if (!channel.is_error()) {
            clear_port_pending(channel.value());  // Xen marks a new binding pending
            (void)set_event_handler(channel.value(), count_event, &channel_events);
        }
    }
    if (ipi.is_error() || channel.is_error()) {
        printk("flooder: set up failed: bind_ipi -> {}, bind to d{} -> {}\n", result_name(ipi), remote,
               result_name(channel));
        return 1;
    }
    printk("flooder: bound port {} to d{} port {}; IPI on port {}\n", channel.value(), remote, remote_port,
           ipi.value());
    check_remote_ports(line, remote, remote_port);
    check_own_ports(line);
    check_flood(ipi.value(), channel.value(), "the channel to d1", sends);
    check_timers();
    return 0;
}

int solo(const char* line, uint64_t sends) {
    auto ipi = bind_watched_ipi();
    auto far = alloc_unbound(abi::kDomidSelf);
    lib::ErrorOr<Port> near = lib::error(Errno::Inval);
    if (!far.is_error()) {
        EventsMasked masked;
        near = bind_interdomain(abi::kDomidSelf, far.value());
        if (!near.is_error()) clear_port_pending(near.value());
        (void)set_event_handler(far.value(), count_event, &channel_events);
    }
    if (ipi.is_error() || near.is_error()) {
        printk("flooder: set up failed: bind_ipi -> {}, loopback -> {}\n", result_name(ipi), result_name(near));
        return 1;
    }
    check_own_ports(line);
    check_flood(ipi.value(), near.value(), "a loopback channel", sends);
    check_timers();
    return 0;
}

}  // namespace

const char* app_name() { return "flooder"; }

int app_main(const abi::StartInfo& info) {
    auto ready = init_events(info);
    if (!ready.is_error()) ready = init_time();
    if (ready.is_error()) {
        printk("flooder: set up failed: {}\n", abi::errno_name(ready.error_code()));
        return 1;
    }
    init_threads();
    unmask_events();
    const char* line = reinterpret_cast<const char*>(info.cmd_line);
    const uint64_t sends = number_option(line, "sends=", kDefaultSends);
    int status = 0;
    if (option_is(line, "role=", "receive")) return receive(static_cast<abi::DomainId>(number_option(line, "remote=", 0)));
    if (option_is(line, "role=", "flood")) status = flood(line, static_cast<abi::DomainId>(number_option(line, "remote=", 1)), sends);
    else if (option_is(line, "role=", "solo")) status = solo(line, sends);
    else {
        printk("flooder: unknown role in `{}` (role=flood, role=receive or role=solo)\n", line);
        return 1;
    }
    printk("flooder: {} checks, {} unexpected\n", checks, unexpected);
    return status == 0 && unexpected == 0 ? 0 : 1;
}

}  // namespace minios
