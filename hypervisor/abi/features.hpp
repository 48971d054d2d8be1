// SPDX-License-Identifier: MIT
// Feature bits reported by XENVER_get_features (and named in the FEATURES ELF note).
#pragma once

#include <cstdint>

namespace abi {

/// Bit numbers in the feature bitmap (xen/include/public/features.h); which bits a
/// domain sees is decided in xen/common/kernel.c (XENVER_get_features). Xen never
/// reports WritablePageTables to a PV guest (XEN-PV-ABI.md §3.5).
enum class Feature : std::uint32_t {
    WritablePageTables = 0,        // XENFEAT_writable_page_tables
    WritableDescriptorTables = 1,  // XENFEAT_writable_descriptor_tables
    AutoTranslatedPhysmap = 2,     // XENFEAT_auto_translated_physmap
    SupervisorModeKernel = 3,      // XENFEAT_supervisor_mode_kernel
    PaePgdirAbove4gb = 4,          // XENFEAT_pae_pgdir_above_4gb
    MmuPtUpdatePreserveAd = 5,     // XENFEAT_mmu_pt_update_preserve_ad
    HighmemAssist = 6,             // XENFEAT_highmem_assist
    GnttabMapAvailBits = 7,        // XENFEAT_gnttab_map_avail_bits
    HvmCallbackVector = 8,         // XENFEAT_hvm_callback_vector
    HvmSafePvclock = 9,            // XENFEAT_hvm_safe_pvclock
    HvmPirqs = 10,                 // XENFEAT_hvm_pirqs
    Dom0 = 11,                     // XENFEAT_dom0
    // 12 was XENFEAT_grant_map_identity (deprecated; commented out in Xen's header).
    MemoryOpVnodeSupported = 13,   // XENFEAT_memory_op_vnode_supported
    ArmSmcccSupported = 14,        // XENFEAT_ARM_SMCCC_supported
    LinuxRsdpUnrestricted = 15,    // XENFEAT_linux_rsdp_unrestricted
    NotDirectMapped = 16,          // XENFEAT_not_direct_mapped
    DirectMapped = 17,             // XENFEAT_direct_mapped
};

/// Number of 32-bit words in the feature bitmap.
inline constexpr std::uint32_t kFeatureNrSubmaps = 1;  // XENFEAT_NR_SUBMAPS

}  // namespace abi
