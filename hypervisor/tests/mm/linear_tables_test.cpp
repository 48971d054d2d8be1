// SPDX-License-Identifier: MIT
// Tests of linear (recursive) page-table entries: the forms Xen permits, and the ones it refuses (XEN-PV-ABI.md 3.4).
#include <doctest/doctest.h>

#include "mm/page_types.hpp"
#include "tests/mm/mm_fixture.hpp"

using namespace mm_test;
namespace pte = hv::pte;

namespace {

struct Linear : MmFixture {
    /// An L4 with one L3 below it, pinned.
    Mfn pinned_l4() {
        const Mfn l4 = allocate();
        const Mfn l3 = allocate();
        entry(l4, 0) = pte::make(l3, kTableLink);
        REQUIRE(!mmu.pin(kGuest, l4, FrameType::L4).is_error());
        return l4;
    }

    lib::ErrorOr<bool> set_entry(Mfn table, unsigned index, uint64_t value) {
        return mmu.update_entry(kGuest, entry_address(table, index), value, hv::EntryUpdate::Normal);
    }
};

}  // namespace

TEST_CASE_FIXTURE(Linear, "a read-only self-reference is accepted at L2, L3 and L4 and takes no reference") {
    const Tree tree = build_tree();
    entry(tree.l4, 510) = pte::make(tree.l4, kReadOnly);
    entry(tree.l3, 510) = pte::make(tree.l3, kReadOnly);
    entry(tree.l2s[0], 510) = pte::make(tree.l2s[0], kReadOnly);
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK(info(tree.l4).ref_count == 2);  // allocation and pin, nothing for the self-reference
    CHECK(info(tree.l4).type_count == 1);
    CHECK(info(tree.l3).ref_count == 2);
    CHECK(info(tree.l3).type_count == 1);
    CHECK(info(tree.l2s[0]).type_count == 1);
    for (const Mfn table : tree.tables()) CHECK(info(table).linear_count == 0);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, tree.l4));
    for (const Mfn table : tree.tables()) CHECK(just_allocated(info(table)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Linear, "a writable self-reference is refused at every level, in a tree and by an update") {
    const Tree tree = build_tree();
    for (const Mfn table : {tree.l4, tree.l3, tree.l2s[0]}) {
        CAPTURE(table.raw());
        entry(table, 510) = pte::make(table, kReadWrite);
        const auto before = snapshot();
        CHECK_ERRNO(mmu.pin(kGuest, tree.l4, FrameType::L4), abi::Errno::Inval);
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
        entry(table, 510) = 0;
    }
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    for (const Mfn table : {tree.l4, tree.l3, tree.l2s[0]}) {
        const auto before = snapshot();
        CHECK_ERRNO(set_entry(table, 510, pte::make(table, kReadWrite)), abi::Errno::Inval);
        CHECK(entry(table, 510) == 0);
        CHECK(same_records(before, snapshot()));
        CHECK_OK(set_entry(table, 510, pte::make(table, kReadOnly)));
        CHECK(same_records(before, snapshot()));
        // Read-only to read-write in place is refused too.
        CHECK_ERRNO(set_entry(table, 510, pte::make(table, kReadWrite)), abi::Errno::Inval);
        CHECK(pte::writable(entry(table, 510)) == false);
        CHECK_AUDIT_CLEAN();
    }
}

TEST_CASE_FIXTURE(Linear, "a read-only linear entry to another validated L4 is accepted and counted") {
    const Mfn target = pinned_l4();
    const Mfn holder = allocate();
    entry(holder, 300) = pte::make(target, kReadOnly);
    CHECK_OK(mmu.pin(kGuest, holder, FrameType::L4));
    CHECK(info(target).type_count == 2);  // pin + linear entry
    CHECK(info(target).ref_count == 3);
    CHECK(info(target).linear_count == -1);
    CHECK(info(holder).linear_count == 1);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, holder));
    CHECK(info(target).type_count == 1);
    CHECK(info(target).linear_count == 0);
    CHECK(just_allocated(info(holder)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Linear, "a writable linear entry to another L4 is refused") {
    const Mfn target = pinned_l4();
    const Mfn holder = allocate();
    entry(holder, 300) = pte::make(target, kReadWrite);
    const auto before = snapshot();
    CHECK_ERRNO(mmu.pin(kGuest, holder, FrameType::L4), abi::Errno::Inval);
    CHECK(same_records(before, snapshot()));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Linear, "linear entries do not chain: a holder is never a target, a target never a holder") {
    const Mfn target = pinned_l4();
    const Mfn holder = pinned_l4();
    const Mfn third = pinned_l4();
    CHECK_OK(set_entry(holder, 300, pte::make(target, kReadOnly)));
    CHECK_AUDIT_CLEAN();
    const auto before = snapshot();
    CHECK_ERRNO(set_entry(third, 300, pte::make(holder, kReadOnly)), abi::Errno::Inval);  // holder as a target
    CHECK_ERRNO(set_entry(target, 300, pte::make(third, kReadOnly)), abi::Errno::Inval);  // target as a holder
    CHECK_ERRNO(set_entry(target, 301, pte::make(holder, kReadOnly)), abi::Errno::Inval);  // a loop of two
    CHECK(same_records(before, snapshot()));
    CHECK_AUDIT_CLEAN();
    // A second holder of the same target is fine, and so is a second entry in the holder.
    CHECK_OK(set_entry(third, 300, pte::make(target, kReadOnly)));
    CHECK_OK(set_entry(holder, 301, pte::make(target, kReadOnly)));
    CHECK(info(target).linear_count == -3);
    CHECK(info(holder).linear_count == 2);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(set_entry(holder, 300, 0));
    CHECK_OK(set_entry(holder, 301, 0));
    CHECK_OK(set_entry(third, 300, 0));
    CHECK(info(target).linear_count == 0);
    CHECK(info(holder).linear_count == 0);
    CHECK(info(target).type_count == 1);
    CHECK_AUDIT_CLEAN();
    // Once no longer a target, the old holder may hold again the other way round.
    CHECK_OK(set_entry(target, 300, pte::make(holder, kReadOnly)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Linear, "a linear entry at L2 to another validated L2 is accepted and released with its holder") {
    const Tree tree = build_tree({.l2_count = 2, .l1s_per_l2 = 1, .data_per_l1 = 1});
    entry(tree.l2s[1], 50) = pte::make(tree.l2s[0], kReadOnly);  // validated before the second L2
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK(info(tree.l2s[0]).type_count == 2);
    CHECK(info(tree.l2s[0]).linear_count == -1);
    CHECK(info(tree.l2s[1]).linear_count == 1);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, tree.l4));
    for (const Mfn table : tree.tables()) CHECK(just_allocated(info(table)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Linear, "a same-level entry to a table not yet validated types it as the level below, as Xen does") {
    // Xen tries the ordinary type first: a fresh frame linked from an L4 becomes an L3.
    const Mfn holder = allocate();
    const Mfn fresh_l4 = allocate();  // holds an L4's worth of entries, but has no type yet
    const Mfn below = allocate();
    entry(fresh_l4, 0) = pte::make(below, kTableLink);
    entry(holder, 1) = pte::make(fresh_l4, kReadOnly);
    CHECK_OK(mmu.pin(kGuest, holder, FrameType::L4));
    CHECK(info(fresh_l4).type == FrameType::L3);
    CHECK(info(below).type == FrameType::L2);
    CHECK(info(fresh_l4).linear_count == 0);
    CHECK(info(holder).linear_count == 0);
    CHECK_AUDIT_CLEAN();
    // Now typed L3, it cannot be pinned as the L4 it was meant to be.
    CHECK_ERRNO(mmu.pin(kGuest, fresh_l4, FrameType::L4), abi::Errno::Inval);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Linear, "a linear target outlives its unpin until the holder lets go, then its whole tree goes") {
    const Tree tree = build_tree({.l2_count = 2, .l1s_per_l2 = 2, .data_per_l1 = 2});
    // The deepest release: the holder lets go of the L4, which lets go of the L3, which lets
    // go of the second L2, whose linear entry holds the first L2's last reference by then.
    entry(tree.l3, 200) = pte::make(tree.l3, kReadOnly);  // and a self-reference, which holds nothing
    entry(tree.l2s[1], 200) = pte::make(tree.l2s[0], kReadOnly);
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    const Mfn holder = allocate();
    entry(holder, 400) = pte::make(tree.l4, kReadOnly);
    CHECK_OK(mmu.pin(kGuest, holder, FrameType::L4));
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, tree.l4));
    CHECK(info(tree.l4).type == FrameType::L4);  // the linear entry still holds it
    CHECK(info(tree.l4).type_count == 1);
    CHECK((info(tree.l4).flags & hv::kFrameValidated) != 0);
    CHECK(info(tree.data[0]).type == FrameType::Writable);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, holder));
    for (const Mfn table : tree.tables()) CHECK(just_allocated(info(table)));
    for (const Mfn data : tree.data) CHECK(just_allocated(info(data)));
    CHECK(just_allocated(info(holder)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Linear, "a linear entry added and removed by mmu_update keeps the counts") {
    const Mfn target = pinned_l4();
    const Mfn holder = pinned_l4();
    const auto before = snapshot();
    CHECK_OK(set_entry(holder, 5, pte::make(target, kReadOnly)));
    CHECK(info(target).linear_count == -1);
    CHECK_AUDIT_CLEAN();
    // Flags only: the reference stays.
    CHECK_OK(set_entry(holder, 5, pte::make(target, kReadOnly | pte::kNoExecute)));
    CHECK(info(target).type_count == 2);
    CHECK_AUDIT_CLEAN();
    CHECK_ERRNO(set_entry(holder, 5, pte::make(target, kReadWrite)), abi::Errno::Inval);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(set_entry(holder, 5, 0));
    CHECK(same_records(before, snapshot()));
    CHECK_AUDIT_CLEAN();
}
