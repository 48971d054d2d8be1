// SPDX-License-Identifier: MIT
// The PV MMU hypercalls (xen/include/public/xen.h: mmu_update, mmuext_op,
// update_va_mapping; rules in XEN-PV-ABI.md 3.2-3.6). A PV kernel never writes its page
// tables itself: Xen maps them read-only, and every change is a request Xen checks.
#include "mm/mmu.hpp"

#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"

namespace minios::mm {
namespace {

lib::ErrorOr<void> run_mmuext(abi::MmuextCommand command, Mfn mfn) {
    abi::MmuextOp operation{};
    operation.cmd = static_cast<uint32_t>(command);
    operation.arg1.mfn = mfn.raw();
    uint32_t done = 0;
    TRY(mmuext_op(&operation, 1, &done, abi::kDomidSelf));
    if (done != 1) return lib::error(abi::Errno::Inval, "mmuext_op succeeded without doing the operation");
    return {};
}

}  // namespace

lib::ErrorOr<void> MmuUpdateBatch::write_entry(Maddr entry, uint64_t value) {
    ASSERT((entry.raw() & abi::kMmuUpdateCommandMask) == 0);
    requests_[queued_++] = {entry.raw() | static_cast<uint64_t>(abi::MmuUpdateCommand::NormalPtUpdate), value};
    if (queued_ == kCapacity) return flush();
    return {};
}

lib::ErrorOr<void> MmuUpdateBatch::flush() {
    // BEGIN LAB memory: send the queued requests with one mmu_update and check the done count
    if (queued_ == 0) return {};
    const uint32_t count = queued_;
    queued_ = 0;
    uint32_t done = 0;
    auto result = mmu_update(requests_, count, &done, abi::kDomidSelf);
    ++hypercalls_made_;
    requests_sent_ += done;
    if (result.is_error()) {
        // Xen stopped at request `done`; the ones before it are in the tables.
        printk("mm: mmu_update refused request {} of {} (ptr {:#x}, val {:#x}): {}\n", done, count,
               requests_[done].ptr, requests_[done].val, abi::errno_name(result.error_code()));
        return result.error();
    }
    if (done != count) return lib::error(abi::Errno::Inval, "mmu_update succeeded without doing every request");
    return {};
    // END LAB
}

lib::ErrorOr<void> pin_table(unsigned level, Mfn table) {
    // BEGIN LAB memory: pin a page table of a given level
    // MMUEXT_PIN_L1_TABLE .. MMUEXT_PIN_L4_TABLE are 0 .. 3 (public/xen.h).
    if (level < 1 || level > 4) return lib::error(abi::Errno::Inval, "no such page-table level");
    const uint32_t command = static_cast<uint32_t>(abi::MmuextCommand::PinL1Table) + level - 1;
    return run_mmuext(static_cast<abi::MmuextCommand>(command), table);
    // END LAB
}

lib::ErrorOr<void> unpin_table(Mfn table) { return run_mmuext(abi::MmuextCommand::UnpinTable, table); }

lib::ErrorOr<void> switch_base(Mfn l4) {
    // BEGIN LAB memory: switch to new page tables
    return run_mmuext(abi::MmuextCommand::NewBaseptr, l4);
    // END LAB
}

lib::ErrorOr<void> set_mapping(Vaddr va, uint64_t entry) {
    // BEGIN LAB memory: change one mapping with update_va_mapping
    return update_va_mapping(va.raw(), entry, abi::kUvmfInvlpg | abi::kUvmfLocal);
    // END LAB
}

}  // namespace minios::mm
