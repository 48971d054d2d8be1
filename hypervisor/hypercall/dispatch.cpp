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
    }
};

constexpr DispatchTable table;

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

void dispatch_hypercall(arch::CpuUserRegs& regs) {
    Domain& caller = current_domain();
    const uint64_t number = regs.rax;  // Xen reads all 64 bits: a huge number is -ENOSYS
    HypercallHandler handler = number < kTableSize ? table.handlers[number] : nullptr;
    if (handler == nullptr) {
        report_unimplemented(caller, number);
        regs.rax = static_cast<uint64_t>(-static_cast<int64_t>(abi::Errno::NoSys));
        return;
    }
    HypercallResult result = handler(caller, HypercallArgs::from(regs));
    if (result.is_error()) {
        lib::Error error = result.error();
        log_debug("d{}: hypercall {} -> -{}{}{}\n", caller.id, number, abi::errno_name(error.code),
                  error.reason ? ": " : "", error.reason ? error.reason : "");
        regs.rax = static_cast<uint64_t>(-static_cast<int64_t>(error.code));
    } else {
        regs.rax = result.value();
    }
    schedule_if_needed();
}

}  // namespace hv
