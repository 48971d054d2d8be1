// SPDX-License-Identifier: MIT
// Guest kernel/user mode, breakpoints and lazy FPU switching (see guest_mode.hpp).
// Debug registers: SDM Vol. 3B 18.2.
// FXSAVE/FXRSTOR: SDM Vol. 1 10.5; XSAVE, XRSTOR, XSETBV: SDM Vol. 1 13; CR0.TS and #NM: SDM Vol. 3A 2.5 and 13.4.
#include "arch/x86_64/guest_mode.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/segments.hpp"
#include "arch/x86_64/tlb.hpp"
#include "core/cpuid_policy.hpp"
#include "core/printk.hpp"
#include "lib/assert.hpp"
#include "mm/frame.hpp"

namespace arch {
namespace {

constexpr uint64_t kCr0Ts = uint64_t{1} << 3;
constexpr uint64_t kCr4Osfxsr = uint64_t{1} << 9, kCr4Osxmmexcpt = uint64_t{1} << 10;
constexpr uint64_t kCr4Osxsave = uint64_t{1} << 18;
constexpr uint32_t kLeafXsave = 0xd;

alignas(64) uint8_t clean_fpu[hv::kFpuAreaSize];
hv::Domain* fpu_owner = nullptr;  // whose state the FPU holds now
uint64_t host_xcr0 = 0;           // the hypervisor's XCR0; 0 without XSAVE (FXSAVE then)
uint32_t xsave_size = 0;          // the XSAVE area for all of host_xcr0

using FpuArea = uint8_t[hv::kFpuAreaSize];

void xsetbv(uint64_t value) {
    asm volatile("xsetbv" : : "c"(0), "a"(static_cast<uint32_t>(value)), "d"(static_cast<uint32_t>(value >> 32)));
}
/// Save or load every component of host_xcr0 (XCR0 must be host_xcr0: SDM Vol. 1 13.7-13.8).
void save_fpu(uint8_t* area) {
    if (host_xcr0 == 0) {
        asm volatile("fxsave64 %0" : "=m"(*reinterpret_cast<FpuArea*>(area)));
        return;
    }
    asm volatile("xsave64 %0" : "+m"(*reinterpret_cast<FpuArea*>(area))
                 : "a"(static_cast<uint32_t>(host_xcr0)), "d"(static_cast<uint32_t>(host_xcr0 >> 32)));
}
void load_fpu(const uint8_t* area) {
    if (host_xcr0 == 0) {
        asm volatile("fxrstor64 %0" : : "m"(*reinterpret_cast<const FpuArea*>(area)));
        return;
    }
    asm volatile("xrstor64 %0" : : "m"(*reinterpret_cast<const FpuArea*>(area)),
                 "a"(static_cast<uint32_t>(host_xcr0)), "d"(static_cast<uint32_t>(host_xcr0 >> 32)));
}
void clts() { asm volatile("clts"); }
void stts() { write_cr0(read_cr0() | kCr0Ts); }

/// Put the owner's state away and leave the FPU unowned. @pre CR0.TS clear.
void save_owner() {
    if (fpu_owner == nullptr) return;
    if (host_xcr0 != 0) xsetbv(host_xcr0);
    save_fpu(fpu_owner->vcpu.pv.fpu);
    fpu_owner = nullptr;
}

/// Load `domain`'s XCR0 for it to run with. A state component of another owner that this
/// XCR0 turns off is saved first, so that changing XCR0 can never touch it.
void load_guest_xcr0(hv::Domain& domain) {
    if (host_xcr0 == 0) return;
    if (fpu_owner != nullptr && fpu_owner != &domain && (fpu_owner->vcpu.pv.xcr0 & ~domain.vcpu.pv.xcr0) != 0) {
        clts();
        save_owner();
    }
    xsetbv(domain.vcpu.pv.xcr0);
}

}  // namespace

void switch_to_guest_kernel_mode(hv::Domain& domain) {
    ASSERT(domain.vcpu.pv.user_mode);  // SWAPGS twice would give the user's GS base back
    domain.vcpu.pv.user_mode = false;
    switch_address_space(hv::maddr_of(domain.vcpu.kernel_l4).raw());
    swap_gs_bases();
}

void switch_to_guest_user_mode(hv::Domain& domain) {
    ASSERT(!domain.vcpu.pv.user_mode);
    domain.vcpu.pv.user_mode = true;
    switch_address_space(hv::maddr_of(domain.vcpu.user_l4).raw());
    swap_gs_bases();
}

void load_debug_registers(const hv::Domain& domain) {
    constexpr uint64_t kDr7Enables = 0xff;      // L0/G0 ... L3/G3 (SDM Vol. 3B 18.2.4)
    constexpr uint64_t kDr7Disarmed = 0x400;    // bit 10 reads as one
    static bool armed = false;                  // whether the CPU's DR7 enables anything
    const uint64_t* dr = domain.vcpu.pv.debug_registers;
    const bool arm = (dr[7] & kDr7Enables) != 0;
    if (!arm && !armed) return;  // the common case: nothing to write (a DR7 write is slow)
    // Disarm first, so that no instant has the new addresses with the old enables.
    write_debug_register<7>(kDr7Disarmed);
    armed = arm;
    if (!arm) return;
    write_debug_register<0>(dr[0]);
    write_debug_register<1>(dr[1]);
    write_debug_register<2>(dr[2]);
    write_debug_register<3>(dr[3]);
    write_debug_register<7>(dr[7]);
}

void fpu_init() {
    uint64_t cr4 = read_cr4() | kCr4Osfxsr | kCr4Osxmmexcpt;
    constexpr uint32_t kLeaf1EcxXsave = 1u << 26;
    if (cpuid(0).eax >= kLeafXsave && (cpuid(1).ecx & kLeaf1EcxXsave) != 0) {
        write_cr4(cr4 | kCr4Osxsave);
        host_xcr0 = (cpuid(kLeafXsave, 0).eax & hv::kPvXcr0Mask) | hv::kXcr0X87;
        xsetbv(host_xcr0);
        xsave_size = cpuid(kLeafXsave, 0).ebx;  // the size for the XCR0 just loaded
        if (xsave_size > hv::kFpuAreaSize)
            lib::panic("XSAVE area of {} bytes for XCR0 {:#x}, more than the {} a vCPU has", xsave_size, host_xcr0,
                       hv::kFpuAreaSize);
        hv::log_info("fpu: XSAVE, XCR0 {:#x}, {} bytes per vCPU\n", host_xcr0, xsave_size);
    } else {
        write_cr4(cr4);
        hv::log_info("fpu: no XSAVE, FXSAVE\n");
    }
    clts();
    constexpr uint32_t kDefaultMxcsr = 0x1f80;  // all SIMD exceptions masked, round to nearest
    asm volatile("fninit; ldmxcsr %0" : : "m"(kDefaultMxcsr));
    // XSAVE adds to what the area holds (the header must start zeroed): the clean image is
    // x87 and SSE as FNINIT and MXCSR leave them, AVX in its initial state.
    save_fpu(clean_fpu);
    stts();
}

uint64_t fpu_host_xcr0() { return host_xcr0; }
uint32_t fpu_xsave_size() { return xsave_size; }

void fpu_reset(hv::Domain& domain) {
    for (size_t i = 0; i < sizeof clean_fpu; ++i) domain.vcpu.pv.fpu[i] = clean_fpu[i];
    domain.vcpu.pv.xcr0 = hv::kXcr0X87 | (host_xcr0 & hv::kXcr0Sse);  // Xen's XSTATE_FP_SSE
    domain.vcpu.pv.cr4_osxsave = false;
}

void fpu_prepare(hv::Domain& domain) {
    load_guest_xcr0(domain);
    if (fpu_owner == &domain && !domain.vcpu.pv.virtual_ts) clts();
    else stts();
}

bool fpu_device_not_available(hv::Domain& domain) {
    clts();
    if (fpu_owner != &domain) {
        save_owner();
        if (host_xcr0 != 0) xsetbv(host_xcr0);
        load_fpu(domain.vcpu.pv.fpu);
        fpu_owner = &domain;
        if (host_xcr0 != 0) xsetbv(domain.vcpu.pv.xcr0);
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

void fpu_set_guest_xcr0(hv::Domain& domain, uint64_t value) {
    domain.vcpu.pv.xcr0 = value;
    fpu_prepare(domain);  // loads it, and sets TS again if another owner's state had to be saved
}

}  // namespace arch
