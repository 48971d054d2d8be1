// SPDX-License-Identifier: MIT
// The few hypervisor instructions that may fault on purpose, and where each resumes: the
// guest copy (a bad guest pointer) and the loads of a guest's segment selectors (a
// descriptor the guest took away). Linux and Xen keep such pairs in an exception table.
#pragma once

#include <cstdint>

namespace arch {

/// If an exception at `rip` in the hypervisor is one of those, where to resume; else 0.
uint64_t exception_fixup(uint64_t rip);

}  // namespace arch
