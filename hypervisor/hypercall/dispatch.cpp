// SPDX-License-Identifier: MIT
// The hypercall dispatcher: number -> handler, ErrorOr -> RAX. It holds no state but the
// table, and it is the only place where an error becomes a guest's -errno.
#include "abi/hypercall.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {
namespace {

constexpr uint64_t kTableSize = 64;

constexpr HypercallHandler make_entry(abi::Hypercall number, HypercallHandler handler, HypercallHandler* table) {
    table[static_cast<uint64_t>(number)] = handler;
    return handler;
}

struct DispatchTable {
    HypercallHandler handlers[kTableSize] = {};
    constexpr DispatchTable() {
        make_entry(abi::Hypercall::MemoryOp, do_memory_op, handlers);
        make_entry(abi::Hypercall::XenVersion, do_xen_version, handlers);
        make_entry(abi::Hypercall::ConsoleIo, do_console_io, handlers);
        make_entry(abi::Hypercall::VmAssist, do_vm_assist, handlers);
        make_entry(abi::Hypercall::SchedOp, do_sched_op, handlers);
        make_entry(abi::Hypercall::MmuUpdate, do_mmu_update, handlers);
        make_entry(abi::Hypercall::MmuextOp, do_mmuext_op, handlers);
        make_entry(abi::Hypercall::UpdateVaMapping, do_update_va_mapping, handlers);
        make_entry(abi::Hypercall::UpdateVaMappingOtherdomain, do_update_va_mapping_otherdomain, handlers);
        make_entry(abi::Hypercall::SetTrapTable, do_set_trap_table, handlers);
        make_entry(abi::Hypercall::SetCallbacks, do_set_callbacks, handlers);
        make_entry(abi::Hypercall::CallbackOp, do_callback_op, handlers);
        make_entry(abi::Hypercall::StackSwitch, do_stack_switch, handlers);
        make_entry(abi::Hypercall::FpuTaskswitch, do_fpu_taskswitch, handlers);
        make_entry(abi::Hypercall::SetDebugreg, do_set_debugreg, handlers);
        make_entry(abi::Hypercall::GetDebugreg, do_get_debugreg, handlers);
        make_entry(abi::Hypercall::Iret, do_iret, handlers);
        make_entry(abi::Hypercall::SetSegmentBase, do_set_segment_base, handlers);
        make_entry(abi::Hypercall::SetTimerOp, do_set_timer_op, handlers);
        make_entry(abi::Hypercall::VcpuOp, do_vcpu_op, handlers);
        make_entry(abi::Hypercall::Multicall, do_multicall, handlers);
        make_entry(abi::Hypercall::EventChannelOp, do_event_channel_op, handlers);
        make_entry(abi::Hypercall::PhysdevOp, do_physdev_op, handlers);
        make_entry(abi::Hypercall::SetGdt, do_set_gdt, handlers);
        make_entry(abi::Hypercall::UpdateDescriptor, do_update_descriptor, handlers);
    }
};

constexpr DispatchTable table;

/// Make the guest execute the same SYSCALL again with new arguments: RIP back over the
/// two-byte instruction, RAX the hypercall number again (Xen's continuation).
void apply_continuation(arch::CpuUserRegs& regs, uint64_t number, const HypercallArgs& rest) {
    constexpr uint64_t kSyscallLength = 2;  // 0f 05
    regs.rip -= kSyscallLength;
    regs.rax = number;
    regs.rdi = rest.arg1;
    regs.rsi = rest.arg2;
    regs.rdx = rest.arg3;
    regs.r10 = rest.arg4;
    regs.r8 = rest.arg5;
}

/// An error as the guest's RAX: -errno.
uint64_t negated(abi::Errno code) { return static_cast<uint64_t>(-static_cast<int64_t>(code)); }

/// Log an unimplemented hypercall once per domain and number (numbers past 127 are
/// logged once together).
void report_unimplemented(Domain& caller, uint64_t number) {
    uint64_t bit = number < 128 ? number : 127;
    uint64_t& word = caller.reported_unimplemented[bit / 64];
    if (word & (uint64_t{1} << (bit % 64))) return;
    word |= uint64_t{1} << (bit % 64);
    log_warning("d{}: hypercall {} is not implemented: -ENOSYS\n", caller.id, number);
}

}  // namespace

NestedCall run_nested_hypercall(Domain& caller, uint64_t number, const HypercallArgs& args) {
    HypercallHandler handler = number < kTableSize ? table.handlers[number] : nullptr;
    if (handler == nullptr) return {negated(abi::Errno::NoSys), std::nullopt};
    // Xen: "Multicall reentry is disallowed". An iret does nest: the multicall ends there.
    if (number == static_cast<uint64_t>(abi::Hypercall::Multicall)) return {negated(abi::Errno::Inval), std::nullopt};
    HypercallResult result = handler(caller, args);
    if (std::optional<HypercallArgs> rest = continuation_of(result)) return {number, rest};
    if (result.is_error()) return {negated(result.error_code()), std::nullopt};
    return {result.value(), std::nullopt};
}

void dispatch_hypercall(arch::CpuUserRegs& regs) {
    Domain& caller = current_domain();
    const uint64_t number = regs.rax;  // Xen reads all 64 bits: a huge number is -ENOSYS
    HypercallHandler handler = number < kTableSize ? table.handlers[number] : nullptr;
    if (handler == nullptr) {
        report_unimplemented(caller, number);
        regs.rax = negated(abi::Errno::NoSys);
        return;
    }
    HypercallResult result = handler(caller, HypercallArgs::from(regs));
    if (!result.is_error()) {
        regs.rax = result.value();
    } else if (std::optional<HypercallArgs> rest = continuation_of(result)) {
        apply_continuation(regs, number, *rest);
    } else {
        lib::Error error = result.error();
        log_debug("d{}: hypercall {} -> -{}{}{}\n", caller.id, number, abi::errno_name(error.code),
                  error.reason ? ": " : "", error.reason ? error.reason : "");
        regs.rax = negated(error.code);
    }
    schedule_if_needed();
}

}  // namespace hv
