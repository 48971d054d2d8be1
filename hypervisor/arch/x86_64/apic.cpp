// SPDX-License-Identifier: MIT
// Local APIC timer calibration. The PIT runs at 1.193182 MHz (Intel 8254 data sheet);
// channel 2's gate and output are bits 0 and 5 of port 0x61. Local APIC registers:
// SDM Vol. 3A 11.4 (base MSR), 11.5.4 (timer: initial/current count, divide config).
#include "arch/x86_64/apic.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/paging.hpp"
#include "core/printk.hpp"

namespace arch {
namespace {

constexpr uint64_t kPitHz = 1193182;
constexpr uint64_t kCalibrationMs = 10;
constexpr uint16_t kPitChannel2 = 0x42, kPitCommand = 0x43, kPortB = 0x61;
constexpr uint8_t kPortBGate2 = 0x01, kPortBSpeaker = 0x02, kPortBOut2 = 0x20;
constexpr uint8_t kPitChannel2Mode0Binary = 0xb0;  // channel 2, lobyte/hibyte, mode 0
constexpr uint16_t kPic1Data = 0x21, kPic2Data = 0xa1;

constexpr uint64_t kApicBaseMask = 0xfffff000;
constexpr uint64_t kApicGlobalEnable = 1 << 11;
constexpr uint32_t kSpuriousVectorRegister = 0xf0, kLvtTimer = 0x320, kInitialCount = 0x380, kCurrentCount = 0x390,
                   kDivideConfig = 0x3e0;
constexpr uint32_t kApicSoftwareEnable = 1 << 8, kLvtMasked = 1 << 16, kSpuriousInterruptVector = 0xff,
                   kDivideBy16 = 0x3;

TimerCalibration calibration;

volatile uint32_t& apic_register(uint32_t offset) {
    uint64_t base = rdmsr(kMsrApicBase) & kApicBaseMask;
    return *reinterpret_cast<volatile uint32_t*>(static_cast<uint8_t*>(phys_to_virt(base)) + offset);
}

}  // namespace

TimerCalibration apic_timer_calibrate() {
    outb(kPic1Data, 0xff);  // the 8259s stay masked for good: the local APIC takes over
    outb(kPic2Data, 0xff);
    wrmsr(kMsrApicBase, rdmsr(kMsrApicBase) | kApicGlobalEnable);
    apic_register(kSpuriousVectorRegister) = kApicSoftwareEnable | kSpuriousInterruptVector;
    apic_register(kLvtTimer) = kLvtMasked;
    apic_register(kDivideConfig) = kDivideBy16;

    constexpr uint64_t kPitCount = kPitHz * kCalibrationMs / 1000;
    outb(kPortB, static_cast<uint8_t>((inb(kPortB) & ~kPortBSpeaker) | kPortBGate2));
    outb(kPitCommand, kPitChannel2Mode0Binary);
    outb(kPitChannel2, kPitCount & 0xff);
    outb(kPitChannel2, static_cast<uint8_t>(kPitCount >> 8));
    // Restart the count by toggling the gate, then measure until OUT2 goes high.
    outb(kPortB, static_cast<uint8_t>(inb(kPortB) & ~kPortBGate2));
    outb(kPortB, static_cast<uint8_t>(inb(kPortB) | kPortBGate2));
    apic_register(kInitialCount) = 0xffffffff;
    uint64_t tsc_start = rdtsc();
    while ((inb(kPortB) & kPortBOut2) == 0) pause();
    uint64_t tsc_end = rdtsc();
    uint32_t remaining = apic_register(kCurrentCount);
    apic_register(kInitialCount) = 0;

    calibration.apic_ticks_per_ms = (0xffffffffull - remaining) / kCalibrationMs;
    calibration.tsc_khz = (tsc_end - tsc_start) / kCalibrationMs;
    hv::log_info("timer: local APIC {} ticks/ms (divide by 16), TSC {} kHz\n", calibration.apic_ticks_per_ms,
                 calibration.tsc_khz);
    return calibration;
}

const TimerCalibration& timer_calibration() { return calibration; }

void apic_timer_one_shot(uint32_t vector, uint64_t ticks) {
    if (ticks == 0) {
        apic_register(kLvtTimer) = kLvtMasked | vector;
        apic_register(kInitialCount) = 0;
        return;
    }
    apic_register(kLvtTimer) = vector;  // one-shot mode (bits 18:17 = 00), unmasked
    apic_register(kInitialCount) = static_cast<uint32_t>(ticks > 0xffffffff ? 0xffffffff : ticks);
}

void apic_end_of_interrupt() {
    constexpr uint32_t kEoiRegister = 0xb0;
    apic_register(kEoiRegister) = 0;
}

}  // namespace arch
