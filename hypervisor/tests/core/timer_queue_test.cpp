// SPDX-License-Identifier: MIT
// Tests of the timer queue and of the guest timeout rules (core/timer_queue.hpp).
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "core/timer_queue.hpp"

namespace {

using hv::TimerId;
using hv::TimerKind;
using Action = hv::TimerRequest::Action;

constexpr uint64_t kMs = 1'000'000;

TimerId single_shot(uint32_t owner) { return TimerId{owner, TimerKind::SingleShot}; }
TimerId periodic(uint32_t owner) { return TimerId{owner, TimerKind::Periodic}; }

/// The owners of every timer due at `now`, in the order pop_due gives them.
std::vector<uint32_t> pop_all(hv::TimerQueue& queue, uint64_t now) {
    std::vector<uint32_t> owners;
    while (auto expired = queue.pop_due(now)) owners.push_back(expired->id.owner);
    return owners;
}

}  // namespace

TEST_CASE("timers pop in deadline order, whatever order they were armed in") {
    hv::FixedTimerQueue<8> queue;
    REQUIRE_FALSE(queue.arm(single_shot(3), 300).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(1), 100).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(4), 400).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(2), 200).is_error());
    CHECK(pop_all(queue, 1000) == std::vector<uint32_t>{1, 2, 3, 4});
    CHECK(queue.size() == 0);
}

TEST_CASE("timers with equal deadlines pop in the order they were armed") {
    hv::FixedTimerQueue<8> queue;
    for (uint32_t owner : {5u, 2u, 7u, 1u}) REQUIRE_FALSE(queue.arm(single_shot(owner), 100).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(9), 50).is_error());
    CHECK(pop_all(queue, 100) == std::vector<uint32_t>{9, 5, 2, 7, 1});
}

TEST_CASE("no timer pops before its deadline; a deadline equal to now, or already past, is due") {
    hv::FixedTimerQueue<4> queue;
    REQUIRE_FALSE(queue.arm(single_shot(1), 100).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(2), 200).is_error());
    CHECK_FALSE(queue.pop_due(99).has_value());
    auto first = queue.pop_due(100);
    REQUIRE(first.has_value());
    CHECK(first->id == single_shot(1));
    CHECK(first->deadline_ns == 100);
    CHECK_FALSE(queue.pop_due(199).has_value());
    REQUIRE_FALSE(queue.arm(single_shot(3), 10).is_error());  // armed in the past
    CHECK(pop_all(queue, 150) == std::vector<uint32_t>{3});
    CHECK(queue.size() == 1);
}

TEST_CASE("next_deadline is the earliest timer deadline, and empty when no timer is armed") {
    hv::FixedTimerQueue<4> queue;
    CHECK_FALSE(queue.next_deadline().has_value());
    REQUIRE_FALSE(queue.arm(single_shot(1), 500).is_error());
    REQUIRE_FALSE(queue.arm_periodic(periodic(1), 300, 10 * kMs).is_error());
    CHECK(queue.next_deadline() == 300u);
    CHECK(queue.cancel(periodic(1)));
    CHECK(queue.next_deadline() == 500u);
}

TEST_CASE("arming an armed timer moves it instead of adding a second one") {
    hv::FixedTimerQueue<4> queue;
    REQUIRE_FALSE(queue.arm(single_shot(1), 100).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(2), 200).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(1), 300).is_error());
    CHECK(queue.size() == 2);
    CHECK(queue.deadline_of(single_shot(1)) == 300u);
    CHECK(pop_all(queue, 250) == std::vector<uint32_t>{2});
    CHECK(pop_all(queue, 300) == std::vector<uint32_t>{1});
}

TEST_CASE("re-arming a timer at the same deadline puts it behind the others due then") {
    hv::FixedTimerQueue<4> queue;
    REQUIRE_FALSE(queue.arm(single_shot(1), 100).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(2), 100).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(1), 100).is_error());
    CHECK(pop_all(queue, 100) == std::vector<uint32_t>{2, 1});
}

TEST_CASE("cancel removes only the named owner's timer of that kind") {
    hv::FixedTimerQueue<8> queue;
    REQUIRE_FALSE(queue.arm(single_shot(1), 100).is_error());
    REQUIRE_FALSE(queue.arm_periodic(periodic(1), 200, kMs).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(2), 300).is_error());
    REQUIRE_FALSE(queue.arm(TimerId{1, TimerKind::PollTimeout}, 400).is_error());
    CHECK(queue.cancel(single_shot(1)));
    CHECK(queue.size() == 3);
    CHECK_FALSE(queue.deadline_of(single_shot(1)).has_value());
    CHECK(queue.deadline_of(periodic(1)) == 200u);
    CHECK(queue.deadline_of(single_shot(2)) == 300u);
    CHECK(queue.deadline_of(TimerId{1, TimerKind::PollTimeout}) == 400u);
}

