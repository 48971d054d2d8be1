// SPDX-License-Identifier: MIT
// Event-channel numbers (Port, VcpuId) and Notify: what raising a port asks of the scheduler.
#pragma once

#include <cstdint>

#include "lib/strong_int.hpp"
#include "mm/frame.hpp"

namespace hv {

struct PortTag;
struct VcpuIdTag;

/// An event-channel port, local to one domain (Xen's evtchn_port_t).
using Port = lib::StrongInt<PortTag, uint32_t>;
/// A vCPU's number inside its domain (Xen's vcpu_id; the ABI passes it as uint32_t).
using VcpuId = lib::StrongInt<VcpuIdTag, uint32_t>;

}  // namespace hv

namespace hv::event {

/// What raising a port changed, from the scheduler's point of view.
enum class Delivery : uint8_t {
    None,     ///< nothing: the port was already pending (or nothing was raised at all)
    Pending,  ///< the port became pending, but no new upcall: it is masked, or the guest
              ///< has not yet scanned its pending_sel word (a SCHEDOP_poll waiter cares)
    Upcall,   ///< ... and the vCPU's evtchn_upcall_pending went 0 -> 1: kick the vCPU
    Hypervisor,  ///< a send on a port bound to the hypervisor (PortState::Hypervisor): no
                 ///< guest bit changed; the backend for `port` of `domain` must be told
};

/// The result of a raise: which port of which domain's vCPU, and what it changed. The
/// event code never calls the scheduler; the hypercall layer acts on this.
struct Notify {
    Delivery delivery = Delivery::None;
    DomId domain{};
    VcpuId vcpu{};
    Port port{};

    /// Must the vCPU be woken (Xen's vcpu_kick from vcpu_mark_events_pending)?
    bool kicks() const { return delivery == Delivery::Upcall; }
};

}  // namespace hv::event
