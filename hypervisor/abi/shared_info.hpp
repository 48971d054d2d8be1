// SPDX-License-Identifier: MIT
// shared_info: the page Xen and a guest share for event channels, per-vCPU state and time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace abi {

/// Per-vCPU time, updated by Xen under a version counter: the writer makes version odd,
/// writes, then makes it even; a reader retries while it is odd or has changed
/// (xen/include/public/xen.h; XEN-PV-ABI.md §7).
///   ns = system_time + (((tsc - tsc_timestamp) shifted by tsc_shift) * tsc_to_system_mul) >> 32
struct VcpuTimeInfo {  // struct vcpu_time_info
    std::uint32_t version;            ///< odd while an update is in progress
    std::uint32_t pad0;
    std::uint64_t tsc_timestamp;      ///< TSC when the fields below were taken
    std::uint64_t system_time;        ///< ns since boot at tsc_timestamp
    std::uint32_t tsc_to_system_mul;  ///< 32.32 fixed-point ns per (shifted) TSC tick
    std::int8_t tsc_shift;            ///< shift left if >= 0, right by -tsc_shift otherwise
    std::uint8_t flags;               ///< kPvclock* bits (absent in the legacy interface)
    std::uint8_t pad1[2];
};
static_assert(sizeof(VcpuTimeInfo) == 32);
static_assert(offsetof(VcpuTimeInfo, version) == 0);
static_assert(offsetof(VcpuTimeInfo, pad0) == 4);
static_assert(offsetof(VcpuTimeInfo, tsc_timestamp) == 8);
static_assert(offsetof(VcpuTimeInfo, system_time) == 16);
static_assert(offsetof(VcpuTimeInfo, tsc_to_system_mul) == 24);
static_assert(offsetof(VcpuTimeInfo, tsc_shift) == 28);
static_assert(offsetof(VcpuTimeInfo, flags) == 29);
static_assert(offsetof(VcpuTimeInfo, pad1) == 30);

/// VcpuTimeInfo::flags: the TSC is synchronised across CPUs.
inline constexpr std::uint8_t kPvclockTscStableBit = 1u << 0;  // XEN_PVCLOCK_TSC_STABLE_BIT
/// VcpuTimeInfo::flags: the vCPU was paused by the toolstack.
inline constexpr std::uint8_t kPvclockGuestStopped = 1u << 1;  // XEN_PVCLOCK_GUEST_STOPPED

/// x86-64 part of VcpuInfo (xen/include/public/arch-x86/xen-x86_64.h).
struct ArchVcpuInfo {  // struct arch_vcpu_info
    std::uint64_t cr2;  ///< faulting address of the last #PF delivered to this vCPU
    std::uint64_t pad;
};
static_assert(sizeof(ArchVcpuInfo) == 16);
static_assert(offsetof(ArchVcpuInfo, cr2) == 0);
static_assert(offsetof(ArchVcpuInfo, pad) == 8);

/// Per-vCPU state a guest shares with Xen: the event upcall flags and time
/// (xen/include/public/xen.h). Xen sets evtchn_upcall_pending; it never clears it.
struct VcpuInfo {  // struct vcpu_info
    std::uint8_t evtchn_upcall_pending;  ///< set by Xen when a port became pending
    std::uint8_t evtchn_upcall_mask;     ///< nonzero: no upcall (the guest's "interrupts off")
    std::uint8_t hole0[6];               ///< padding (implicit in Xen's struct)
    std::uint64_t evtchn_pending_sel;    ///< bit w: word w of SharedInfo::evtchn_pending may have pending ports
    ArchVcpuInfo arch;
    VcpuTimeInfo time;
};
static_assert(sizeof(VcpuInfo) == 64);
static_assert(offsetof(VcpuInfo, evtchn_upcall_pending) == 0);
static_assert(offsetof(VcpuInfo, evtchn_upcall_mask) == 1);
static_assert(offsetof(VcpuInfo, evtchn_pending_sel) == 8);
static_assert(offsetof(VcpuInfo, arch) == 16);
static_assert(offsetof(VcpuInfo, arch.cr2) == 16);
static_assert(offsetof(VcpuInfo, time) == 32);

