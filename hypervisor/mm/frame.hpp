// SPDX-License-Identifier: MIT
// Frame numbers and addresses, each its own type: a machine frame (Mfn) is never a
// guest's pseudo-physical frame (Gfn), and neither is an address.
#pragma once

#include <cstdint>

#include "lib/strong_int.hpp"

namespace hv {

inline constexpr uint64_t kPageShift = 12;
inline constexpr uint64_t kPageSize = uint64_t{1} << kPageShift;

struct MfnTag;
struct GfnTag;
struct MaddrTag;
struct GuestVaddrTag;
struct DomIdTag;

/// A machine frame number: physical address >> 12.
using Mfn = lib::StrongInt<MfnTag, uint64_t>;
/// A guest frame number (pseudo-physical; "pfn" in Xen's PV code).
using Gfn = lib::StrongInt<GfnTag, uint64_t>;
/// A machine (host physical) address.
using Maddr = lib::StrongInt<MaddrTag, uint64_t>;
/// A virtual address in a guest's address space, as the guest passed it.
using GuestVaddr = lib::StrongInt<GuestVaddrTag, uint64_t>;
/// A domain ID (domid_t).
using DomId = lib::StrongInt<DomIdTag, uint16_t>;

constexpr Maddr maddr_of(Mfn mfn) { return Maddr(mfn.raw() << kPageShift); }
constexpr Mfn mfn_of(Maddr maddr) { return Mfn(maddr.raw() >> kPageShift); }

/// The owner recorded for frames the hypervisor keeps for itself (Xen's DOMID_XEN).
inline constexpr DomId kDomIdXen{0x7ff2};
/// No owner: a free frame (Xen's DOMID_INVALID).
inline constexpr DomId kDomIdInvalid{0x7ff4};

}  // namespace hv
