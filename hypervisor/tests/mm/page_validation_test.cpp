// SPDX-License-Identifier: MIT
// Tests of validating a page-table tree: what a good tree costs, what a hostile entry gets, and what a release gives back.
#include <doctest/doctest.h>

#include "mm/page_types.hpp"
#include "tests/mm/mm_fixture.hpp"

using namespace mm_test;
namespace pte = hv::pte;

namespace {

/// Two L2s of two L1s of three data frames: 20 frames, 4 L1s, 12 data frames.
constexpr TreeShape kBushy{.l2_count = 2, .l1s_per_l2 = 2, .data_per_l1 = 3};

struct Validation : MmFixture {
    /// Pinning `root` as `type` fails with `code`, and the frame table is exactly as before.
    void check_refused_exactly(Mfn root, FrameType type, abi::Errno code) {
        const auto before = snapshot();
        CHECK_ERRNO(mmu.pin(kGuest, root, type), code);
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
    }

    /// Every frame of `tree` is typed as validation types it, with the references one pin
    /// of the root implies.
    void check_pinned_tree(const Tree& tree, bool data_writable = true) {
        CHECK(info(tree.l4).type == FrameType::L4);
        CHECK(info(tree.l4).type_count == 1);
        CHECK(info(tree.l4).ref_count == 2);  // allocation + pin
        CHECK((info(tree.l4).flags & hv::kFramePinned) != 0);
        CHECK(info(tree.l3).type == FrameType::L3);
        for (const Mfn l2 : tree.l2s) CHECK(info(l2).type == FrameType::L2);
        for (const Mfn l1 : tree.l1s) CHECK(info(l1).type == FrameType::L1);
        for (const Mfn table : tree.tables()) {
            CAPTURE(table.raw());
            CHECK((info(table).flags & hv::kFrameValidated) != 0);
            if (table == tree.l4) continue;
            CHECK(info(table).type_count == 1);  // its parent's entry
            CHECK(info(table).ref_count == 2);   // allocation + its parent's entry
        }
        for (const Mfn data : tree.data) {
            CAPTURE(data.raw());
            CHECK(info(data).ref_count == 2);
            CHECK(info(data).type == (data_writable ? FrameType::Writable : FrameType::None));
            CHECK(info(data).type_count == (data_writable ? 1u : 0u));
        }
    }
};

}  // namespace

