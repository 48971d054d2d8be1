// SPDX-License-Identifier: MIT
// mmuext_op (hypercall 26): pin and unpin page tables, switch base pointers, flush TLBs,
// clear and copy pages, set the LDT. Batched like mmu_update (Xen's do_mmuext_op).
#include "abi/xen.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "arch/x86_64/tlb.hpp"
#include "hypercall/batch.hpp"
#include "core/scheduler.hpp"
#include "hypercall/hypercall.hpp"
#include "mm/machine_memory.hpp"

namespace hv {

lib::ErrorOr<void> new_kernel_base(Domain& caller, Mfn l4) {
    TRY(mmu().replace_base(caller.id, l4, caller.vcpu.kernel_l4, false));
    arch::switch_address_space(maddr_of(l4).raw());
    return {};
}

namespace {

constexpr uint32_t kMaxLdtEntries = 8192;

lib::ErrorOr<void> set_ldt(Domain& caller, uint64_t base, uint32_t entries) {
    if (base % kPageSize != 0) return lib::error(abi::Errno::Inval, "LDT base is not page aligned");
    if (entries > kMaxLdtEntries) return lib::error(abi::Errno::Inval, "more than 8192 LDT entries");
    if (entries != 0 && !arch::guest_range_ok(GuestVaddr(base), uint64_t{entries} * 8))
        return lib::error(abi::Errno::Inval, "LDT outside the guest's space");
    caller.vcpu.ldt_base = base;
    caller.vcpu.ldt_entries = entries;
    return {};
}

lib::ErrorOr<void> apply(Domain& caller, const abi::MmuextOp& op) {
    const Mfn mfn(op.arg1.mfn);
    switch (static_cast<abi::MmuextCommand>(op.cmd)) {
    case abi::MmuextCommand::PinL1Table: return mmu().pin(caller.id, mfn, FrameType::L1);
    case abi::MmuextCommand::PinL2Table: return mmu().pin(caller.id, mfn, FrameType::L2);
    case abi::MmuextCommand::PinL3Table: return mmu().pin(caller.id, mfn, FrameType::L3);
    case abi::MmuextCommand::PinL4Table: return mmu().pin(caller.id, mfn, FrameType::L4);
    case abi::MmuextCommand::UnpinTable: return mmu().unpin(caller.id, mfn);
    case abi::MmuextCommand::NewBaseptr: return new_kernel_base(caller, mfn);
    case abi::MmuextCommand::NewUserBaseptr: return mmu().replace_base(caller.id, mfn, caller.vcpu.user_l4, true);
    case abi::MmuextCommand::TlbFlushLocal:
    case abi::MmuextCommand::TlbFlushMulti:
    case abi::MmuextCommand::TlbFlushAll:
        arch::flush_tlb_all();  // one vCPU per domain: every flavour is this CPU's flush
        return {};
    case abi::MmuextCommand::InvlpgLocal:
    case abi::MmuextCommand::InvlpgMulti:
    case abi::MmuextCommand::InvlpgAll:
        if (arch::guest_range_ok(GuestVaddr(op.arg1.linear_addr), 1)) arch::invlpg(op.arg1.linear_addr);
        return {};
    case abi::MmuextCommand::ClearPage: return mmu().clear_page(caller.id, mfn);
    case abi::MmuextCommand::CopyPage: return mmu().copy_page(caller.id, mfn, Mfn(op.arg2.src_mfn));
    case abi::MmuextCommand::SetLdt: return set_ldt(caller, op.arg1.linear_addr, op.arg2.nr_ents);
    case abi::MmuextCommand::FlushCache:
    case abi::MmuextCommand::FlushCacheGlobal:
        return lib::error(abi::Errno::Perm, "cache flushes need the rights of a domain with devices");
    case abi::MmuextCommand::MarkSuper:
    case abi::MmuextCommand::UnmarkSuper:
        return lib::error(abi::Errno::OpNotSupp, "PV superpages are not supported (as in Xen 4.17)");
    }
    return lib::error(abi::Errno::NoSys, "unknown mmuext_op command");
}

}  // namespace

HypercallResult do_mmuext_op(Domain& caller, const HypercallArgs& args) {
    TRY(check_foreign_domain(caller, args.arg4));
    // XEN-DIFF: a privileged caller's mmuext_op on another domain's tables (a toolstack
    // building a domain) is not supported: there is no toolstack.
    const auto foreign = static_cast<abi::DomainId>(args.arg4);
    if (foreign != abi::kDomidSelf && foreign != caller.id.raw())
        return lib::error(abi::Errno::Perm, "mmuext_op on another domain's tables");
    Batch batch = TRY(Batch::start(args, sizeof(abi::MmuextOp)));
    lib::ErrorOr<void> outcome{};
    while (batch.has_next()) {
        if (batch.should_yield()) return batch.continue_later(args);
        abi::MmuextOp op;
        if (auto copied = arch::copy_from_guest(op, batch.next_request()); copied.is_error()) {
            outcome = copied.error();
            break;
        }
        outcome = apply(caller, op);
        if (outcome.is_error()) break;
        batch.complete_one();
    }
    TRY(batch.report_done());
    audit_after_mmu_call();
    if (outcome.is_error()) return outcome.error();
    return uint64_t{0};
}

}  // namespace hv
