// SPDX-License-Identifier: MIT
// Turning the boot modules into domains, as Xen's dom0less does.
#pragma once

#include "boot/multiboot.hpp"

namespace hv {

/// Every module that is a kernel becomes a domain, IDs in boot order from 0; a module
/// that cannot become one is reported (naming the module and the reason) and skipped,
/// and the others carry on.
void build_boot_domains(const boot::BootInfo& info);

}  // namespace hv
