// SPDX-License-Identifier: MIT
// The benchmark guests' shared pieces: reading the TSC, the TSC's rate, and the result lines.
//
// Every result is one line the host script (scripts/bench-mmu-events.py) parses:
//   bench: <operation>: <cycles per op> tsc cycles/<unit> (<ops> <unit>s, <cycles> cycles)
// The totals let the host divide without rounding. Cycles are the guest's own RDTSC
// deltas (a PV guest reads the TSC natively on Xen and Xenolith). Under QEMU
// `-icount shift=0` the TSC is QEMU's virtual clock, one tick per instruction executed,
// so the same line counts instructions there: `bench: calibration` checks that with a
// loop of a known number of instructions.
#pragma once

#include <cstdint>

#include "abi/start_info.hpp"
#include "lib/error_or.hpp"

namespace minios::bench {

/// How many times each operation runs: enough that the loop around it is noise.
inline constexpr uint64_t kDefaultOps = 10'240;  // 20 passes over an L1 table's 512 entries

/// RDTSC, ordered after everything before it (LFENCE: SDM Vol. 2B, RDTSC).
inline uint64_t read_tsc() {
    uint32_t low = 0;
    uint32_t high = 0;
    asm volatile("lfence; rdtsc" : "=a"(low), "=d"(high) : : "memory");
    return (uint64_t{high} << 32) | low;
}

/// Map shared_info and register the event callbacks (kernel/events.hpp), stop the
/// periodic VIRQ_TIMER (nothing here binds it; fewer interruptions), and print
///   bench: tsc: <kHz> kHz (vcpu_time_info)
/// and the calibration line.
lib::ErrorOr<void> start(const abi::StartInfo& info);

/// Print one result line (see the top of this file).
void report(const char* operation, const char* unit, uint64_t ops, uint64_t cycles);

/// The value of `key=` (for example "ops=") in the guest's command line, or `fallback`.
uint64_t number_option(const abi::StartInfo& info, const char* key, uint64_t fallback);
/// Whether the command line has `key=word` (for example role=ping).
bool option_is(const abi::StartInfo& info, const char* key, const char* word);

/// Print "bench: <app>: failed: <what>: <errno>" and return the application's failure status.
int fail(const char* what, const lib::Error& error);

}  // namespace minios::bench
