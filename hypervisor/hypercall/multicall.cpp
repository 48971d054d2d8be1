// SPDX-License-Identifier: MIT
// multicall (hypercall 13): several hypercalls in one entry into the hypervisor, each
// entry's result written back (Xen's common/multicall.c).
//
// multicall(list, count) runs the guest's entries {op, result, args[6]} in order, through
// the same table as a SYSCALL (run_nested_hypercall), and writes each call's RAX into
// the entry's `result`. A list may be of any length, but no hypercall may keep the CPU
// for long: after kEntriesPerCall entries the multicall continues itself as
// multicall(list + i, count - i), so the guest makes the call again from entry i, and
// pending events reach it in between (the dispatcher's continuation). Xen makes the same
// cut whenever hypercall_preempt_check() says something else needs the CPU; cutting by
// count makes the cut deterministic and testable, and the guest cannot tell.
//
// An entry can itself stop part-way: an mmu_update of 600 requests runs 256 and asks to
// be continued. Its continuation arguments go into the guest's entry (args[], and
// `result` = the hypercall's number, as Xen's hypercall_create_continuation answers
// inside a multicall), and the multicall continues itself *at* that entry: the batch
// resumes where it stopped, and its final result overwrites the entry's `result`.
//
// The other stops, all Xen's: a list that does not start in guest space, or an entry that
// cannot be read or written back, is -EFAULT (the entries before it have run); an iret
// ends the list (below); a domain that shut down or crashed runs nothing more; and a
// vCPU that blocked (SCHEDOP_block, SCHEDOP_poll) runs the rest when it wakes. The
// guest may rely only on each entry's `result`: the other fields of an entry that was
// continued hold the continuation's arguments.
#include "abi/hypercall.hpp"
#include "abi/xen.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {
namespace {

/// Entries run by one call; then the multicall is continued for the rest. The same
/// count as a batch's slice (Batch::kRequestsPerSlice).
constexpr uint32_t kEntriesPerCall = 256;

GuestVaddr entry_address(const HypercallArgs& args, uint32_t index) {
    return GuestVaddr(args.arg1 + uint64_t{index} * sizeof(abi::MulticallEntry));
}

/// Be called again for entries [index, count): the list pointer and the count move on,
/// the other registers are left as the guest set them (Xen rewrites only those two).
lib::Error continue_from(const HypercallArgs& args, uint32_t count, uint32_t index) {
    HypercallArgs rest = args;
    rest.arg1 = entry_address(args, index).raw();
    rest.arg2 = count - index;
    return continue_later(rest);
}

/// An iret entry has replaced the guest's registers with its frame and returns the
/// frame's RAX; the multicall ends there and returns that value. Xen carries it in the
/// multicall's `int` status, so only its low 32 bits survive, sign-extended.
uint64_t status_after_iret(uint64_t result) {
    return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(result)));
}

}  // namespace

HypercallResult do_multicall(Domain& caller, const HypercallArgs& args) {
    const auto count = static_cast<uint32_t>(args.arg2);  // Xen: uint32_t nr_calls
    // Xen's array_access_ok looks only at where the list starts, whatever the count; an
    // entry further on that lies outside guest space faults when it is read.
    if (!arch::guest_range_ok(entry_address(args, 0), 1))
        return lib::error(abi::Errno::Fault, "the multicall list starts outside guest space");
    for (uint32_t i = 0; i < count; ++i) {
        // Enough for one call: the guest makes it again for the rest, events first.
        if (i == kEntriesPerCall) return continue_from(args, count, i);
        const GuestVaddr at = entry_address(args, i);
        abi::MulticallEntry entry;
        TRY(arch::copy_from_guest(entry, at));
        const HypercallArgs nested{entry.args[0], entry.args[1], entry.args[2], entry.args[3], entry.args[4]};
        const NestedCall call = run_nested_hypercall(caller, entry.op, nested);
        entry.result = call.result;
        const GuestVaddr result_at(at.raw() + offsetof(abi::MulticallEntry, result));
        if (entry.op == static_cast<uint64_t>(abi::Hypercall::Iret)) {
            // Xen writes this result back as best it can, and returns whatever happens.
            static_cast<void>(arch::copy_to_guest(result_at, entry.result));
            return status_after_iret(entry.result);
        }
        TRY(arch::copy_to_guest(result_at, entry.result));
        if (call.continuation) {
            const HypercallArgs& rest = *call.continuation;
            entry.args[0] = rest.arg1;
            entry.args[1] = rest.arg2;
            entry.args[2] = rest.arg3;
            entry.args[3] = rest.arg4;
            entry.args[4] = rest.arg5;
            TRY(arch::copy_to_guest(at, entry));
            return continue_from(args, count, i);
        }
        if (!caller.is_alive()) break;
        if (caller.vcpu.blocked && i + 1 < count) return continue_from(args, count, i + 1);
    }
    return uint64_t{0};
}

}  // namespace hv
