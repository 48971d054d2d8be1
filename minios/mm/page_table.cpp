// SPDX-License-Identifier: MIT
// PageTableBuilder: a new tree of page tables, written through mmu_update.
//
// Theory of operation. A PV kernel owns its page tables but may not write them: Xen maps
// every table frame read-only and checks each change (XEN-PV-ABI.md 3.2-3.3). To build a
// tree, minios
//   - takes a free frame that the start-of-day tables still map writable, zeroes it with
//     plain stores, then makes that mapping read-only (update_va_mapping on the frame's
//     own address): from now on the frame may become a table, and only Xen writes it;
//   - writes the entries with batched mmu_update requests (ptr = machine address of the
//     entry). While a frame is not yet a validated table Xen stores such a write as it
//     is, without checks (mm.c: do_mmu_update, writable-type branch);
//   - pins the L4: Xen validates the whole tree at once, giving each frame its type
//     (L1..L4), checking every entry, rewriting entries as it stores them (USER on all,
//     bit 52 on kernel L1 entries) and filling L4 slots 256-271 with its own;
//   - loads it with MMUEXT_NEW_BASEPTR.
// Table frames are taken only while the start-of-day mapping can reach them: the first
// free frames (the builder leaves at least 512 KiB mapped after the boot stack).
#include "mm/page_table.hpp"

#include "mm/frame_allocator.hpp"
#include "mm/p2m.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"

