// SPDX-License-Identifier: MIT
// Tests of CPUID for PV guests (core/cpuid_policy.hpp): Xen's leaves, exactly, and the filter over the host's.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "core/cpuid_policy.hpp"

namespace {

using hv::CpuidLeaf;

constexpr CpuidLeaf kAllOnes{~0u, ~0u, ~0u, ~0u};

/// A machine with every leaf the filter knows.
constexpr hv::HostCpuid kIntelHost{hv::CpuVendor::Intel, 0x20, 0x80000008};
constexpr hv::HostCpuid kAmdHost{hv::CpuVendor::Amd, 0x10, 0x80000021};

hv::XenCpuidFacts facts() {
    hv::XenCpuidFacts facts;
    facts.tsc_khz = 2'893'417;
    facts.tsc_to_ns = hv::compute_time_scale(facts.tsc_khz);
    facts.tsc_reliable = true;
    facts.has_rdtscp = true;
    facts.highest_mfn = 0x1ffdf;  // the last frame of QEMU's 512 MiB
    return facts;
}

std::string text_of(const uint32_t (&words)[3]) {
    char text[13] = {};
    std::memcpy(text, words, 12);
    return text;
}

}  // namespace

TEST_CASE("Xen's leaf 0x40000000 gives the last leaf 0x40000005 and spells XenVMMXenVMM") {
    const CpuidLeaf leaf = hv::xen_cpuid_leaf(0x40000000, 0, facts());
    CHECK(leaf.eax == 0x40000005);
    CHECK(leaf.ebx == 0x566e6558);
    CHECK(leaf.ecx == 0x65584d4d);
    CHECK(leaf.edx == 0x4d4d566e);
    const uint32_t words[3] = {leaf.ebx, leaf.ecx, leaf.edx};
    CHECK(text_of(words) == "XenVMMXenVMM");
}

TEST_CASE("Xen's leaf 0x40000001 reports version 4.17") {
    CHECK(hv::xen_cpuid_leaf(0x40000001, 0, facts()) == CpuidLeaf{0x00040011, 0, 0, 0});
}

TEST_CASE("Xen's leaf 0x40000002 gives one hypercall page, its MSR and PRESERVE_AD") {
    CHECK(hv::xen_cpuid_leaf(0x40000002, 0, facts()) == CpuidLeaf{1, 0x40000000, 1, 0});
}

TEST_CASE("Xen's leaf 0x40000003 describes a native, reliable TSC in its three sub-leaves") {
    const hv::XenCpuidFacts machine = facts();
    // Sub-leaf 0: not emulated (bit 0 clear), reliable (bit 1), RDTSCP (bit 2); mode 0; kHz; incarnation 0.
    CHECK(hv::xen_cpuid_leaf(0x40000003, 0, machine) == CpuidLeaf{0x6, 0, 2'893'417, 0});
    // Sub-leaf 1: no offset; the scale the guest's time records carry.
    const CpuidLeaf scale = hv::xen_cpuid_leaf(0x40000003, 1, machine);
    CHECK(scale.eax == 0);
    CHECK(scale.ebx == 0);
    CHECK(scale.ecx == machine.tsc_to_ns.mul);
    CHECK(static_cast<int32_t>(scale.edx) == machine.tsc_to_ns.shift);
    // Sub-leaf 2: the host's TSC kHz. Past it: zeros.
    CHECK(hv::xen_cpuid_leaf(0x40000003, 2, machine) == CpuidLeaf{2'893'417, 0, 0, 0});
    CHECK(hv::xen_cpuid_leaf(0x40000003, 3, machine) == CpuidLeaf{});
}

TEST_CASE("Xen's TSC leaf clears the flags the machine lacks and sign-extends a negative shift") {
    hv::XenCpuidFacts machine = facts();
    machine.tsc_reliable = false;
    machine.has_rdtscp = false;
    machine.tsc_to_ns = hv::TimeScale{0x80000000, -1};
    CHECK(hv::xen_cpuid_leaf(0x40000003, 0, machine).eax == 0);
    CHECK(hv::xen_cpuid_leaf(0x40000003, 1, machine).edx == 0xffffffff);
}