TEST_CASE_FIXTURE(Validation, "pinning an L4 promotes every L3, L2 and L1 below it and references every mapped frame") {
    const Tree tree = build_tree(kBushy);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    check_pinned_tree(tree);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Validation, "read-only mappings take a general reference and no type") {
    const Tree tree = build_tree({.l2_count = 1, .l1s_per_l2 = 2, .data_per_l1 = 2, .writable = false});
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    check_pinned_tree(tree, false);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Validation, "pinning a lower table validates just its subtree") {
    const Tree tree = build_tree(kBushy);
    CHECK_OK(mmu.pin(kGuest, tree.l2s[1], FrameType::L2));
    CHECK(info(tree.l2s[1]).type == FrameType::L2);
    CHECK(info(tree.l1s[2]).type == FrameType::L1);
    CHECK(info(tree.l1s[3]).type == FrameType::L1);
    CHECK(info(tree.data[6]).type == FrameType::Writable);
    CHECK(just_allocated(info(tree.l4)));
    CHECK(just_allocated(info(tree.l3)));
    CHECK(just_allocated(info(tree.l2s[0])));
    CHECK(just_allocated(info(tree.l1s[0])));
    CHECK(just_allocated(info(tree.data[0])));
    CHECK_AUDIT_CLEAN();
    // The L4 then finds that L2 already validated and only counts it.
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK(info(tree.l2s[1]).type_count == 2);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Validation, "a frame mapped by two entries and a table linked twice hold two references each") {
    const Tree tree = build_tree({.l2_count = 1, .l1s_per_l2 = 1, .data_per_l1 = 1});
    entry(tree.l1s[0], 7) = pte::make(tree.data[0], kReadWrite);
    entry(tree.l4, 300) = pte::make(tree.l3, kTableLink);
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK(info(tree.data[0]).type_count == 2);
    CHECK(info(tree.data[0]).ref_count == 3);
    CHECK(info(tree.l3).type_count == 2);
    CHECK(info(tree.l3).ref_count == 3);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, tree.l4));
    for (const Mfn mfn : tree.tables()) CHECK(just_allocated(info(mfn)));
    CHECK(just_allocated(info(tree.data[0])));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Validation, "validation stores every entry it accepts as Xen adjusts it") {
    const Tree tree = build_tree();
    entry(tree.l1s[0], 1) = pte::make(tree.data[0], kReadOnly | pte::kUser);  // a user page
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK(entry(tree.l4, 0) == (pte::make(tree.l3, kTableLink) | pte::kUser | pte::kAccessed));
    CHECK(entry(tree.l3, 0) == (pte::make(tree.l2s[0], kTableLink) | pte::kUser));
    CHECK(entry(tree.l2s[0], 0) == (pte::make(tree.l1s[0], kTableLink) | pte::kUser));
    CHECK(entry(tree.l1s[0], 0) == (pte::make(tree.data[0], kReadWrite) | pte::kUser | hv::pte_rules::kGuestKernel));
    CHECK(entry(tree.l1s[0], 1) == (pte::make(tree.data[0], kReadOnly) | pte::kUser | pte::kGlobal));
    CHECK(entry(tree.l1s[0], 2) == 0);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Validation, "validation fills L4 slots 256-271 with the hypervisor's entries, ignoring what was there") {
    const Tree tree = build_tree();
    const Mfn others = allocate(kOtherGuest);
    // Each of these would be refused anywhere else in an L4.
    entry(tree.l4, 256) = pte::make(others, kReadWrite);
    entry(tree.l4, 257) = pte::make(kBeyondRam, kReadWrite);
    entry(tree.l4, 258) = pte::make(tree.l3, kReadWrite | pte::kPageSizeFlag);
    entry(tree.l4, 261) = pte::make(tree.l4, kReadWrite);
    entry(tree.l4, 271) = pte::make(tree.l1s[0], kTableLink);
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    for (unsigned slot = 256; slot <= 271; ++slot) {
        CAPTURE(slot);
        CHECK(entry(tree.l4, slot) == hypervisor_slots[slot - 256]);
    }
    CHECK(entry(tree.l4, 255) == 0);
    CHECK(entry(tree.l4, 272) == 0);
    CHECK(just_allocated(info(others), kOtherGuest));
    check_pinned_tree(tree);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Validation, "validation refuses a writable mapping of any table of the tree with EBUSY and changes nothing") {
    const Tree tree = build_tree(kBushy);
    for (const Mfn table : tree.tables()) {
        CAPTURE(table.raw());
        entry(tree.l1s[3], 511) = pte::make(table, kReadWrite);
        check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Busy);
    }
    entry(tree.l1s[3], 511) = 0;
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));  // the same tree without that entry is fine
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Validation, "validation accepts a read-only mapping of every table of the tree") {
    const Tree tree = build_tree(kBushy);
    unsigned slot = 100;
    for (const Mfn table : tree.tables()) entry(tree.l1s[1], slot++) = pte::make(table, kReadOnly);
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK(info(tree.l4).ref_count == 3);  // allocation, pin, the read-only mapping
    CHECK(info(tree.l4).type_count == 1);
    CHECK(info(tree.l1s[1]).ref_count == 3);  // allocation, the L2 entry, its own mapping
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, tree.l4));
    for (const Mfn mfn : tree.tables()) CHECK(just_allocated(info(mfn)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Validation, "an L1 entry naming a frame the domain does not own is refused with EBUSY") {
    // get_page_from_l1e: another owner, or none, is "could not pin" (-EBUSY), not -EINVAL.
    const Tree tree = build_tree(kBushy);
    const Mfn others = allocate(kOtherGuest);
    const Mfn free_frame = Mfn(kFrameCount - 1);
    for (const Mfn stranger : {others, Mfn(0), free_frame}) {
        for (const uint64_t flags : {kReadOnly, kReadWrite}) {
            CAPTURE(stranger.raw());
            entry(tree.l1s[2], 1) = pte::make(stranger, flags);
            check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Busy);
        }
    }
}

TEST_CASE_FIXTURE(Validation, "an upper-level entry naming a frame the domain does not own is refused with EINVAL") {
    // get_page_and_type_from_mfn: get_page_from_mfn fails, -EINVAL.
    const Tree tree = build_tree(kBushy);
    const Mfn others = allocate(kOtherGuest);
    const Mfn free_frame = Mfn(kFrameCount - 1);
    for (const Mfn stranger : {others, Mfn(0), free_frame}) {
        CAPTURE(stranger.raw());
        entry(tree.l2s[1], 9) = pte::make(stranger, kTableLink);
        check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
        entry(tree.l2s[1], 9) = 0;
        entry(tree.l3, 9) = pte::make(stranger, kTableLink);
        check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
        entry(tree.l3, 9) = 0;
        entry(tree.l4, 9) = pte::make(stranger, kTableLink);
        check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
        entry(tree.l4, 9) = 0;
    }
}

TEST_CASE_FIXTURE(Validation, "an L1 entry naming a frame that is not RAM is EPERM, and Xen's INVALID_MFN is EINVAL") {
    const Tree tree = build_tree(kBushy);
    entry(tree.l1s[0], 2) = pte::make(kBeyondRam, kReadOnly);
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Perm);
    entry(tree.l1s[0], 2) = pte::make(kInvalidMfn, kReadOnly);
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
}

