// SPDX-License-Identifier: MIT
// Interrupt dispatch and the one-shot timer (see interrupts.hpp).
#include "arch/x86_64/interrupts.hpp"

#include "arch/x86_64/apic.hpp"
#include "arch/x86_64/cpu.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"

namespace arch {

void handle_interrupt(uint32_t vector) {
    if (vector == kSpuriousVector) return;  // no EOI for a spurious interrupt (SDM Vol. 3A 11.9)
    apic_end_of_interrupt();
    if (vector == kTimerVector) {
        hv::timer_interrupt();
        return;
    }
    hv::log_warning("unexpected interrupt, vector {}\n", vector);
}

void arm_timer_at_tsc(uint64_t deadline) {
    if (deadline == 0) {
        apic_timer_one_shot(kTimerVector, 0);
        return;
    }
    const uint64_t now = rdtsc();
    const TimerCalibration& calibration = timer_calibration();
    // Far deadlines are approached in steps of at most a second: the timer fires early,
    // nothing is due, and the next deadline is programmed again. This also keeps the
    // product below from overflowing.
    const uint64_t one_second = timer_calibration().tsc_khz * 1000;
    uint64_t tsc_ticks = deadline > now ? deadline - now : 1;
    if (one_second != 0 && tsc_ticks > one_second) tsc_ticks = one_second;
    // TSC ticks -> APIC ticks: both counted per millisecond by the calibration.
    const uint64_t apic_ticks = calibration.tsc_khz == 0 ? 1 : tsc_ticks * calibration.apic_ticks_per_ms / calibration.tsc_khz;
    apic_timer_one_shot(kTimerVector, apic_ticks == 0 ? 1 : apic_ticks);
}

}  // namespace arch