TEST_CASE("Xen's leaf 0x40000004 is HVM-only: zeros for a PV guest") {
    CHECK(hv::xen_cpuid_leaf(0x40000004, 0, facts()) == CpuidLeaf{});
}

TEST_CASE("Xen's leaf 0x40000005 gives the machine address width in EBX[7:0], in sub-leaf 0 only") {
    CHECK(hv::xen_cpuid_leaf(0x40000005, 0, facts()) == CpuidLeaf{0, 29, 0, 0});  // frames below 2^17
    CHECK(hv::xen_cpuid_leaf(0x40000005, 1, facts()) == CpuidLeaf{});
    CHECK(hv::machine_address_bits(0xfffff) == 32);   // 4 GiB of frames
    CHECK(hv::machine_address_bits(0x100000) == 33);  // one more frame needs one more bit
    CHECK(hv::machine_address_bits(1) == 13);
}

TEST_CASE("leaves past Xen's last one, up to 0x400001ff, read as zeros") {
    for (uint32_t leaf : {0x40000006u, 0x400000ffu, 0x40000100u, 0x40000105u, 0x400001ffu})
        CHECK(hv::xen_cpuid_leaf(leaf, 0, facts()) == CpuidLeaf{});
    CHECK(hv::is_xen_cpuid_leaf(0x40000000));
    CHECK(hv::is_xen_cpuid_leaf(0x400001ff));
    CHECK_FALSE(hv::is_xen_cpuid_leaf(0x3fffffff));
    CHECK_FALSE(hv::is_xen_cpuid_leaf(0x40000200));
}

TEST_CASE("the vendor comes from leaf 0's three registers") {
    CHECK(hv::cpu_vendor({0xd, 0x756e6547, 0x6c65746e, 0x49656e69}) == hv::CpuVendor::Intel);
    CHECK(hv::cpu_vendor({0x10, 0x68747541, 0x444d4163, 0x69746e65}) == hv::CpuVendor::Amd);
    CHECK(hv::cpu_vendor({0x10, 0x6f677948, 0x656e6975, 0x6e65476e}) == hv::CpuVendor::Amd);  // Hygon
    CHECK(hv::cpu_vendor({0x10, 0x756e6547, 0x49656e69, 0x6c65746e}) == hv::CpuVendor::Other);  // ECX/EDX swapped
}

TEST_CASE("leaf 1 sets the hypervisor bit and hides VMX, MONITOR, PCID, XSAVE, OSXSAVE and the APIC ID") {
    const CpuidLeaf leaf = hv::pv_cpuid_leaf(1, 0, kAllOnes, kIntelHost);
    CHECK((leaf.ecx & hv::kLeaf1EcxHypervisor) != 0);
    CHECK((leaf.ecx & (hv::kLeaf1EcxVmx | hv::kLeaf1EcxMonitor | hv::kLeaf1EcxPcid)) == 0);
    CHECK((leaf.ecx & (hv::kLeaf1EcxXsave | hv::kLeaf1EcxOsxsave)) == 0);
    CHECK(leaf.ebx == 0x00ffffff);
    CHECK(leaf.eax == 0x0fff0fff);
    CHECK(leaf.ecx == 0xc2d82203);  // SSE3 PCLMULQDQ SSSE3 CX16 SSE4.1/4.2 MOVBE POPCNT AESNI RDRAND HYPERVISOR
    CHECK(leaf.edx == 0x1fc9cbf5);  // Xen's 'A' set: not VME PSE MTRR PGE PSE36 DS TM PBE
    // The hypervisor bit is set even where the host does not have it.
    CHECK(hv::pv_cpuid_leaf(1, 0, CpuidLeaf{}, kIntelHost).ecx == hv::kLeaf1EcxHypervisor);
}

