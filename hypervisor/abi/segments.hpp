// SPDX-License-Identifier: MIT
// The flat segment selectors Xen gives every 64-bit PV guest, and the GDT entries behind them.
#pragma once

#include <cstdint>

namespace abi {

// A PV guest's GDT is its own up to entry 7167; Xen reserves the page of GDT entries
// from 7168 (bytes 0xE000..0xEFFF, entries 7168..7679) in every vCPU's GDT, and puts
// the flat ring-3 segments there so a guest needs no GDT of its own
// (xen/include/public/arch-x86/xen.h, xen/arch/x86/desc.c).

/// First 4 KiB page of the GDT that belongs to Xen.
inline constexpr std::uint32_t kFirstReservedGdtPage = 14;  // FIRST_RESERVED_GDT_PAGE
/// Byte offset of that page in the GDT (0xE000).
inline constexpr std::uint32_t kFirstReservedGdtByte = kFirstReservedGdtPage * 4096;  // FIRST_RESERVED_GDT_BYTE
/// Index of the first Xen-owned descriptor (7168); also the most entries set_gdt accepts.
inline constexpr std::uint32_t kFirstReservedGdtEntry = kFirstReservedGdtByte / 8;  // FIRST_RESERVED_GDT_ENTRY

// Selectors (xen/include/public/arch-x86/xen-x86_64.h). The header's "GDT index 260..262"
// comments are stale: the descriptors sit at 7172..7174. All are RPL 3: the guest kernel
// runs in ring 3, so "kernel" and "user" selectors are the same numbers.

/// DPL-3 32-bit (compatibility-mode) code, GDT index 7172.
inline constexpr std::uint16_t kFlatRing3Cs32 = 0xe023;  // FLAT_RING3_CS32
/// DPL-3 64-bit code, GDT index 7174.
inline constexpr std::uint16_t kFlatRing3Cs64 = 0xe033;  // FLAT_RING3_CS64
/// DPL-3 flat data, GDT index 7173.
inline constexpr std::uint16_t kFlatRing3Ds32 = 0xe02b;  // FLAT_RING3_DS32
/// 64-bit code uses the null selector for DS/ES/FS/GS.
inline constexpr std::uint16_t kFlatRing3Ds64 = 0x0000;  // FLAT_RING3_DS64
/// Stack segment for 32-bit code (same descriptor as DS32).
inline constexpr std::uint16_t kFlatRing3Ss32 = 0xe02b;  // FLAT_RING3_SS32
/// Stack segment for 64-bit code: not null, because IRET to ring 3 needs a real SS.
inline constexpr std::uint16_t kFlatRing3Ss64 = 0xe02b;  // FLAT_RING3_SS64

inline constexpr std::uint16_t kFlatKernelDs64 = kFlatRing3Ds64;  // FLAT_KERNEL_DS64
inline constexpr std::uint16_t kFlatKernelDs32 = kFlatRing3Ds32;  // FLAT_KERNEL_DS32
inline constexpr std::uint16_t kFlatKernelDs = kFlatKernelDs64;   // FLAT_KERNEL_DS
inline constexpr std::uint16_t kFlatKernelCs64 = kFlatRing3Cs64;  // FLAT_KERNEL_CS64
inline constexpr std::uint16_t kFlatKernelCs32 = kFlatRing3Cs32;  // FLAT_KERNEL_CS32
inline constexpr std::uint16_t kFlatKernelCs = kFlatKernelCs64;   // FLAT_KERNEL_CS
inline constexpr std::uint16_t kFlatKernelSs64 = kFlatRing3Ss64;  // FLAT_KERNEL_SS64
inline constexpr std::uint16_t kFlatKernelSs32 = kFlatRing3Ss32;  // FLAT_KERNEL_SS32
inline constexpr std::uint16_t kFlatKernelSs = kFlatKernelSs64;   // FLAT_KERNEL_SS

inline constexpr std::uint16_t kFlatUserDs64 = kFlatRing3Ds64;  // FLAT_USER_DS64
inline constexpr std::uint16_t kFlatUserDs32 = kFlatRing3Ds32;  // FLAT_USER_DS32
inline constexpr std::uint16_t kFlatUserDs = kFlatUserDs64;     // FLAT_USER_DS
inline constexpr std::uint16_t kFlatUserCs64 = kFlatRing3Cs64;  // FLAT_USER_CS64
inline constexpr std::uint16_t kFlatUserCs32 = kFlatRing3Cs32;  // FLAT_USER_CS32
inline constexpr std::uint16_t kFlatUserCs = kFlatUserCs64;     // FLAT_USER_CS
inline constexpr std::uint16_t kFlatUserSs64 = kFlatRing3Ss64;  // FLAT_USER_SS64
inline constexpr std::uint16_t kFlatUserSs32 = kFlatRing3Ss32;  // FLAT_USER_SS32
inline constexpr std::uint16_t kFlatUserSs = kFlatUserSs64;     // FLAT_USER_SS

/// The CS a guest finds in a bounce frame when it was interrupted in kernel mode:
/// FLAT_KERNEL_CS with the RPL cleared. It is the guest's only kernel/user indicator
/// (xen/arch/x86/x86_64/entry.S: create_bounce_frame).
inline constexpr std::uint16_t kBounceFrameKernelCs = kFlatKernelCs & ~std::uint16_t{3};

// The three descriptors behind those selectors (xen/arch/x86/desc.c: boot_gdt). Base 0,
// limit 0xFFFFF with G=1, DPL 3, present, accessed bit already set.

/// GDT index of FLAT_RING3_CS32.
inline constexpr std::uint32_t kFlatRing3Cs32GdtIndex = kFlatRing3Cs32 >> 3;
/// GDT index of FLAT_RING3_DS32 / SS32 / SS64.
inline constexpr std::uint32_t kFlatRing3DsGdtIndex = kFlatRing3Ds32 >> 3;
/// GDT index of FLAT_RING3_CS64.
inline constexpr std::uint32_t kFlatRing3Cs64GdtIndex = kFlatRing3Cs64 >> 3;

/// 32-bit code, execute/read: type 0xB, S=1, DPL 3, P=1, D=1, G=1.
inline constexpr std::uint64_t kFlatRing3Cs32Descriptor = 0x00CFFB000000FFFF;
/// Data, read/write: type 0x3, S=1, DPL 3, P=1, B=1, G=1.
inline constexpr std::uint64_t kFlatRing3DsDescriptor = 0x00CFF3000000FFFF;
/// 64-bit code, execute/read: type 0xB, S=1, DPL 3, P=1, L=1, G=1.
inline constexpr std::uint64_t kFlatRing3Cs64Descriptor = 0x00AFFB000000FFFF;

static_assert(kFlatRing3Cs32GdtIndex == 7172);
static_assert(kFlatRing3DsGdtIndex == 7173);
static_assert(kFlatRing3Cs64GdtIndex == 7174);
static_assert(kFlatRing3Cs32GdtIndex >= kFirstReservedGdtEntry && kFlatRing3Cs64GdtIndex < kFirstReservedGdtEntry + 512);
static_assert(kBounceFrameKernelCs == 0xe030);

/// Which base set_segment_base changes (xen-x86_64.h, SEGBASE_*).
enum class SegmentBase : std::uint32_t {
    Fs = 0,              // SEGBASE_FS
    GsUser = 1,          // SEGBASE_GS_USER (the inactive, user-mode GS base)
    GsKernel = 2,        // SEGBASE_GS_KERNEL (the active GS base)
    GsUserSelector = 3,  // SEGBASE_GS_USER_SEL: load user %gs with the selector in base[15:0]
};

}  // namespace abi
