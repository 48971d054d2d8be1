// SPDX-License-Identifier: MIT
// The memory lab's program: build new page tables, switch to them, use and check them.
//
// It maps a fresh 4 MiB region at kLabRegion, keeps the start-of-day region mapped as Xen
// mapped it, pins and loads the new tree, then checks what a PV kernel can observe:
// the pattern written through the new mapping reads back, Xen rewrote the entries it
// validated (XEN-PV-ABI.md 3.3), shared_info maps and says events are masked, and an
// unmapped page's L1 entry is gone. Each fact is one `memory: ...` line
// (tests/boot/memory.toml).
#include "apps/app.hpp"
#include "kernel/console.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/layout.hpp"
#include "mm/mm.hpp"
#include "mm/p2m.hpp"
#include "mm/page_table.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"
#include "mm/shared_info.hpp"

namespace minios {
namespace {

using mm::Pfn;
using mm::Vaddr;

/// A region no start-of-day mapping touches: L4 slot 2.
constexpr Vaddr kLabRegion{0x0000'0100'0000'0000};
constexpr uint64_t kLabPages = 1024;  // 4 MiB
constexpr uint64_t kLabBytes = kLabPages * mm::kPageSize;
/// The page the program unmaps again.
constexpr Vaddr kUnmappedPage = kLabRegion + mm::kPageSize;

Pfn lab_frames[kLabPages];

/// What a word at `va` holds: different in every word, so a page mapped twice or in the
/// wrong place shows.
uint64_t pattern_at(uint64_t va) { return va * 0x9E37'79B9'7F4A'7C15 + 0x5A5A; }

lib::ErrorOr<void> build_tree(mm::PageTableBuilder& tree, const mm::StartOfDay& start_of_day) {
    const Vaddr start_of_day_end = mm::start_of_day_address(start_of_day.mapped_end);
    if (start_of_day_end > mm::kFixmapStart) return lib::error(abi::Errno::NoMem, "start-of-day region meets the fixmap");
    TRY(tree.start());
    TRY(tree.reserve(Vaddr(0), start_of_day_end.raw()));
    TRY(tree.reserve(mm::kFixmapStart, mm::kFixmapBytes));
    TRY(tree.reserve(kLabRegion, kLabBytes));
    TRY(mm::copy_current_mapping(tree, Vaddr(0), start_of_day_end));
    for (uint64_t page = 0; page < kLabPages; ++page) {
        lab_frames[page] = TRY(mm::allocate_frame());
        TRY(tree.map_page(kLabRegion + page * mm::kPageSize, TRY(mm::mfn_of(lab_frames[page])), true));
    }
    printk("memory: new tables: {} L4, {} L3, {} L2, {} L1, each zeroed and made read-only before use\n",
           tree.table_count(4), tree.table_count(3), tree.table_count(2), tree.table_count(1));
    return {};
}

lib::ErrorOr<void> pin_and_load(mm::PageTableBuilder& tree, mm::MmuUpdateBatch& batch) {
    // Until the pin, Xen has not validated the tables: it stored each entry as written.
    TRY(batch.flush());
    const uint64_t written = TRY(tree.read_entry(kLabRegion, 1));
    TRY(tree.finish());
    printk("memory: {} entries written with {} mmu_update calls (batches of up to {})\n", batch.requests_sent(),
           batch.hypercalls_made(), mm::MmuUpdateBatch::kCapacity);
    printk("memory: L1 entry for {:#x} before the pin: flags {:#x}\n", kLabRegion.raw(), mm::pte::flags(written));
    printk("memory: pinned the new L4 (MMUEXT_PIN_L4_TABLE validated the tree)\n");
    TRY(tree.load());
    printk("memory: switched to the new tables (MMUEXT_NEW_BASEPTR)\n");
    return {};
}

lib::ErrorOr<void> check_pattern() {
    auto* words = mm::pointer_to<uint64_t>(kLabRegion);
    const uint64_t count = kLabBytes / sizeof(uint64_t);
    for (uint64_t i = 0; i < count; ++i) words[i] = pattern_at(kLabRegion.raw() + i * sizeof(uint64_t));
    for (uint64_t i = 0; i < count; ++i) {
        if (words[i] != pattern_at(kLabRegion.raw() + i * sizeof(uint64_t))) {
            printk("memory: pattern wrong at {:#x}\n", kLabRegion.raw() + i * sizeof(uint64_t));
            return lib::error(abi::Errno::Io, "pattern mismatch");
        }
    }
    printk("memory: pattern written and read back at {:#x}-{:#x}: ok\n", kLabRegion.raw(),
           kLabRegion.raw() + kLabBytes);
    return {};
}

/// What Xen stored once it validated the tree (pv/mm.h: adjust_guest_l*e): USER on every
/// level, and bit 52 on the L1 entry we wrote without USER.
lib::ErrorOr<void> check_stored_entries() {
    uint64_t flags[5] = {};
    for (unsigned level = 1; level <= 4; ++level)
        flags[level] = mm::pte::flags(TRY(mm::read_current_entry(kLabRegion, level)));
    printk("memory: entries for {:#x} after the pin: L4 {:#x}, L3 {:#x}, L2 {:#x}, L1 {:#x}\n", kLabRegion.raw(),
           flags[4], flags[3], flags[2], flags[1]);
    const bool user_everywhere = (flags[1] & flags[2] & flags[3] & flags[4] & mm::pte::kUser) != 0;
    const bool guest_kernel = (flags[1] & mm::pte::kGuestKernel) != 0;
    printk("memory: the hypervisor added USER at every level: {}, bit 52 (guest kernel) on the L1: {}\n",
           user_everywhere ? "yes" : "no", guest_kernel ? "yes" : "no");
    if (!user_everywhere || !guest_kernel) return lib::error(abi::Errno::Inval, "entries not rewritten as Xen does");
    return {};
}

lib::ErrorOr<void> check_shared_info(const abi::StartInfo& info) {
    const abi::SharedInfo* shared = TRY(mm::map_shared_info(info));
    const unsigned mask = shared->vcpu_info[0].evtchn_upcall_mask;
    printk("memory: shared_info mapped at {:#x}: vcpu_info[0].evtchn_upcall_mask = {}\n",
           mm::kSharedInfoAddress.raw(), mask);
    // Events start masked on every vCPU (XEN-PV-ABI.md 2.3); minios never unmasks them.
    if (mask != 1) return lib::error(abi::Errno::Inval, "events are not masked");
    return {};
}

lib::ErrorOr<void> check_unmap() {
    // A not-present entry is written as 0: Xen treats stray address bits in one as an
    // L1TF risk (XEN-PV-ABI.md 3.3).
    TRY(mm::set_mapping(kUnmappedPage, 0));
    const uint64_t entry = TRY(mm::read_current_entry(kUnmappedPage, 1));
    printk("memory: unmapped {:#x}: its L1 entry reads {:#x}, so a read there would fault\n", kUnmappedPage.raw(),
           entry);
    if (mm::pte::present(entry)) return lib::error(abi::Errno::Inval, "the entry is still present");
    TRY(mm::free_frame(lab_frames[1]));
    return {};
}

lib::ErrorOr<void> run(const abi::StartInfo& info) {
    const mm::StartOfDay start_of_day = TRY(mm::init_memory(info));
    const uint64_t free_at_start = mm::free_frame_count();
    printk("memory: {} pages, {} free from pfn {:#x}, start-of-day mapping ends at {:#x}\n", mm::nr_pages(),
           free_at_start, start_of_day.first_free.raw(), mm::start_of_day_address(start_of_day.mapped_end).raw());
    mm::MmuUpdateBatch batch;
    mm::PageTableBuilder tree(batch);
    TRY(build_tree(tree, start_of_day));
    TRY(pin_and_load(tree, batch));
    TRY(check_pattern());
    TRY(check_stored_entries());
    TRY(check_shared_info(info));
    TRY(check_unmap());
    const unsigned tables = tree.table_count(1) + tree.table_count(2) + tree.table_count(3) + tree.table_count(4);
    printk("memory: frames in use: {} ({} tables, {} data; 1 given back), {} free\n",
           free_at_start - mm::free_frame_count(), tables, kLabPages - 1, mm::free_frame_count());
    return {};
}

}  // namespace

const char* app_name() { return "memory"; }

int app_main(const abi::StartInfo& info) {
    auto result = run(info);
    if (result.is_error()) return report_failure("failed", result.error());
    printk("memory: all checks passed\n");
    return 0;
}

}  // namespace minios