TEST_CASE("leaf 7 hides FSGSBASE, SMEP, SMAP, INVPCID and AVX2, and has sub-leaves 0 and 1 only") {
    const CpuidLeaf leaf = hv::pv_cpuid_leaf(7, 0, kAllOnes, kIntelHost);
    CHECK(leaf.eax == 1);
    CHECK((leaf.ebx & (1u << 0)) == 0);   // FSGSBASE
    CHECK((leaf.ebx & (1u << 5)) == 0);   // AVX2
    CHECK((leaf.ebx & (1u << 7)) == 0);   // SMEP
    CHECK((leaf.ebx & hv::kLeaf7EbxInvpcid) == 0);
    CHECK((leaf.ebx & (1u << 20)) == 0);  // SMAP
    CHECK((leaf.ebx & (1u << 3)) != 0);   // BMI1 passes
    CHECK(hv::pv_cpuid_leaf(7, 0, CpuidLeaf{0, 0, 0, 0}, kIntelHost).eax == 0);  // a host without sub-leaf 1
    CHECK(hv::pv_cpuid_leaf(7, 1, kAllOnes, kIntelHost) == CpuidLeaf{0x1c00, 0, 0, 0});
    CHECK(hv::pv_cpuid_leaf(7, 2, kAllOnes, kIntelHost) == CpuidLeaf{});
}

TEST_CASE("MONITOR, power, topology, PMU and XSAVE leaves read as zeros") {
    for (uint32_t leaf : {3u, 5u, 6u, 8u, 9u, 0xau, 0xbu, 0xcu, 0xdu})
        CHECK(hv::pv_cpuid_leaf(leaf, 0, kAllOnes, kIntelHost) == CpuidLeaf{});
}

TEST_CASE("the guest's maximum basic and extended leaves are the host's, capped") {
    CHECK(hv::pv_cpuid_leaf(0, 0, {0x20, 1, 2, 3}, kIntelHost) == CpuidLeaf{0xd, 1, 2, 3});
    CHECK(hv::pv_cpuid_leaf(0, 0, {0x7, 1, 2, 3}, {hv::CpuVendor::Intel, 0x7, 0x80000008}).eax == 0x7);
    CHECK(hv::pv_cpuid_leaf(0xe, 0, kAllOnes, kIntelHost) == CpuidLeaf{});
    CHECK(hv::pv_cpuid_leaf(0x80000000, 0, kAllOnes, kAmdHost).eax == 0x80000008);
    CHECK(hv::pv_cpuid_leaf(0x80000021, 0, kAllOnes, kAmdHost) == CpuidLeaf{});
    // A leaf past the host's own maximum is zeros whatever the host returned for it.
    const hv::HostCpuid small{hv::CpuVendor::Intel, 0x4, 0x80000004};
    CHECK(hv::pv_cpuid_leaf(7, 0, kAllOnes, small) == CpuidLeaf{});
    CHECK(hv::pv_cpuid_leaf(0x80000008, 0, kAllOnes, small) == CpuidLeaf{});
    CHECK(hv::pv_cpuid_leaf(0xc0000000, 0, kAllOnes, kIntelHost) == CpuidLeaf{});
}

TEST_CASE("extended leaf 1 hides SVM and keeps SYSCALL, NX, RDTSCP and long mode") {
    const CpuidLeaf amd = hv::pv_cpuid_leaf(0x80000001, 0, kAllOnes, kAmdHost);
    CHECK((amd.ecx & hv::kExtLeaf1EcxSvm) == 0);
    constexpr uint32_t kSyscall = 1u << 11, kNx = 1u << 20, kLongMode = 1u << 29;
    CHECK((amd.edx & (kSyscall | kNx | hv::kExtLeaf1EdxRdtscp | kLongMode)) == (kSyscall | kNx | hv::kExtLeaf1EdxRdtscp | kLongMode));
    CHECK(amd.eax == 0x0fff0fff);
    CHECK(amd.ebx == 0xff00ffff);
    const CpuidLeaf intel = hv::pv_cpuid_leaf(0x80000001, 0, kAllOnes, kIntelHost);
    CHECK(intel.eax == 0);
    CHECK(intel.ebx == 0);
}

