// SPDX-License-Identifier: MIT
// TSC-to-nanosecond scaling, the system clock and the version-protected time records (see time.hpp).
#include "core/time.hpp"

#include "lib/assert.hpp"

namespace hv {

namespace {

constexpr std::uint64_t kMaxU64 = ~std::uint64_t{0};

/// Keeps the compiler from moving stores across it; on x86 the CPU keeps stores in order
/// by itself (SDM vol. 3 §9.2.2), so this is Xen's smp_wmb().
inline void compiler_barrier() { asm volatile("" ::: "memory"); }

/// Xen's version_update_begin: odd, and different from any version a reader may hold.
constexpr std::uint32_t version_begin(std::uint32_t version) { return (version + 1) | 1; }
/// Xen's version_update_end: the next (even) version.
constexpr std::uint32_t version_end(std::uint32_t version) { return version + 1; }

void notify(StoreObserver observer) {
    if (observer.after_store != nullptr) observer.after_store(observer.context);
}

/// Ticks shifted as the scale says (left for shift >= 0, right otherwise).
constexpr std::uint64_t shift_ticks(std::uint64_t ticks, std::int8_t shift) {
    return shift >= 0 ? ticks << shift : ticks >> -shift;
}

}  // namespace

TimeScale compute_time_scale(std::uint32_t tsc_khz) {
    ASSERT(tsc_khz != 0);
    // Bring the ticks per second into (1e9, 2e9] by halving or doubling, counting the
    // shifts; then ns per shifted tick is 1e9 / ticks, a fraction in [0.5, 1).
    std::uint64_t ticks_per_second = std::uint64_t{tsc_khz} * 1000;
    int shift = 0;
    while (ticks_per_second > 2 * kNanosecondsPerSecond) {
        ticks_per_second >>= 1;
        --shift;
    }
    while (ticks_per_second <= kNanosecondsPerSecond) {
        ticks_per_second <<= 1;
        ++shift;
    }
    // mul = 1e9 * 2^32 / ticks_per_second < 2^32 since ticks_per_second > 1e9; the
    // dividend fits in 64 bits (1e9 < 2^30).
    std::uint64_t mul = (kNanosecondsPerSecond << 32) / ticks_per_second;
    return TimeScale{static_cast<std::uint32_t>(mul), static_cast<std::int8_t>(shift)};
}

std::uint64_t scale_ticks(std::uint64_t ticks, TimeScale scale) {
    unsigned __int128 product = static_cast<unsigned __int128>(shift_ticks(ticks, scale.shift)) * scale.mul;
    return static_cast<std::uint64_t>(product >> 32);
}

std::uint64_t guest_scale_ticks(std::uint64_t ticks, std::uint32_t tsc_to_system_mul, std::int8_t tsc_shift) {
    std::uint64_t shifted = shift_ticks(ticks, tsc_shift);
    // shifted * mul = high * mul * 2^32 + low * mul, so (shifted * mul) >> 32 is
    // high * mul + (low * mul) >> 32; neither partial product exceeds 64 bits.
    std::uint64_t high = (shifted >> 32) * tsc_to_system_mul;
    std::uint64_t low = (shifted & 0xffff'ffff) * tsc_to_system_mul;
    return high + (low >> 32);
}

std::uint64_t guest_system_time(const abi::VcpuTimeInfo& record, std::uint64_t tsc) {
    return record.system_time +
           guest_scale_ticks(tsc - record.tsc_timestamp, record.tsc_to_system_mul, record.tsc_shift);
}

std::uint64_t SystemClock::now(std::uint64_t tsc) const {
    if (tsc < boot_tsc_) return 0;
    return scale_ticks(tsc - boot_tsc_, scale_);
}

std::uint64_t SystemClock::tsc_at(std::uint64_t system_time_ns) const {
    // now(boot + d) >= ns  <=>  shifted(d) * mul >= ns * 2^32  <=>  shifted(d) >= X, with
    // X = ceil(ns * 2^32 / mul). Long division in two steps keeps every value in 64 bits:
    // ns = q * mul + r, so X = q * 2^32 + ceil(r * 2^32 / mul), and r * 2^32 < 2^64.
    const std::uint64_t mul = scale_.mul;
    ASSERT(mul != 0);
    std::uint64_t quotient = system_time_ns / mul;
    std::uint64_t remainder = system_time_ns % mul;
    if (quotient > 0xffff'ffff) return kMaxU64;
    std::uint64_t fraction = ((remainder << 32) + mul - 1) / mul;  // <= 2^32
    std::uint64_t shifted_needed = 0;
    if (__builtin_add_overflow(quotient << 32, fraction, &shifted_needed)) return kMaxU64;

    // Undo the shift: the fewest ticks d whose shifted value reaches shifted_needed.
    std::uint64_t ticks = 0;
    if (scale_.shift >= 0) {
        std::uint64_t unit = std::uint64_t{1} << scale_.shift;
        ticks = shifted_needed / unit + (shifted_needed % unit != 0 ? 1 : 0);
    } else {
        int right = -scale_.shift;
        if (shifted_needed > (kMaxU64 >> right)) return kMaxU64;
        ticks = shifted_needed << right;
    }
    std::uint64_t tsc = 0;
    if (__builtin_add_overflow(boot_tsc_, ticks, &tsc)) return kMaxU64;
    return tsc;
}

void publish_time(abi::VcpuTimeInfo& record, std::uint64_t tsc_stamp, std::uint64_t system_time_at_stamp,
                  TimeScale scale, std::uint8_t flags, StoreObserver observer) {
    record.version = version_begin(record.version);
    notify(observer);
    compiler_barrier();
    record.tsc_timestamp = tsc_stamp;
    notify(observer);
    record.system_time = system_time_at_stamp;
    notify(observer);
    record.tsc_to_system_mul = scale.mul;
    notify(observer);
    record.tsc_shift = scale.shift;
    notify(observer);
    record.flags = flags;
    notify(observer);
    compiler_barrier();
    record.version = version_end(record.version);
    notify(observer);
}

void publish_clock(abi::VcpuTimeInfo& record, const SystemClock& clock, std::uint8_t flags,
                   StoreObserver observer) {
    publish_time(record, clock.boot_tsc(), 0, clock.scale(), flags, observer);
}

WallTime wall_time_at_boot(WallTime reading, std::uint64_t system_time_at_reading) {
    std::uint64_t back_seconds = system_time_at_reading / kNanosecondsPerSecond;
    std::uint32_t back_nanoseconds = static_cast<std::uint32_t>(system_time_at_reading % kNanosecondsPerSecond);
    std::uint64_t seconds = reading.seconds + reading.nanoseconds / kNanosecondsPerSecond;
    std::uint32_t nanoseconds = static_cast<std::uint32_t>(reading.nanoseconds % kNanosecondsPerSecond);
    if (nanoseconds < back_nanoseconds) {  // borrow a second
        if (seconds == 0) return WallTime{};
        --seconds;
        nanoseconds += static_cast<std::uint32_t>(kNanosecondsPerSecond);
    }
    if (seconds < back_seconds) return WallTime{};
    return WallTime{seconds - back_seconds, nanoseconds - back_nanoseconds};
}

void publish_wall_clock(abi::SharedInfo& shared, WallTime at_system_time_zero, StoreObserver observer) {
    std::uint64_t seconds = at_system_time_zero.seconds + at_system_time_zero.nanoseconds / kNanosecondsPerSecond;
    auto nanoseconds = static_cast<std::uint32_t>(at_system_time_zero.nanoseconds % kNanosecondsPerSecond);

    shared.wc_version = version_begin(shared.wc_version);
    notify(observer);
    compiler_barrier();
    shared.wc_sec = static_cast<std::uint32_t>(seconds);
    notify(observer);
    shared.wc_nsec = nanoseconds;
    notify(observer);
    shared.wc_sec_hi = static_cast<std::uint32_t>(seconds >> 32);
    notify(observer);
    compiler_barrier();
    shared.wc_version = version_end(shared.wc_version);
    notify(observer);
}

WallTime guest_wall_time(const abi::SharedInfo& shared, std::uint64_t system_time) {
    std::uint64_t seconds = (std::uint64_t{shared.wc_sec_hi} << 32) | shared.wc_sec;
    std::uint64_t nanoseconds = shared.wc_nsec + system_time % kNanosecondsPerSecond;
    seconds += system_time / kNanosecondsPerSecond + nanoseconds / kNanosecondsPerSecond;
    return WallTime{seconds, static_cast<std::uint32_t>(nanoseconds % kNanosecondsPerSecond)};
}

}  // namespace hv
