// SPDX-License-Identifier: MIT
// Emulated CPUID: ask the host, then let core/cpuid_policy.hpp decide what a PV guest sees.
#include "arch/x86_64/apic.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/emulate_parts.hpp"
#include "arch/x86_64/guest_mode.hpp"
#include "mm/machine_memory.hpp"

namespace arch {
namespace {

hv::CpuidLeaf host_cpuid(uint32_t leaf, uint32_t subleaf) {
    const CpuidResult result = cpuid(leaf, subleaf);
    return {result.eax, result.ebx, result.ecx, result.edx};
}

/// What the Xen leaves report: the calibrated TSC, which every guest reads natively (the
/// time records are published as TSC-stable), and the highest frame of RAM.
hv::XenCpuidFacts xen_cpuid_facts() {
    const uint32_t tsc_khz = static_cast<uint32_t>(timer_calibration().tsc_khz);
    hv::XenCpuidFacts facts;
    facts.tsc_khz = tsc_khz;
    facts.tsc_to_ns = hv::compute_time_scale(tsc_khz);
    facts.tsc_reliable = true;
    const hv::CpuidLeaf extended_max = host_cpuid(0x80000000, 0);
    facts.has_rdtscp = extended_max.eax >= 0x80000001 && (host_cpuid(0x80000001, 0).edx & hv::kExtLeaf1EdxRdtscp) != 0;
    facts.highest_mfn = hv::machine_frame_count() - 1;
    return facts;
}

}  // namespace

hv::CpuidLeaf guest_cpuid(uint32_t leaf, uint32_t subleaf) {
    if (hv::is_xen_cpuid_leaf(leaf)) return hv::xen_cpuid_leaf(leaf, subleaf, xen_cpuid_facts());
    const hv::CpuidLeaf leaf0 = host_cpuid(0, 0);
    hv::HostCpuid machine;
    machine.vendor = hv::cpu_vendor(leaf0);
    machine.max_basic_leaf = leaf0.eax;
    machine.max_extended_leaf = host_cpuid(0x80000000, 0).eax;
    machine.xcr0 = fpu_host_xcr0();
    machine.xsave_size = fpu_xsave_size();
    return hv::pv_cpuid_leaf(leaf, subleaf, host_cpuid(leaf, subleaf), machine);
}

}  // namespace arch