TEST_CASE("the invariant TSC is hidden and address sizes keep their low 16 bits") {
    CHECK((hv::pv_cpuid_leaf(0x80000007, 0, kAllOnes, kIntelHost).edx & hv::kExtLeaf7EdxInvariantTsc) == 0);
    const CpuidLeaf sizes = hv::pv_cpuid_leaf(0x80000008, 0, {0x00ff3027, ~0u, ~0u, ~0u}, kIntelHost);
    CHECK(sizes.eax == 0x3027);  // 39 physical, 48 linear address bits
    CHECK(sizes.ecx == 0);
    CHECK(sizes.edx == 0);
}

TEST_CASE("Intel's extended leaf 0x80000000 has no vendor string; AMD's repeats it") {
    const CpuidLeaf host{0x80000008, 0x68747541, 0x444d4163, 0x69746e65};
    CHECK(hv::pv_cpuid_leaf(0x80000000, 0, host, kIntelHost) == CpuidLeaf{0x80000008, 0, 0, 0});
    CHECK(hv::pv_cpuid_leaf(0x80000000, 0, host, kAmdHost) == host);
}

TEST_CASE("the brand string passes through") {
    const CpuidLeaf brand{0x20554d45, 0x4320473, 0x1, 0x2};
    for (uint32_t leaf : {0x80000002u, 0x80000003u, 0x80000004u})
        CHECK(hv::pv_cpuid_leaf(leaf, 0, brand, kIntelHost) == brand);
}

namespace {
constexpr hv::HostCpuid kXsaveHost{hv::CpuVendor::Intel, 0x20, 0x80000008, hv::kPvXcr0Mask, 832};
constexpr hv::HostCpuid kXsaveNoAvxHost{hv::CpuVendor::Intel, 0x20, 0x80000008, hv::kXcr0X87 | hv::kXcr0Sse, 576};
}  // namespace

TEST_CASE("with XSAVE on, leaf 1 shows XSAVE, and AVX, FMA and F16C only with AVX state; never OSXSAVE") {
    constexpr uint32_t kFma = 1u << 12, kF16c = 1u << 29;
    const CpuidLeaf avx = hv::pv_cpuid_leaf(1, 0, kAllOnes, kXsaveHost);
    CHECK((avx.ecx & (hv::kLeaf1EcxXsave | hv::kLeaf1EcxAvx | kFma | kF16c)) ==
          (hv::kLeaf1EcxXsave | hv::kLeaf1EcxAvx | kFma | kF16c));
    CHECK((avx.ecx & hv::kLeaf1EcxOsxsave) == 0);
    const CpuidLeaf sse = hv::pv_cpuid_leaf(1, 0, kAllOnes, kXsaveNoAvxHost);
    CHECK((sse.ecx & hv::kLeaf1EcxXsave) != 0);
    CHECK((sse.ecx & (hv::kLeaf1EcxAvx | kFma | kF16c)) == 0);
    // AVX2, VAES, VPCLMULQDQ and XOP, FMA4 follow AVX state; AVX-512F never shows.
    const CpuidLeaf leaf7 = hv::pv_cpuid_leaf(7, 0, kAllOnes, kXsaveHost);
    CHECK((leaf7.ebx & (1u << 5)) != 0);
    CHECK((leaf7.ebx & (1u << 16)) == 0);
    CHECK((leaf7.ecx & ((1u << 9) | (1u << 10))) == ((1u << 9) | (1u << 10)));
    CHECK((hv::pv_cpuid_leaf(7, 0, kAllOnes, kXsaveNoAvxHost).ebx & (1u << 5)) == 0);
    const hv::HostCpuid amd{hv::CpuVendor::Amd, 0x10, 0x80000008, hv::kPvXcr0Mask, 832};
    constexpr uint32_t kXopFma4 = (1u << 11) | (1u << 16);
    CHECK((hv::pv_cpuid_leaf(0x80000001, 0, kAllOnes, amd).ecx & kXopFma4) == kXopFma4);
    CHECK((hv::pv_cpuid_leaf(0x80000001, 0, kAllOnes, kAmdHost).ecx & kXopFma4) == 0);
}

