// SPDX-License-Identifier: MIT
// The hypercalls that tell the hypervisor where the guest handles things: set_trap_table
// (0), set_callbacks (4), callback_op (30), stack_switch (3), fpu_taskswitch (5),
// set_debugreg (8) and get_debugreg (9). Xen: pv/callback.c, pv/misc-hypercalls.c.
#include "abi/callback.hpp"
#include "abi/xen.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "arch/x86_64/guest_mode.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {
namespace {

constexpr unsigned kTrapTableEntries = 256;

constexpr bool canonical(uint64_t address) { return address < (uint64_t{1} << 47) || address >= 0xffff'8000'0000'0000; }

}  // namespace

/// set_trap_table(list): entries up to the first with address 0 (so one vector cannot be
/// cleared this way); a NULL list clears the whole table. A non-canonical handler: -EINVAL.
HypercallResult do_set_trap_table(Domain& caller, const HypercallArgs& args) {
    PvState& pv = caller.vcpu.pv;
    if (args.arg1 == 0) {
        for (TrapHandler& handler : pv.traps) handler = TrapHandler{0, 0};
        return uint64_t{0};
    }
    for (unsigned i = 0; i < kTrapTableEntries; ++i) {
        abi::TrapInfo entry;
        TRY(arch::copy_from_guest(entry, GuestVaddr(args.arg1 + i * sizeof(abi::TrapInfo))));
        if (entry.address == 0) break;
        if (!canonical(entry.address)) return lib::error(abi::Errno::Inval, "trap handler address is not canonical");
        pv.traps[entry.vector] = TrapHandler{entry.address, entry.flags};
    }
    return uint64_t{0};
}

/// set_callbacks(event, failsafe, syscall): the old interface; always 0, as on Xen.
HypercallResult do_set_callbacks(Domain& caller, const HypercallArgs& args) {
    // A non-canonical address is ignored (kept as it was), as Xen does.
    if (canonical(args.arg1)) caller.vcpu.pv.event = Callback{args.arg1, true};
    if (canonical(args.arg2)) caller.vcpu.pv.failsafe = Callback{args.arg2, false};
    if (canonical(args.arg3)) caller.vcpu.pv.syscall = Callback{args.arg3, false};
    return uint64_t{0};
}

HypercallResult do_callback_op(Domain& caller, const HypercallArgs& args) {
    PvState& pv = caller.vcpu.pv;
    switch (static_cast<abi::CallbackOp>(static_cast<uint32_t>(args.arg1))) {
    case abi::CallbackOp::Register: {
        abi::CallbackRegister request;
        TRY(arch::copy_from_guest(request, GuestVaddr(args.arg2)));
        if (!canonical(request.address)) return lib::error(abi::Errno::Inval, "callback address is not canonical");
        const Callback callback{request.address, (request.flags & abi::kCallbackfMaskEvents) != 0};
        switch (static_cast<abi::CallbackType>(request.type)) {
        case abi::CallbackType::Event: pv.event = Callback{request.address, true}; break;
        case abi::CallbackType::Failsafe: pv.failsafe = callback; break;
        case abi::CallbackType::Syscall: pv.syscall = callback; break;
        case abi::CallbackType::Nmi: pv.nmi = callback; break;
        case abi::CallbackType::Syscall32:
        case abi::CallbackType::Sysenter:
        case abi::CallbackType::SysenterDeprecated:
            break;  // accepted as Xen accepts them; 32-bit user code never reaches them here
        default: return lib::error(abi::Errno::Inval, "unknown callback type");
        }
        return uint64_t{0};
    }
    case abi::CallbackOp::Unregister: {
        abi::CallbackUnregister request;
        TRY(arch::copy_from_guest(request, GuestVaddr(args.arg2)));
        // Only the NMI callback can be taken back (pv/callback.c).
        if (static_cast<abi::CallbackType>(request.type) != abi::CallbackType::Nmi)
            return lib::error(abi::Errno::Inval, "only the NMI callback can be unregistered");
        pv.nmi = Callback{0, false};
        return uint64_t{0};
    }
    default:
        return lib::error(abi::Errno::NoSys, "unknown callback_op");
    }
}

/// stack_switch(ss, sp): the kernel stack for entries from user mode; always 0.
HypercallResult do_stack_switch(Domain& caller, const HypercallArgs& args) {
    caller.vcpu.pv.kernel_ss = static_cast<uint16_t>(args.arg1 | 3);
    caller.vcpu.pv.kernel_sp = args.arg2;
    return uint64_t{0};
}

/// fpu_taskswitch(set): the guest's virtual CR0.TS; its next FPU use then raises #NM.
HypercallResult do_fpu_taskswitch(Domain& caller, const HypercallArgs& args) {
    arch::fpu_set_virtual_ts(caller, args.arg1 != 0);
    return uint64_t{0};
}

/// set_debugreg(reg, value) / get_debugreg(reg): kept per vCPU, checked as Xen checks them
/// (breakpoint addresses the guest's; no GD, reserved bits or I/O breakpoints in DR7), and
/// armed in the CPU at once (Xen: "writes to DR7 take immediate effect"). A hit while the
/// hypervisor itself touches the watched address (a copy to a guest buffer, or MOV SS +
/// SYSCALL, XSA-260) arrives on the #DB IST stack in ring 0 and is only recorded.
HypercallResult do_set_debugreg(Domain& caller, const HypercallArgs& args) {
    const uint64_t reg = args.arg1, value = args.arg2;
    if (reg > 7 || reg == 4 || reg == 5) return lib::error(abi::Errno::Inval, "no such debug register");
    if (reg < 4 && !arch::guest_range_ok(GuestVaddr(value), 1))
        return lib::error(abi::Errno::Perm, "breakpoint address is not the guest's");
    if (reg == 7) {
        constexpr uint64_t kGeneralDetect = 1 << 13, kReserved = 0xffff'ffff'0000'd800;
        if (value & (kGeneralDetect | kReserved)) return lib::error(abi::Errno::Inval, "DR7 bits a guest may not set");
        for (unsigned i = 0; i < 4; ++i)
            if (((value >> (16 + 4 * i)) & 3) == 2) return lib::error(abi::Errno::Inval, "I/O breakpoints need CR4.DE");
    }
    caller.vcpu.pv.debug_registers[reg] = value;
    if (reg != 6) arch::load_debug_registers(caller);
    return uint64_t{0};
}

HypercallResult do_get_debugreg(Domain& caller, const HypercallArgs& args) {
    const uint64_t reg = args.arg1;
    if (reg > 7 || reg == 4 || reg == 5) return lib::error(abi::Errno::Inval, "no such debug register");
    return caller.vcpu.pv.debug_registers[reg];
}

}  // namespace hv
