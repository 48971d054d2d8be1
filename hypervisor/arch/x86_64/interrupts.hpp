// SPDX-License-Identifier: MIT
// Hardware interrupts: the local APIC timer drives time slices and guest timers.
#pragma once

#include <cstdint>

namespace arch {

/// The local APIC timer's vector, and the spurious vector.
inline constexpr uint32_t kTimerVector = 0xf0;
inline constexpr uint32_t kSpuriousVector = 0xff;

/// An interrupt arrived (from the guest or while the CPU idled).
void handle_interrupt(uint32_t vector);

/// Program the local APIC timer to fire once at TSC `deadline` (0 stops it).
void arm_timer_at_tsc(uint64_t deadline);

}  // namespace arch
