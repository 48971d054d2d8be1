// SPDX-License-Identifier: MIT
// Serving every guest's console ring (image side of console_ring.hpp).
#pragma once

#include "core/domain.hpp"

namespace hv {

/// Print what each running guest wrote to its console ring (every timer tick).
void serve_console_rings();
/// One domain's ring, and its partial line, before it goes.
void drain_domain_console(Domain& domain);

}  // namespace hv