namespace minios::mm {
namespace {

/// Which part of the address space one level-`level` table covers (L1: 2 MiB, L2: 1 GiB,
/// L3: 512 GiB, L4: all); two addresses share a table iff their regions are equal.
uint64_t region_of(Vaddr va, unsigned level) { return va.raw() >> pte::entry_shift(level + 1); }

/// The first address above the lower (guest) half; minios maps nothing above it.
constexpr uint64_t kLowerHalfEnd = uint64_t{1} << 47;

}  // namespace

uint64_t kernel_page_entry(Mfn frame, bool writable) {
    // BEGIN LAB memory: build the L1 entry of a kernel page
    // No USER: a PV kernel runs in ring 3, so Xen sets USER itself, plus bit 52 to mark
    // the page as the kernel's (pv/mm.h: adjust_guest_l1e). A and D are set up front, as
    // Mini-OS does: the CPU would set them on first use anyway, and this way an entry
    // reads back the same whether or not the page was touched.
    return pte::Frame::make(frame.raw()) | pte::kPresent | pte::kAccessed | pte::kDirty |
           (writable ? pte::kWritable : 0);
    // END LAB
}

uint64_t table_link_entry(Mfn table) {
    // BEGIN LAB memory: build an L4/L3/L2 entry that points at a table
    // RW here does not make the table writable: it only allows writes through the
    // entries below. No PSE, G, PWT or PCD: Xen refuses them above L1 (-EINVAL).
    return pte::Frame::make(table.raw()) | pte::kPresent | pte::kWritable | pte::kAccessed;
    // END LAB
}

lib::ErrorOr<void> PageTableBuilder::start() {
    ASSERT(count_ == 0);
    tables_[0] = TRY(new_table(pte::kL4, Vaddr(0)));
    count_ = 1;
    return {};
}

lib::ErrorOr<void> PageTableBuilder::reserve(Vaddr first, uint64_t bytes) {
    if (mapping_started_) return lib::error(abi::Errno::Inval, "reserve every range before mapping pages");
    if (first.raw() >= kLowerHalfEnd || bytes > kLowerHalfEnd - first.raw())
        return lib::error(abi::Errno::Inval, "minios maps only the lower half");
    const uint64_t l1_span = uint64_t{1} << pte::entry_shift(2);
    for (uint64_t va = first.raw() & ~(l1_span - 1); va < first.raw() + bytes; va += l1_span) {
        for (unsigned level = pte::kL4 - 1; level >= pte::kL1; --level)
            if (find(Vaddr(va), level) == nullptr) TRY(add_table(Vaddr(va), level));
    }
    return {};
}

lib::ErrorOr<void> PageTableBuilder::map_page(Vaddr va, Mfn frame, bool writable) {
    mapping_started_ = true;
    const Table* l1 = find(va, pte::kL1);
    if (l1 == nullptr) return lib::error(abi::Errno::Inval, "map_page: no L1 reserved for this address");
    return batch_.write_entry(entry_address(*l1, va), kernel_page_entry(frame, writable));
}

lib::ErrorOr<void> PageTableBuilder::finish() {
    // BEGIN LAB memory: send the last writes and pin the new L4
    TRY(batch_.flush());
    return pin_table(pte::kL4, l4());
    // END LAB
}

lib::ErrorOr<void> PageTableBuilder::load() {
    TRY(switch_base(l4()));
    set_current_l4(tables_[0].pfn);
    return {};
}

bool PageTableBuilder::is_table(Mfn frame) const {
    for (unsigned i = 0; i < count_; ++i)
        if (tables_[i].mfn == frame) return true;
    return false;
}

unsigned PageTableBuilder::table_count(unsigned level) const {
    unsigned count = 0;
    for (unsigned i = 0; i < count_; ++i)
        if (tables_[i].level == level) ++count;
    return count;
}

lib::ErrorOr<uint64_t> PageTableBuilder::read_entry(Vaddr va, unsigned level) const {
    const Table* table = find(va, level);
    if (table == nullptr) return lib::error(abi::Errno::NoEnt, "the tree has no table there");
    return table_entries(table->pfn)[pte::index(va, level)];
}

const PageTableBuilder::Table* PageTableBuilder::find(Vaddr va, unsigned level) const {
    for (unsigned i = 0; i < count_; ++i)
        if (tables_[i].level == level && tables_[i].region == region_of(va, level)) return &tables_[i];
    return nullptr;
}

lib::ErrorOr<PageTableBuilder::Table> PageTableBuilder::new_table(unsigned level, Vaddr va) {
    // BEGIN LAB memory: take a frame for a table, zero it, and make it read-only
    const Pfn pfn = TRY(allocate_frame());
    const Vaddr address = start_of_day_address(pfn);
    auto mapping = read_current_entry(address, pte::kL1);
    if (mapping.is_error() || !pte::present(mapping.value()) || !pte::writable(mapping.value())) {
        TRY(free_frame(pfn));
        return lib::error(abi::Errno::NoMem, "no free frame left in the start-of-day mapping");
    }
    // Zero first: a table must be valid in full when Xen validates it, and after the
    // next call only Xen may write it.
    __builtin_memset(pointer_to<void>(address), 0, kPageSize);
    const Mfn mfn = TRY(mfn_of(pfn));
    TRY(set_mapping(address, kernel_page_entry(mfn, false)));
    return Table{pfn, mfn, level, region_of(va, level)};
    // END LAB
}

lib::ErrorOr<void> PageTableBuilder::add_table(Vaddr va, unsigned level) {
    if (count_ == kMaxTables) return lib::error(abi::Errno::NoMem, "PageTableBuilder::kMaxTables reached");
    const Table* parent = find(va, level + 1);
    ASSERT(parent != nullptr);  // reserve() adds tables from the top down
    const Maddr link = entry_address(*parent, va);
    const Table child = TRY(new_table(level, va));
    tables_[count_++] = child;
    // BEGIN LAB memory: link the new table into its parent
    return batch_.write_entry(link, table_link_entry(child.mfn));
    // END LAB
}

Maddr PageTableBuilder::entry_address(const Table& table, Vaddr va) {
    return Maddr(maddr_of(table.mfn).raw() + pte::index(va, table.level) * sizeof(uint64_t));
}

lib::ErrorOr<void> copy_current_mapping(PageTableBuilder& tree, Vaddr first, Vaddr end) {
    for (uint64_t va = first.raw(); va < end.raw(); va += kPageSize) {
        auto lookup = read_current_entry(Vaddr(va), pte::kL1);
        if (lookup.is_error() && lookup.error_code() == abi::Errno::NoEnt) continue;  // no L1 there at all
        const uint64_t entry = TRY(lookup);
        if (!pte::present(entry)) continue;
        const bool writable = pte::writable(entry) && !tree.is_table(pte::frame(entry));
        TRY(tree.map_page(Vaddr(va), pte::frame(entry), writable));
    }
    return {};
}

}  // namespace minios::mm
