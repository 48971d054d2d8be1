// SPDX-License-Identifier: MIT
// What CPUID says to a PV guest: the host's answer filtered as Xen filters it, and Xen's own leaves.
//
// A PV guest asks through Xen's forced-emulation prefix (`ud2; .ascii "xen"; cpuid`);
// a plain CPUID is not trapped on a CPU without CPUID faulting and returns the raw host
// values (exactly what Xen gives there too). The emulated answer has two sources:
//
//  - leaves 0x40000000-0x400001ff are Xen's (xen/arch/x86/traps.c:
//    cpuid_hypervisor_leaves, public/arch-x86/cpuid.h): the "XenVMMXenVMM" signature,
//    the version, the hypercall-page MSR, TSC information and the machine address width;
//  - every other leaf is the host's, filtered by Xen's default PV policy, roughly
//    (xen/arch/x86/cpu-policy.c, cpuid.c: guest_cpuid): only the features marked 'A'
//    (all guests) in public/arch-x86/cpufeatureset.h survive, the hypervisor bit is set,
//    APIC IDs and topology are hidden, MONITOR/MWAIT, VMX, SVM, PCID and the invariant TSC
//    are never shown, leaves past 0xd and 0x80000008 read as zeros.
//
// XSAVE: the guest sees XSAVE, AVX and what needs only AVX state (FMA, F16C, AVX2, VAES,
// VPCLMULQDQ, XOP, FMA4) when the hypervisor enabled that state in XCR0, and leaf 0xd for
// x87, SSE and AVX; OSXSAVE follows the vCPU's virtual CR4.OSXSAVE (pv_cpuid_osxsave), and
// the guest sets its XCR0 with XSETBV, emulated (guest_xcr0_valid).
//
// XEN-DIFF: Xenolith hides more than Xen does, because it does not virtualise what the
// feature would need: AVX-512, MPX, PKU and every XSAVE state past AVX (the hypervisor's
// XCR0 is x87|SSE|AVX at most), XSAVES, FSGSBASE (CR4.FSGSBASE is not guest-controllable),
// RTM, and the features that only announce MSRs the emulator refuses (SPEC_CTRL/PRED_CMD:
// IBRS, STIBP, SSBD, IBPB; ARCH_CAPABILITIES, CORE_CAPABILITIES, TSX_FORCE_ABORT, the AMD
// DR address masks).
// The hardware-domain-only leaks (MTRR, EIST, MONITOR for dom0's kernel) are not given.
#pragma once

#include <cstdint>

#include "core/time.hpp"

