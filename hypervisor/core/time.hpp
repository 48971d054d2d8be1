// SPDX-License-Identifier: MIT
// Time: TSC ticks to nanoseconds exactly as a PV guest computes them, and the time records Xen publishes.
//
// Theory of operation (XEN-PV-ABI.md §7; xen/arch/x86/time.c).
//
// System time is nanoseconds since boot. Nobody divides by the TSC frequency at run time:
// at boot the frequency becomes a TimeScale {mul, shift}, and from then on
//     ns = ((ticks << shift, or >> -shift) * mul) >> 32
// with a 64 x 32 -> 96-bit product, so that no delta a machine can live to see overflows.
// mul is a 0.32 fixed-point fraction in [2^31, 2^32): the scale keeps 31 significant bits,
// an error under 0.5 ns per second of ticks, and the result is truncated, never rounded.
//
// The guest computes its own time from a VcpuTimeInfo record (a TSC stamp, the system
// time at that stamp, mul and shift). The hypervisor's SystemClock does the same arithmetic
// from its own stamp, the boot TSC. If the published record *is* the clock's stamp
// (publish_clock), the guest's clock and the hypervisor's agree to the nanosecond, so a
// timer the hypervisor fires at deadline D is never seen "early" by the guest. A record
// stamped at some other (tsc, now(tsc)) pair is legal but truncates twice: the guest's
// clock then runs at most a few ns behind the hypervisor's (never ahead).
//
// Records are written under a version counter: odd while a write is in progress, then the
// next even number. A guest reads the version, the fields, the version again, and retries
// if it was odd or changed. On x86 stores are not reordered with each other (SDM vol. 3
// §9.2.2), so a compiler barrier between the steps is all the ordering the writer needs
// (Xen's smp_wmb() is the same barrier on x86).
//
// Nothing here reads the TSC or touches hardware: callers pass TSC values in.
#pragma once

#include <cstdint>

#include "abi/shared_info.hpp"

namespace hv {

/// How TSC ticks become nanoseconds (Xen's struct time_scale): shift the ticks left by
/// `shift` (right by -shift when negative), multiply by `mul`, keep bits 32 and up.
struct TimeScale {                  // struct time_scale
    std::uint32_t mul = 0;          ///< ns per shifted tick, 0.32 fixed point (mul_frac)
    std::int8_t shift = 0;          ///< published as VcpuTimeInfo::tsc_shift
    constexpr bool operator==(const TimeScale&) const = default;
};

inline constexpr std::uint64_t kNanosecondsPerSecond = 1'000'000'000;

/// The scale for a TSC running at `tsc_khz` kHz, computed as Xen's set_time_scale does:
/// shift the frequency into (1e9, 2e9] ticks per second, then mul = 1e9 * 2^32 / that,
/// rounded down. Integer-only.
/// @pre tsc_khz != 0 (it comes from the hypervisor's own calibration)
TimeScale compute_time_scale(std::uint32_t tsc_khz);  // set_time_scale

/// The hypervisor's conversion of a TSC difference to ns (Xen's scale_delta): one 64 x 64
/// multiply into 128 bits. For shift > 0, `ticks` must stay below 2^(64 - shift).
std::uint64_t scale_ticks(std::uint64_t ticks, TimeScale scale);  // scale_delta

/// The same conversion as a guest writes it from the published fields, with the 96-bit
/// product built from two 32 x 32 -> 64 multiplies (as Linux's pvclock and Mini-OS do).
/// Kept separate from scale_ticks on purpose: the tests check that the two sides agree.
std::uint64_t guest_scale_ticks(std::uint64_t ticks, std::uint32_t tsc_to_system_mul, std::int8_t tsc_shift);

/// The guest's formula for system time from a (consistent) record: system_time +
/// scaled(tsc - tsc_timestamp).
std::uint64_t guest_system_time(const abi::VcpuTimeInfo& record, std::uint64_t tsc);

/// Nanoseconds since boot from TSC readings, for the hypervisor's own timers.
class SystemClock {
public:
    constexpr SystemClock() = default;
    constexpr SystemClock(std::uint64_t boot_tsc, TimeScale scale) : boot_tsc_(boot_tsc), scale_(scale) {}

    /// System time at TSC value `tsc` (0 for a TSC before boot).
    std::uint64_t now(std::uint64_t tsc) const;
    /// The first TSC value at which now() reads at least `system_time_ns` (saturating at
    /// UINT64_MAX): what to program into a TSC-deadline or APIC timer so that a deadline
    /// never fires early, by this clock or by a guest's.
    std::uint64_t tsc_at(std::uint64_t system_time_ns) const;

    constexpr std::uint64_t boot_tsc() const { return boot_tsc_; }
    constexpr TimeScale scale() const { return scale_; }

private:
    std::uint64_t boot_tsc_ = 0;
    TimeScale scale_{};
};

/// A test's window into a record being written: publish_* calls `after_store(context)`
/// after each store, so a test can copy what a guest on another CPU could see at that
/// moment. The hypervisor passes none.
struct StoreObserver {
    void (*after_store)(void* context) = nullptr;
    void* context = nullptr;
};

/// Write a vCPU's time record under the version protocol (Xen's __update_vcpu_system_time):
/// version := (version + 1) | 1, barrier, fields, barrier, version := version + 1.
/// `tsc_stamp` and `system_time_at_stamp` must be a matching pair on the same clock.
/// `flags` is abi::kPvclock* bits.
void publish_time(abi::VcpuTimeInfo& record, std::uint64_t tsc_stamp, std::uint64_t system_time_at_stamp,
                  TimeScale scale, std::uint8_t flags = 0, StoreObserver observer = {});

/// publish_time with the clock's own stamp (boot TSC, system time 0): the guest then
/// computes exactly SystemClock::now for every TSC value.
void publish_clock(abi::VcpuTimeInfo& record, const SystemClock& clock, std::uint8_t flags = 0,
                   StoreObserver observer = {});

/// A wall-clock time: seconds and nanoseconds since the Unix epoch.
struct WallTime {
    std::uint64_t seconds = 0;
    std::uint32_t nanoseconds = 0;  ///< below 1e9 once normalised
    constexpr bool operator==(const WallTime&) const = default;
};

/// The wall time at system time 0, from a wall-clock reading (the RTC) taken at system time
/// `system_time_at_reading`. Clamped at the epoch.
WallTime wall_time_at_boot(WallTime reading, std::uint64_t system_time_at_reading);

/// Write the wall clock into shared_info (Xen's update_domain_wallclock_time): wc_sec,
/// wc_sec_hi and wc_nsec hold the wall time at system time 0, under wc_version with the
/// same protocol as publish_time. Nanoseconds of 1e9 or more carry into seconds.
void publish_wall_clock(abi::SharedInfo& shared, WallTime at_system_time_zero, StoreObserver observer = {});

/// The guest's formula for the wall time now: (wc_sec_hi:wc_sec, wc_nsec) + system_time.
WallTime guest_wall_time(const abi::SharedInfo& shared, std::uint64_t system_time);

}  // namespace hv
