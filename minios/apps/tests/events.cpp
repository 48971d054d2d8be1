// SPDX-License-Identifier: MIT
// Boot test of the events lab: event channels, VIRQ_TIMER, clocks, timers and threads.
//
// Without a role on the command line it runs every check (tests/boot/events.toml), each
// one line `events: <name>: <what happened> ok|UNEXPECTED`, then `events: N checks, M
// unexpected`. Timing is printed but never judged, except that nothing may happen
// before its deadline by the guest's own clock. With `role=ping` or `role=pong` it is
// one side of an interdomain ping-pong instead (events_pingpong.cpp).
#include "apps/tests/events.hpp"

#include "apps/app.hpp"
#include "kernel/console.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/events.hpp"
#include "kernel/sched.hpp"
#include "kernel/time.hpp"

namespace minios {
namespace events_test {
namespace {

unsigned checks = 0;
unsigned unexpected = 0;

lib::ErrorOr<void> set_up(const abi::StartInfo& info) {
    TRY(init_events(info));
    TRY(init_time());
    init_threads();
    printk("events: set up: shared_info mapped, event and failsafe callbacks registered, VIRQ_TIMER on port {}\n",
           timer_port());
    unmask_events();
    return {};
}

}  // namespace

void count_check(bool ok) {
    ++checks;
    if (!ok) ++unexpected;
}

}  // namespace events_test

const char* app_name() { return "events"; }

int app_main(const abi::StartInfo& info) {
    auto ready = events_test::set_up(info);
    if (ready.is_error()) return report_failure("set up failed", ready.error());
    const char* command_line = reinterpret_cast<const char*>(info.cmd_line);
    if (events_test::pingpong_requested(command_line)) return events_test::run_pingpong(command_line);

    events_test::run_time_checks();
    events_test::run_port_checks();
    events_test::run_error_checks();
    events_test::run_thread_checks();
    const EventCounters counters = event_counters();
    printk("events: {} upcalls, {} events handled, {} without a handler, {} failsafe callbacks\n", counters.upcalls,
           counters.events, counters.unhandled, counters.failsafe_callbacks);
    printk("events: {} checks, {} unexpected\n", events_test::checks, events_test::unexpected);
    return events_test::unexpected == 0 ? 0 : 1;
}

}  // namespace minios
