// SPDX-License-Identifier: MIT
// What the hypervisor says about itself (xen_version, memory_op), printed as facts.
#pragma once

namespace minios {

/// Print "xen.<fact> = <value>" lines: version, extraversion, capabilities, page size,
/// features, platform parameters, reservations, the M2P mapping and the memory map.
/// Returns the number of queries that failed.
int print_xen_info();

}  // namespace minios
