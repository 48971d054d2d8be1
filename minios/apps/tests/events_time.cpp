// SPDX-License-Identifier: MIT
// The events test's time checks: the clocks, the periodic and one-shot VIRQ_TIMER, and
// software timers in deadline order. "Early" is always judged by the guest's own clock.
#include "apps/tests/events.hpp"
#include "kernel/sched.hpp"
#include "kernel/time.hpp"

namespace minios::events_test {
namespace {

/// 2020-01-01 00:00:00 UTC: a wall clock before it was never set.
constexpr uint64_t kYear2020 = 1'577'836'800;
/// How long to wait for something that should take a few ms.
constexpr uint64_t kPatience = 5 * kNsPerSecond;

void set_flag(Timer& timer, uint64_t) { *static_cast<bool*>(timer.context) = true; }

/// Block the vCPU until `done()` holds or kPatience passes; false on the latter.
template <typename Done>
bool block_until(Done done) {
    EventsMasked masked;
    bool gave_up = false;
    Timer patience;
    start_timer(patience, monotonic_ns() + kPatience, set_flag, &gave_up);
    while (!done() && !gave_up) block_vcpu();
    stop_timer(patience);
    return done();
}

void check_clock() {
    const abi::VcpuTimeInfo info = read_time_info();
    const uint64_t first = monotonic_ns();
    uint64_t second = first;
    for (uint64_t spins = 0; spins < 100'000'000 && second == first; ++spins) second = monotonic_ns();
    check(second > first && info.tsc_to_system_mul != 0 && (info.version & 1) == 0, "clock",
          "vcpu_time_info version {} (even), tsc_to_system_mul {:#x}, tsc_shift {}; monotonic_ns {} then {}",
          info.version, info.tsc_to_system_mul, info.tsc_shift, first, second);
}

void check_wall_clock() {
    const WallClock first = wall_clock();
    const WallClock second = wall_clock();
    const bool forward = second.seconds > first.seconds ||
                         (second.seconds == first.seconds && second.nanoseconds >= first.nanoseconds);
    check((first.version & 1) == 0 && first.seconds >= kYear2020 && first.nanoseconds < kNsPerSecond && forward,
          "wall-clock", "wc_version {} (even), {}.{:09} s since 1970 (after 2020), and it does not go back",
          first.version, first.seconds, first.nanoseconds);
}

/// Xen runs a 100 Hz VIRQ_TIMER for every vCPU from boot, but only while the vCPU runs
/// (sched/core.c stops it at every switch away): spin, with events on and no one-shot
/// timer set, until ticks come.
void check_periodic_timer() {
    constexpr uint64_t kTicks = 3;
    const uint64_t start = monotonic_ns();
    const uint64_t first_virq = timer_counters().virqs;
    while (timer_counters().virqs - first_virq < kTicks && monotonic_ns() - start < kPatience) {
    }
    const uint64_t ticks = timer_counters().virqs - first_virq;
    check(ticks >= kTicks, "virq-timer",
          "VIRQ_TIMER on port {}: {} events from the periodic timer while the vCPU ran, no one-shot set; clock +{} us",
          timer_port(), ticks, (monotonic_ns() - start) / kNsPerUs);
}

bool one_shot_ran = false;
uint64_t one_shot_ran_at = 0;

void note_one_shot(Timer&, uint64_t now) {
    one_shot_ran = true;
    one_shot_ran_at = now;
}

/// Arm a one-shot `milliseconds` from now and block until it runs; returns its deadline.
uint64_t block_on_one_shot(uint64_t milliseconds) {
    one_shot_ran = false;
    Timer timer;
    const uint64_t deadline = monotonic_ns() + milliseconds * kNsPerMs;
    start_timer(timer, deadline, note_one_shot);
    block_until([] { return one_shot_ran; });
    stop_timer(timer);
    return deadline;
}

uint64_t microseconds_late(uint64_t deadline) {
    return one_shot_ran && one_shot_ran_at >= deadline ? (one_shot_ran_at - deadline) / kNsPerUs : 0;
}

/// ... and a blocked vCPU gets no periodic ticks: 100 ms in SCHEDOP_block bring at most
/// one (a tick due just as it blocked), where a timer that kept running would bring ten.
void check_periodic_timer_blocked() {
    const TimerCounters before = timer_counters();
    const uint64_t deadline = block_on_one_shot(100);
    const TimerCounters after = timer_counters();
    const uint64_t early = after.before_deadline - before.before_deadline;
    check(one_shot_ran && one_shot_ran_at >= deadline && early <= 1, "virq-timer-blocked",
          "blocked until a one-shot 100 ms ahead: {} periodic VIRQ_TIMER before it, timer ran {} us after it", early,
          microseconds_late(deadline));
}

/// With the periodic timer stopped, VIRQ_TIMER comes only from set_timer_op, and never
/// before its deadline.
void check_one_shot() {
    auto stopped = stop_periodic_timer();
    const TimerCounters before = timer_counters();
    const uint64_t deadline = block_on_one_shot(20);
    const TimerCounters after = timer_counters();
    check(!stopped.is_error() && one_shot_ran && one_shot_ran_at >= deadline &&
              after.before_deadline == before.before_deadline,
          "one-shot",
          "VCPUOP_stop_periodic_timer -> {}; set_timer_op(now + 20 ms): {} VIRQ_TIMER, {} before the deadline, "
          "timer ran {} us after it",
          result_name(stopped), after.virqs - before.virqs, after.before_deadline - before.before_deadline,
          microseconds_late(deadline));
}

struct OrderedTimer {
    Timer timer;
    uint64_t offset_ms;
    uint64_t deadline = 0;
    uint64_t ran_at = 0;
};

constexpr unsigned kOrderedTimers = 6;
/// The timers of check_timer_order as they ran.
OrderedTimer* ran[kOrderedTimers];
unsigned ran_count = 0;

void note_run(Timer& timer, uint64_t now) {
    auto* entry = static_cast<OrderedTimer*>(timer.context);
    entry->ran_at = now;
    if (ran_count < kOrderedTimers) ran[ran_count++] = entry;
}

/// Six timers armed out of order (two with the same deadline) run sorted by deadline,
/// equal ones in the order they were armed, and none before its deadline.
void check_timer_order() {
    OrderedTimer timers[kOrderedTimers] = {{{}, 30}, {{}, 10}, {{}, 50}, {{}, 20}, {{}, 40}, {{}, 20}};
    const uint64_t base = monotonic_ns();
    for (OrderedTimer& entry : timers) {
        entry.deadline = base + entry.offset_ms * kNsPerMs;
        start_timer(entry.timer, entry.deadline, note_run, &entry);
    }
    block_until([] { return ran_count == kOrderedTimers; });
    char order[64];
    lib::FixedBuffer text(order, sizeof order);
    bool sorted = ran_count == kOrderedTimers;
    bool early = false;
    for (unsigned i = 0; i < ran_count; ++i) {
        lib::format_to(text, " +{}", ran[i]->offset_ms);
        early = early || ran[i]->ran_at < ran[i]->deadline;
        if (i > 0 && ran[i - 1]->deadline > ran[i]->deadline) sorted = false;
    }
    // The two 20 ms timers were armed 4th and 6th: they must run in that order.
    const bool stable = sorted && ran[1] == &timers[3] && ran[2] == &timers[5];
    for (OrderedTimer& entry : timers) stop_timer(entry.timer);
    check(sorted && stable && !early, "timer-order", "armed at +30 +10 +50 +20 +40 +20 ms; ran at{} ms, {} early",
          order, early ? "some" : "none");
}

}  // namespace

void run_time_checks() {
    check_clock();
    check_wall_clock();
    check_periodic_timer();
    check_periodic_timer_blocked();
    check_one_shot();
    check_timer_order();
}

}  // namespace minios::events_test
