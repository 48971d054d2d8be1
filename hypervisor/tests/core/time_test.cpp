// SPDX-License-Identifier: MIT
// Tests of TSC scaling, the system clock and the version-protected time records (core/time.hpp).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/time.hpp"

namespace {

using hv::TimeScale;
using u128 = unsigned __int128;

constexpr uint64_t kSecond = hv::kNanosecondsPerSecond;

/// Frequencies from 1 MHz to 10 GHz, round and awkward, in kHz.
const uint32_t kFrequenciesKhz[] = {1'000,     1'843,     14'318,    100'000,   499'999,   500'000,
                                    999'999,   1'000'000, 1'000'001, 1'193'182, 1'999'999, 2'000'000,
                                    2'000'001, 2'893'417, 3'000'000, 3'600'000, 4'194'304, 5'000'003,
                                    7'999'999, 8'000'000, 9'876'543, 10'000'000};

/// Nanoseconds in `ticks` at `khz`, exactly, rounded down.
uint64_t exact_ns(uint64_t ticks, uint32_t khz) { return static_cast<uint64_t>(u128{ticks} * 1'000'000 / khz); }

/// A deterministic stream of 64-bit values (xorshift64).
struct Numbers {
    uint64_t state = 0x9e3779b97f4a7c15;
    uint64_t next() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
};

/// The largest tick count both conversions take at this scale: shifting left must not overflow.
uint64_t max_ticks(TimeScale scale) { return scale.shift > 0 ? (uint64_t{1} << (64 - scale.shift)) - 1 : ~uint64_t{0}; }


/// Copies of a record after every store publish_* makes (index 0: before the write).
template <typename Record>
struct Recorder {
    const Record* record = nullptr;
    std::vector<Record> seen;

    explicit Recorder(const Record& watched) : record(&watched) { seen.push_back(watched); }
    hv::StoreObserver observer() { return hv::StoreObserver{&Recorder::record_one, this}; }
    static void record_one(void* self) {
        auto* recorder = static_cast<Recorder*>(self);
        recorder->seen.push_back(*recorder->record);
    }
};

/// A guest reads the version at moment `first`, the fields at any moments in between and
/// the version again at `last`; it accepts the read if both versions are equal and even.
/// Every accepted read must have seen one unchanging record: check all such windows.
template <typename Record, typename VersionOf>
void check_no_torn_read(const std::vector<Record>& seen, VersionOf version_of) {
    for (size_t first = 0; first < seen.size(); ++first) {
        for (size_t last = first; last < seen.size(); ++last) {
            uint32_t version = version_of(seen[first]);
            if (version % 2 != 0 || version != version_of(seen[last])) continue;
            for (size_t moment = first; moment <= last; ++moment) {
                CAPTURE(first);
                CAPTURE(moment);
                CAPTURE(last);
                REQUIRE(std::memcmp(&seen[moment], &seen[first], sizeof(Record)) == 0);
            }
        }
    }
}

uint32_t time_version(const abi::VcpuTimeInfo& record) { return record.version; }
uint32_t wall_clock_version(const abi::SharedInfo& shared) { return shared.wc_version; }

}  // namespace

