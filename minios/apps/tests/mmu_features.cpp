// SPDX-License-Identifier: MIT
// Boot test: the PV MMU's features beyond single page-table writes, each as Xen 4.17 has it.
//
// The guest takes a few free frames of its start-of-day region: one becomes an L1 of its
// own (pinned, and linked into the loaded L2 so that its entries map a 2 MiB window),
// four stay plain data. On them it checks what a PV kernel can observe of
//   - long batches: 600 mmu_update requests and 300 mmuext_op operations in one call
//     each (Xenolith cuts a batch every 256 requests and continues it; the guest must
//     not notice), a failure after that cut, and 600 requests as one multicall entry;
//   - multicall: 600 entries in one call (continued, like a batch), a nested multicall,
//     unknown numbers, a list in the hypervisor's range, and an iret that ends a list;
//   - MMU_PT_UPDATE_PRESERVE_AD;
//   - writable page tables (VMASST_TYPE_writable_pagetables): a 64-bit store, a 32-bit
//     store and LOCK CMPXCHG on one of its own L1 entries, each emulated;
//   - MMUEXT_CLEAR_PAGE and MMUEXT_COPY_PAGE;
//   - memory_op: giving frames back and getting them again, populate_physmap,
//     machphys_mfn_list and add_to_physmap.
// Every expected answer is what Xen gives (tests/boot/mmu_features.toml runs the same
// guest on Debian's Xen 4.17, where minios is dom0). One line per check,
//   mmu-features: <name>: <result> ok|UNEXPECTED
// then "mmu-features: N checks, M unexpected"; the application fails when M > 0.
#include "apps/app.hpp"
#include "apps/tests/mmu_features.hpp"
#include "apps/tests/scratch_frame.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/mm.hpp"
#include "mm/mmu.hpp"
#include "mm/p2m.hpp"
#include "mm/page_table.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"

namespace minios {
namespace {

/// A free frame that the start-of-day tables still map writable: the guest can fill it,
/// and make it read-only before it becomes a table (XEN-PV-ABI.md 3.2).
lib::ErrorOr<features::Frame> take_frame() {
    const tests::Frame frame = TRY(tests::take_frame());
    return features::Frame{frame.pfn, frame.mfn};
}

/// Link the lab L1 into the loaded L2 at kWindow, whose entry the start-of-day tables
/// leave empty. Xen validates the L1 (already pinned) as it stores the link.
lib::ErrorOr<void> link_into_loaded_l2(const features::Frame& l1) {
    if (TRY(mm::read_current_entry(features::kWindow, 2)) != 0)
        return lib::error(abi::Errno::Exist, "the window's L2 entry is already in use");
    const mm::Mfn l2 = mm::pte::frame(TRY(mm::read_current_entry(features::kWindow, 3)));
    const mm::Maddr link(mm::maddr_of(l2).raw() + mm::pte::index(features::kWindow, 2) * sizeof(uint64_t));
    mm::MmuUpdateBatch batch;
    TRY(batch.write_entry(link, mm::table_link_entry(l1.mfn)));
    return batch.flush();
}

lib::ErrorOr<features::Lab> set_up(const abi::StartInfo& info) {
    TRY(mm::init_memory(info));
    features::Lab lab{};
    lab.l1 = TRY(take_frame());
    for (features::Frame& frame : lab.data) frame = TRY(take_frame());
    // Zero it while it is still writable; from the next call on only the hypervisor writes it.
    __builtin_memset(lab.l1.words(), 0, mm::kPageSize);
    TRY(mm::set_mapping(mm::start_of_day_address(lab.l1.pfn), mm::kernel_page_entry(lab.l1.mfn, false)));
    TRY(mm::pin_table(mm::pte::kL1, lab.l1.mfn));
    TRY(link_into_loaded_l2(lab.l1));
    printk("mmu-features: lab L1 pinned and linked at {:#x}, {} data frames\n", features::kWindow.raw(),
           features::kDataFrames);
    return lab;
}

}  // namespace

namespace features {

checks::Tally tally{"mmu-features"};

int64_t mmu_update(const abi::MmuUpdate* requests, uint32_t count, uint32_t* done) {
    return raw_hypercall(abi::Hypercall::MmuUpdate, reinterpret_cast<uint64_t>(requests), count,
                         reinterpret_cast<uint64_t>(done), abi::kDomidSelf);
}

int64_t mmuext_op(const abi::MmuextOp* operations, uint32_t count, uint32_t* done) {
    return raw_hypercall(abi::Hypercall::MmuextOp, reinterpret_cast<uint64_t>(operations), count,
                         reinterpret_cast<uint64_t>(done), abi::kDomidSelf);
}

int64_t memory_op(abi::MemoryOp command, void* argument) {
    return raw_hypercall(abi::Hypercall::MemoryOp, static_cast<uint64_t>(command),
                         reinterpret_cast<uint64_t>(argument));
}

int64_t vm_assist(abi::VmAssistCommand command, abi::VmAssistType type) {
    return raw_hypercall(abi::Hypercall::VmAssist, static_cast<uint64_t>(command), static_cast<uint64_t>(type));
}

int64_t multicall(abi::MulticallEntry* entries, uint32_t count) {
    return raw_hypercall(abi::Hypercall::Multicall, reinterpret_cast<uint64_t>(entries), count);
}

abi::MulticallEntry xen_version_entry(uint64_t unset) {
    constexpr uint64_t kXenverVersion = 0;  // XENVER_version
    return {static_cast<uint64_t>(abi::Hypercall::XenVersion), unset, {kXenverVersion, 0, 0, 0, 0, 0}};
}

void flush_page(mm::Vaddr va) {
    abi::MmuextOp operation{};
    operation.cmd = static_cast<uint32_t>(abi::MmuextCommand::InvlpgLocal);
    operation.arg1.linear_addr = va.raw();
    step("mmuext_op(invlpg_local)", mmuext_op(&operation, 1, nullptr));
}

bool step(const char* what, int64_t rax) {
    if (rax == 0) return true;
    ++tally.unexpected;
    printk("mmu-features: step {}: {} UNEXPECTED\n", what, result_name(rax).text);
    return false;
}

}  // namespace features

const char* app_name() { return "mmu-features"; }

int app_main(const abi::StartInfo& info) {
    auto lab = set_up(info);
    if (lab.is_error()) return report_failure("set up failed", lab.error());
    features::check_long_batches(lab.value());
    features::check_multicalls();
    features::check_preserve_ad(lab.value());
    features::check_writable_page_tables(lab.value());
    features::check_page_operations(lab.value());
    features::check_reservations(info);
    features::check_physmap_queries(info);
    return features::tally.finish();
}

}  // namespace minios
