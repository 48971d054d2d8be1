// SPDX-License-Identifier: MIT
// The local APIC timer, calibrated against the PIT (and the TSC with it).
#pragma once

#include <cstdint>

namespace arch {

struct TimerCalibration {
    uint64_t apic_ticks_per_ms;  ///< local APIC timer ticks per millisecond, divide-by-16
    uint64_t tsc_khz;            ///< TSC ticks per millisecond
};

/// Mask the legacy PIC, enable the local APIC, and measure its timer and the TSC over
/// 10 ms of PIT channel 2. Prints the result.
TimerCalibration apic_timer_calibrate();
const TimerCalibration& timer_calibration();

/// Fire the timer vector once, after `ticks` local-APIC ticks (divide-by-16); 0 stops it.
void apic_timer_one_shot(uint32_t vector, uint64_t ticks);
/// Tell the local APIC the interrupt in service is handled.
void apic_end_of_interrupt();

}  // namespace arch
