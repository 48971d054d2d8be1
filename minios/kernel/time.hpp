// SPDX-License-Identifier: MIT
// Time in minios: the monotonic clock (ns since boot), the wall clock, and one-shot timers.
#pragma once

#include <cstdint>

#include "abi/shared_info.hpp"
#include "kernel/events.hpp"
#include "lib/error_or.hpp"

namespace minios {

inline constexpr uint64_t kNsPerUs = 1'000;
inline constexpr uint64_t kNsPerMs = 1'000'000;
inline constexpr uint64_t kNsPerSecond = 1'000'000'000;

/// TSC ticks to ns as Xen defines it (XEN-PV-ABI.md 7): shift the delta left by `shift`
/// (right by -shift when negative), multiply by the 32.32 fixed-point `mul`, keep bits
/// 95:32 of the 96-bit product.
constexpr uint64_t scale_tsc_delta(uint64_t delta, uint32_t mul, int8_t shift) {
    delta = shift >= 0 ? delta << shift : delta >> -shift;
    return static_cast<uint64_t>((static_cast<unsigned __int128>(delta) * mul) >> 32);
}
// Worked example: a 2 GHz TSC is 0.5 ns a tick: mul = 2^31, shift 0. 4e9 ticks are 2 s;
// shifted left once first, mul 2^30 gives the same; 2^40 ticks overflow 64 bits only
// without the wide product.
static_assert(scale_tsc_delta(4'000'000'000, 0x8000'0000, 0) == 2'000'000'000);
static_assert(scale_tsc_delta(4'000'000'000, 0x4000'0000, 1) == 2'000'000'000);
static_assert(scale_tsc_delta(uint64_t{1} << 40, 0xFFFF'FFFF, 0) == (uint64_t{1} << 40) - 256);

/// This vCPU's vcpu_time_info, copied under the version protocol (never a torn read).
abi::VcpuTimeInfo read_time_info();
/// ns since the hypervisor booted: system_time extrapolated with the TSC. Never goes
/// backwards, even across Xen's updates of the time info.
uint64_t monotonic_ns();

/// The time of day, from shared_info's wc_* (wall time at system time 0) plus monotonic_ns().
struct WallClock {
    uint64_t seconds;      ///< since 1970-01-01 00:00 UTC
    uint32_t nanoseconds;
    uint32_t version;      ///< wc_version the base was read with (even)
};
WallClock wall_clock();

struct Timer;
/// Runs inside the VIRQ_TIMER handler (events masked, see EventHandler) once the
/// deadline has passed by monotonic_ns(); `now` is that reading.
using TimerCallback = void (*)(Timer& timer, uint64_t now);

/// A one-shot software timer. The owner keeps it alive while it is armed.
struct Timer {
    uint64_t deadline = 0;  ///< monotonic ns
    TimerCallback callback = nullptr;
    void* context = nullptr;
    Timer* next = nullptr;  ///< in the list ordered by deadline
    bool armed = false;
};

/// Bind VIRQ_TIMER and run the timer list from its handler.
/// @pre init_events
lib::ErrorOr<void> init_time();
/// The port VIRQ_TIMER raises.
Port timer_port();

/// Arm `timer` (re-arm it if armed) to run `callback` at `deadline`. Timers with equal
/// deadlines run in the order they were armed.
void start_timer(Timer& timer, uint64_t deadline, TimerCallback callback, void* context = nullptr);
/// Disarm it; nothing happens if it is not armed.
void stop_timer(Timer& timer);

/// Stop the 100 Hz VIRQ_TIMER Xen starts for every vCPU (VCPUOP_stop_periodic_timer),
/// so that VIRQ_TIMER comes only from the one-shot timer (set_timer_op).
lib::ErrorOr<void> stop_periodic_timer();

/// What the VIRQ_TIMER handler has seen.
struct TimerCounters {
    uint64_t virqs;              ///< VIRQ_TIMER events handled
    uint64_t before_deadline;    ///< ... that came before the one-shot deadline set last
    uint64_t timers_run;         ///< timer callbacks run
    uint64_t programmed;         ///< the one-shot deadline set last (0: none)
};
TimerCounters timer_counters();

}  // namespace minios
