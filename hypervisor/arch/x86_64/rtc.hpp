// SPDX-License-Identifier: MIT
// The CMOS real-time clock: the wall time at boot.
#pragma once

#include <cstdint>

namespace arch {

struct RtcTime {
    uint64_t seconds_since_epoch;  ///< UTC, as the RTC holds it (QEMU's default is UTC)
};

/// Read the RTC once (waiting out an update in progress).
RtcTime read_rtc();

}  // namespace arch