namespace hv {

/// One CPUID answer.
struct CpuidLeaf {
    uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
    constexpr bool operator==(const CpuidLeaf&) const = default;
};

enum class CpuVendor : uint8_t { Intel, Amd, Other };

/// The vendor named by leaf 0 (EBX, EDX, ECX spell "GenuineIntel", "AuthenticAMD",
/// "HygonGenuine"; Hygon counts as AMD, as in Xen).
CpuVendor cpu_vendor(const CpuidLeaf& leaf0);

/// Leaves Xen answers itself: 0x40000000 to 0x400001ff (guest_cpuid).
inline constexpr uint32_t kXenCpuidFirstLeaf = 0x40000000;  // XEN_CPUID_FIRST_LEAF
inline constexpr uint32_t kXenCpuidLastLeaf = 0x400001ff;
/// Xen's leaves past the base: 0 to 5 (XEN_CPUID_MAX_NUM_LEAVES).
inline constexpr uint32_t kXenCpuidMaxLeaf = 5;  // XEN_CPUID_MAX_NUM_LEAVES
/// The Xen version the leaves report: 4.17, as XENVER_version does.
inline constexpr uint32_t kXenVersionMajor = 4, kXenVersionMinor = 17;

constexpr bool is_xen_cpuid_leaf(uint32_t leaf) { return leaf >= kXenCpuidFirstLeaf && leaf <= kXenCpuidLastLeaf; }

/// What the Xen leaves report about the machine and the domain's TSC.
struct XenCpuidFacts {
    uint32_t tsc_khz = 0;            ///< the TSC frequency (leaf 3: guest and host)
    TimeScale tsc_to_ns{};           ///< the guest's TSC -> ns scale (leaf 3 sub-leaf 1)
    bool tsc_reliable = false;       ///< the TSC runs at a constant rate, in step on every CPU
    bool has_rdtscp = false;         ///< the CPU has RDTSCP
    uint64_t highest_mfn = 0;        ///< the highest machine frame number there can be
};

/// Leaf `leaf` (in the Xen range) as Xen 4.17 answers a PV guest that runs with native
/// TSC (tsc_mode 0, never emulated, offset 0). Leaves past 0x40000005 read as zeros.
/// @pre is_xen_cpuid_leaf(leaf)
CpuidLeaf xen_cpuid_leaf(uint32_t leaf, uint32_t subleaf, const XenCpuidFacts& facts);

/// The physical address width leaf 0x40000005 EBX[7:0] reports: bits to address the
/// highest frame, plus the 12 bits of the offset in a page (Xen: flsl(bound) + PAGE_SHIFT).
uint32_t machine_address_bits(uint64_t highest_mfn);

/// The host, as the PV filter needs to know it.
struct HostCpuid {
    CpuVendor vendor = CpuVendor::Other;
    uint32_t max_basic_leaf = 0;     ///< host leaf 0 EAX
    uint32_t max_extended_leaf = 0;  ///< host leaf 0x80000000 EAX
    uint64_t xcr0 = 0;               ///< the hypervisor's XCR0 (0: the CPU has no XSAVE)
    uint32_t xsave_size = 0;         ///< the XSAVE area size for all of `xcr0`
};

/// The XSAVE state components a PV guest may enable: x87, SSE, AVX (XCR0 bits 0-2).
inline constexpr uint64_t kXcr0X87 = 1u << 0, kXcr0Sse = 1u << 1, kXcr0Avx = 1u << 2;
inline constexpr uint64_t kPvXcr0Mask = kXcr0X87 | kXcr0Sse | kXcr0Avx;

/// XSETBV from guest kernel mode (Xen's handle_xsetbv, valid_xcr0): only XCR0, only bits
/// the hypervisor enabled (`host_xcr0`), x87 always set, AVX only with SSE. False: #GP.
bool guest_xcr0_valid(uint32_t xcr, uint64_t value, uint64_t host_xcr0);

/// Leaf 1 as a vCPU sees it: OSXSAVE set when its virtual CR4.OSXSAVE is (Xen's
/// guest_cpuid). `filtered` is pv_cpuid_leaf's answer.
CpuidLeaf pv_cpuid_osxsave(uint32_t leaf, const CpuidLeaf& filtered, bool guest_cr4_osxsave);

/// The largest basic and extended leaves a PV guest sees (Xen 4.17's
/// CPUID_GUEST_NR_BASIC - 1; extended leaves past 0x80000008 are Xenolith's cut).
inline constexpr uint32_t kPvMaxBasicLeaf = 0xd;
inline constexpr uint32_t kPvMaxExtendedLeaf = 0x80000008;

/// A host leaf as a PV guest sees it: `host` is what CPUID(leaf, subleaf) returned on the
/// host. Leaves past the guest's maximum, and leaves not passed through, read as zeros.
/// @pre !is_xen_cpuid_leaf(leaf)
CpuidLeaf pv_cpuid_leaf(uint32_t leaf, uint32_t subleaf, const CpuidLeaf& host, const HostCpuid& machine);

// Feature bits the tests and the emulator name (SDM Vol. 2A Table 3-10/3-11, CPUID).
inline constexpr uint32_t kLeaf1EcxMonitor = 1u << 3;     // MONITOR/MWAIT
inline constexpr uint32_t kLeaf1EcxVmx = 1u << 5;         // VMX
inline constexpr uint32_t kLeaf1EcxPcid = 1u << 17;       // PCID
inline constexpr uint32_t kLeaf1EcxAvx = 1u << 28;        // AVX
inline constexpr uint32_t kLeaf1EcxXsave = 1u << 26;      // XSAVE
inline constexpr uint32_t kLeaf1EcxOsxsave = 1u << 27;    // OSXSAVE
inline constexpr uint32_t kLeaf1EcxHypervisor = 1u << 31; // running under a hypervisor
inline constexpr uint32_t kExtLeaf1EcxSvm = 1u << 2;      // 0x80000001 ECX: SVM
inline constexpr uint32_t kExtLeaf1EdxRdtscp = 1u << 27;  // 0x80000001 EDX: RDTSCP
inline constexpr uint32_t kExtLeaf7EdxInvariantTsc = 1u << 8;  // 0x80000007 EDX: invariant TSC
inline constexpr uint32_t kLeaf7EbxInvpcid = 1u << 10;    // leaf 7.0 EBX: INVPCID

}  // namespace hv
