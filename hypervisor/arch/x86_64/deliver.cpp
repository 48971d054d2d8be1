// SPDX-License-Identifier: MIT
// Bounces to the guest (see deliver.hpp; Xen: x86_64/entry.S, pv/traps.c pv_inject_event).
#include "arch/x86_64/deliver.hpp"

#include "abi/shared_info.hpp"
#include "arch/x86_64/crash_dump.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "arch/x86_64/guest_mode.hpp"
#include "arch/x86_64/paging.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"
#include "lib/format.hpp"

namespace arch {
namespace {

constexpr uint32_t kPageFault = 14;
constexpr uint32_t kPageFaultUser = 1 << 2;

bool has_any_trap_handler(const hv::PvState& pv) {
    for (const hv::TrapHandler& handler : pv.traps)
        if (handler.address != 0) return true;
    return false;
}

void crash_for(hv::Domain& domain, CpuUserRegs& regs, const char* fmt, uint32_t vector, uint64_t cr2) {
    char why[112];
    lib::FixedBuffer text(why, sizeof why);
    lib::format_to(text, fmt, exception_mnemonic(vector), exception_name(vector), regs.rip);
    hv::crash_domain(domain, why);
    print_registers(regs, cr2);
}

}  // namespace

abi::VcpuInfo& vcpu_info(hv::Domain& domain) {
    const hv::PvState& pv = domain.vcpu.pv;
    if (pv.vcpu_info_mfn.raw() != 0)
        return *reinterpret_cast<abi::VcpuInfo*>(frame_to_virt<uint8_t>(pv.vcpu_info_mfn) + pv.vcpu_info_offset);
    return frame_to_virt<abi::SharedInfo>(domain.shared_info_mfn)->vcpu_info[0];
}

bool bounce_to_guest(hv::Domain& domain, CpuUserRegs& regs, const hv::Bounce& bounce, const char* what) {
    abi::VcpuInfo& info = vcpu_info(domain);
    const bool from_user = domain.vcpu.pv.user_mode;
    const uint8_t saved_mask = info.evtchn_upcall_mask;
    if (bounce.handler == 0) {
        hv::crash_domain(domain, what);
        return false;
    }
    if (from_user) switch_to_guest_kernel_mode(domain);
    const hv::BounceFrame frame = hv::make_bounce_frame(regs, from_user, domain.vcpu.pv.kernel_sp, saved_mask, bounce);
    if (!hv::bounce_stack_ok(frame) ||
        copy_to_guest(hv::GuestVaddr(frame.frame_address), frame.words, frame.count * sizeof(uint64_t)).is_error()) {
        hv::crash_domain(domain, bounce.segments != nullptr ? "the guest's kernel stack cannot take a failsafe frame"
                                                            : "the guest's kernel stack cannot take a bounce frame");
        print_registers(regs, 0);
        return false;
    }
    if (bounce.mask_events) info.evtchn_upcall_mask = 1;
    hv::enter_handler(regs, frame, bounce.handler);
    return true;
}

void deliver_exception(hv::Domain& domain, CpuUserRegs& regs, uint32_t vector, bool has_error_code,
                       uint32_t error_code, uint64_t cr2) {
    const hv::TrapHandler& handler = domain.vcpu.pv.traps[vector & 0xff];
    if (handler.address == 0) {
        // Xen crashes the domain for an exception it has no handler for.
        crash_for(domain, regs,
                  has_any_trap_handler(domain.vcpu.pv) ? "{} ({}) at rip {:#x} with no handler for it"
                                                       : "{} ({}) at rip {:#x} with no trap table",
                  vector, cr2);
        return;
    }
    if (vector == kPageFault) {
        vcpu_info(domain).arch.cr2 = cr2;
        // The guest kernel runs in ring 3, so hardware always reports U: recompute it.
        error_code = domain.vcpu.pv.user_mode ? (error_code | kPageFaultUser) : (error_code & ~kPageFaultUser);
    }
    const hv::Bounce bounce{handler.address, has_error_code, error_code,
                            (handler.flags & hv::kTrapFlagMaskEvents) != 0};
    bounce_to_guest(domain, regs, bounce, "exception handler address is 0");
}

void deliver_failsafe(hv::Domain& domain, CpuUserRegs& regs, const hv::DataSegments& selectors) {
    const hv::Callback& failsafe = domain.vcpu.pv.failsafe;
    hv::Bounce bounce{failsafe.address, false, 0, failsafe.mask_events};
    bounce.segments = &selectors;
    // XEN-DIFF A34: with no failsafe callback Xen enters address 0 all the same (the guest
    // then faults there); Xenolith crashes the domain and says why.
    bounce_to_guest(domain, regs, bounce, "a segment could not be reloaded and no failsafe callback is registered");
}

void deliver_pending_events(hv::Domain& domain, CpuUserRegs& regs) {
    if (!domain.is_alive()) return;
    abi::VcpuInfo& info = vcpu_info(domain);
    if (info.evtchn_upcall_pending == 0 || info.evtchn_upcall_mask != 0) return;
    const hv::Bounce bounce{domain.vcpu.pv.event.address, false, 0, true};
    bounce_to_guest(domain, regs, bounce, "an event is pending and no event callback is registered");
}

}  // namespace arch
