// SPDX-License-Identifier: MIT
// Timers: every pending deadline of one CPU, earliest first, in a fixed array; and the guest's timeout rules.
//
// Theory of operation (xen/common/timer.c, xen/common/domain.c: do_vcpu_op, xen/common/sched/core.c).
//
// A timer is named by its owner (a vCPU index, or the CPU for hypervisor-internal timers)
// and its kind; an owner has at most one timer of each kind, so arming a timer that is
// already armed moves it. The queue keeps its timers sorted by deadline; timers with equal
// deadlines stay in the order they were armed. The queue is small (a few timers per vCPU),
// so a sorted array, with an O(n) insert, is both the simplest structure and fast enough.
//
// The CPU's hardware timer is programmed for next_deadline(); when it fires, the caller
// pops every timer due at the current system time, earliest first, and acts on each
// (VIRQ_TIMER for a guest's timers, a reschedule for the time slice). A periodic timer is
// re-armed from its own previous deadline, never from the time it was handled, so it does
// not drift; if whole periods went by unhandled it fires once and skips them.
//
// Nothing here allocates or takes a lock: the queue belongs to one CPU, and its owner
// serialises access (interrupts off, or the scheduler lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "lib/error_or.hpp"

namespace hv {

enum class TimerKind : std::uint8_t {
    SingleShot,   ///< set_timer_op and VCPUOP_set_singleshot_timer (v->singleshot_timer)
    Periodic,     ///< VCPUOP_set_periodic_timer: VIRQ_TIMER every period (v->periodic_timer)
    PollTimeout,  ///< SCHEDOP_poll with a timeout (v->poll_timer)
    TimeSlice,    ///< hypervisor-internal: the end of the running vCPU's time slice
};

/// Timers one vCPU can have armed at once (SingleShot, Periodic, PollTimeout).
inline constexpr std::size_t kTimersPerVcpu = 3;

/// Which timer: an owner has at most one timer of each kind.
struct TimerId {
    std::uint32_t owner = 0;  ///< vCPU index (or the CPU, for TimeSlice)
    TimerKind kind = TimerKind::SingleShot;
    constexpr bool operator==(const TimerId&) const = default;
};

/// One armed timer.
struct Timer {
    TimerId id;
    std::uint64_t deadline_ns = 0;  ///< system time at which it is due
    std::uint64_t period_ns = 0;    ///< 0: fires once; otherwise re-armed every period_ns
};

/// A timer that came due, as pop_due reports it.
struct ExpiredTimer {
    TimerId id;
    std::uint64_t deadline_ns = 0;     ///< the deadline it was due at
    std::uint64_t missed_periods = 0;  ///< periodic only: later periods also past, skipped
};

/// Armed timers in deadline order, stored in an array the caller provides.
class TimerQueue {
public:
    constexpr explicit TimerQueue(std::span<Timer> storage) : slots_(storage) {}
    TimerQueue(const TimerQueue&) = delete;
    TimerQueue& operator=(const TimerQueue&) = delete;

    /// Arm a one-shot timer at `deadline_ns` (a deadline already past is due at once),
    /// replacing this id's timer if it is armed.
    /// @retval NoSpc every slot is in use and `id` is not armed (nothing changes)
    lib::ErrorOr<void> arm(TimerId id, std::uint64_t deadline_ns);
    /// Arm a periodic timer: first due at `first_deadline_ns`, then every `period_ns`.
    /// @retval Inval period_ns is 0
    /// @retval NoSpc every slot is in use and `id` is not armed (nothing changes)
    lib::ErrorOr<void> arm_periodic(TimerId id, std::uint64_t first_deadline_ns, std::uint64_t period_ns);
    /// Disarm; returns whether the timer was armed.
    bool cancel(TimerId id);

    /// The deadline of this timer, if armed.
    std::optional<std::uint64_t> deadline_of(TimerId id) const;
    /// The earliest deadline of all, if any timer is armed: when the hardware timer must fire.
    std::optional<std::uint64_t> next_deadline() const;
    /// The earliest timer whose deadline is at or before `now_ns`, removed (a one-shot) or
    /// re-armed for its next period after `now_ns` (a periodic one). Call until empty.
    std::optional<ExpiredTimer> pop_due(std::uint64_t now_ns);

    std::size_t size() const { return count_; }
    std::size_t capacity() const { return slots_.size(); }

private:
    std::optional<std::size_t> find(TimerId id) const;
    lib::ErrorOr<void> insert_replacing(Timer timer);
    void insert_sorted(Timer timer);
    void remove_at(std::size_t index);

    std::span<Timer> slots_;  ///< slots_[0, count_) sorted by deadline, ties in arming order
    std::size_t count_ = 0;
};

namespace detail {
/// Holds the array of a FixedTimerQueue; a base class so that it exists before TimerQueue.
template <std::size_t Capacity>
struct TimerSlots {
    Timer slots[Capacity] = {};
};
}  // namespace detail

/// A TimerQueue with its own storage for `Capacity` timers.
template <std::size_t Capacity>
class FixedTimerQueue : private detail::TimerSlots<Capacity>, public TimerQueue {
public:
    constexpr FixedTimerQueue() : TimerQueue(std::span<Timer>(this->slots)) {}
};

/// What a guest's timeout asks the hypervisor to do with its single-shot timer.
struct TimerRequest {
    enum class Action : std::uint8_t { Cancel, Arm };
    Action action = Action::Cancel;
    std::uint64_t deadline_ns = 0;  ///< with Arm: when (at or before now: due at once)
    bool was_absurd = false;        ///< the timeout was replaced by now + 100 ms (Xen logs
                                    ///< "Warning: huge timeout set")
};

/// How far ahead an absurd timeout fires instead (Xen's MILLISECS(100)).
inline constexpr std::uint64_t kAbsurdTimeoutDelayNs = 100'000'000;
/// A timeout this far ahead or more counts as absurd (~13 days; Xen: offset >> 50 != 0).
inline constexpr std::uint64_t kMaxTimeoutAheadNs = std::uint64_t{1} << 50;

/// set_timer_op(timeout) (Xen's do_set_timer_op): `timeout` is an absolute system time, as
/// the guest passed it. 0 cancels; negative as an int64, or 2^50 ns or more ahead of
/// `now_ns`, arms at now + 100 ms (old Linux guests wrap their jiffies, or pass a huge
/// value to mean "no timer"); anything else, including a time already past, arms at
/// `timeout`.
TimerRequest interpret_set_timer_op(std::uint64_t timeout, std::uint64_t now_ns);

/// VCPUOP_set_singleshot_timer (Xen 4.17.7, which ignores VCPU_SSHOTTMR_future and never
/// returns -ETIME): a timeout before now is due at once, and so is one at or above 2^63,
/// which Xen's signed deadline sees as negative. 0 does not cancel here.
TimerRequest interpret_singleshot_timer(std::uint64_t timeout_abs_ns, std::uint64_t now_ns);

/// The shortest period VCPUOP_set_periodic_timer accepts (Xen's MILLISECS(1)).
inline constexpr std::uint64_t kMinTimerPeriodNs = 1'000'000;
/// The longest (Xen's STIME_DELTA_MAX: now + period cannot overflow for 200 years).
inline constexpr std::uint64_t kMaxTimerPeriodNs = ~std::uint64_t{0} >> 2;

/// VCPUOP_set_periodic_timer: the period, if Xen accepts it.
/// @retval Inval below 1 ms or above STIME_DELTA_MAX
lib::ErrorOr<std::uint64_t> check_timer_period(std::uint64_t period_ns);

}  // namespace hv
