// SPDX-License-Identifier: MIT
// Validating a page-table tree and giving its references back, with an explicit stack.
//
// validate() walks a new table's entries in order. A present entry takes its references;
// when it names a table that has no type yet, that table is typed and pushed, and the walk
// continues inside it (so an L4 can validate its L3s, their L2s and their L1s in one
// call, depth at most 4). When a table's last entry is done it is marked validated and the
// walk resumes in its parent at the next entry. If any entry is refused, unwind() pops
// every table on the stack, giving back the references of the entries it had done,
// clearing the types it set, so that the frame table is exactly as before the call.
#include "lib/assert.hpp"
#include "mm/page_types.hpp"
#include "mm/pte.hpp"
#include "mm/pte_rules.hpp"

namespace hv {

lib::ErrorOr<void> PageTypes::validate(Mfn root, unsigned level, DomId owner) {
    Stack stack;
    stack.push({root, level, 0, 512});
    while (stack.depth > 0) {
        Walk& top = stack.top();
        if (top.index < top.end) {
            auto stepped = step(stack, owner);
            if (stepped.is_error()) return unwind(stack, stepped.error());
            continue;
        }
        // Every entry checked: the table is valid; an L4 gets the hypervisor's slots.
        if (top.level == 4) {
            uint64_t* entries = memory_.entries(top.table);
            for (size_t i = 0; i < hypervisor_slots_.size(); ++i) entries[256 + i] = hypervisor_slots_[i];
        }
        frames_[top.table].flags |= kFrameValidated;
        --stack.depth;
        if (stack.depth > 0) ++stack.top().index;  // the parent's entry is complete
    }
    return {};
}

lib::ErrorOr<void> PageTypes::step(Stack& stack, DomId owner) {
    Walk& top = stack.top();
    const uint64_t entry = memory_.entries(top.table)[top.index];
    if (skipped(top.level, top.index) || !pte::present(entry)) {
        ++top.index;
        return {};
    }
    TRY(pte_rules::check_flags(entry, top.level));
    // Store the entry as Xen stores it (promote_l*_table writes adjust_guest_l*e back):
    // USER everywhere, bit 52 on kernel L1s. Harmless if the validation fails later.
    memory_.entries(top.table)[top.index] = pte_rules::adjust(entry, top.level);
    const Mfn child = pte::mfn(entry);
    if (top.level == 1 || child == top.table) {
        TRY(get_entry(entry, top.level, top.table, owner));  // leaf, or a self-reference
        ++top.index;
        return {};
    }
    TRY(get_page(child, owner));
    FrameInfo& info = frames_[child];
    if (info.type_count > 0) {
        // Already typed: a type reference of the level below, or a linear entry.
        auto taken = info.type == table_type(top.level) ? get_linear(top.table, child, entry, top.level)
                                                        : get_type(child, table_type(top.level - 1), owner);
        if (taken.is_error()) { put_page(child); return taken.error(); }
        ++top.index;
        return {};
    }
    // A fresh table below: type it and validate it before this entry counts as done.
    info.type = table_type(top.level - 1);
    info.type_count = 1;
    info.flags &= static_cast<uint8_t>(~kFrameValidated);
    stack.push({child, top.level - 1, 0, 512});
    return {};
}

lib::Error PageTypes::unwind(Stack& stack, lib::Error error) {
    while (stack.depth > 0) {
        const Walk walk = stack.top();
        --stack.depth;
        Stack releases;
        releases.push({walk.table, walk.level, 0, walk.index});  // the entries it had done
        run_releases(releases);
        FrameInfo& info = frames_[walk.table];
        info.type = FrameType::None;
        info.type_count = 0;
        info.flags &= static_cast<uint8_t>(~kFrameValidated);
        if (stack.depth > 0) put_page(walk.table);  // the parent entry's general reference
    }
    return error;
}

void PageTypes::drop_type(Mfn mfn, Stack& releases) {
    FrameInfo& info = frames_[mfn];
    if (info.type_count == 0) lib::panic("page types: mfn {:#x} has no type reference to put", mfn);
    if (--info.type_count > 0) return;
    const FrameType old = info.type;
    const bool was_valid = (info.flags & kFrameValidated) != 0;
    info.type = FrameType::None;
    info.flags &= static_cast<uint8_t>(~kFrameValidated);
    // The last reference to a table: its entries give back what they hold.
    if (is_page_table(old) && was_valid) releases.push({mfn, level_of(old), 0, 512});
}

void PageTypes::drop_entry(uint64_t entry, unsigned level, Mfn table, Stack& releases) {
    const Mfn target = pte::mfn(entry);
    if (level == 1) {
        if (pte::writable(entry)) drop_type(target, releases);
        put_page(target);
        return;
    }
    if (target == table) return;  // a self-reference holds nothing
    FrameInfo& info = frames_[target];
    if (info.type == table_type(level)) {  // a linear entry
        ++info.linear_count;
        --frames_[table].linear_count;
    }
    drop_type(target, releases);
    put_page(target);
}

void PageTypes::run_releases(Stack& releases) {
    while (releases.depth > 0) {
        Walk& top = releases.top();
        if (top.index == top.end) {
            --releases.depth;
            continue;
        }
        const unsigned index = top.index++;
        const uint64_t entry = memory_.entries(top.table)[index];
        if (skipped(top.level, index) || !pte::present(entry)) continue;
        // drop_entry may push, which can move `top`: read everything first.
        drop_entry(entry, top.level, top.table, releases);
    }
}

}  // namespace hv
