// SPDX-License-Identifier: MIT
// The hypercall calling convention, and every handler the dispatch table names.
#pragma once

#include <cstdint>
#include <optional>

#include "arch/x86_64/frame.hpp"
#include "core/domain.hpp"
#include "lib/error_or.hpp"

namespace hv {

/// A hypercall's arguments, in the registers the 64-bit PV ABI puts them in: rdi, rsi,
/// rdx, r10, r8 (XEN-PV-ABI.md section 1). Handlers see only this typed view.
struct HypercallArgs {
    uint64_t arg1, arg2, arg3, arg4, arg5;

    static HypercallArgs from(const arch::CpuUserRegs& regs) {
        return {regs.rdi, regs.rsi, regs.rdx, regs.r10, regs.r8};
    }
};

/// What a handler returns: a value for RAX, or one of Xen's errnos (the dispatcher,
/// and only it, turns that into -errno).
using HypercallResult = lib::ErrorOr<uint64_t>;
using HypercallHandler = HypercallResult (*)(Domain& caller, const HypercallArgs& args);

/// For a handler that stops part-way through a long batch: the call will be made again
/// with `remaining` (the dispatcher rewinds the guest's RIP onto its SYSCALL), so the guest
/// sees one hypercall. Xen's hypercall_create_continuation; returned as the handler's result.
/// In continuation.cpp.
lib::Error continue_later(const HypercallArgs& remaining);
/// If `result` is a handler's continue_later, the arguments it asked to be called again
/// with (given out once); otherwise nothing.
std::optional<HypercallArgs> continuation_of(const HypercallResult& result);

/// One entry of a multicall, run: the value its `result` field receives (a value or
/// -errno, as RAX would carry it), and, when the call stopped part-way (continue_later),
/// the arguments that finish it. Such a call's result is its own hypercall number, what
/// Xen's hypercall_create_continuation returns inside a multicall.
struct NestedCall {
    uint64_t result;
    std::optional<HypercallArgs> continuation;
};
/// One call of a multicall: the same table as a SYSCALL. A nested multicall gives
/// -EINVAL, an unknown number -ENOSYS. In dispatch.cpp.
NestedCall run_nested_hypercall(Domain& caller, uint64_t number, const HypercallArgs& args);

/// Decode the hypercall in `regs` (number in RAX), run it, put the result in RAX; then,
/// if the caller stopped running (shutdown, yield), switch to the next vCPU.
void dispatch_hypercall(arch::CpuUserRegs& regs);

// One handler per family, each in its own file of this folder.
HypercallResult do_console_io(Domain& caller, const HypercallArgs& args);   // console_io.cpp
HypercallResult do_xen_version(Domain& caller, const HypercallArgs& args);  // xen_version.cpp
HypercallResult do_sched_op(Domain& caller, const HypercallArgs& args);     // sched_op.cpp
HypercallResult do_vm_assist(Domain& caller, const HypercallArgs& args);    // vm_assist.cpp
HypercallResult do_memory_op(Domain& caller, const HypercallArgs& args);    // memory_op.cpp
HypercallResult do_mmu_update(Domain& caller, const HypercallArgs& args);   // mmu_update.cpp
HypercallResult do_mmuext_op(Domain& caller, const HypercallArgs& args);    // mmuext_op.cpp
HypercallResult do_update_va_mapping(Domain& caller, const HypercallArgs& args);              // update_va_mapping.cpp
HypercallResult do_update_va_mapping_otherdomain(Domain& caller, const HypercallArgs& args);  // update_va_mapping.cpp
HypercallResult do_set_trap_table(Domain& caller, const HypercallArgs& args);    // traps.cpp
HypercallResult do_set_callbacks(Domain& caller, const HypercallArgs& args);     // traps.cpp
HypercallResult do_callback_op(Domain& caller, const HypercallArgs& args);       // traps.cpp
HypercallResult do_stack_switch(Domain& caller, const HypercallArgs& args);      // traps.cpp
HypercallResult do_fpu_taskswitch(Domain& caller, const HypercallArgs& args);    // traps.cpp
HypercallResult do_set_debugreg(Domain& caller, const HypercallArgs& args);      // traps.cpp
HypercallResult do_get_debugreg(Domain& caller, const HypercallArgs& args);      // traps.cpp
HypercallResult do_iret(Domain& caller, const HypercallArgs& args);              // iret.cpp
HypercallResult do_set_segment_base(Domain& caller, const HypercallArgs& args);  // iret.cpp
HypercallResult do_event_channel_op(Domain& caller, const HypercallArgs& args);  // event_channel_op.cpp
HypercallResult do_set_timer_op(Domain& caller, const HypercallArgs& args);      // timers.cpp
HypercallResult do_vcpu_op(Domain& caller, const HypercallArgs& args);           // timers.cpp
HypercallResult do_multicall(Domain& caller, const HypercallArgs& args);         // multicall.cpp
HypercallResult do_physdev_op(Domain& caller, const HypercallArgs& args);       // physdev_op.cpp
HypercallResult do_set_gdt(Domain& caller, const HypercallArgs& args);            // descriptor_tables.cpp
HypercallResult do_update_descriptor(Domain& caller, const HypercallArgs& args);  // descriptor_tables.cpp

/// MMUEXT_NEW_BASEPTR: make `l4` (validated and typed as an L4 here) the caller's kernel
/// base table and load it; the emulated MOV to CR3 does the same. In mmuext_op.cpp.
/// @pre the caller is in guest kernel mode (its kernel L4 is the one loaded)
lib::ErrorOr<void> new_kernel_base(Domain& caller, Mfn l4);

}  // namespace hv
