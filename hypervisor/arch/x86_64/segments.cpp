// SPDX-License-Identifier: MIT
// Saving and loading a vCPU's data segments (see segments.hpp). Segment loads in 64-bit
// mode: SDM Vol. 3A 3.4.4 and 5.4.1; FS/GS bases and SWAPGS: SDM Vol. 3A 3.4.4.
#include "arch/x86_64/segments.hpp"

#include "abi/segments.hpp"
#include "arch/x86_64/cpu.hpp"

extern "C" {
// segment_load.S: 1 if the CPU took the selector, 0 if it refused it and null was loaded.
uint64_t load_ds(uint64_t selector);
uint64_t load_es(uint64_t selector);
uint64_t load_fs(uint64_t selector);
uint64_t load_gs(uint64_t selector);
}

namespace arch {
namespace {

uint16_t read_ds() { uint16_t v; asm volatile("mov %%ds, %0" : "=r"(v)); return v; }
uint16_t read_es() { uint16_t v; asm volatile("mov %%es, %0" : "=r"(v)); return v; }
uint16_t read_fs() { uint16_t v; asm volatile("mov %%fs, %0" : "=r"(v)); return v; }
uint16_t read_gs() { uint16_t v; asm volatile("mov %%gs, %0" : "=r"(v)); return v; }

/// The MSR that holds the kernel's or the user's GS base now: the active one (GS_BASE)
/// for the mode the vCPU is in, the inactive one (KERNEL_GS_BASE) for the other.
uint32_t gs_base_msr(const hv::Domain& domain, bool user_base) {
    return user_base == domain.vcpu.pv.user_mode ? kMsrGsBase : kMsrKernelGsBase;
}

}  // namespace

void save_segments(hv::Domain& domain) {
    hv::PvState& pv = domain.vcpu.pv;
    pv.selectors = hv::DataSegments{read_ds(), read_es(), read_fs(), read_gs()};
    pv.fs_base = rdmsr(kMsrFsBase);
    pv.gs_base_kernel = rdmsr(gs_base_msr(domain, false));
    pv.gs_base_user = rdmsr(gs_base_msr(domain, true));
}

bool load_segments(const hv::Domain& domain) {
    const hv::PvState& pv = domain.vcpu.pv;
    // Every load is attempted, so that each refused register is null, not just the first.
    bool loaded = load_ds(pv.selectors.ds) != 0;
    loaded = load_es(pv.selectors.es) != 0 && loaded;
    loaded = load_fs(pv.selectors.fs) != 0 && loaded;
    loaded = load_gs(pv.selectors.gs) != 0 && loaded;
    // The selector loads set FS and GS bases from their descriptors; the saved bases win
    // (they are what the guest last had, whichever way it set them).
    wrmsr(kMsrFsBase, pv.fs_base);
    wrmsr(gs_base_msr(domain, false), pv.gs_base_kernel);
    wrmsr(gs_base_msr(domain, true), pv.gs_base_user);
    return loaded;
}

void swap_gs_bases() { asm volatile("swapgs" ::: "memory"); }

void set_fs_base(uint64_t base) { wrmsr(kMsrFsBase, base); }
void set_gs_base(const hv::Domain& domain, bool user_base, uint64_t base) {
    wrmsr(gs_base_msr(domain, user_base), base);
}
uint64_t fs_base() { return rdmsr(kMsrFsBase); }
uint64_t gs_base(const hv::Domain& domain, bool user_base) { return rdmsr(gs_base_msr(domain, user_base)); }

void load_user_gs_selector(const hv::Domain& domain, uint16_t selector) {
    // The load sets the active GS base: keep the kernel's, which is active now.
    const uint64_t kernel_base = gs_base(domain, false);
    // A non-null selector gets RPL 3. Before a null one, a flat selector clears the base:
    // on AMD CPUs a null load leaves the old base behind (Xen does the same).
    constexpr uint16_t kNullSelectorMax = 3;
    if (selector > kNullSelectorMax) selector |= 3;
    else load_gs(abi::kFlatUserDs32);
    load_gs(selector);  // refused: null, as on Xen
    const uint64_t user_base = rdmsr(kMsrGsBase);
    set_gs_base(domain, false, kernel_base);
    set_gs_base(domain, true, user_base);
}

}  // namespace arch
