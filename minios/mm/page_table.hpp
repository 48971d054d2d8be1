// SPDX-License-Identifier: MIT
// Building a new tree of page tables (L4, L3s, L2s, L1s) beside the one minios runs on,
// then pinning it and switching to it.
#pragma once

#include <cstdint>

#include "lib/error_or.hpp"
#include "mm/frame.hpp"
#include "mm/mmu.hpp"

namespace minios::mm {

/// The L1 entry of a kernel page: present, accessed, dirty, writable or not, and never
/// USER (Xen adds USER and bit 52 itself, XEN-PV-ABI.md 3.3).
uint64_t kernel_page_entry(Mfn frame, bool writable);
/// An L4, L3 or L2 entry pointing at the next table down.
uint64_t table_link_entry(Mfn table);

/// A tree under construction. Use it in this order:
///   1. start(), then reserve() every range the tree will map: this allocates the
///      tables, zeroes them, makes them read-only where minios runs now, and links
///      them (Xen refuses to use a frame as a table while a writable mapping of it
///      exists anywhere, XEN-PV-ABI.md 3.2);
///   2. map_page() the pages (no table is added after the first map_page(), so a
///      mapping of the tree's own frames can be made read-only: is_table());
///   3. finish(): send the last writes and pin the L4, which validates the tree;
///   4. load(): switch to it.
/// Writes go through `batch`; table frames come from the frame allocator.
class PageTableBuilder {
public:
    /// At most this many table frames (enough for several separate regions).
    static constexpr unsigned kMaxTables = 32;

    explicit PageTableBuilder(MmuUpdateBatch& batch) : batch_(batch) {}

    /// Allocate and prepare the L4.
    lib::ErrorOr<void> start();
    /// Add the L3s, L2s and L1s needed to map every page of [first, first + bytes).
    /// @retval Errno::Inval after the first map_page(), or for an address outside the lower half.
    /// @retval Errno::NoMem when frames run out, or a frame lies outside the start-of-day mapping.
    lib::ErrorOr<void> reserve(Vaddr first, uint64_t bytes);
    /// Map one 4 KiB page (its L1 must have been reserved).
    lib::ErrorOr<void> map_page(Vaddr va, Mfn frame, bool writable);
    /// Send the queued writes and pin the L4 (MMUEXT_PIN_L4_TABLE).
    lib::ErrorOr<void> finish();
    /// Load the pinned tree (MMUEXT_NEW_BASEPTR) and walk it from now on.
    lib::ErrorOr<void> load();

    /// Whether `frame` is one of this tree's tables.
    bool is_table(Mfn frame) const;
    /// How many tables of a level the tree has.
    unsigned table_count(unsigned level) const;
    /// The entry this tree holds for va at `level`, read from the table frame itself.
    /// @retval Errno::NoEnt if the tree has no such table.
    lib::ErrorOr<uint64_t> read_entry(Vaddr va, unsigned level) const;
    Mfn l4() const { return tables_[0].mfn; }

private:
    /// One table frame: its level and which part of the address space it covers.
    struct Table {
        Pfn pfn;
        Mfn mfn;
        unsigned level;
        uint64_t region;  ///< va >> (bits covered by one table of this level)
    };

    const Table* find(Vaddr va, unsigned level) const;
    lib::ErrorOr<Table> new_table(unsigned level, Vaddr va);
    lib::ErrorOr<void> add_table(Vaddr va, unsigned level);
    static Maddr entry_address(const Table& table, Vaddr va);

    MmuUpdateBatch& batch_;
    Table tables_[kMaxTables];
    unsigned count_ = 0;
    bool mapping_started_ = false;
};

/// Map every page of [first, end) that the loaded tables map, in `tree` as the loaded tables map it: the
/// same frames, writable where they are writable — except the tree's own tables, which
/// must stay read-only (the loaded tables already map their own frames read-only).
lib::ErrorOr<void> copy_current_mapping(PageTableBuilder& tree, Vaddr first, Vaddr end);

}  // namespace minios::mm
