// SPDX-License-Identifier: MIT
// The events test's two-domain mode: an interdomain ping-pong with no XenStore.
//
//   role=ping [remote=1] [rounds=10000]          (usually domain 0)
//   role=pong [remote=0] [port=N] [rounds=10000] (usually domain 1)
//
// The ping side allocates a port unbound for the remote domain and prints its number.
// The pong side binds to remote port N (from its command line), or, without port=,
// tries remote ports 1..63 until Xen accepts one: bind_interdomain succeeds only on a
// port that is unbound *for this domain*, so the probe cannot connect to anything else.
// Until the ping side has allocated, every bind fails (-EINVAL, or -ESRCH before the
// domain exists) and the pong side retries every 10 ms. Once bound it says hello; then
// the ping side sends and waits for the answer, `rounds` times.
#include "apps/tests/events.hpp"
#include "kernel/command_line.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/sched.hpp"
#include "kernel/time.hpp"
#include "lib/string.hpp"

namespace minios::events_test {
namespace {

constexpr uint32_t kDefaultRounds = 10'000;
/// Remote ports the pong side tries when no port= is given.
constexpr uint32_t kProbedPorts = 64;
constexpr uint64_t kRetryInterval = 10 * kNsPerMs;
constexpr uint64_t kBindPatience = 30 * kNsPerSecond;


int ping(abi::DomainId remote, uint32_t rounds) {
    lib::ErrorOr<Port> unbound = lib::error(abi::Errno::Inval);
    {
        EventsMasked masked;  // the hello may come as soon as the port exists
        unbound = alloc_unbound(remote);
        if (!unbound.is_error()) (void)watch_port(unbound.value());
    }
    if (unbound.is_error()) {
        printk("pingpong: ping: alloc_unbound(remote d{}) -> {}\n", remote, result_name(unbound));
        return 1;
    }
    const Port port = unbound.value();
    printk("pingpong: ping: port {} is unbound for d{}; waiting for its hello\n", port, remote);
    const uint64_t start = monotonic_ns();
    const uint32_t done = run_pinger(port, rounds);
    const uint64_t elapsed = monotonic_ns() - start;
    printk("pingpong: ping: {} round trips with d{} over port {}, {} ns each\n", done, remote, port,
           done == 0 ? 0 : elapsed / done);
    return done == rounds ? 0 : 1;
}

/// Bind to the ping side's port, retrying until it exists.
lib::ErrorOr<Port> connect(abi::DomainId remote, uint64_t wanted_port) {
    const uint64_t give_up = monotonic_ns() + kBindPatience;
    for (;;) {
        const uint32_t first = wanted_port != 0 ? static_cast<uint32_t>(wanted_port) : 1;
        const uint32_t last = wanted_port != 0 ? first : kProbedPorts - 1;
        lib::ErrorOr<Port> port = lib::error(abi::Errno::Inval);
        for (uint32_t candidate = first; candidate <= last; ++candidate) {
            EventsMasked masked;
            port = bind_interdomain(remote, Port(candidate));
            if (port.is_error()) continue;
            // Xen marks a freshly bound port pending in case a send was lost; none was.
            clear_port_pending(port.value());
            TRY(watch_port(port.value()));
            printk("pingpong: pong: bound port {} to d{} port {}\n", port.value(), remote, candidate);
            return port;
        }
        if (monotonic_ns() >= give_up) return port.error();
        sleep(kRetryInterval);
    }
}

int pong(abi::DomainId remote, uint64_t wanted_port, uint32_t rounds) {
    auto port = connect(remote, wanted_port);
    if (port.is_error()) {
        printk("pingpong: pong: no port of d{} to bind to: {}\n", remote, result_name(port));
        return 1;
    }
    const uint32_t answered = run_ponger(port.value(), rounds);
    printk("pingpong: pong: answered {} pings from d{}\n", answered, remote);
    return answered == rounds ? 0 : 1;
}

}  // namespace

bool pingpong_requested(const char* command_line) { return find_option(command_line, "role=") != nullptr; }

int run_pingpong(const char* command_line) {
    const auto rounds = static_cast<uint32_t>(number_option(command_line, "rounds=", kDefaultRounds));
    if (option_is(command_line, "role=", "ping"))
        return ping(static_cast<abi::DomainId>(number_option(command_line, "remote=", 1)), rounds);
    if (option_is(command_line, "role=", "pong"))
        return pong(static_cast<abi::DomainId>(number_option(command_line, "remote=", 0)),
                    number_option(command_line, "port=", 0), rounds);
    printk("pingpong: unknown role in `{}` (role=ping or role=pong)\n", command_line);
    return 1;
}

}  // namespace minios::events_test