TEST_CASE("cancelling a timer that is not armed reports false and changes nothing") {
    hv::FixedTimerQueue<4> queue;
    REQUIRE_FALSE(queue.arm(single_shot(1), 100).is_error());
    CHECK_FALSE(queue.cancel(single_shot(2)));
    CHECK_FALSE(queue.cancel(TimerId{0, TimerKind::TimeSlice}));
    CHECK(queue.size() == 1);
    CHECK(queue.cancel(single_shot(1)));
    CHECK_FALSE(queue.cancel(single_shot(1)));
}

TEST_CASE("a periodic timer re-arms from its previous deadline, never from when it was handled") {
    hv::FixedTimerQueue<4> queue;
    const uint64_t period = 10 * kMs;
    REQUIRE_FALSE(queue.arm_periodic(periodic(0), 100 * kMs, period).is_error());
    // Handled late every time, by up to 9.9 ms: the deadlines stay on the 10 ms grid.
    for (uint64_t k = 0; k < 1000; ++k) {
        uint64_t deadline = 100 * kMs + k * period;
        uint64_t late = (k * 7'919'993) % (period - 100'000);
        auto expired = queue.pop_due(deadline + late);
        CAPTURE(k);
        REQUIRE(expired.has_value());
        REQUIRE(expired->deadline_ns == deadline);
        REQUIRE(expired->missed_periods == 0);
        REQUIRE(queue.deadline_of(periodic(0)) == deadline + period);
        REQUIRE_FALSE(queue.pop_due(deadline + late).has_value());
    }
}

TEST_CASE("a periodic timer handled several periods late fires once and skips the missed periods") {
    hv::FixedTimerQueue<4> queue;
    REQUIRE_FALSE(queue.arm_periodic(periodic(0), 100, 10).is_error());
    auto expired = queue.pop_due(135);
    REQUIRE(expired.has_value());
    CHECK(expired->deadline_ns == 100);
    CHECK(expired->missed_periods == 3);  // 110, 120 and 130 went by
    CHECK_FALSE(queue.pop_due(135).has_value());
    CHECK(queue.deadline_of(periodic(0)) == 140u);

    expired = queue.pop_due(160);  // exactly on a later grid point: 150 missed, 160 is now
    REQUIRE(expired.has_value());
    CHECK(expired->missed_periods == 2);
    CHECK(queue.deadline_of(periodic(0)) == 170u);
}

TEST_CASE("a periodic timer's deadline that would pass 2^64 ns saturates instead of wrapping to the past") {
    hv::FixedTimerQueue<2> queue;
    const uint64_t max = ~uint64_t{0};
    REQUIRE_FALSE(queue.arm_periodic(periodic(0), max - 5, hv::kMaxTimerPeriodNs).is_error());
    REQUIRE(queue.pop_due(max - 5).has_value());
    CHECK(queue.deadline_of(periodic(0)) == max);
}

TEST_CASE("a periodic timer with a period of 0 is refused") {
    hv::FixedTimerQueue<2> queue;
    auto result = queue.arm_periodic(periodic(0), 100, 0);
    REQUIRE(result.is_error());
    CHECK(result.error_code() == abi::Errno::Inval);
    CHECK(queue.size() == 0);
}

TEST_CASE("a full queue refuses a new timer with ENOSPC, keeps its own, and still lets an armed one move") {
    hv::FixedTimerQueue<3> queue;
    CHECK(queue.capacity() == 3);
    REQUIRE_FALSE(queue.arm(single_shot(1), 100).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(2), 200).is_error());
    REQUIRE_FALSE(queue.arm_periodic(periodic(3), 300, 50).is_error());
    auto full = queue.arm(single_shot(4), 50);
    REQUIRE(full.is_error());
    CHECK(full.error_code() == abi::Errno::NoSpc);
    CHECK(queue.arm_periodic(periodic(4), 50, 10).error_code() == abi::Errno::NoSpc);
    CHECK(queue.size() == 3);
    CHECK(queue.next_deadline() == 100u);
    CHECK_FALSE(queue.arm(single_shot(2), 10).is_error());  // a move needs no new slot
    CHECK(pop_all(queue, 320) == std::vector<uint32_t>{2, 1, 3});
    CHECK(queue.size() == 1);  // the periodic timer, re-armed in the slot it left
    CHECK(queue.deadline_of(periodic(3)) == 350u);
}

