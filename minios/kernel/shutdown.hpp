// SPDX-License-Identifier: MIT
// Ending the domain: SCHEDOP_shutdown with a reason.
#pragma once

#include "abi/sched.hpp"

namespace minios {

/// Ask the hypervisor to end this domain; does not return.
[[noreturn]] void shutdown(abi::ShutdownReason reason);

}  // namespace minios
