// SPDX-License-Identifier: MIT
// Reading the MC146818-compatible RTC through ports 0x70/0x71 (register map: the
// MC146818A data sheet; status register B bit 2 = binary, bit 1 = 24-hour).
#include "arch/x86_64/rtc.hpp"

#include "arch/x86_64/cpu.hpp"

namespace arch {
namespace {

constexpr uint16_t kIndex = 0x70, kData = 0x71;
constexpr uint8_t kSeconds = 0x00, kMinutes = 0x02, kHours = 0x04, kDay = 0x07, kMonth = 0x08, kYear = 0x09,
                  kStatusA = 0x0a, kStatusB = 0x0b;
constexpr uint8_t kUpdateInProgress = 0x80, kBinary = 0x04, kTwentyFourHour = 0x02, kPm = 0x80;

uint8_t read_register(uint8_t index) {
    outb(kIndex, index);
    return inb(kData);
}

uint64_t from_bcd(uint8_t value, bool binary) { return binary ? value : (value & 0x0f) + (value >> 4) * 10; }

/// Days from 1970-01-01 to year-month-day (proleptic Gregorian; H. Hinnant's algorithm).
uint64_t days_since_epoch(uint64_t year, uint64_t month, uint64_t day) {
    year -= month <= 2 ? 1 : 0;
    const uint64_t era = year / 400;
    const uint64_t year_of_era = year - era * 400;
    const uint64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const uint64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

}  // namespace

RtcTime read_rtc() {
    while (read_register(kStatusA) & kUpdateInProgress) pause();
    const uint8_t status = read_register(kStatusB);
    const bool binary = status & kBinary;
    const uint64_t second = from_bcd(read_register(kSeconds), binary);
    const uint64_t minute = from_bcd(read_register(kMinutes), binary);
    const uint8_t raw_hour = read_register(kHours);
    uint64_t hour = from_bcd(raw_hour & 0x7f, binary);
    if (!(status & kTwentyFourHour) && (raw_hour & kPm)) hour = (hour % 12) + 12;
    const uint64_t day = from_bcd(read_register(kDay), binary);
    const uint64_t month = from_bcd(read_register(kMonth), binary);
    const uint64_t year = 2000 + from_bcd(read_register(kYear), binary);  // QEMU's century is 20
    const uint64_t days = days_since_epoch(year, month, day);
    return RtcTime{((days * 24 + hour) * 60 + minute) * 60 + second};
}

}  // namespace arch