TEST_CASE("a timer queue over caller storage uses exactly that storage") {
    hv::Timer storage[2];
    hv::TimerQueue queue(storage);
    CHECK(queue.capacity() == 2);
    REQUIRE_FALSE(queue.arm(single_shot(1), 20).is_error());
    REQUIRE_FALSE(queue.arm(single_shot(2), 10).is_error());
    CHECK(storage[0].id == single_shot(2));
    CHECK(storage[1].id == single_shot(1));
    CHECK(queue.arm(single_shot(3), 30).is_error());
}

TEST_CASE("set_timer_op(0) cancels the single-shot timer") {
    CHECK(hv::interpret_set_timer_op(0, 5 * kMs).action == Action::Cancel);
}

TEST_CASE("set_timer_op arms at the absolute time the guest gave, even one already past") {
    auto ahead = hv::interpret_set_timer_op(7 * kMs, 5 * kMs);
    CHECK(ahead.action == Action::Arm);
    CHECK(ahead.deadline_ns == 7 * kMs);
    CHECK_FALSE(ahead.was_absurd);
    auto past = hv::interpret_set_timer_op(1, 5 * kMs);
    CHECK(past.action == Action::Arm);
    CHECK(past.deadline_ns == 1);  // due at once
    CHECK_FALSE(past.was_absurd);
}

TEST_CASE("set_timer_op fires a negative timeout 100 ms from now") {
    for (uint64_t timeout : {~uint64_t{0}, uint64_t{1} << 63, ~uint64_t{0} - 5 * kMs}) {
        auto request = hv::interpret_set_timer_op(timeout, 5 * kMs);
        CAPTURE(timeout);
        CHECK(request.action == Action::Arm);
        CHECK(request.deadline_ns == 105 * kMs);
        CHECK(request.was_absurd);
    }
}

TEST_CASE("set_timer_op fires a timeout 2^50 ns or more ahead in 100 ms, and keeps one just under") {
    const uint64_t now = 3 * kMs;
    auto just_under = hv::interpret_set_timer_op(now + (uint64_t{1} << 50) - 1, now);
    CHECK(just_under.deadline_ns == now + (uint64_t{1} << 50) - 1);
    CHECK_FALSE(just_under.was_absurd);
    for (uint64_t ahead : {uint64_t{1} << 50, (uint64_t{1} << 50) + 1, uint64_t{1} << 62}) {
        auto request = hv::interpret_set_timer_op(now + ahead, now);
        CAPTURE(ahead);
        CHECK(request.deadline_ns == now + 100 * kMs);
        CHECK(request.was_absurd);
    }
    // Measured from now, not from boot: 2^50 ns after boot is fine once the clock is past 1.
    auto late = hv::interpret_set_timer_op((uint64_t{1} << 50) + 10, 20);
    CHECK(late.deadline_ns == (uint64_t{1} << 50) + 10);
    CHECK_FALSE(late.was_absurd);
}

TEST_CASE("VCPUOP_set_singleshot_timer makes a past or negative timeout due at once, and 0 does not cancel") {
    const uint64_t now = 9 * kMs;
    CHECK(hv::interpret_singleshot_timer(now + 1, now).deadline_ns == now + 1);
    CHECK(hv::interpret_singleshot_timer(now - 1, now).deadline_ns == now);
    CHECK(hv::interpret_singleshot_timer(uint64_t{1} << 63, now).deadline_ns == now);
    auto zero = hv::interpret_singleshot_timer(0, now);
    CHECK(zero.action == Action::Arm);
    CHECK(zero.deadline_ns == now);
}

TEST_CASE("VCPUOP_set_periodic_timer accepts periods from 1 ms to STIME_DELTA_MAX, and EINVAL outside") {
    CHECK(hv::check_timer_period(kMs).value() == kMs);
    CHECK(hv::check_timer_period(~uint64_t{0} >> 2).value() == ~uint64_t{0} >> 2);
    CHECK(hv::check_timer_period(kMs - 1).error_code() == abi::Errno::Inval);
    CHECK(hv::check_timer_period(0).error_code() == abi::Errno::Inval);
    CHECK(hv::check_timer_period((~uint64_t{0} >> 2) + 1).error_code() == abi::Errno::Inval);
}

namespace {
constinit hv::FixedTimerQueue<2> constant_queue;  // does not compile unless constant-initialised
}  // namespace

TEST_CASE("a global timer queue needs no constructor to run: it is ready at load time") {
    CHECK(constant_queue.capacity() == 2);
    CHECK_FALSE(constant_queue.arm(single_shot(1), 5).is_error());
    CHECK(constant_queue.next_deadline() == 5u);
}
