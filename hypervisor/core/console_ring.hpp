// SPDX-License-Identifier: MIT
// The hypervisor as every guest's console backend, until a service domain with the
// console role exists (as Xen's PV shim serves its guest's console ring).
#pragma once

#include <cstdint>

#include "abi/io_console.hpp"
#include "core/guest_console.hpp"
#include "lib/format.hpp"

namespace hv {

/// Take what the guest wrote to its console ring's `out` half (xencons_interface) and
/// pass it through the guest line filter to `out`. Follows the consumer side of the ring
/// protocol (XEN-PV-ABI.md 9): read out_prod, barrier, copy, barrier, advance out_cons.
/// A producer index more than a ring ahead is a broken guest: its text is dropped.
/// @return the number of bytes taken.
uint32_t drain_console_output(abi::ConsoleInterface& ring, GuestLineBuffer& lines, lib::Sink& out);

/// Put `length` input bytes into the `in` half, as far as there is room.
/// @return the number of bytes stored (the caller raises the console event if any).
uint32_t feed_console_input(abi::ConsoleInterface& ring, const char* bytes, uint32_t length);

}  // namespace hv
