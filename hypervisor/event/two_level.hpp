// SPDX-License-Identifier: MIT
// The 2-level event ABI's bits in shared_info: raise a port, unmask it, forget it (Xen's event_2l.c).
#pragma once

#include "abi/shared_info.hpp"
#include "event/port.hpp"

namespace hv::event {

/// Raise `port`, whose events go to `vcpu` (evtchn_2l_set_pending, then
/// vcpu_mark_events_pending): set its pending bit; unless it was already set, the port is
/// masked, or the vCPU's pending_sel bit for its word was already set, set that bit and
/// the vCPU's upcall flag. @pre port < 4096 (the caller checked it against its table).
Delivery set_pending(abi::SharedInfo& shared, abi::VcpuInfo& vcpu, Port port);

/// EVTCHNOP_unmask's bit work (evtchn_2l_unmask): clear the mask bit; if it was set, the
/// port is pending and the pending_sel bit was clear, set that bit and the upcall flag.
/// @return Upcall when the vCPU must be kicked, else None.
Delivery unmask(abi::SharedInfo& shared, abi::VcpuInfo& vcpu, Port port);

/// Clear the pending bit of a port being freed, so that a later binding of the same
/// number starts clean (evtchn_2l_clear_pending, called by Xen's evtchn_free).
void clear_pending(abi::SharedInfo& shared, Port port);

bool is_pending(const abi::SharedInfo& shared, Port port);
bool is_masked(const abi::SharedInfo& shared, Port port);

}  // namespace hv::event
