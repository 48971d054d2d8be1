// SPDX-License-Identifier: MIT
// Guest kernel/user mode, segment bases and lazy FPU switching (see guest_mode.hpp).
// FXSAVE/FXRSTOR: SDM Vol. 1 10.5; CR0.TS and #NM: SDM Vol. 3A 2.5 and 13.4.
#include "arch/x86_64/guest_mode.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/tlb.hpp"
#include "mm/frame.hpp"

namespace arch {
namespace {

constexpr uint64_t kCr0Ts = uint64_t{1} << 3;
constexpr uint64_t kCr4Osfxsr = uint64_t{1} << 9, kCr4Osxmmexcpt = uint64_t{1} << 10;

alignas(16) uint8_t clean_fpu[512];
hv::Domain* fpu_owner = nullptr;  // whose state the FPU holds now

void fxsave(uint8_t* area) { asm volatile("fxsave64 %0" : "=m"(*reinterpret_cast<uint8_t(*)[512]>(area))); }
void fxrstor(const uint8_t* area) { asm volatile("fxrstor64 %0" : : "m"(*reinterpret_cast<const uint8_t(*)[512]>(area))); }
void clts() { asm volatile("clts"); }
void stts() { write_cr0(read_cr0() | kCr0Ts); }

}  // namespace

void switch_to_guest_kernel_mode(hv::Domain& domain) {
    domain.vcpu.pv.user_mode = false;
    switch_address_space(hv::maddr_of(domain.vcpu.kernel_l4).raw());
    load_segment_bases(domain);
}

void switch_to_guest_user_mode(hv::Domain& domain) {
    domain.vcpu.pv.user_mode = true;
    switch_address_space(hv::maddr_of(domain.vcpu.user_l4).raw());
    load_segment_bases(domain);
}

void load_segment_bases(const hv::Domain& domain) {
    const hv::PvState& pv = domain.vcpu.pv;
    wrmsr(kMsrFsBase, pv.fs_base);
    // The active GS base is the one of the current mode; the other waits in
    // KERNEL_GS_BASE, as SWAPGS would leave it.
    wrmsr(kMsrGsBase, pv.user_mode ? pv.gs_base_user : pv.gs_base_kernel);
    wrmsr(kMsrKernelGsBase, pv.user_mode ? pv.gs_base_kernel : pv.gs_base_user);
}

void fpu_init() {
    write_cr4(read_cr4() | kCr4Osfxsr | kCr4Osxmmexcpt);
    clts();
    constexpr uint32_t kDefaultMxcsr = 0x1f80;  // all SIMD exceptions masked, round to nearest
    asm volatile("fninit; ldmxcsr %0" : : "m"(kDefaultMxcsr));
    fxsave(clean_fpu);
    stts();
}

void fpu_reset(hv::Domain& domain) {
    for (size_t i = 0; i < sizeof clean_fpu; ++i) domain.vcpu.pv.fpu[i] = clean_fpu[i];
}

void fpu_prepare(hv::Domain& domain) {
    if (fpu_owner == &domain && !domain.vcpu.pv.virtual_ts) clts();
    else stts();
}

bool fpu_device_not_available(hv::Domain& domain) {
    clts();
    if (fpu_owner != &domain) {
        if (fpu_owner != nullptr) fxsave(fpu_owner->vcpu.pv.fpu);
        fxrstor(domain.vcpu.pv.fpu);
        fpu_owner = &domain;
    }
    if (!domain.vcpu.pv.virtual_ts) return false;
    // Xen clears the virtual TS as it delivers the guest's #NM.
    domain.vcpu.pv.virtual_ts = false;
    return true;
}

void fpu_set_virtual_ts(hv::Domain& domain, bool set) {
    domain.vcpu.pv.virtual_ts = set;
    fpu_prepare(domain);
}

}  // namespace arch
