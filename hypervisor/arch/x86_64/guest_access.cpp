// SPDX-License-Identifier: MIT
// Guest copies: a range check, then one rep movsb whose faults the #PF handler fixes up.
#include "arch/x86_64/guest_access.hpp"

extern "C" {
uint64_t guest_copy(void* destination, const void* source, uint64_t length);
}

namespace arch {

lib::ErrorOr<void> copy_from_guest(void* destination, hv::GuestVaddr source, size_t length) {
    if (!guest_range_ok(source, length)) return lib::error(abi::Errno::Fault, "guest pointer outside guest space");
    if (guest_copy(destination, reinterpret_cast<const void*>(source.raw()), length) != 0)
        return lib::error(abi::Errno::Fault, "guest page not mapped");
    return {};
}

lib::ErrorOr<void> copy_to_guest(hv::GuestVaddr destination, const void* source, size_t length) {
    if (!guest_range_ok(destination, length)) return lib::error(abi::Errno::Fault, "guest pointer outside guest space");
    if (guest_copy(reinterpret_cast<void*>(destination.raw()), source, length) != 0)
        return lib::error(abi::Errno::Fault, "guest page not mapped or read-only");
    return {};
}

}  // namespace arch