TEST_CASE("OSXSAVE follows the vCPU's virtual CR4.OSXSAVE, in leaf 1 only, and only with XSAVE") {
    const CpuidLeaf leaf1 = hv::pv_cpuid_leaf(1, 0, kAllOnes, kXsaveHost);
    CHECK((hv::pv_cpuid_osxsave(1, leaf1, true).ecx & hv::kLeaf1EcxOsxsave) != 0);
    CHECK(hv::pv_cpuid_osxsave(1, leaf1, false) == leaf1);
    const CpuidLeaf no_xsave = hv::pv_cpuid_leaf(1, 0, kAllOnes, kIntelHost);
    CHECK(hv::pv_cpuid_osxsave(1, no_xsave, true) == no_xsave);
    const CpuidLeaf leaf7 = hv::pv_cpuid_leaf(7, 0, kAllOnes, kXsaveHost);
    CHECK(hv::pv_cpuid_osxsave(7, leaf7, true) == leaf7);
}

TEST_CASE("leaf 0xd lists x87, SSE and AVX and the hypervisor's sizes") {
    const CpuidLeaf host0{0x2e7, 0x240, 0xa88, 0x0};  // a host with AVX-512 and PKU as well
    CHECK(hv::pv_cpuid_leaf(0xd, 0, host0, kXsaveHost) == CpuidLeaf{0x7, 0x240, 832, 0});
    CHECK(hv::pv_cpuid_leaf(0xd, 0, host0, kXsaveNoAvxHost) == CpuidLeaf{0x3, 0x240, 576, 0});
    CHECK(hv::pv_cpuid_leaf(0xd, 1, kAllOnes, kXsaveHost).eax == 0x7);  // XSAVEOPT XSAVEC XGETBV1, not XSAVES
    const CpuidLeaf avx_component{256, 576, 0, 0};
    CHECK(hv::pv_cpuid_leaf(0xd, 2, avx_component, kXsaveHost) == avx_component);
    CHECK(hv::pv_cpuid_leaf(0xd, 2, avx_component, kXsaveNoAvxHost) == CpuidLeaf{});
    CHECK(hv::pv_cpuid_leaf(0xd, 5, kAllOnes, kXsaveHost) == CpuidLeaf{});   // opmask
    CHECK(hv::pv_cpuid_leaf(0xd, 63, kAllOnes, kXsaveHost) == CpuidLeaf{});
    CHECK(hv::pv_cpuid_leaf(0xd, 64, kAllOnes, kXsaveHost) == CpuidLeaf{});
    CHECK(hv::pv_cpuid_leaf(0xd, 0, kAllOnes, kIntelHost) == CpuidLeaf{});   // no XSAVE: zeros
}

TEST_CASE("XSETBV: only XCR0, only the hypervisor's components, x87 always, AVX with SSE") {
    CHECK(hv::guest_xcr0_valid(0, 0x7, hv::kPvXcr0Mask));
    CHECK(hv::guest_xcr0_valid(0, 0x3, hv::kPvXcr0Mask));
    CHECK(hv::guest_xcr0_valid(0, 0x1, hv::kPvXcr0Mask));
    CHECK_FALSE(hv::guest_xcr0_valid(1, 0x7, hv::kPvXcr0Mask));  // XCR1 is not writable
    CHECK_FALSE(hv::guest_xcr0_valid(0, 0x6, hv::kPvXcr0Mask));  // x87 off
    CHECK_FALSE(hv::guest_xcr0_valid(0, 0x5, hv::kPvXcr0Mask));  // AVX without SSE
    CHECK_FALSE(hv::guest_xcr0_valid(0, 0x7, hv::kXcr0X87 | hv::kXcr0Sse));  // AVX the hypervisor lacks
    CHECK_FALSE(hv::guest_xcr0_valid(0, 0xe7, 0xe7));             // AVX-512 is never the guest's
    CHECK_FALSE(hv::guest_xcr0_valid(0, uint64_t{1} << 62 | 7, hv::kPvXcr0Mask));
}
