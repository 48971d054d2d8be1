// SPDX-License-Identifier: MIT
// memory_op (hypercall 12): sub-operations and the structures a PV guest uses with them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "abi/xen.hpp"

namespace abi {

/// First argument of memory_op (xen/include/public/memory.h). Xen reads only the low
/// bits as the command; the upper bits carry its own continuation state.
enum class MemoryOp : std::uint32_t {
    IncreaseReservation = 0,       // XENMEM_increase_reservation: MemoryReservation
    DecreaseReservation = 1,       // XENMEM_decrease_reservation: MemoryReservation
    MaximumRamPage = 2,            // XENMEM_maximum_ram_page: arg NULL, returns max_page (highest MFN + 1)
    CurrentReservation = 3,        // XENMEM_current_reservation: DomainId
    MaximumReservation = 4,        // XENMEM_maximum_reservation: DomainId
    MachphysMfnList = 5,           // XENMEM_machphys_mfn_list: MachphysMfnList
    PopulatePhysmap = 6,           // XENMEM_populate_physmap: MemoryReservation
    AddToPhysmap = 7,              // XENMEM_add_to_physmap: AddToPhysmap
    // 8 was XENMEM_translate_gpfn_list (removed).
    MemoryMap = 9,                 // XENMEM_memory_map: MemoryMap of E820Entry
    MachineMemoryMap = 10,         // XENMEM_machine_memory_map: MemoryMap (privileged)
    Exchange = 11,                 // XENMEM_exchange: MemoryExchange
    MachphysMapping = 12,          // XENMEM_machphys_mapping: MachphysMapping
    SetMemoryMap = 13,             // XENMEM_set_memory_map: ForeignMemoryMap (privileged)
    MaximumGpfn = 14,              // XENMEM_maximum_gpfn: DomainId
    RemoveFromPhysmap = 15,        // XENMEM_remove_from_physmap: RemoveFromPhysmap
    SetPodTarget = 16,             // XENMEM_set_pod_target
    GetPodTarget = 17,             // XENMEM_get_pod_target
    GetSharingFreedPages = 18,     // XENMEM_get_sharing_freed_pages (tools)
    GetSharingSharedPages = 19,    // XENMEM_get_sharing_shared_pages (tools)
    PagingOp = 20,                 // XENMEM_paging_op (tools)
    AccessOp = 21,                 // XENMEM_access_op (tools)
    SharingOp = 22,                // XENMEM_sharing_op (tools)
    AddToPhysmapBatch = 23,        // XENMEM_add_to_physmap_batch
    ClaimPages = 24,               // XENMEM_claim_pages (tools)
    MachphysCompatMfnList = 25,    // XENMEM_machphys_compat_mfn_list
    GetVnumainfo = 26,             // XENMEM_get_vnumainfo
    ReservedDeviceMemoryMap = 27,  // XENMEM_reserved_device_memory_map (tools)
    AcquireResource = 28,          // XENMEM_acquire_resource
};

// MemoryReservation::mem_flags (XENMEMF_*): bits 0-7 = address bits the frames must
// fit in (0 = any), bits 8-15 = NUMA node + 1, then the flags below.
inline constexpr std::uint32_t kXenmemfAddressBitsMask = 0xFF;         // XENMEMF_get_address_bits
inline constexpr std::uint32_t kXenmemfNodeShift = 8;                  // XENMEMF_node
inline constexpr std::uint32_t kXenmemfPopulateOnDemand = 1u << 16;    // XENMEMF_populate_on_demand
inline constexpr std::uint32_t kXenmemfExactNodeRequest = 1u << 17;    // XENMEMF_exact_node_request
inline constexpr std::uint32_t kXenmemfVnode = 1u << 18;               // XENMEMF_vnode

/// Argument of increase/decrease_reservation and populate_physmap: nr_extents extents of
/// 2^extent_order pages each, listed at extent_start. Returns the number done.
struct MemoryReservation {  // struct xen_memory_reservation
    GuestHandle<FrameNumber> extent_start;  ///< IN/OUT list of frame numbers (see MemoryOp)
    std::uint64_t nr_extents;
    std::uint32_t extent_order;
    std::uint32_t mem_flags;                ///< kXenmemf*
    DomainId domid;                         ///< kDomidSelf unless privileged
    std::uint8_t hole0[6];                  ///< padding (implicit in Xen's struct)
};
static_assert(sizeof(MemoryReservation) == 32);
static_assert(offsetof(MemoryReservation, extent_start) == 0);
static_assert(offsetof(MemoryReservation, nr_extents) == 8);
static_assert(offsetof(MemoryReservation, extent_order) == 16);
static_assert(offsetof(MemoryReservation, mem_flags) == 20);
static_assert(offsetof(MemoryReservation, domid) == 24);

/// Argument of XENMEM_exchange: give back `in` extents, receive `out` extents.
struct MemoryExchange {  // struct xen_memory_exchange
    MemoryReservation in;
    MemoryReservation out;
    std::uint64_t nr_exchanged;  ///< OUT: input extents done (caller sets 0)
};
static_assert(sizeof(MemoryExchange) == 72);
static_assert(offsetof(MemoryExchange, in) == 0);
static_assert(offsetof(MemoryExchange, out) == 32);
static_assert(offsetof(MemoryExchange, nr_exchanged) == 64);

/// Argument of XENMEM_machphys_mfn_list: the MFNs backing the M2P table, one per 2 MiB.
struct MachphysMfnList {  // struct xen_machphys_mfn_list
    std::uint32_t max_extents;              ///< IN: room in extent_start
    std::uint32_t hole0;                    ///< padding (implicit in Xen's struct)
    GuestHandle<FrameNumber> extent_start;  ///< OUT: first MFN of each 2 MiB chunk (0 = hole)
    std::uint32_t nr_extents;               ///< OUT: entries written
    std::uint32_t hole1;                    ///< padding (implicit in Xen's struct)
};
static_assert(sizeof(MachphysMfnList) == 24);
static_assert(offsetof(MachphysMfnList, max_extents) == 0);
static_assert(offsetof(MachphysMfnList, extent_start) == 8);
static_assert(offsetof(MachphysMfnList, nr_extents) == 16);

/// Result of XENMEM_machphys_mapping: where the read-only M2P is mapped.
struct MachphysMapping {  // struct xen_machphys_mapping
    std::uint64_t v_start;  ///< first virtual address
    std::uint64_t v_end;    ///< end (exclusive)
    std::uint64_t max_mfn;  ///< highest MFN the table covers
};
static_assert(sizeof(MachphysMapping) == 24);
static_assert(offsetof(MachphysMapping, v_start) == 0);
static_assert(offsetof(MachphysMapping, v_end) == 8);
static_assert(offsetof(MachphysMapping, max_mfn) == 16);

/// AddToPhysmap::space: what kind of page to add.
enum class MapSpace : std::uint32_t {
    SharedInfo = 0,    // XENMAPSPACE_shared_info
    GrantTable = 1,    // XENMAPSPACE_grant_table
    Gmfn = 2,          // XENMAPSPACE_gmfn
    GmfnRange = 3,     // XENMAPSPACE_gmfn_range
    GmfnForeign = 4,   // XENMAPSPACE_gmfn_foreign
    DevMmio = 5,       // XENMAPSPACE_dev_mmio (Arm only)
};
/// OR'ed into AddToPhysmap::idx with MapSpace::GrantTable: map a grant status frame.
inline constexpr std::uint64_t kXenmapidxGrantTableStatus = 0x80000000;  // XENMAPIDX_grant_table_status

/// Argument of XENMEM_add_to_physmap (translated guests; a PV guest maps by MFN instead).
struct AddToPhysmap {  // struct xen_add_to_physmap
    DomainId domid;
    std::uint16_t size;   ///< pages, for MapSpace::GmfnRange
    std::uint32_t space;  ///< MapSpace
    std::uint64_t idx;    ///< index into the space
    FrameNumber gpfn;     ///< where the page should appear
};
static_assert(sizeof(AddToPhysmap) == 24);
static_assert(offsetof(AddToPhysmap, domid) == 0);
static_assert(offsetof(AddToPhysmap, size) == 2);
static_assert(offsetof(AddToPhysmap, space) == 4);
static_assert(offsetof(AddToPhysmap, idx) == 8);
static_assert(offsetof(AddToPhysmap, gpfn) == 16);

/// Argument of XENMEM_remove_from_physmap.
struct RemoveFromPhysmap {  // struct xen_remove_from_physmap
    DomainId domid;
    std::uint8_t hole0[6];  ///< padding (implicit in Xen's struct)
    FrameNumber gpfn;
};
static_assert(sizeof(RemoveFromPhysmap) == 16);
static_assert(offsetof(RemoveFromPhysmap, domid) == 0);
static_assert(offsetof(RemoveFromPhysmap, gpfn) == 8);

/// Argument of XENMEM_memory_map / machine_memory_map: a buffer of E820Entry.
struct MemoryMap {  // struct xen_memory_map
    std::uint32_t nr_entries;  ///< IN: room in buffer; OUT: entries written
    std::uint32_t hole0;       ///< padding (implicit in Xen's struct)
    GuestHandle<void> buffer;  ///< E820Entry array
};
static_assert(sizeof(MemoryMap) == 16);
static_assert(offsetof(MemoryMap, nr_entries) == 0);
static_assert(offsetof(MemoryMap, buffer) == 8);

/// Argument of XENMEM_set_memory_map.
struct ForeignMemoryMap {  // struct xen_foreign_memory_map
    DomainId domid;
    std::uint8_t hole0[6];  ///< padding (implicit in Xen's struct)
    MemoryMap map;
};
static_assert(sizeof(ForeignMemoryMap) == 24);
static_assert(offsetof(ForeignMemoryMap, domid) == 0);
static_assert(offsetof(ForeignMemoryMap, map) == 8);

/// E820Entry::type, as the BIOS INT 15h AX=E820h call defines it (ACPI spec, "System
/// Address Map Interfaces"); Xen passes these through unchanged.
enum class E820Type : std::uint32_t {
    Ram = 1,
    Reserved = 2,
    Acpi = 3,      // ACPI reclaimable
    Nvs = 4,       // ACPI NVS
    Unusable = 5,
};

/// One entry of the XENMEM_memory_map buffer: the BIOS E820 format, 20 bytes with no
/// padding, so entries are packed back to back (Xen: asm/e820.h struct e820entry, which
/// is packed too). Read fields by value; never take their address.
struct [[gnu::packed]] E820Entry {  // struct e820entry
    std::uint64_t addr;  ///< first byte
    std::uint64_t size;  ///< bytes
    std::uint32_t type;  ///< E820Type
};
static_assert(sizeof(E820Entry) == 20);
static_assert(offsetof(E820Entry, addr) == 0);
static_assert(offsetof(E820Entry, size) == 8);
static_assert(offsetof(E820Entry, type) == 16);

}  // namespace abi
