// SPDX-License-Identifier: MIT
// Grant tables, version 1: the shared entry format, grant_table_op (hypercall 20) and its structs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "abi/xen.hpp"

namespace abi {

/// Index of an entry in a domain's grant table.
using GrantReference = std::uint32_t;  // grant_ref_t
/// What GNTTABOP_map_grant_ref returns to name a mapping for the later unmap.
using GrantHandle = std::uint32_t;  // grant_handle_t

/// One entry of a v1 grant table: the granting guest writes it in its own table frames,
/// Xen reads it and updates the reading/writing flags (xen/include/public/grant_table.h).
/// The guest writes domid and frame first, then flags (with a write barrier between).
struct GrantEntryV1 {  // struct grant_entry_v1
    std::uint16_t flags;  ///< kGtf* type and flags
    DomainId domid;       ///< the domain granted access
    std::uint32_t frame;  ///< the frame (an MFN for a PV granter)
};
static_assert(sizeof(GrantEntryV1) == 8);
static_assert(offsetof(GrantEntryV1, flags) == 0);
static_assert(offsetof(GrantEntryV1, domid) == 2);
static_assert(offsetof(GrantEntryV1, frame) == 4);

/// The first entries are kept across a guest's kexec; two have fixed uses.
inline constexpr GrantReference kGnttabNrReservedEntries = 8;  // GNTTAB_NR_RESERVED_ENTRIES
inline constexpr GrantReference kGnttabReservedConsole = 0;    // GNTTAB_RESERVED_CONSOLE
inline constexpr GrantReference kGnttabReservedXenstore = 1;   // GNTTAB_RESERVED_XENSTORE

// GrantEntryV1::flags. Bits 0-1: the entry's type.
inline constexpr std::uint16_t kGtfInvalid = 0;         // GTF_invalid: grants nothing
inline constexpr std::uint16_t kGtfPermitAccess = 1;    // GTF_permit_access: domid may map/copy frame
inline constexpr std::uint16_t kGtfAcceptTransfer = 2;  // GTF_accept_transfer: domid may give us a frame
inline constexpr std::uint16_t kGtfTransitive = 3;      // GTF_transitive (v2 only)
inline constexpr std::uint16_t kGtfTypeMask = 3;        // GTF_type_mask
// Bits for GTF_permit_access entries.
inline constexpr std::uint16_t kGtfReadonly = 1u << 2;  // GTF_readonly: set by the granter
inline constexpr std::uint16_t kGtfReading = 1u << 3;   // GTF_reading: set by Xen while mapped/copied from
inline constexpr std::uint16_t kGtfWriting = 1u << 4;   // GTF_writing: set by Xen while mapped writable
inline constexpr std::uint16_t kGtfPwt = 1u << 5;       // GTF_PWT: cache attribute for the mapping
inline constexpr std::uint16_t kGtfPcd = 1u << 6;       // GTF_PCD
inline constexpr std::uint16_t kGtfPat = 1u << 7;       // GTF_PAT
inline constexpr std::uint16_t kGtfSubPage = 1u << 8;   // GTF_sub_page (v2 only)
// Bits for GTF_accept_transfer entries.
inline constexpr std::uint16_t kGtfTransferCommitted = 1u << 2;  // GTF_transfer_committed
inline constexpr std::uint16_t kGtfTransferCompleted = 1u << 3;  // GTF_transfer_completed

/// First argument of grant_table_op; the second points at an array of the named
/// struct, the third is its length.
enum class GrantTableOp : std::uint32_t {
    MapGrantRef = 0,      // GNTTABOP_map_grant_ref: GrantMap
    UnmapGrantRef = 1,    // GNTTABOP_unmap_grant_ref: GrantUnmap
    SetupTable = 2,       // GNTTABOP_setup_table: GrantSetupTable
    DumpTable = 3,        // GNTTABOP_dump_table: GrantDumpTable
    Transfer = 4,         // GNTTABOP_transfer: GrantTransfer
    Copy = 5,             // GNTTABOP_copy: GrantCopy
    QuerySize = 6,        // GNTTABOP_query_size: GrantQuerySize
    UnmapAndReplace = 7,  // GNTTABOP_unmap_and_replace: GrantUnmapAndReplace
    SetVersion = 8,       // GNTTABOP_set_version: GrantSetVersion
    GetStatusFrames = 9,  // GNTTABOP_get_status_frames (v2)
    GetVersion = 10,      // GNTTABOP_get_version: GrantGetVersion
    SwapGrantRef = 11,    // GNTTABOP_swap_grant_ref
    CacheFlush = 12,      // GNTTABOP_cache_flush (Arm)
};

/// The per-entry result in a grant-table op's status field (GNTST_*); the hypercall's
/// own return value only reports whether the batch could be read at all.
enum class GrantStatus : std::int16_t {
    Okay = 0,                 // GNTST_okay
    GeneralError = -1,        // GNTST_general_error
    BadDomain = -2,           // GNTST_bad_domain
    BadGntref = -3,           // GNTST_bad_gntref
    BadHandle = -4,           // GNTST_bad_handle
    BadVirtAddr = -5,         // GNTST_bad_virt_addr
    BadDevAddr = -6,          // GNTST_bad_dev_addr
    NoDeviceSpace = -7,       // GNTST_no_device_space
    PermissionDenied = -8,    // GNTST_permission_denied
    BadPage = -9,             // GNTST_bad_page
    BadCopyArg = -10,         // GNTST_bad_copy_arg
    AddressTooBig = -11,      // GNTST_address_too_big
    Eagain = -12,             // GNTST_eagain
    NoSpace = -13,            // GNTST_no_space
};

// GrantMap::flags (GNTMAP_*).
inline constexpr std::uint32_t kGntmapDeviceMap = 1u << 0;       // GNTMAP_device_map: for DMA
inline constexpr std::uint32_t kGntmapHostMap = 1u << 1;         // GNTMAP_host_map: for the CPU
inline constexpr std::uint32_t kGntmapReadonly = 1u << 2;        // GNTMAP_readonly
inline constexpr std::uint32_t kGntmapApplicationMap = 1u << 3;  // GNTMAP_application_map: user-accessible
inline constexpr std::uint32_t kGntmapContainsPte = 1u << 4;     // GNTMAP_contains_pte: host_addr is a PTE's machine address
/// Bits 16-31 of flags are copied into the PTE's available bits (XENFEAT_gnttab_map_avail_bits).
inline constexpr std::uint32_t kGntmapGuestAvail0 = 16;             // _GNTMAP_guest_avail0
inline constexpr std::uint32_t kGntmapGuestAvailMask = 0xFFFF0000;  // GNTMAP_guest_avail_mask

/// GNTTABOP_map_grant_ref: map another domain's granted frame.
struct GrantMap {  // struct gnttab_map_grant_ref
    std::uint64_t host_addr;     ///< IN: virtual address (or PTE machine address) to map at
    std::uint32_t flags;         ///< IN: kGntmap*
    GrantReference ref;          ///< IN: entry in dom's table
    DomainId dom;                ///< IN: the granting domain
    std::int16_t status;         ///< OUT: GrantStatus
    GrantHandle handle;          ///< OUT
    std::uint64_t dev_bus_addr;  ///< OUT: for kGntmapDeviceMap
};
static_assert(sizeof(GrantMap) == 32);
static_assert(offsetof(GrantMap, host_addr) == 0);
static_assert(offsetof(GrantMap, flags) == 8);
static_assert(offsetof(GrantMap, ref) == 12);
static_assert(offsetof(GrantMap, dom) == 16);
static_assert(offsetof(GrantMap, status) == 18);
static_assert(offsetof(GrantMap, handle) == 20);
static_assert(offsetof(GrantMap, dev_bus_addr) == 24);

/// GNTTABOP_unmap_grant_ref.
struct GrantUnmap {  // struct gnttab_unmap_grant_ref
    std::uint64_t host_addr;     ///< IN: as given to the map (0 = no host mapping)
    std::uint64_t dev_bus_addr;  ///< IN: as returned by the map (0 = no device mapping)
    GrantHandle handle;          ///< IN
    std::int16_t status;         ///< OUT: GrantStatus
    std::uint16_t hole0;         ///< padding (implicit in Xen's struct)
};
static_assert(sizeof(GrantUnmap) == 24);
static_assert(offsetof(GrantUnmap, host_addr) == 0);
static_assert(offsetof(GrantUnmap, dev_bus_addr) == 8);
static_assert(offsetof(GrantUnmap, handle) == 16);
static_assert(offsetof(GrantUnmap, status) == 20);

/// GNTTABOP_setup_table: grow the caller's table to nr_frames and learn its MFNs.
struct GrantSetupTable {  // struct gnttab_setup_table
    DomainId dom;                         ///< IN
    std::uint16_t hole0;                  ///< padding (implicit in Xen's struct)
    std::uint32_t nr_frames;              ///< IN
    std::int16_t status;                  ///< OUT: GrantStatus
    std::uint8_t hole1[6];                ///< padding (implicit in Xen's struct)
    GuestHandle<FrameNumber> frame_list;  ///< OUT: nr_frames MFNs
};
static_assert(sizeof(GrantSetupTable) == 24);
static_assert(offsetof(GrantSetupTable, dom) == 0);
static_assert(offsetof(GrantSetupTable, nr_frames) == 4);
static_assert(offsetof(GrantSetupTable, status) == 8);
static_assert(offsetof(GrantSetupTable, frame_list) == 16);

/// GNTTABOP_dump_table: print a domain's table on Xen's console (debugging).
struct GrantDumpTable {  // struct gnttab_dump_table
    DomainId dom;         ///< IN
    std::int16_t status;  ///< OUT: GrantStatus
};
static_assert(sizeof(GrantDumpTable) == 4);
static_assert(offsetof(GrantDumpTable, dom) == 0);
static_assert(offsetof(GrantDumpTable, status) == 2);

/// GNTTABOP_transfer: give one of our frames to the domain that offered `ref`.
struct GrantTransfer {  // struct gnttab_transfer
    FrameNumber mfn;      ///< IN: the frame to give away
    DomainId domid;       ///< IN: receiver
    std::uint16_t hole0;  ///< padding (implicit in Xen's struct)
    GrantReference ref;   ///< IN: a GTF_accept_transfer entry in the receiver's table
    std::int16_t status;  ///< OUT: GrantStatus
    std::uint8_t hole1[6];  ///< padding (implicit in Xen's struct)
};
static_assert(sizeof(GrantTransfer) == 24);
static_assert(offsetof(GrantTransfer, mfn) == 0);
static_assert(offsetof(GrantTransfer, domid) == 8);
static_assert(offsetof(GrantTransfer, ref) == 12);
static_assert(offsetof(GrantTransfer, status) == 16);

// GrantCopy::flags: which ends are named by grant reference instead of frame number.
inline constexpr std::uint16_t kGntcopySourceGref = 1u << 0;  // GNTCOPY_source_gref
inline constexpr std::uint16_t kGntcopyDestGref = 1u << 1;    // GNTCOPY_dest_gref

/// One end of a GrantCopy.
struct GrantCopyPointer {  // struct gnttab_copy_ptr
    union {
        GrantReference ref;  ///< with kGntcopy*Gref
        FrameNumber gmfn;    ///< otherwise (the caller's own frame)
    } u;
    DomainId domid;
    std::uint16_t offset;    ///< byte offset in the frame
    std::uint32_t hole0;     ///< padding (implicit in Xen's struct)
};
static_assert(sizeof(GrantCopyPointer) == 16);
static_assert(offsetof(GrantCopyPointer, u.ref) == 0);
static_assert(offsetof(GrantCopyPointer, u.gmfn) == 0);
static_assert(offsetof(GrantCopyPointer, domid) == 8);
static_assert(offsetof(GrantCopyPointer, offset) == 10);

/// GNTTABOP_copy: Xen copies len bytes; neither end may cross a page boundary.
struct GrantCopy {  // struct gnttab_copy
    GrantCopyPointer source;
    GrantCopyPointer dest;
    std::uint16_t len;
    std::uint16_t flags;    ///< kGntcopy*
    std::int16_t status;    ///< OUT: GrantStatus
    std::uint16_t hole0;    ///< padding (implicit in Xen's struct)
};
static_assert(sizeof(GrantCopy) == 40);
static_assert(offsetof(GrantCopy, source) == 0);
static_assert(offsetof(GrantCopy, dest) == 16);
static_assert(offsetof(GrantCopy, len) == 32);
static_assert(offsetof(GrantCopy, flags) == 34);
static_assert(offsetof(GrantCopy, status) == 36);

/// GNTTABOP_query_size.
struct GrantQuerySize {  // struct gnttab_query_size
    DomainId dom;                ///< IN
    std::uint16_t hole0;         ///< padding (implicit in Xen's struct)
    std::uint32_t nr_frames;     ///< OUT: current table frames
    std::uint32_t max_nr_frames; ///< OUT: the limit
    std::int16_t status;         ///< OUT: GrantStatus
    std::uint16_t hole1;         ///< padding (implicit in Xen's struct)
};
static_assert(sizeof(GrantQuerySize) == 16);
static_assert(offsetof(GrantQuerySize, dom) == 0);
static_assert(offsetof(GrantQuerySize, nr_frames) == 4);
static_assert(offsetof(GrantQuerySize, max_nr_frames) == 8);
static_assert(offsetof(GrantQuerySize, status) == 12);

/// GNTTABOP_unmap_and_replace: unmap host_addr and move the mapping at new_addr there.
struct GrantUnmapAndReplace {  // struct gnttab_unmap_and_replace
    std::uint64_t host_addr;  ///< IN
    std::uint64_t new_addr;   ///< IN
    GrantHandle handle;       ///< IN
    std::int16_t status;      ///< OUT: GrantStatus
    std::uint16_t hole0;      ///< padding (implicit in Xen's struct)
};
static_assert(sizeof(GrantUnmapAndReplace) == 24);
static_assert(offsetof(GrantUnmapAndReplace, host_addr) == 0);
static_assert(offsetof(GrantUnmapAndReplace, new_addr) == 8);
static_assert(offsetof(GrantUnmapAndReplace, handle) == 16);
static_assert(offsetof(GrantUnmapAndReplace, status) == 20);

/// GNTTABOP_set_version: choose table format 1 or 2.
struct GrantSetVersion {  // struct gnttab_set_version
    std::uint32_t version;  ///< IN: wanted; OUT: in effect
};
static_assert(sizeof(GrantSetVersion) == 4);
static_assert(offsetof(GrantSetVersion, version) == 0);

/// GNTTABOP_get_version.
struct GrantGetVersion {  // struct gnttab_get_version
    DomainId dom;            ///< IN
    std::uint16_t pad;
    std::uint32_t version;   ///< OUT
};
static_assert(sizeof(GrantGetVersion) == 8);
static_assert(offsetof(GrantGetVersion, dom) == 0);
static_assert(offsetof(GrantGetVersion, pad) == 2);
static_assert(offsetof(GrantGetVersion, version) == 4);

}  // namespace abi
