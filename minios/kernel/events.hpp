// SPDX-License-Identifier: MIT
// Event delivery in minios: the upcall's 2-level scan, per-port handlers, and masking.
#pragma once

#include <cstdint>

#include "abi/shared_info.hpp"
#include "abi/start_info.hpp"
#include "lib/error_or.hpp"
#include "lib/strong_int.hpp"

namespace minios {

struct PortTag;
/// An event-channel port of this domain (evtchn_port_t): bit port % 64 of word port / 64
/// in shared_info's pending and mask bitmaps. Port 0 is never a real channel.
using Port = lib::StrongInt<PortTag, uint32_t>;

/// Ports the 2-level ABI can name (EVTCHN_2L_NR_CHANNELS).
inline constexpr uint32_t kMaxPorts = 4096;

/// Runs inside the event upcall, events masked, once for each time it finds `port`
/// pending (several sends before the upcall coalesce into one call). It must not block,
/// switch threads or print (the interrupted code may be in the middle of a line).
using EventHandler = void (*)(Port port, void* context);

/// Map shared_info (adding the fixmap's L1 to the running page tables first), then
/// register the event and failsafe callbacks. Events stay masked, as they were at boot.
/// @pre nothing has called mm::init_memory yet (this calls it)
/// @retval what the PV MMU or callback_op refused
lib::ErrorOr<void> init_events(const abi::StartInfo& info);

/// The shared page, writable (init_events mapped it).
abi::SharedInfo& shared_info();
/// This vCPU's part of it: upcall flags, pending_sel, time.
abi::VcpuInfo& this_vcpu_info();

/// Have `handler` run for events on `port`, replacing any previous one.
/// @retval Errno::Inval for port 0 or a port beyond the 2-level ABI.
lib::ErrorOr<void> set_event_handler(Port port, EventHandler handler, void* context = nullptr);
/// Stop running a handler for `port` (its events are then counted and dropped).
void clear_event_handler(Port port);

/// Mask events on this vCPU (evtchn_upcall_mask = 1: the guest's "interrupts off").
/// @return whether they were masked already.
bool mask_events();
/// Unmask them; if an upcall is pending (Xen could not deliver it while masked), make a
/// hypercall so that Xen delivers it on the way back.
void unmask_events();
/// Whether events are masked on this vCPU.
bool events_masked();

/// Events masked for a scope; restored as they were when it ends.
class EventsMasked {
public:
    EventsMasked() : were_masked_(mask_events()) {}
    ~EventsMasked() {
        if (!were_masked_) unmask_events();
    }
    EventsMasked(const EventsMasked&) = delete;
    EventsMasked& operator=(const EventsMasked&) = delete;

private:
    bool were_masked_;
};

/// Set the port's mask bit: it can still become pending, but raises no upcall.
void mask_port(Port port);
/// Clear the mask bit without a hypercall. Clearing it alone would lose an event that
/// arrived while masked, so this redoes what Xen's raise skipped (pending_sel, then
/// upcall_pending) and forces the upcall if events are unmasked.
void unmask_port(Port port);
/// Clear only the mask bit, as a careless guest would: triggers nothing (XEN-PV-ABI.md 6).
void clear_port_mask_bit(Port port);
/// Whether the port's pending bit is set.
bool port_pending(Port port);
/// Clear the port's pending bit (drop an event nobody will handle).
void clear_port_pending(Port port);
/// Whether the port's mask bit is set.
bool port_masked(Port port);

/// What event delivery has seen since init_events.
struct EventCounters {
    uint64_t upcalls;            ///< event callbacks entered
    uint64_t events;             ///< handler calls (pending ports found by the scan)
    uint64_t unhandled;          ///< pending ports with no handler
    uint64_t failsafe_callbacks; ///< failsafe callbacks entered
    uint16_t failsafe_selectors[4];  ///< DS, ES, FS, GS from the last failsafe frame
    uint64_t forced_upcalls;     ///< hypercalls made to collect an upcall after unmasking
};
EventCounters event_counters();

}  // namespace minios
