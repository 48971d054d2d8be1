// SPDX-License-Identifier: MIT
// iret (hypercall 23) and set_segment_base (25): the return from a guest handler (to
// kernel or user mode), and the guest's FS/GS bases. Xen: pv/iret.c, pv/misc-hypercalls.c.
#include <optional>

#include "abi/callback.hpp"
#include "abi/segments.hpp"
#include "abi/shared_info.hpp"
#include "abi/vcpu.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/deliver.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "arch/x86_64/guest_mode.hpp"
#include "arch/x86_64/segments.hpp"
#include "core/scheduler.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {
namespace {

constexpr uint64_t kRflagsIf = 1 << 9, kRflagsIopl = 3 << 12, kRflagsVm = 1 << 17;

constexpr bool canonical(uint64_t address) { return address < (uint64_t{1} << 47) || address >= 0xffff'8000'0000'0000; }

constexpr uint32_t kGeneralProtection = 13;
/// An error code names a selector by its index and table bits; its low two bits are
/// EXT and IDT, not the RPL (SDM Vol. 3A 6.13).
constexpr uint32_t kErrorCodeSelectorMask = 0xfffc;

/// Whether the hypervisor's IRETQ could load this frame, and if not the #GP error code
/// the CPU would give: the code selector, then the stack selector, then 0 for a
/// non-canonical RIP, in the order IRET checks them (SDM Vol. 2A IRET, return to an
/// outer privilege level). The selectors a PV guest may return to are Xen's flat ring-3
/// ones (XEN-DIFF: a selector of a guest GDT from set_gdt is refused like a bad one).
std::optional<uint32_t> return_fault(uint64_t cs, uint64_t ss, uint64_t rip) {
    if (cs != abi::kFlatRing3Cs64 && cs != abi::kFlatRing3Cs32) return static_cast<uint32_t>(cs) & kErrorCodeSelectorMask;
    if (ss != abi::kFlatRing3Ss64) return static_cast<uint32_t>(ss) & kErrorCodeSelectorMask;
    if (!canonical(rip)) return uint32_t{0};
    return std::nullopt;
}

}  // namespace

/// The guest pushed an iret_context and jumped to the iret stub, which pushed RCX, R11
/// and RAX: at the SYSCALL, RSP points at {rax, r11, rcx, flags, rip, cs, rflags, rsp, ss}.
/// The call does not return to the stub: every register comes from the frame, and RAX is
/// this "hypercall's" result. A frame that cannot be read crashes the domain, as on Xen.
///
/// Xen checks nothing else: it loads the frame and returns with IRETQ (or SYSRET), and
/// when the hardware refuses a forged frame (a ring-0 CS such as 0xE008, a
/// non-canonical RIP) it reflects the fault to the guest as if the guest's first
/// instruction had faulted: #GP with the bad selector (or 0) as error code, the frame's
/// registers as the interrupted context (x86_64/entry.S: the pre-exception-table entry
/// of iret_exit_to_guest). Xenolith checks the frame instead of faulting its own IRETQ
/// and delivers the same #GP; with no #GP handler, the domain crashes.
HypercallResult do_iret(Domain& caller, const HypercallArgs&) {
    arch::CpuUserRegs& regs = arch::guest_frame();
    abi::IretContext frame;
    if (arch::copy_from_guest(frame, GuestVaddr(regs.rsp)).is_error()) {
        crash_domain(caller, "iret: the frame on its stack cannot be read");
        return uint64_t{0};
    }
    // Only the selector's 16 bits count (the CS slot of a bounce frame also carries the
    // saved event mask in bits 32-39); the RPL is forced to 3.
    const uint64_t cs = (frame.cs & 0xffff) | 3, ss = (frame.ss & 0xffff) | 3;
    const bool to_user = (frame.cs & 3) == 3;
    if (!canonical(frame.rsp)) {
        // XEN-DIFF: Xen returns to it, and the first push, or the bounce of the fault
        // it raises onto that stack, crashes the domain. Crash it at once.
        crash_domain(caller, "iret: a frame with a non-canonical RSP");
        return uint64_t{0};
    }
    if (to_user && caller.vcpu.user_l4.raw() == 0) {
        crash_domain(caller, "iret to user mode with no user page table (NEW_USER_BASEPTR)");
        return uint64_t{0};
    }
    regs.rip = frame.rip;
    regs.cs = cs;
    regs.rsp = frame.rsp;
    regs.ss = ss;
    regs.rflags = (frame.rflags & ~(kRflagsIopl | kRflagsVm)) | kRflagsIf;
    const bool in_syscall = (frame.flags & abi::kVgcfInSyscall) != 0;
    regs.rcx = in_syscall ? frame.rip : frame.rcx;  // as SYSRET would leave them
    regs.r11 = in_syscall ? regs.rflags : frame.r11;
    arch::vcpu_info(caller).evtchn_upcall_mask = (frame.rflags & kRflagsIf) ? 0 : 1;
    caller.vcpu.pv.in_nmi = false;
    if (to_user && !caller.vcpu.pv.user_mode) arch::switch_to_guest_user_mode(caller);
    if (const std::optional<uint32_t> error = return_fault(cs, ss, frame.rip))
        arch::deliver_exception(caller, regs, kGeneralProtection, true, *error, 0);
    return frame.rax;
}

/// set_segment_base(which, base): the bases go straight to the CPU, which holds them while
/// the vCPU runs (arch/x86_64/segments.hpp).
HypercallResult do_set_segment_base(Domain& caller, const HypercallArgs& args) {
    const uint64_t base = args.arg2;
    const auto which = static_cast<abi::SegmentBase>(static_cast<uint32_t>(args.arg1));
    if (which != abi::SegmentBase::GsUserSelector && !canonical(base))
        return lib::error(abi::Errno::Inval, "segment base is not canonical");
    switch (which) {
    case abi::SegmentBase::Fs: arch::set_fs_base(base); break;
    case abi::SegmentBase::GsUser: arch::set_gs_base(caller, true, base); break;
    case abi::SegmentBase::GsKernel: arch::set_gs_base(caller, false, base); break;
    case abi::SegmentBase::GsUserSelector: arch::load_user_gs_selector(caller, static_cast<uint16_t>(base)); break;
    default: return lib::error(abi::Errno::Inval, "unknown segment base");
    }
    return uint64_t{0};
}

}  // namespace hv