TEST_CASE_FIXTURE(Validation, "an upper-level entry naming a frame that is not RAM is EINVAL") {
    const Tree tree = build_tree(kBushy);
    for (const Mfn table : {tree.l4, tree.l3, tree.l2s[0]}) {
        for (const Mfn nowhere : {kBeyondRam, kInvalidMfn}) {
            CAPTURE(table.raw());
            CAPTURE(nowhere.raw());
            entry(table, 20) = pte::make(nowhere, kTableLink);
            check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
            entry(table, 20) = 0;
        }
    }
}

TEST_CASE_FIXTURE(Validation, "disallowed flags anywhere in the tree are refused with EINVAL") {
    const Tree tree = build_tree(kBushy);
    struct Hostile { Mfn table; unsigned index; uint64_t value; };
    const Hostile hostile[] = {
        {tree.l1s[1], 0, pte::make(tree.data[3], kReadWrite | pte::kPageSizeFlag)},  // PAT
        {tree.l1s[1], 0, pte::make(tree.data[3], kReadWrite | pte::CacheDisable::kMask)},
        {tree.l2s[0], 0, pte::make(tree.l1s[0], kTableLink | pte::kPageSizeFlag)},  // a 2 MiB page
        {tree.l3, 1, pte::make(tree.l2s[1], kTableLink | pte::kGlobal)},
        {tree.l4, 0, pte::make(tree.l3, kTableLink | pte::WriteThrough::kMask)},
    };
    for (const Hostile& bad : hostile) {
        CAPTURE(bad.table.raw());
        const uint64_t good = entry(bad.table, bad.index);
        entry(bad.table, bad.index) = bad.value;
        check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
        entry(bad.table, bad.index) = good;
    }
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Validation, "an entry naming a table of another level is refused with EINVAL") {
    const Tree tree = build_tree(kBushy);
    const Mfn pinned_l1 = allocate();
    CHECK_OK(mmu.pin(kGuest, pinned_l1, FrameType::L1));
    CHECK_AUDIT_CLEAN();
    entry(tree.l4, 1) = pte::make(pinned_l1, kTableLink);  // an L4 entry wants an L3
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
    entry(tree.l4, 1) = 0;
    entry(tree.l3, 5) = pte::make(pinned_l1, kTableLink);  // an L3 entry wants an L2
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
    entry(tree.l3, 5) = 0;
    entry(tree.l4, 2) = pte::make(tree.l2s[0], kTableLink);  // typed L2 by the L3 first, then wanted as an L3
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
    entry(tree.l4, 2) = 0;
    entry(tree.l2s[0], 6) = pte::make(tree.data[0], kTableLink);  // a data frame mapped writable, as an L1
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
}

TEST_CASE_FIXTURE(Validation, "loops back into the tree being validated are refused without corrupting counts") {
    const Tree tree = build_tree(kBushy);
    entry(tree.l3, 7) = pte::make(tree.l4, kTableLink);  // an L3 entry back at the root L4
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
    entry(tree.l3, 7) = pte::make(tree.l4, kReadOnly);
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
    entry(tree.l3, 7) = 0;
    entry(tree.l2s[1], 7) = pte::make(tree.l3, kReadOnly);  // an L2 entry back at its L3
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
    entry(tree.l2s[1], 7) = 0;
    entry(tree.l1s[3], 7) = pte::make(tree.l2s[1], kReadWrite);  // an L1 writing its own L2
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Busy);
    entry(tree.l1s[3], 7) = 0;
    // The first L2 links the second before the L3 reaches it: the second becomes an L1 whose
    // "data" are the L1 frames (typed Writable), and then the L3 cannot have it as an L2.
    entry(tree.l2s[0], 8) = pte::make(tree.l2s[1], kTableLink);
    check_refused_exactly(tree.l4, FrameType::L4, abi::Errno::Inval);
    entry(tree.l2s[0], 8) = 0;
    // Validated as an L1 meanwhile, its entries were stored as an L1's (G on USER entries),
    // as Xen stores them: the guest aliased its own tables, so it rewrites them.
    CHECK((entry(tree.l2s[1], 0) & pte::kGlobal) != 0);
    for (unsigned i = 0; i < 2; ++i) entry(tree.l2s[1], i) = pte::make(tree.l1s[2 + i], kTableLink);
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    check_pinned_tree(tree);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Validation, "the last reference of a tree gives back everything it took") {
    const Tree tree = build_tree(kBushy);
    const auto before = snapshot();
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK(!same_records(before, snapshot()));
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, tree.l4));
    CHECK(same_records(before, snapshot()));
    for (const Mfn mfn : tree.tables()) CHECK(just_allocated(info(mfn)));
    for (const Mfn mfn : tree.data) CHECK(just_allocated(info(mfn)));
    CHECK_AUDIT_CLEAN();
}