TEST_CASE("the time scale of a 1 GHz TSC is a shift of 1 and a multiplier of one half") {
    CHECK(hv::compute_time_scale(1'000'000) == TimeScale{0x8000'0000, 1});
}

TEST_CASE("a fast TSC gets a negative time shift, a slow one a positive shift; mul stays in [2^31, 2^32)") {
    CHECK(hv::compute_time_scale(10'000'000).shift == -3);  // 10 GHz -> 1.25e9 ticks per shifted second
    CHECK(hv::compute_time_scale(3'000'000).shift == -1);
    CHECK(hv::compute_time_scale(2'000'000).shift == 0);
    CHECK(hv::compute_time_scale(500'000).shift == 2);      // 5e8 -> 2e9: exactly 1e9 is not enough
    CHECK(hv::compute_time_scale(1'000).shift == 10);       // 1 MHz -> 1.024e9
    for (uint32_t khz : kFrequenciesKhz) {
        TimeScale scale = hv::compute_time_scale(khz);
        CAPTURE(khz);
        CHECK(scale.mul >= 0x8000'0000u);
    }
}

TEST_CASE("whole seconds of ticks convert to system time within 1 ns per second, from 1 MHz to 10 GHz, on both sides") {
    for (uint32_t khz : kFrequenciesKhz) {
        TimeScale scale = hv::compute_time_scale(khz);
        for (uint64_t seconds : {uint64_t{1}, uint64_t{2}, uint64_t{10}, uint64_t{3600}, uint64_t{86400}}) {
            uint64_t ticks = seconds * khz * 1000;
            uint64_t guest = hv::guest_scale_ticks(ticks, scale.mul, scale.shift);
            CAPTURE(khz);
            CAPTURE(seconds);
            CHECK(guest <= seconds * kSecond);  // truncation only: never ahead
            CHECK(seconds * kSecond - guest <= seconds);
            CHECK(hv::scale_ticks(ticks, scale) == guest);
        }
    }
}

TEST_CASE("any tick count converts to system time within 2 ns plus 1 ns per second of the exact value") {
    Numbers numbers;
    for (uint32_t khz : kFrequenciesKhz) {
        TimeScale scale = hv::compute_time_scale(khz);
        for (int i = 0; i < 2000; ++i) {
            uint64_t ticks = numbers.next() % (uint64_t{khz} * 1000 * 100'000);  // up to ~28 hours
            uint64_t exact = exact_ns(ticks, khz);
            uint64_t guest = hv::guest_scale_ticks(ticks, scale.mul, scale.shift);
            CAPTURE(khz);
            CAPTURE(ticks);
            REQUIRE(guest <= exact);
            REQUIRE(exact - guest <= 2 + exact / kSecond);
        }
    }
}

TEST_CASE("the hypervisor's and the guest's time conversions agree on every tick count, up to 2^64 - 1") {
    Numbers numbers;
    for (uint32_t khz : kFrequenciesKhz) {
        TimeScale scale = hv::compute_time_scale(khz);
        uint64_t limit = max_ticks(scale);
        for (int i = 0; i < 5000; ++i) {
            uint64_t ticks = numbers.next() & limit;
            CAPTURE(khz);
            CAPTURE(ticks);
            REQUIRE(hv::scale_ticks(ticks, scale) == hv::guest_scale_ticks(ticks, scale.mul, scale.shift));
        }
        CHECK(hv::scale_ticks(limit, scale) == hv::guest_scale_ticks(limit, scale.mul, scale.shift));
    }
}

TEST_CASE("a century of ticks needs the 96-bit product for system time: a 64-bit one would wrap") {
    uint32_t khz = 3'000'000;
    TimeScale scale = hv::compute_time_scale(khz);
    uint64_t century_ns = uint64_t{100} * 365 * 86400 * kSecond;  // 3.15e18 ns
    uint64_t ticks = century_ns * 3;                      // 9.46e18 ticks, above 2^63
    uint64_t guest = hv::guest_scale_ticks(ticks, scale.mul, scale.shift);
    CHECK(guest <= century_ns);
    CHECK(century_ns - guest <= uint64_t{100} * 365 * 86400);  // within 1 ns per second
    CHECK(hv::scale_ticks(ticks, scale) == guest);
    uint64_t wrapped = ((ticks >> 1) * scale.mul) >> 32;  // what a 64-bit intermediate gives
    CHECK(wrapped != guest);
}

TEST_CASE("system time never goes backwards, also where the shifted ticks cross 2^32") {
    for (uint32_t khz : {uint32_t{1'000}, uint32_t{2'893'417}, uint32_t{10'000'000}}) {
        hv::SystemClock clock(1'000'000, hv::compute_time_scale(khz));
        TimeScale scale = clock.scale();
        // The first tick count whose shifted value is 2^32 (the low half of the guest's
        // product wraps there), approached one tick at a time.
        uint64_t boundary = scale.shift >= 0 ? (uint64_t{1} << 32) >> scale.shift : (uint64_t{1} << 32) << -scale.shift;
        uint64_t previous = 0;
        for (uint64_t tsc = clock.boot_tsc() + boundary - 5000; tsc < clock.boot_tsc() + boundary + 5000; ++tsc) {
            uint64_t now = clock.now(tsc);
            CAPTURE(khz);
            CAPTURE(tsc);
            REQUIRE(now >= previous);
            previous = now;
        }
        Numbers numbers;
        uint64_t tsc = clock.boot_tsc();
        previous = 0;
        for (int i = 0; i < 20000; ++i) {
            tsc += numbers.next() % 100'000'000;
            uint64_t now = clock.now(tsc);
            REQUIRE(now >= previous);
            previous = now;
        }
    }
}

TEST_CASE("system time is 0 at the boot TSC and before it") {
    hv::SystemClock clock(5'000'000, hv::compute_time_scale(2'000'000));
    CHECK(clock.now(5'000'000) == 0);
    CHECK(clock.now(4'999'999) == 0);
    CHECK(clock.now(0) == 0);
    CHECK(clock.now(5'000'000 + 2'000'000'000) == kSecond);  // 2 GHz: exact, shift 0, mul 2^31
}

TEST_CASE("tsc_at is the first TSC at which the clock reaches a deadline, so no timer fires early") {
    Numbers numbers;
    for (uint32_t khz : kFrequenciesKhz) {
        hv::SystemClock clock(123'456'789, hv::compute_time_scale(khz));
        for (int i = 0; i < 2000; ++i) {
            uint64_t deadline = numbers.next() % (1'000'000 * kSecond);  // up to ~11 days
            uint64_t tsc = clock.tsc_at(deadline);
            CAPTURE(khz);
            CAPTURE(deadline);
            REQUIRE(clock.now(tsc) >= deadline);
            if (tsc > clock.boot_tsc()) REQUIRE(clock.now(tsc - 1) < deadline);
        }
        CHECK(clock.tsc_at(0) == clock.boot_tsc());
    }
}

TEST_CASE("tsc_at saturates for a timer deadline the TSC never reaches") {
    hv::SystemClock clock(1000, hv::compute_time_scale(10'000'000));  // 10 GHz: 2^64 ticks ~ 58 years
    CHECK(clock.tsc_at(~uint64_t{0}) == ~uint64_t{0});
    CHECK(clock.tsc_at(uint64_t{100} * 365 * 86400 * kSecond) == ~uint64_t{0});
    hv::SystemClock late_boot(~uint64_t{0} - 10, hv::compute_time_scale(1'000'000));
    CHECK(late_boot.tsc_at(kSecond) == ~uint64_t{0});
}

TEST_CASE("publish_time makes the version odd before the first field and even after the last") {
    abi::VcpuTimeInfo record{};
    record.version = 4;
    Recorder recorder(record);
    hv::publish_time(record, 1000, 2000, TimeScale{0x8000'0000, 1}, abi::kPvclockTscStableBit, recorder.observer());
    const auto& seen = recorder.seen;
    REQUIRE(seen.size() >= 3);
    CHECK(seen.front().version == 4);
    for (size_t i = 1; i + 1 < seen.size(); ++i) {
        CAPTURE(i);
        CHECK(seen[i].version == 5);
    }
    CHECK(seen.back().version == 6);
    CHECK(record.tsc_timestamp == 1000);
    CHECK(record.system_time == 2000);
    CHECK(record.tsc_to_system_mul == 0x8000'0000u);
    CHECK(record.tsc_shift == 1);
    CHECK(record.flags == abi::kPvclockTscStableBit);
}

TEST_CASE("a time record left odd by an interrupted write still ends even, past every earlier version") {
    abi::VcpuTimeInfo record{};
    record.version = 5;
    Recorder recorder(record);
    hv::publish_time(record, 1, 2, TimeScale{0x8000'0000, 0}, 0, recorder.observer());
    CHECK(recorder.seen[1].version == 7);
    CHECK(record.version == 8);
}

TEST_CASE("a guest following the version protocol never accepts a torn time record") {
    abi::VcpuTimeInfo record{};
    hv::publish_time(record, 111, 222, TimeScale{0x9000'0000, -1});
    Recorder recorder(record);
    hv::publish_time(record, 333, 444, TimeScale{0xa000'0000, 2}, abi::kPvclockTscStableBit, recorder.observer());
    hv::publish_time(record, 555, 666, TimeScale{0xb000'0000, -3}, 0, recorder.observer());
    REQUIRE(recorder.seen.size() > 10);
    check_no_torn_read(recorder.seen, time_version);
}

TEST_CASE("a guest reading a record published from the clock's stamp computes exactly the hypervisor's time") {
    Numbers numbers;
    for (uint32_t khz : kFrequenciesKhz) {
        hv::SystemClock clock(987'654'321, hv::compute_time_scale(khz));
        abi::VcpuTimeInfo record{};
        hv::publish_clock(record, clock);
        uint64_t limit = max_ticks(clock.scale()) - clock.boot_tsc();
        for (int i = 0; i < 2000; ++i) {
            uint64_t tsc = clock.boot_tsc() + numbers.next() % limit;
            CAPTURE(khz);
            CAPTURE(tsc);
            REQUIRE(hv::guest_system_time(record, tsc) == clock.now(tsc));
        }
    }
}

TEST_CASE("a time record stamped after boot never runs ahead of the hypervisor's clock and trails it by at most 2 ns") {
    Numbers numbers;
    for (uint32_t khz : kFrequenciesKhz) {
        hv::SystemClock clock(1'000, hv::compute_time_scale(khz));
        uint64_t stamp = clock.boot_tsc() + numbers.next() % (uint64_t{khz} * 1000 * 3600);
        abi::VcpuTimeInfo record{};
        hv::publish_time(record, stamp, clock.now(stamp), clock.scale());
        for (int i = 0; i < 2000; ++i) {
            uint64_t tsc = stamp + numbers.next() % (uint64_t{khz} * 1000 * 3600);
            uint64_t guest = hv::guest_system_time(record, tsc);
            CAPTURE(khz);
            CAPTURE(tsc);
            REQUIRE(guest <= clock.now(tsc));
            REQUIRE(clock.now(tsc) - guest <= 2);
        }
    }
}

TEST_CASE("the published wall time splits seconds into wc_sec and wc_sec_hi and carries out of wc_nsec") {
    abi::SharedInfo shared{};
    hv::publish_wall_clock(shared, hv::WallTime{0x1'2345'6789, 2'500'000'000});
    CHECK(shared.wc_sec == 0x2345'6789u + 2);
    CHECK(shared.wc_sec_hi == 0x1u);
    CHECK(shared.wc_nsec == 500'000'000u);
    CHECK(shared.wc_version == 2);
}

TEST_CASE("a guest following the version protocol never accepts a torn wall time") {
    abi::SharedInfo shared{};
    hv::publish_wall_clock(shared, hv::WallTime{0xffff'ffff, 999'999'999});
    Recorder recorder(shared);
    hv::publish_wall_clock(shared, hv::WallTime{0x1'0000'0000, 1}, recorder.observer());
    hv::publish_wall_clock(shared, hv::WallTime{1'700'000'000, 5}, recorder.observer());
    std::vector<uint32_t> versions;
    for (const abi::SharedInfo& seen : recorder.seen) versions.push_back(seen.wc_version);
    CHECK(versions == std::vector<uint32_t>{2, 3, 3, 3, 3, 4, 5, 5, 5, 5, 6});  // odd at every field store
    check_no_torn_read(recorder.seen, wall_clock_version);
}

TEST_CASE("the guest's wall time is the wall time at boot plus system time, carrying nanoseconds") {
    abi::SharedInfo shared{};
    hv::publish_wall_clock(shared, hv::WallTime{1'700'000'000, 900'000'000});
    CHECK(hv::guest_wall_time(shared, 0) == hv::WallTime{1'700'000'000, 900'000'000});
    CHECK(hv::guest_wall_time(shared, 200'000'000) == hv::WallTime{1'700'000'001, 100'000'000});
    CHECK(hv::guest_wall_time(shared, 86400 * kSecond + 99) == hv::WallTime{1'700'086'400, 900'000'099});
}

TEST_CASE("the wall time at boot is the reading minus the system time at the reading, clamped at the epoch") {
    CHECK(hv::wall_time_at_boot(hv::WallTime{1'700'000'010, 500}, 3 * kSecond + 200) ==
          hv::WallTime{1'700'000'007, 300});
    CHECK(hv::wall_time_at_boot(hv::WallTime{1'700'000'010, 100}, 3 * kSecond + 200) ==
          hv::WallTime{1'700'000'006, 999'999'900});
    CHECK(hv::wall_time_at_boot(hv::WallTime{2, 0}, 3 * kSecond) == hv::WallTime{0, 0});
    CHECK(hv::wall_time_at_boot(hv::WallTime{0, 100}, 200) == hv::WallTime{0, 0});
}
