// SPDX-License-Identifier: MIT
// Event channels through event_channel_op: bind, allocate, connect, send, unmask, close, ask.
#pragma once

#include <cstdint>

#include "abi/event_channel.hpp"
#include "abi/xen.hpp"
#include "kernel/events.hpp"
#include "lib/error_or.hpp"

namespace minios {

/// A new port that VIRQ `virq` of vCPU `vcpu` raises (EVTCHNOP_bind_virq).
/// @retval Errno::Exist if that VIRQ is bound already; Inval / NoEnt for a bad virq or vCPU.
lib::ErrorOr<Port> bind_virq(abi::Virq virq, uint32_t vcpu = 0);
/// A new port that a send on itself raises on vCPU `vcpu` (EVTCHNOP_bind_ipi).
lib::ErrorOr<Port> bind_ipi(uint32_t vcpu = 0);
/// A new unbound port of `owner` that domain `remote` may connect to (EVTCHNOP_alloc_unbound).
/// @retval Errno::Srch for an unknown domain; Perm for another owner without privilege.
lib::ErrorOr<Port> alloc_unbound(abi::DomainId remote, abi::DomainId owner = abi::kDomidSelf);
/// A new port connected to `remote`'s unbound port `remote_port` (EVTCHNOP_bind_interdomain).
/// Xen marks the new port pending at once, in case the other side sent before we bound.
/// @retval Errno::Inval if that port is not unbound for us; Srch for an unknown domain.
lib::ErrorOr<Port> bind_interdomain(abi::DomainId remote, Port remote_port);
/// Raise the other end (interdomain), or the port itself (IPI) (EVTCHNOP_send).
/// An unbound port drops the event and succeeds.
lib::ErrorOr<void> send_event(Port port);
/// Clear the mask bit through Xen (EVTCHNOP_unmask), which re-raises a pending port.
lib::ErrorOr<void> unmask_port_hypercall(Port port);
/// Free the port; an interdomain peer goes back to unbound (EVTCHNOP_close).
lib::ErrorOr<void> close_port(Port port);
/// What a port is bound to (EVTCHNOP_status).
lib::ErrorOr<abi::EventChannelStatus> port_status(Port port, abi::DomainId owner = abi::kDomidSelf);

/// A short name for an EventChannelState ("closed", "unbound", "interdomain", ...).
const char* port_state_name(uint32_t state);

}  // namespace minios