/// x86 part of SharedInfo: where the guest publishes its p2m for the toolstack
/// (xen/include/public/arch-x86/xen.h).
struct ArchSharedInfo {  // struct arch_shared_info
    std::uint64_t max_pfn;                     ///< entries in the p2m
    std::uint64_t pfn_to_mfn_frame_list_list;  ///< MFN of the top of the 3-level p2m tree; 0 unset, ~0 invalid
    std::uint64_t nmi_reason;
    std::uint64_t p2m_cr3;                     ///< CR3 in which p2m_vaddr is valid; 0 = unused
    std::uint64_t p2m_vaddr;                   ///< virtual address of the linear p2m list
    std::uint64_t p2m_generation;              ///< odd while the guest changes p2m mappings
};
static_assert(sizeof(ArchSharedInfo) == 48);
static_assert(offsetof(ArchSharedInfo, max_pfn) == 0);
static_assert(offsetof(ArchSharedInfo, pfn_to_mfn_frame_list_list) == 8);
static_assert(offsetof(ArchSharedInfo, nmi_reason) == 16);
static_assert(offsetof(ArchSharedInfo, p2m_cr3) == 24);
static_assert(offsetof(ArchSharedInfo, p2m_vaddr) == 32);
static_assert(offsetof(ArchSharedInfo, p2m_generation) == 40);

/// vCPUs whose VcpuInfo lives in SharedInfo; more need VCPUOP_register_vcpu_info.
inline constexpr std::size_t kLegacyMaxVcpus = 32;  // XEN_LEGACY_MAX_VCPUS (MAX_VIRT_CPUS)
/// Bits in one word of the event-channel bitmaps.
inline constexpr std::size_t kEventChannelWordBits = 64;  // sizeof(xen_ulong_t) * 8
/// Words in SharedInfo::evtchn_pending and evtchn_mask (one pending_sel bit each).
inline constexpr std::size_t kEventChannelWords = 64;  // sizeof(xen_ulong_t) * 8

/// The page Xen shares with every domain (xen/include/public/xen.h). Its machine
/// address is StartInfo::shared_info; the guest maps it itself.
/// Port p is bit p % 64 of word p / 64 in both bitmaps (2-level event channels).
struct SharedInfo {  // struct shared_info
    VcpuInfo vcpu_info[kLegacyMaxVcpus];
    std::uint64_t evtchn_pending[kEventChannelWords];  ///< set by Xen, cleared by the guest
    std::uint64_t evtchn_mask[kEventChannelWords];     ///< set/cleared by the guest, only read by Xen
    std::uint32_t wc_version;  ///< version counter for the wallclock, as VcpuTimeInfo::version
    std::uint32_t wc_sec;      ///< wall time at system time 0: seconds since the epoch, low 32 bits
    std::uint32_t wc_nsec;     ///< ... and nanoseconds
    std::uint32_t wc_sec_hi;   ///< ... seconds, high 32 bits
    ArchSharedInfo arch;
};
static_assert(sizeof(SharedInfo) == 3136);
static_assert(offsetof(SharedInfo, vcpu_info) == 0);
static_assert(offsetof(SharedInfo, evtchn_pending) == 2048);
static_assert(offsetof(SharedInfo, evtchn_mask) == 2560);
static_assert(offsetof(SharedInfo, wc_version) == 3072);
static_assert(offsetof(SharedInfo, wc_sec) == 3076);
static_assert(offsetof(SharedInfo, wc_nsec) == 3080);
static_assert(offsetof(SharedInfo, wc_sec_hi) == 3084);
static_assert(offsetof(SharedInfo, arch) == 3088);

}  // namespace abi
