// SPDX-License-Identifier: MIT
// Leaving QEMU with a status that says how the run ended (QEMU's isa-debug-exit device).
#pragma once

#include <cstdint>

namespace arch {

/// What the hypervisor reports when it leaves. QEMU exits with status (value << 1) | 1,
/// so the grader sees 1, 3, 5 or 7 (and 0 only if the machine reset instead).
enum class ExitStatus : uint32_t {
    AllPoweredOff = 0,  ///< every domain shut down with SHUTDOWN_poweroff: success
    DomainCrashed = 1,  ///< some domain crashed, or shut down with SHUTDOWN_crash
    Panic = 2,          ///< the hypervisor itself failed
    OtherShutdown = 3,  ///< every domain ended, some with reboot, suspend or watchdog
};

/// Write the status to the isa-debug-exit port (0xf4 in every QEMU command line the
/// project builds); on hardware without the device, halt instead.
[[noreturn]] void leave_qemu(ExitStatus status);

}  // namespace arch
