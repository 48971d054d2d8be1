// SPDX-License-Identifier: MIT
// mmu_update (hypercall 1): a batch of page-table writes and M2P updates, each checked.
// Requests run in order and stop at the first failure: *done receives how many succeeded,
// the return value is the failing request's error (Xen's do_mmu_update).
#include "abi/xen.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "arch/x86_64/tlb.hpp"
#include "hypercall/batch.hpp"
#include "core/scheduler.hpp"
#include "hypercall/hypercall.hpp"
#include "mm/machine_memory.hpp"

namespace hv {
namespace {

/// `page_owner` owns the frames new L1 entries map (foreigndom: a privileged caller maps
/// another domain's frames into its own page tables); M2P updates are for its frames too.
lib::ErrorOr<bool> apply(Domain& caller, DomId page_owner, const abi::MmuUpdate& request) {
    const uint64_t address = request.ptr & ~abi::kMmuUpdateCommandMask;
    switch (static_cast<abi::MmuUpdateCommand>(request.ptr & abi::kMmuUpdateCommandMask)) {
    case abi::MmuUpdateCommand::NormalPtUpdate:
        return mmu().update_entry(caller.id, address, request.val, EntryUpdate::Normal, page_owner);
    case abi::MmuUpdateCommand::PtUpdatePreserveAd:
        return mmu().update_entry(caller.id, address, request.val, EntryUpdate::PreserveAd, page_owner);
    case abi::MmuUpdateCommand::MachphysUpdate:
        TRY(mmu().update_machphys(page_owner, Mfn(address >> kPageShift), request.val));
        return false;
    default:
        return lib::error(abi::Errno::NoSys, "unknown mmu_update command");
    }
}

}  // namespace

HypercallResult do_mmu_update(Domain& caller, const HypercallArgs& args) {
    TRY(check_foreign_domain(caller, args.arg4));
    const auto foreign = static_cast<abi::DomainId>(args.arg4);
    const DomId page_owner = foreign == abi::kDomidSelf ? caller.id : DomId(foreign);
    Batch batch = TRY(Batch::start(args, sizeof(abi::MmuUpdate)));
    bool flush = false;
    lib::ErrorOr<void> outcome{};
    while (batch.has_next()) {
        if (batch.should_yield()) {
            if (flush) arch::flush_tlb_all();  // what this piece changed, before the guest runs again
            return batch.continue_later(args);
        }
        abi::MmuUpdate request;
        if (auto copied = arch::copy_from_guest(request, batch.next_request()); copied.is_error()) {
            outcome = copied.error();
            break;
        }
        auto applied = apply(caller, page_owner, request);
        if (applied.is_error()) {
            outcome = applied.error();
            break;
        }
        flush |= applied.value();
        batch.complete_one();
    }
    if (flush) arch::flush_tlb_all();
    TRY(batch.report_done());
    audit_after_mmu_call();
    if (outcome.is_error()) return outcome.error();
    return uint64_t{0};
}

}  // namespace hv
