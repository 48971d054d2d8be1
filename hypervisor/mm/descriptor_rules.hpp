// SPDX-License-Identifier: MIT
// Which segment descriptors a 64-bit PV guest may put in its GDT, and how Xen rewrites them
// (pure rules; Xen's check_descriptor, summarised in XEN-PV-ABI.md 5).
//
// The guest kernel runs in ring 3, so no descriptor it writes may give ring 0 (or 1, 2)
// anything: code and data segments are stored with DPL 3, whatever the guest wrote; call
// gates are stored with DPL 0, so that using one always faults into the hypervisor; every
// other system descriptor (LDT, TSS, interrupt and trap gates) is refused. A not-present
// descriptor can never be loaded, so it is stored as it is.
#pragma once

#include <cstdint>

#include "abi/segments.hpp"
#include "lib/error_or.hpp"
#include "lib/field.hpp"

namespace hv::descriptor_rules {

/// Descriptors in one 4 KiB page of a descriptor table.
inline constexpr unsigned kDescriptorsPerPage = 512;

// The fields of an 8-byte segment descriptor (SDM Vol. 3A 3.4.5, Figure 3-8) and of the
// low half of a 64-bit call gate (SDM Vol. 3A 5.8.3.1, Figure 5-9).
using Type = lib::Field<43, 40>;           ///< segment or gate type
using CodeOrData = lib::Flag<44>;          ///< S: 1 = code/data, 0 = system
using Dpl = lib::Field<46, 45>;            ///< descriptor privilege level
using Present = lib::Flag<47>;             ///< P
using GateSelector = lib::Field<31, 16>;   ///< a call gate's target code selector
using GateReserved = lib::Field<39, 32>;   ///< must be zero in a 64-bit call gate (Xen: `b & 0xff`)

/// System type 0: reserved, and what the upper half of a 16-byte gate looks like.
inline constexpr uint64_t kTypeUpperHalf = 0x0;
/// System type 0xC: a 64-bit call gate (the only system type a guest may use).
inline constexpr uint64_t kTypeCallGate = 0xc;

/// The lowest privilege level, the one every guest segment gets (Xen's GUEST_KERNEL_RPL
/// for a 64-bit PV domain).
inline constexpr uint64_t kGuestDpl = 3;

/// May a call gate jump to `selector`? Only to a segment the guest controls: one of its
/// own GDT entries (below 7168, the null selector included), any LDT selector (TI bit
/// set), or exactly FLAT_KERNEL_CS (0xe033); never to the hypervisor's reserved entries.
/// (Xen's guest_gate_selector_okay.)
constexpr bool gate_target_allowed(uint16_t selector) {
    constexpr uint16_t kTableIndicatorLdt = 1 << 2;
    return (selector >> 3) < abi::kFirstReservedGdtEntry || selector == abi::kFlatKernelCs ||
           (selector & kTableIndicatorLdt) != 0;
}

/// Check one descriptor and return it as Xen stores it: code and data with DPL 3; a call
/// gate with DPL 0 and its old (raised) DPL, always 3, in its target selector's RPL;
/// anything not present, and a system descriptor of type 0, unchanged.
/// @retval Errno::Inval an LDT, TSS, interrupt or trap gate (any system type but 0 and
///         0xC), a call gate to a hypervisor selector, or one with reserved bits set.
lib::ErrorOr<uint64_t> check(uint64_t descriptor);

/// Check every descriptor of a page, as the first descriptor-page type reference does
/// (Xen's validate_segdesc_page): in order, each stored back as check() returns it.
/// Like Xen, it stops at the first refused descriptor and leaves the ones before it
/// rewritten (each rewrite is harmless on its own: it only takes privilege away).
/// @retval Errno::Inval the first refused descriptor's reason.
lib::ErrorOr<void> check_page(uint64_t* descriptors);

}  // namespace hv::descriptor_rules
