// SPDX-License-Identifier: MIT
// physdev_op (hypercall 33): sub-operation numbers, and the structs for I/O privilege and IRQ EOI.
#pragma once

#include <cstddef>
#include <cstdint>

#include "abi/xen.hpp"

namespace abi {

/// First argument of physdev_op (xen/include/public/physdev.h). Most are for the
/// hardware domain; a plain PV guest uses SetIopl and SetIobitmap.
enum class PhysdevOp : std::uint32_t {
    IrqUnmaskNotify = 4,      // PHYSDEVOP_IRQ_UNMASK_NOTIFY (obsolete)
    IrqStatusQuery = 5,       // PHYSDEVOP_irq_status_query: PhysdevIrqStatusQuery
    SetIopl = 6,              // PHYSDEVOP_set_iopl: PhysdevSetIopl
    SetIobitmap = 7,          // PHYSDEVOP_set_iobitmap: PhysdevSetIobitmap
    ApicRead = 8,             // PHYSDEVOP_apic_read
    ApicWrite = 9,            // PHYSDEVOP_apic_write
    AllocIrqVector = 10,      // PHYSDEVOP_alloc_irq_vector
    FreeIrqVector = 11,       // PHYSDEVOP_free_irq_vector
    Eoi = 12,                 // PHYSDEVOP_eoi: PhysdevEoi
    MapPirq = 13,             // PHYSDEVOP_map_pirq
    UnmapPirq = 14,           // PHYSDEVOP_unmap_pirq
    ManagePciAdd = 15,        // PHYSDEVOP_manage_pci_add
    ManagePciRemove = 16,     // PHYSDEVOP_manage_pci_remove
    PirqEoiGmfnV1 = 17,       // PHYSDEVOP_pirq_eoi_gmfn_v1
    // 18 is unassigned.
    RestoreMsi = 19,          // PHYSDEVOP_restore_msi
    ManagePciAddExt = 20,     // PHYSDEVOP_manage_pci_add_ext
    SetupGsi = 21,            // PHYSDEVOP_setup_gsi
    // 22 is unassigned.
    GetFreePirq = 23,         // PHYSDEVOP_get_free_pirq
    PciMmcfgReserved = 24,    // PHYSDEVOP_pci_mmcfg_reserved
    PciDeviceAdd = 25,        // PHYSDEVOP_pci_device_add
    PciDeviceRemove = 26,     // PHYSDEVOP_pci_device_remove
    RestoreMsiExt = 27,       // PHYSDEVOP_restore_msi_ext
    PirqEoiGmfnV2 = 28,       // PHYSDEVOP_pirq_eoi_gmfn_v2
    DbgpOp = 29,              // PHYSDEVOP_dbgp_op
    PrepareMsix = 30,         // PHYSDEVOP_prepare_msix
    ReleaseMsix = 31,         // PHYSDEVOP_release_msix
};

/// PHYSDEVOP_set_iopl: the guest kernel's virtual I/O privilege level (0-3).
struct PhysdevSetIopl {  // struct physdev_set_iopl
    std::uint32_t iopl;
};
static_assert(sizeof(PhysdevSetIopl) == 4);
static_assert(offsetof(PhysdevSetIopl, iopl) == 0);

/// PHYSDEVOP_set_iobitmap: an I/O permission bitmap in guest memory (bit set = denied,
/// as in a TSS), consulted when the virtual IOPL does not allow a port access.
struct PhysdevSetIobitmap {  // struct physdev_set_iobitmap
    GuestHandle<std::uint8_t> bitmap;  ///< guest virtual address of the bitmap
    std::uint32_t nr_ports;            ///< ports it covers, from port 0
    std::uint32_t hole0;               ///< padding (implicit in Xen's struct)
};
static_assert(sizeof(PhysdevSetIobitmap) == 16);
static_assert(offsetof(PhysdevSetIobitmap, bitmap) == 0);
static_assert(offsetof(PhysdevSetIobitmap, nr_ports) == 8);

/// PHYSDEVOP_eoi: end of interrupt for a physical IRQ.
struct PhysdevEoi {  // struct physdev_eoi
    std::uint32_t irq;
};
static_assert(sizeof(PhysdevEoi) == 4);
static_assert(offsetof(PhysdevEoi, irq) == 0);

/// PhysdevIrqStatusQuery::flags.
inline constexpr std::uint32_t kXenirqstatNeedsEoi = 1u << 0;  // XENIRQSTAT_needs_eoi
inline constexpr std::uint32_t kXenirqstatShared = 1u << 1;    // XENIRQSTAT_shared

/// PHYSDEVOP_irq_status_query.
struct PhysdevIrqStatusQuery {  // struct physdev_irq_status_query
    std::uint32_t irq;    ///< IN
    std::uint32_t flags;  ///< OUT: kXenirqstat*
};
static_assert(sizeof(PhysdevIrqStatusQuery) == 8);
static_assert(offsetof(PhysdevIrqStatusQuery, irq) == 0);
static_assert(offsetof(PhysdevIrqStatusQuery, flags) == 4);

}  // namespace abi
