// SPDX-License-Identifier: MIT
// The benchmark guests' shared pieces: TSC rate, calibration, result lines, options.
#include "apps/bench/bench.hpp"
#include "kernel/command_line.hpp"

#include "apps/app.hpp"
#include "kernel/console.hpp"
#include "kernel/events.hpp"
#include "kernel/time.hpp"
#include "lib/string.hpp"

namespace minios::bench {
namespace {

constexpr uint64_t kCalibrationIterations = 1'000'000;

/// The TSC's rate as the hypervisor publishes it: vcpu_time_info turns ticks into ns
/// with ns = ((ticks << shift) * mul) >> 32 (XEN-PV-ABI.md 7), so one ns is
/// 2^32 / (mul << shift) ticks and one ms 10^6 times that. 10^6 * 2^32 < 2^52: 64-bit
/// arithmetic suffices for shifts down to -11 (Xen's is -1 for a 3 GHz TSC).
uint64_t tsc_khz(const abi::VcpuTimeInfo& time) {
    uint64_t numerator = kNsPerMs << 32;
    if (time.tsc_shift >= 0) numerator >>= time.tsc_shift;
    else if (time.tsc_shift >= -11) numerator <<= -time.tsc_shift;
    else return 0;
    return time.tsc_to_system_mul == 0 ? 0 : numerator / time.tsc_to_system_mul;
}
// Worked example: a 1 GHz TSC is 1 ns a tick; mul 2^32 would not fit, so Xen gives
// shift 1 and mul 2^31: (10^6 * 2^32 >> 1) / 2^31 = 10^6 kHz.
static_assert(((uint64_t{1'000'000} << 32) >> 1) / 0x8000'0000 == 1'000'000);

/// A loop of exactly two instructions per iteration (DEC, JNZ), timed by the TSC: under
/// `-icount shift=0` it takes 2 ticks per iteration, which shows that the TSC counts
/// instructions there.
void calibrate() {
    const uint64_t start = read_tsc();
    uint64_t count = kCalibrationIterations;
    asm volatile("1: dec %[count]\n\tjnz 1b" : [count] "+r"(count) : : "cc");
    const uint64_t cycles = read_tsc() - start;
    report("calibration, a loop of 2 instructions", "iteration", kCalibrationIterations, cycles);
}


const char* command_line(const abi::StartInfo& info) { return reinterpret_cast<const char*>(info.cmd_line); }

}  // namespace

lib::ErrorOr<void> start(const abi::StartInfo& info) {
    TRY(init_events(info));
    TRY(stop_periodic_timer());
    printk("bench: tsc: {} kHz (vcpu_time_info)\n", tsc_khz(read_time_info()));
    calibrate();
    return {};
}

void report(const char* operation, const char* unit, uint64_t ops, uint64_t cycles) {
    printk("bench: {}: {} tsc cycles/{} ({} {}s, {} cycles)\n", operation, ops == 0 ? 0 : cycles / ops, unit, ops,
           unit, cycles);
}

uint64_t number_option(const abi::StartInfo& info, const char* key, uint64_t fallback) {
    return minios::number_option(command_line(info), key, fallback);
}

bool option_is(const abi::StartInfo& info, const char* key, const char* word) {
    return minios::option_is(command_line(info), key, word);
}

int fail(const char* what, const lib::Error& error) {
    printk("bench: {}: failed: {}: {}\n", app_name(), what, abi::errno_name(error.code));
    return 1;
}

}  // namespace minios::bench
