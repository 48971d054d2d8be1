// SPDX-License-Identifier: MIT
// Copying to and from a guest's virtual memory, safely: a bad pointer gives -EFAULT.
#pragma once

#include <cstddef>
#include <cstdint>

#include "abi/layout.hpp"
#include "lib/error_or.hpp"
#include "mm/frame.hpp"

namespace arch {

/// Is [va, va + length) entirely in the guest's part of the address space (below the
/// hypervisor's reserved range, or above it) with no wrap-around? Xen's access_ok. Pure
/// arithmetic, so host tests share it.
inline bool guest_range_ok(hv::GuestVaddr va, size_t length) {
    const uint64_t start = va.raw();
    const uint64_t end = start + length;
    if (end < start) return false;  // wraps around
    if (length == 0) return true;
    constexpr uint64_t kLowerHalfEnd = uint64_t{1} << 47;  // canonical lower half
    if (end <= kLowerHalfEnd) return true;
    return start >= abi::kHypervisorVirtEnd;  // upper half, above Xen's range
}

/// Copy from the current guest's memory through its own page tables. A range that is
/// not the guest's, or a page that is not mapped, gives Errno::Fault: the copy stops at
/// the fault (the #PF handler resumes at the copy's fixup, see fixups.hpp).
lib::ErrorOr<void> copy_from_guest(void* destination, hv::GuestVaddr source, size_t length);
/// Copy into the current guest's memory; a read-only page also gives Errno::Fault
/// (CR0.WP makes ring-0 writes honour it).
lib::ErrorOr<void> copy_to_guest(hv::GuestVaddr destination, const void* source, size_t length);

template <typename T>
lib::ErrorOr<void> copy_from_guest(T& object, hv::GuestVaddr source) { return copy_from_guest(&object, source, sizeof(T)); }
template <typename T>
lib::ErrorOr<void> copy_to_guest(hv::GuestVaddr destination, const T& object) { return copy_to_guest(destination, &object, sizeof(T)); }

}  // namespace arch
