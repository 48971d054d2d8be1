// SPDX-License-Identifier: MIT
// Serving every guest's console ring (image side of console_ring.hpp) and its event
// channel, the console port, which the builder binds to the hypervisor.
#pragma once

#include <cstdint>

#include "core/domain.hpp"

namespace hv {

/// Print what each running guest wrote to its console ring (every timer tick, for the
/// guests that write without sending on the console port).
void serve_console_rings();
/// One domain's ring, and its partial line, before it goes.
void drain_domain_console(Domain& domain);
/// The domain sent on its console port (EVTCHNOP_send): print its ring at once.
void console_port_notified(Domain& domain);
/// Put input bytes into the domain's console ring and, if any fit, raise its console
/// port and wake it. @return the number of bytes stored.
uint32_t send_console_input(Domain& domain, const char* bytes, uint32_t length);

}  // namespace hv
