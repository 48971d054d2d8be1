// SPDX-License-Identifier: MIT
// Page types and reference counts: the rules that keep a PV guest's page tables safe.
//
// Theory of operation (Xen's model, xen/arch/x86/mm.c; XEN-PV-ABI.md 3.2):
// - A general reference (ref_count) says "something points at this frame": an entry that
//   maps it, a pin, a vCPU's base pointer, the owner's allocation.
// - A type reference (type + type_count) says what the frame is used as. The first type
//   reference of a page-table type VALIDATES the frame: every present entry is checked
//   and takes its own references (recursively down to the L1s' frames); the last one
//   gives them all back. The type can change only when type_count is zero. Writable
//   mappings take Writable type references, so a frame that is a page table can never be
//   mapped writable, and a frame mapped writable can never become a page table.
// - A GDT frame (set_gdt) takes a SegDesc type reference, whose first one checks all 512
//   descriptors; so a descriptor page is never writable either.
// - Validation and release walk the tree with an explicit stack (never recursion on the
//   hypervisor's 32 KiB stack), and a validation that fails part-way gives back exactly
//   what it took.
// - Linear (recursive) entries follow Xen's rules: same level, read-only, to a validated
//   table; a self-reference takes no reference; a table holding linear entries is never
//   the target of one (linear_count).
// Locks: one CPU; the callers run with interrupts off.
#pragma once

#include <cstdint>
#include <span>

#include "lib/error_or.hpp"
#include "mm/frame_memory.hpp"
#include "mm/frame_table.hpp"

namespace hv {

class PageTypes {
public:
    /// @param hypervisor_slots the 16 entries written into L4 slots 256-271 of every L4
    ///        that is validated (Xen's init_xen_l4_slots).
    PageTypes(FrameTable& frames, FrameMemory& memory, std::span<const uint64_t> hypervisor_slots);

    /// A general reference on a frame `owner` owns. @retval Inval not the owner's frame.
    lib::ErrorOr<void> get_page(Mfn mfn, DomId owner);
    void put_page(Mfn mfn);

    /// A type reference; the first of a page-table type validates the frame, the first
    /// of SegDesc checks its 512 descriptors (mm/descriptor_rules.hpp).
    /// @retval Busy the frame is a page table (or GDT/LDT) and Writable was asked for.
    /// @retval Inval any other type conflict, or a validation failure (its reason).
    lib::ErrorOr<void> get_type(Mfn mfn, FrameType type, DomId owner);
    void put_type(Mfn mfn);

    lib::ErrorOr<void> get_page_and_type(Mfn mfn, FrameType type, DomId owner);
    void put_page_and_type(Mfn mfn);

    /// The references a present entry of a `level` table (frame `table`) holds, as Xen's
    /// get_page_from_l<level>e takes them. @pre the flags passed pte_rules::check_flags.
    lib::ErrorOr<void> get_entry(uint64_t entry, unsigned level, Mfn table, DomId owner);
    void put_entry(uint64_t entry, unsigned level, Mfn table);

private:
    struct Walk { Mfn table; unsigned level; unsigned index; unsigned end; };
    static constexpr unsigned kMaxDepth = 8;
    struct Stack {
        Walk walks[kMaxDepth];
        unsigned depth = 0;
        void push(Walk walk);
        Walk& top() { return walks[depth - 1]; }
    };

    lib::ErrorOr<void> validate(Mfn root, unsigned level, DomId owner);
    lib::ErrorOr<void> validate_descriptors(Mfn mfn);
    lib::ErrorOr<void> step(Stack& stack, DomId owner);
    lib::ErrorOr<void> get_leaf(uint64_t entry, DomId owner);
    lib::ErrorOr<void> get_linear(Mfn holder, Mfn target, uint64_t entry, unsigned level);
    lib::Error unwind(Stack& stack, lib::Error error);
    void drop_type(Mfn mfn, Stack& releases);
    void drop_entry(uint64_t entry, unsigned level, Mfn table, Stack& releases);
    void run_releases(Stack& releases);
    bool skipped(unsigned level, unsigned index) const;

    FrameTable& frames_;
    FrameMemory& memory_;
    std::span<const uint64_t> hypervisor_slots_;
};

constexpr bool is_page_table(FrameType type) {
    return type == FrameType::L1 || type == FrameType::L2 || type == FrameType::L3 || type == FrameType::L4;
}
constexpr unsigned level_of(FrameType type) { return static_cast<unsigned>(type); }
constexpr FrameType table_type(unsigned level) { return static_cast<FrameType>(level); }

}  // namespace hv
