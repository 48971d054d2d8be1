// SPDX-License-Identifier: MIT
// Which page-table entries a PV guest may write, and how Xen rewrites them (pure rules).
#pragma once

#include <cstdint>

#include "lib/error_or.hpp"

namespace hv::pte_rules {

/// Bit 52, Xen's _PAGE_GUEST_KERNEL: marks an L1 mapping the guest kernel made without
/// USER (the guest kernel runs in ring 3, so every mapping is hardware-USER).
inline constexpr uint64_t kGuestKernel = uint64_t{1} << 52;

/// L4 slots 256-271 belong to the hypervisor in every L4 (XEN-PV-ABI.md 3.1).
constexpr bool is_hypervisor_l4_slot(unsigned index) { return index >= 256 && index <= 271; }

/// Check the flags of a present entry at `level` (1-4) against Xen's per-level
/// disallow masks (XEN-PV-ABI.md 3.3). The frame it names is checked elsewhere.
/// @retval Errno::Inval with the rule that was broken.
lib::ErrorOr<void> check_flags(uint64_t entry, unsigned level);

/// The entry as Xen stores it (pv/mm.h adjust_guest_l*e): L1 without USER gets USER and
/// bit 52, an L1 that is a user mapping gets G; L2/L3 get USER; L4 gets USER and A.
uint64_t adjust(uint64_t entry, unsigned level);


}  // namespace hv::pte_rules
