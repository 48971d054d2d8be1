// SPDX-License-Identifier: MIT
// The per-CPU timer queue and the guest timeout rules (see timer_queue.hpp).
#include "core/timer_queue.hpp"

#include "lib/assert.hpp"

namespace hv {

namespace {

constexpr std::uint64_t kMaxU64 = ~std::uint64_t{0};

/// The deadline after `now_ns` on a periodic timer's grid deadline + k * period, and how
/// many grid points after `deadline_ns` were skipped on the way (they are at or before now).
struct NextPeriod {
    std::uint64_t deadline_ns;
    std::uint64_t missed;
};

NextPeriod next_period_after(std::uint64_t deadline_ns, std::uint64_t period_ns, std::uint64_t now_ns) {
    // deadline <= now (the timer was due). Periods elapsed since the deadline, counting
    // the one that ends exactly at now: those are missed; the next one is in the future.
    std::uint64_t missed = (now_ns - deadline_ns) / period_ns;
    std::uint64_t last_due = deadline_ns + missed * period_ns;  // <= now: cannot overflow
    std::uint64_t next = 0;
    // Saturate instead of wrapping: a deadline 584 years after boot never comes.
    if (__builtin_add_overflow(last_due, period_ns, &next)) next = kMaxU64;
    return NextPeriod{next, missed};
}

}  // namespace

lib::ErrorOr<void> TimerQueue::arm(TimerId id, std::uint64_t deadline_ns) {
    return insert_replacing(Timer{id, deadline_ns, 0});
}

lib::ErrorOr<void> TimerQueue::arm_periodic(TimerId id, std::uint64_t first_deadline_ns, std::uint64_t period_ns) {
    if (period_ns == 0) return lib::error(abi::Errno::Inval, "periodic timer with a period of 0");
    return insert_replacing(Timer{id, first_deadline_ns, period_ns});
}

bool TimerQueue::cancel(TimerId id) {
    std::optional<std::size_t> index = find(id);
    if (!index) return false;
    remove_at(*index);
    return true;
}

std::optional<std::uint64_t> TimerQueue::deadline_of(TimerId id) const {
    std::optional<std::size_t> index = find(id);
    if (!index) return std::nullopt;
    return slots_[*index].deadline_ns;
}

std::optional<std::uint64_t> TimerQueue::next_deadline() const {
    if (count_ == 0) return std::nullopt;
    return slots_[0].deadline_ns;
}

std::optional<ExpiredTimer> TimerQueue::pop_due(std::uint64_t now_ns) {
    if (count_ == 0 || slots_[0].deadline_ns > now_ns) return std::nullopt;
    Timer due = slots_[0];
    remove_at(0);
    ExpiredTimer expired{due.id, due.deadline_ns, 0};
    if (due.period_ns != 0) {
        NextPeriod next = next_period_after(due.deadline_ns, due.period_ns, now_ns);
        expired.missed_periods = next.missed;
        insert_sorted(Timer{due.id, next.deadline_ns, due.period_ns});  // the slot just freed
    }
    return expired;
}

std::optional<std::size_t> TimerQueue::find(TimerId id) const {
    for (std::size_t i = 0; i < count_; ++i)
        if (slots_[i].id == id) return i;
    return std::nullopt;
}

lib::ErrorOr<void> TimerQueue::insert_replacing(Timer timer) {
    std::optional<std::size_t> existing = find(timer.id);
    if (!existing && count_ == slots_.size()) return lib::error(abi::Errno::NoSpc, "timer queue full");
    if (existing) remove_at(*existing);
    insert_sorted(timer);
    return {};
}

void TimerQueue::insert_sorted(Timer timer) {
    ASSERT(count_ < slots_.size());
    // After every timer due at or before this one, so that equal deadlines keep arming order.
    std::size_t position = count_;
    while (position > 0 && slots_[position - 1].deadline_ns > timer.deadline_ns) {
        slots_[position] = slots_[position - 1];
        --position;
    }
    slots_[position] = timer;
    ++count_;
}

void TimerQueue::remove_at(std::size_t index) {
    ASSERT(index < count_);
    for (std::size_t i = index + 1; i < count_; ++i) slots_[i - 1] = slots_[i];
    --count_;
}

TimerRequest interpret_set_timer_op(std::uint64_t timeout, std::uint64_t now_ns) {
    using Action = TimerRequest::Action;
    if (timeout == 0) return TimerRequest{Action::Cancel, 0, false};
    // Xen takes the argument as a signed s_time_t: the top bit set means "negative".
    bool negative = static_cast<std::int64_t>(timeout) < 0;
    bool too_far_ahead = timeout > now_ns && timeout - now_ns >= kMaxTimeoutAheadNs;
    if (negative || too_far_ahead) return TimerRequest{Action::Arm, now_ns + kAbsurdTimeoutDelayNs, true};
    return TimerRequest{Action::Arm, timeout, false};
}

TimerRequest interpret_singleshot_timer(std::uint64_t timeout_abs_ns, std::uint64_t now_ns) {
    using Action = TimerRequest::Action;
    bool negative = static_cast<std::int64_t>(timeout_abs_ns) < 0;
    if (negative || timeout_abs_ns < now_ns) return TimerRequest{Action::Arm, now_ns, false};
    return TimerRequest{Action::Arm, timeout_abs_ns, false};
}

lib::ErrorOr<std::uint64_t> check_timer_period(std::uint64_t period_ns) {
    if (period_ns < kMinTimerPeriodNs) return lib::error(abi::Errno::Inval, "timer period under 1 ms");
    if (period_ns > kMaxTimerPeriodNs) return lib::error(abi::Errno::Inval, "timer period above STIME_DELTA_MAX");
    return period_ns;
}

}  // namespace hv
