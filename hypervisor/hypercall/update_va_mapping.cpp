// SPDX-License-Identifier: MIT
// update_va_mapping (hypercall 14): write the L1 entry that maps one virtual address, found
// through the current page tables, then flush as the flags say (Xen's do_update_va_mapping).
#include "abi/xen.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/tlb.hpp"
#include "core/scheduler.hpp"
#include "hypercall/batch.hpp"
#include "hypercall/hypercall.hpp"
#include "mm/machine_memory.hpp"

namespace hv {

namespace {

/// Write the L1 entry for `va` in the caller's current page tables; the frame it maps
/// must be `page_owner`'s.
HypercallResult map_address(Domain& caller, DomId page_owner, uint64_t va, uint64_t value, uint64_t flags) {
    const L1Slot slot = TRY(mmu().find_l1(caller.vcpu.kernel_l4, va));
    if (frame_table()[slot.table].type != FrameType::L1)
        return lib::error(abi::Errno::Inval, "the table that covers the address is not an L1");
    const uint64_t entry_address = maddr_of(slot.table).raw() + slot.index * sizeof(uint64_t);
    const bool stale = TRY(mmu().update_entry(caller.id, entry_address, value, EntryUpdate::Normal, page_owner));
    audit_after_mmu_call();
    // The guest's flags ask for a flush of its own mapping; but a translation the update
    // took away must go now whatever they say, or the guest could keep writing through it
    // to a frame that becomes a page table (Xen flushes on such a type change).
    if (stale) {
        arch::flush_tlb_all();
        return uint64_t{0};
    }
    // The flush type is in the low two bits; the rest may be a vCPU mask pointer (UVMF_MULTI),
    // and with one vCPU every mask means this CPU.
    switch (flags & abi::kUvmfFlushTypeMask) {
    case abi::kUvmfInvlpg: arch::invlpg(va); break;
    case abi::kUvmfTlbFlush: arch::flush_tlb_all(); break;
    default: break;
    }
    return uint64_t{0};
}

}  // namespace

HypercallResult do_update_va_mapping(Domain& caller, const HypercallArgs& args) {
    return map_address(caller, caller.id, args.arg1, args.arg2, args.arg3);
}

/// update_va_mapping_otherdomain(va, value, flags, domid): the same, in the caller's own
/// page tables, with a frame of another domain (a privileged toolstack's foreign mapping).
HypercallResult do_update_va_mapping_otherdomain(Domain& caller, const HypercallArgs& args) {
    TRY(check_foreign_domain(caller, args.arg4));  // unknown: -ESRCH; without the control role: -EPERM
    const auto id = static_cast<abi::DomainId>(args.arg4);
    const DomId owner = id == abi::kDomidSelf ? caller.id : DomId(id);
    return map_address(caller, owner, args.arg1, args.arg2, args.arg3);
}

}  // namespace hv
