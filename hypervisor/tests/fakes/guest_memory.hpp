// SPDX-License-Identifier: MIT
// A guest's virtual memory for host tests: what arch::copy_from_guest and copy_to_guest
// (arch/x86_64/guest_access.hpp) reach in tests/fakes/guest_memory.cpp.
#pragma once

#include <cstdint>
#include <vector>

namespace fakes {

/// One buffer that "the guest" sees at `base`. A copy that touches a byte outside it
/// faults (Errno::Fault), as an unmapped page does; when `writable` is false, so does every
/// copy into it, as a read-only mapping does. The range rule of guest_range_ok comes
/// first, as in the image.
struct GuestMemory {
    uint64_t base = 0;
    std::vector<uint8_t> bytes;
    bool writable = true;
};

/// The current guest's memory; empty (every copy faults) until a test fills it.
extern GuestMemory guest_memory;

}  // namespace fakes
