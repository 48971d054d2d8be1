// SPDX-License-Identifier: MIT
// The guest virtual address space of a 64-bit PV guest: pages and the range Xen reserves.
#pragma once

#include <cstdint>

namespace abi {

/// log2 of the page size.
inline constexpr std::uint64_t kPageShift = 12;
/// 4 KiB pages: the only page size a PV guest maps (no superpages).
inline constexpr std::uint64_t kPageSize = std::uint64_t{1} << kPageShift;

/// Start of the virtual range Xen owns in every guest's address space
/// (xen/include/public/arch-x86/xen-x86_64.h).
inline constexpr std::uint64_t kHypervisorVirtStart = 0xFFFF800000000000;  // HYPERVISOR_VIRT_START
/// End (exclusive) of that range.
inline constexpr std::uint64_t kHypervisorVirtEnd = 0xFFFF880000000000;  // HYPERVISOR_VIRT_END

/// The read-only machine-to-phys table a guest reads: one 8-byte entry per MFN, giving
/// the guest PFN of that frame. It starts at the reserved range.
inline constexpr std::uint64_t kMachToPhysVirtStart = 0xFFFF800000000000;  // MACH2PHYS_VIRT_START
/// End (exclusive) of the guest-readable M2P table (256 GiB after the start).
inline constexpr std::uint64_t kMachToPhysVirtEnd = 0xFFFF804000000000;  // MACH2PHYS_VIRT_END
/// Number of entries the M2P window can hold (2^35).
inline constexpr std::uint64_t kMachToPhysNrEntries = (kMachToPhysVirtEnd - kMachToPhysVirtStart) >> 3;  // MACH2PHYS_NR_ENTRIES

/// Bits of virtual address below one L4 entry (512 GiB per slot).
inline constexpr std::uint64_t kL4SlotShift = 39;
/// Entries in a page-table page at any level.
inline constexpr std::uint64_t kEntriesPerTable = 512;
/// First L4 slot of the reserved range; Xen overwrites these slots in every L4 a guest
/// uses and refuses guest updates to them (xen/arch/x86/include/asm/config.h).
inline constexpr std::uint64_t kFirstReservedL4Slot = 256;
/// Last reserved L4 slot (inclusive).
inline constexpr std::uint64_t kLastReservedL4Slot = 271;
/// How many L4 slots are reserved (16, i.e. 8 TiB).
inline constexpr std::uint64_t kReservedL4SlotCount = kLastReservedL4Slot - kFirstReservedL4Slot + 1;

// Slot s covers the sign-extended address s << 39; the reserved slots are exactly the
// hypervisor range.
static_assert((0xFFFF000000000000 | (kFirstReservedL4Slot << kL4SlotShift)) == kHypervisorVirtStart);
static_assert((0xFFFF000000000000 | ((kLastReservedL4Slot + 1) << kL4SlotShift)) == kHypervisorVirtEnd);
static_assert(kMachToPhysNrEntries == std::uint64_t{1} << 35);

}  // namespace abi
