// SPDX-License-Identifier: MIT
// sched_op (hypercall 29): yield, block, shut down, poll.
#pragma once

#include <cstddef>
#include <cstdint>

#include "abi/xen.hpp"

namespace abi {

/// First argument of sched_op (xen/include/public/sched.h).
enum class SchedOp : std::uint32_t {
    Yield = 0,           // SCHEDOP_yield: arg NULL
    Block = 1,           // SCHEDOP_block: arg NULL; also clears evtchn_upcall_mask
    Shutdown = 2,        // SCHEDOP_shutdown: arg SchedShutdown
    Poll = 3,            // SCHEDOP_poll: arg SchedPoll
    RemoteShutdown = 4,  // SCHEDOP_remote_shutdown: arg SchedRemoteShutdown
    ShutdownCode = 5,    // SCHEDOP_shutdown_code: arg SchedShutdown (records the reason only)
    Watchdog = 6,        // SCHEDOP_watchdog: arg SchedWatchdog
    PinOverride = 7,     // SCHEDOP_pin_override: arg SchedPinOverride
};

/// Why a domain shuts down.
enum class ShutdownReason : std::uint32_t {
    Poweroff = 0,   // SHUTDOWN_poweroff
    Reboot = 1,     // SHUTDOWN_reboot
    Suspend = 2,    // SHUTDOWN_suspend
    Crash = 3,      // SHUTDOWN_crash
    Watchdog = 4,   // SHUTDOWN_watchdog
    SoftReset = 5,  // SHUTDOWN_soft_reset
};
/// Largest valid ShutdownReason.
inline constexpr std::uint32_t kShutdownMax = 5;  // SHUTDOWN_MAX

/// Argument of SCHEDOP_shutdown and SCHEDOP_shutdown_code.
struct SchedShutdown {  // struct sched_shutdown
    std::uint32_t reason;  ///< ShutdownReason
};
static_assert(sizeof(SchedShutdown) == 4);
static_assert(offsetof(SchedShutdown, reason) == 0);

/// Argument of SCHEDOP_poll: block until one of the ports is pending or the timeout passes.
struct SchedPoll {  // struct sched_poll
    GuestHandle<std::uint32_t> ports;  ///< array of event-channel ports
    std::uint32_t nr_ports;
    std::uint32_t hole0;               ///< padding (implicit in Xen's struct)
    std::uint64_t timeout;             ///< absolute system time (ns); 0 = none
};
static_assert(sizeof(SchedPoll) == 24);
static_assert(offsetof(SchedPoll, ports) == 0);
static_assert(offsetof(SchedPoll, nr_ports) == 8);
static_assert(offsetof(SchedPoll, timeout) == 16);

/// Argument of SCHEDOP_remote_shutdown.
struct SchedRemoteShutdown {  // struct sched_remote_shutdown
    DomainId domain_id;    ///< the domain to shut down
    std::uint16_t hole0;   ///< padding (implicit in Xen's struct)
    std::uint32_t reason;  ///< ShutdownReason
};
static_assert(sizeof(SchedRemoteShutdown) == 8);
static_assert(offsetof(SchedRemoteShutdown, domain_id) == 0);
static_assert(offsetof(SchedRemoteShutdown, reason) == 4);

/// Argument of SCHEDOP_watchdog.
struct SchedWatchdog {  // struct sched_watchdog
    std::uint32_t id;       ///< 0 creates a watchdog; otherwise the one to pet or delete
    std::uint32_t timeout;  ///< seconds; 0 deletes
};
static_assert(sizeof(SchedWatchdog) == 8);
static_assert(offsetof(SchedWatchdog, id) == 0);
static_assert(offsetof(SchedWatchdog, timeout) == 4);

/// Argument of SCHEDOP_pin_override.
struct SchedPinOverride {  // struct sched_pin_override
    std::int32_t pcpu;  ///< physical CPU to pin to; negative ends the override
};
static_assert(sizeof(SchedPinOverride) == 4);
static_assert(offsetof(SchedPinOverride, pcpu) == 0);

}  // namespace abi
