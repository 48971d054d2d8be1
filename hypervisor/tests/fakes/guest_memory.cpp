// SPDX-License-Identifier: MIT
// The guest-copy seam for host tests: copies into and out of fakes::guest_memory.
#include "tests/fakes/guest_memory.hpp"

#include <cstring>

#include "arch/x86_64/guest_access.hpp"

namespace fakes {
GuestMemory guest_memory;
}

namespace arch {
namespace {

/// Where [va, va + length) lies in the fake memory, or nullptr if any byte is outside it.
uint8_t* find(hv::GuestVaddr va, size_t length) {
    fakes::GuestMemory& memory = fakes::guest_memory;
    if (va.raw() < memory.base) return nullptr;
    const uint64_t offset = va.raw() - memory.base;
    if (offset > memory.bytes.size() || length > memory.bytes.size() - offset) return nullptr;
    return memory.bytes.data() + offset;
}

}  // namespace

lib::ErrorOr<void> copy_from_guest(void* destination, hv::GuestVaddr source, size_t length) {
    if (!guest_range_ok(source, length)) return lib::error(abi::Errno::Fault, "guest pointer outside guest space");
    if (length == 0) return {};
    const uint8_t* from = find(source, length);
    if (from == nullptr) return lib::error(abi::Errno::Fault, "guest page not mapped");
    std::memcpy(destination, from, length);
    return {};
}

lib::ErrorOr<void> copy_to_guest(hv::GuestVaddr destination, const void* source, size_t length) {
    if (!guest_range_ok(destination, length)) return lib::error(abi::Errno::Fault, "guest pointer outside guest space");
    if (length == 0) return {};
    uint8_t* to = find(destination, length);
    if (to == nullptr || !fakes::guest_memory.writable)
        return lib::error(abi::Errno::Fault, "guest page not mapped or read-only");
    std::memcpy(to, source, length);
    return {};
}

}  // namespace arch
