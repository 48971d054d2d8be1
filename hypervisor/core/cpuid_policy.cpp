// SPDX-License-Identifier: MIT
// CPUID for PV guests (see cpuid_policy.hpp). Feature bit numbers: SDM Vol. 2A, CPUID;
// which ones a PV guest gets: the 'A' marks of xen/include/public/arch-x86/cpufeatureset.h,
// minus what cpuid_policy.hpp lists as XEN-DIFF.
#include "core/cpuid_policy.hpp"

#include <bit>

#include "abi/hypercall.hpp"

namespace hv {
namespace {

constexpr uint32_t bit(unsigned n) { return uint32_t{1} << n; }

// Leaf 1 EDX: FPU DE TSC MSR PAE MCE CX8 APIC SEP MCA CMOV PAT CLFLUSH ACPI MMX FXSR SSE
// SSE2 SS HTT. Not VME, PSE, MTRR, PGE, PSE36 (HVM only), nor DS, TM1, PBE (never).
constexpr uint32_t kPvLeaf1Edx = bit(0) | bit(2) | bit(4) | bit(5) | bit(6) | bit(7) | bit(8) | bit(9) | bit(11) |
                                 bit(14) | bit(15) | bit(16) | bit(19) | bit(22) | bit(23) | bit(24) | bit(25) |
                                 bit(26) | bit(27) | bit(28);
static_assert(kPvLeaf1Edx == 0x1fc9cbf5);  // exactly Xen's 'A' set of this word

// Leaf 1 ECX: SSE3 PCLMULQDQ SSSE3 CX16 SSE4.1 SSE4.2 MOVBE POPCNT AESNI RDRAND; the
// hypervisor bit is always set. Xen's 'A' set also has FMA, XSAVE, AVX and F16C: below,
// with the XSAVE state they need.
constexpr uint32_t kPvLeaf1Ecx = bit(0) | bit(1) | bit(9) | bit(13) | bit(19) | bit(20) | bit(22) | bit(23) |
                                 bit(25) | bit(30);
// Leaf 1 ECX with XSAVE on: XSAVE; with AVX state on: FMA, AVX, F16C as well.
constexpr uint32_t kPvLeaf1EcxXsave = kLeaf1EcxXsave;
constexpr uint32_t kPvLeaf1EcxAvx = bit(12) | kLeaf1EcxAvx | bit(29);
// Leaf 7.0 with AVX state on: AVX2 (EBX), VAES and VPCLMULQDQ (ECX).
constexpr uint32_t kPvLeaf7EbxAvx = bit(5), kPvLeaf7EcxAvx = bit(9) | bit(10);
// 0x80000001 ECX with AVX state on: XOP, FMA4.
constexpr uint32_t kPvExtLeaf1EcxAvx = bit(11) | bit(16);
// Leaf 0xd.1 EAX: XSAVEOPT, XSAVEC, XGETBV1 (not XSAVES: no IA32_XSS for PV guests).
constexpr uint32_t kPvLeafDSubleaf1Eax = bit(0) | bit(1) | bit(2);

// Leaf 7.0 EBX: BMI1 BMI2 ERMS RDSEED ADX CLFLUSHOPT CLWB SHA (AVX2: above). Not FSGSBASE,
// RTM and the AVX-512 family (XEN-DIFF), nor SMEP, SMAP, INVPCID (HVM only).
constexpr uint32_t kPvLeaf7Ebx = bit(3) | bit(8) | bit(9) | bit(18) | bit(19) | bit(23) | bit(24) | bit(29);
// Leaf 7.0 ECX: PREFETCHWT1 GFNI RDPID CLDEMOTE.
constexpr uint32_t kPvLeaf7Ecx = bit(0) | bit(8) | bit(22) | bit(25);
// Leaf 7.0 EDX: FSRM MD_CLEAR SERIALIZE.
constexpr uint32_t kPvLeaf7Edx = bit(4) | bit(10) | bit(14);
// Leaf 7.1 EAX: FZRM FSRS FSRCS.
constexpr uint32_t kPvLeaf7Subleaf1Eax = bit(10) | bit(11) | bit(12);
/// Sub-leaves of leaf 7 a guest sees: 0 and 1.
constexpr uint32_t kPvMaxLeaf7Subleaf = 1;

// 0x80000001 EDX: SYSCALL NX MMXEXT FFXSR RDTSCP LM 3DNOWEXT 3DNOW, and on AMD the copies of
// leaf 1 EDX bits 0-24 that both vendors define, filtered like leaf 1 (Xen's
// CPUID_COMMON_1D_FEATURES: FPU DE TSC MSR PAE MCE CX8 APIC MCA CMOV PAT MMX FXSR here).
constexpr uint32_t kPvExtLeaf1Edx = bit(11) | bit(20) | bit(22) | bit(25) | kExtLeaf1EdxRdtscp | bit(29) | bit(30) |
                                    bit(31) | bit(0) | bit(2) | bit(4) | bit(5) | bit(6) | bit(7) | bit(8) | bit(9) |
                                    bit(14) | bit(15) | bit(16) | bit(23) | bit(24);
// 0x80000001 ECX: LAHF_LM CMP_LEGACY ABM SSE4A MISALIGNSSE 3DNOWPREFETCH TBM. Not SVM
// (never for PV), XOP, FMA4 (only with AVX state, above), DBEXT (no DR address-mask MSRs).
constexpr uint32_t kPvExtLeaf1Ecx = bit(0) | bit(1) | bit(5) | bit(6) | bit(7) | bit(8) | bit(21);
// 0x80000007 EDX: EFRO only; the invariant TSC is hidden from PV guests (they use the
// time Xen publishes, which stays right across migration).
constexpr uint32_t kPvExtLeaf7Edx = bit(10);
// 0x80000008 EBX: CLZERO RSTR_FP_ERR_PTRS SSB_NO BTC_NO.
constexpr uint32_t kPvExtLeaf8Ebx = bit(0) | bit(2) | bit(26) | bit(29);

/// Leaf 1 EAX and 0x80000001 EAX: family, model and stepping, without the processor
/// type (bits 13:12) and the reserved bits (Xen's recalculate_misc).
constexpr uint32_t kFamilyModelSteppingMask = 0x0fff0fff;
/// Leaf 1 EBX: brand index, CLFLUSH line size and logical processor count; the initial
/// APIC ID (bits 31:24) is hidden.
constexpr uint32_t kLeaf1EbxWithoutApicId = 0x00ffffff;
/// 0x80000008 EAX: physical and linear address sizes (bits 15:0); the guest physical
/// size above is hidden. ECX on AMD: core count and APIC ID size (Xen keeps 0x3f0ff).
constexpr uint32_t kAddressSizesMask = 0x0000ffff, kAmdExtLeaf8EcxMask = 0x0003f0ff;
/// 0x80000001 EBX on AMD: brand ID and package type, without bits 23:16.
constexpr uint32_t kAmdExtLeaf1EbxMask = 0xff00ffff;

constexpr uint32_t kExtendedBase = 0x80000000;

/// A vendor string as leaf 0 returns it: four characters each in EBX, EDX, ECX.
struct VendorString { uint32_t ebx, edx, ecx; };
constexpr VendorString kIntel{0x756e6547, 0x49656e69, 0x6c65746e};  // "Genu" "ineI" "ntel"
constexpr VendorString kAmd{0x68747541, 0x69746e65, 0x444d4163};    // "Auth" "enti" "cAMD"
constexpr VendorString kHygon{0x6f677948, 0x6e65476e, 0x656e6975};  // "Hygo" "nGen" "uine"

constexpr bool names(const CpuidLeaf& leaf0, VendorString vendor) {
    return leaf0.ebx == vendor.ebx && leaf0.edx == vendor.edx && leaf0.ecx == vendor.ecx;
}

/// Leaf 0xd (SDM Vol. 1 13.2): the components of kPvXcr0Mask the hypervisor enabled.
CpuidLeaf xsave_leaf(uint32_t subleaf, const CpuidLeaf& host, const HostCpuid& machine) {
    const uint64_t mask = machine.xcr0 & kPvXcr0Mask;
    if (mask == 0) return {};
    switch (subleaf) {
    // EBX: the size for the XCR0 now loaded, which is the asking vCPU's; ECX: for all of EAX.
    case 0: return {static_cast<uint32_t>(mask), host.ebx, machine.xsave_size, 0};
    case 1: return {host.eax & kPvLeafDSubleaf1Eax, host.ebx, 0, 0};
    default:
        return subleaf < 64 && (mask >> subleaf) & 1 ? host : CpuidLeaf{};  // a component's size and offset
    }
}

CpuidLeaf basic_leaf(uint32_t leaf, uint32_t subleaf, const CpuidLeaf& host, const HostCpuid& machine) {
    const bool amd = machine.vendor == CpuVendor::Amd;
    const bool xsave = (machine.xcr0 & kXcr0X87) != 0, avx = (machine.xcr0 & kXcr0Avx) != 0;
    switch (leaf) {
    case 0x0: return {machine.max_basic_leaf < kPvMaxBasicLeaf ? machine.max_basic_leaf : kPvMaxBasicLeaf, host.ebx,
                      host.ecx, host.edx};
    case 0x1: return {host.eax & kFamilyModelSteppingMask, host.ebx & kLeaf1EbxWithoutApicId,
                      (host.ecx & (kPvLeaf1Ecx | (xsave ? kPvLeaf1EcxXsave : 0) | (avx ? kPvLeaf1EcxAvx : 0))) |
                          kLeaf1EcxHypervisor,
                      host.edx & kPvLeaf1Edx};
    case 0x2:  // cache and TLB descriptors: Intel's; AMD defines none
    case 0x4:  // deterministic cache parameters
        return amd ? CpuidLeaf{} : host;
    case 0x7:
        if (subleaf == 0)
            return {host.eax < kPvMaxLeaf7Subleaf ? host.eax : kPvMaxLeaf7Subleaf,
                    host.ebx & (kPvLeaf7Ebx | (avx ? kPvLeaf7EbxAvx : 0)),
                    host.ecx & (kPvLeaf7Ecx | (avx ? kPvLeaf7EcxAvx : 0)), host.edx & kPvLeaf7Edx};
        if (subleaf == 1) return {host.eax & kPvLeaf7Subleaf1Eax, 0, 0, 0};
        return {};
    case 0xd: return xsave_leaf(subleaf, host, machine);
    default:
        // 3 (serial number), 5 (MONITOR), 6 (power), 8, 9 (DCA), 0xa (no vPMU), 0xb
        // (topology) and 0xc are hidden.
        return {};
    }
}

CpuidLeaf extended_leaf(uint32_t leaf, const CpuidLeaf& host, const HostCpuid& machine) {
    const bool amd = machine.vendor == CpuVendor::Amd;
    switch (leaf) {
    case 0x80000000: {
        const uint32_t max = machine.max_extended_leaf < kPvMaxExtendedLeaf ? machine.max_extended_leaf : kPvMaxExtendedLeaf;
        // Intel leaves EBX-EDX reserved; AMD repeats the vendor string.
        return amd ? CpuidLeaf{max, host.ebx, host.ecx, host.edx} : CpuidLeaf{max, 0, 0, 0};
    }
    case 0x80000001:
        return {amd ? host.eax & kFamilyModelSteppingMask : 0, amd ? host.ebx & kAmdExtLeaf1EbxMask : 0,
                host.ecx & (kPvExtLeaf1Ecx | ((machine.xcr0 & kXcr0Avx) != 0 ? kPvExtLeaf1EcxAvx : 0)),
                host.edx & kPvExtLeaf1Edx};
    case 0x80000002:
    case 0x80000003:
    case 0x80000004:
        return host;  // the processor brand string
    case 0x80000005: return amd ? host : CpuidLeaf{};  // AMD's L1 cache and TLB
    case 0x80000006: return amd ? host : CpuidLeaf{0, 0, host.ecx, 0};  // L2 cache (Intel: ECX only)
    case 0x80000007: return {0, 0, 0, host.edx & kPvExtLeaf7Edx};
    case 0x80000008:
        return {host.eax & kAddressSizesMask, host.ebx & kPvExtLeaf8Ebx, amd ? host.ecx & kAmdExtLeaf8EcxMask : 0, 0};
    default: return {};
    }
}

}  // namespace

CpuVendor cpu_vendor(const CpuidLeaf& leaf0) {
    if (names(leaf0, kIntel)) return CpuVendor::Intel;
    if (names(leaf0, kAmd) || names(leaf0, kHygon)) return CpuVendor::Amd;
    return CpuVendor::Other;
}

bool guest_xcr0_valid(uint32_t xcr, uint64_t value, uint64_t host_xcr0) {
    if (xcr != 0) return false;                                    // only XCR0 exists for a PV guest
    if ((value & ~(host_xcr0 & kPvXcr0Mask)) != 0) return false;   // a component the hypervisor has not
    if ((value & kXcr0X87) == 0) return false;                     // x87 can never be off
    if ((value & kXcr0Avx) != 0 && (value & kXcr0Sse) == 0) return false;  // AVX needs SSE
    return true;
}

CpuidLeaf pv_cpuid_osxsave(uint32_t leaf, const CpuidLeaf& filtered, bool guest_cr4_osxsave) {
    CpuidLeaf result = filtered;
    if (leaf == 1 && guest_cr4_osxsave && (filtered.ecx & kLeaf1EcxXsave) != 0) result.ecx |= kLeaf1EcxOsxsave;
    return result;
}

uint32_t machine_address_bits(uint64_t highest_mfn) {
    constexpr uint32_t kPageShift = 12;
    return static_cast<uint32_t>(std::bit_width(highest_mfn)) + kPageShift;
}

CpuidLeaf xen_cpuid_leaf(uint32_t leaf, uint32_t subleaf, const XenCpuidFacts& facts) {
    // "XenVMMXenVMM" in EBX, ECX, EDX (public/arch-x86/cpuid.h: XEN_CPUID_SIGNATURE_*).
    constexpr uint32_t kSignatureEbx = 0x566e6558, kSignatureEcx = 0x65584d4d, kSignatureEdx = 0x4d4d566e;
    constexpr uint32_t kFeat1MmuPtUpdatePreserveAd = 1u << 0;  // XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD
    const uint32_t index = leaf - kXenCpuidFirstLeaf;
    switch (index) {
    case 0: return {kXenCpuidFirstLeaf + kXenCpuidMaxLeaf, kSignatureEbx, kSignatureEcx, kSignatureEdx};
    case 1: return {(kXenVersionMajor << 16) | kXenVersionMinor, 0, 0, 0};
    case 2: return {1, abi::kHypercallPageMsr, kFeat1MmuPtUpdatePreserveAd, 0};  // one page, its MSR, PV features
    case 3:
        switch (subleaf) {
        case 0: {
            // EAX: bit 0 TSC emulated (never here), bit 1 host TSC reliable, bit 2 RDTSCP;
            // EBX: tsc_mode 0 (default); ECX: guest TSC kHz; EDX: incarnation (migrations) 0.
            const uint32_t flags = (facts.tsc_reliable ? 1u << 1 : 0) | (facts.has_rdtscp ? 1u << 2 : 0);
            return {flags, 0, facts.tsc_khz, 0};
        }
        case 1:
            // The guest's TSC offset (0: it reads the host's TSC) and its TSC -> ns scale;
            // the shift is sign-extended to 32 bits, as Xen's (s8) cast does.
            return {0, 0, facts.tsc_to_ns.mul, static_cast<uint32_t>(static_cast<int32_t>(facts.tsc_to_ns.shift))};
        case 2: return {facts.tsc_khz, 0, 0, 0};  // the host's TSC kHz
        default: return {};
        }
    case 4: return {};  // HVM-only features: zeros for PV
    case 5:
        if (subleaf != 0) return {};
        return {0, machine_address_bits(facts.highest_mfn), 0, 0};
    default: return {};  // past the last leaf (and the whole 0x40000100 block)
    }
}

CpuidLeaf pv_cpuid_leaf(uint32_t leaf, uint32_t subleaf, const CpuidLeaf& host, const HostCpuid& machine) {
    if (leaf < kExtendedBase) {
        const uint32_t max = machine.max_basic_leaf < kPvMaxBasicLeaf ? machine.max_basic_leaf : kPvMaxBasicLeaf;
        return leaf <= max ? basic_leaf(leaf, subleaf, host, machine) : CpuidLeaf{};
    }
    const uint32_t max = machine.max_extended_leaf < kPvMaxExtendedLeaf ? machine.max_extended_leaf : kPvMaxExtendedLeaf;
    if (leaf > max || machine.max_extended_leaf < kExtendedBase) return {};
    return extended_leaf(leaf, host, machine);
}

}  // namespace hv
