// SPDX-License-Identifier: MIT
// Tests of the unwind: a validation refused part-way leaves every frame record exactly as it was.
#include <doctest/doctest.h>

#include <string>

#include "mm/page_types.hpp"
#include "tests/mm/mm_fixture.hpp"

using namespace mm_test;
namespace pte = hv::pte;

namespace {

constexpr TreeShape kBushy{.l2_count = 2, .l1s_per_l2 = 2, .data_per_l1 = 3};

struct Rollback : MmFixture {
    /// Pinning `root` as an L4 fails with `code`, and the frame table is exactly as before.
    void check_refused_exactly(Mfn root, abi::Errno code) {
        const auto before = snapshot();
        CHECK_ERRNO(mmu.pin(kGuest, root, FrameType::L4), code);
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
    }
};

}  // namespace

TEST_CASE_FIXTURE(Rollback, "a refused N-th entry of the K-th L1 leaves the frame table exactly as before") {
    const Tree tree = build_tree(kBushy);
    const Mfn others = allocate(kOtherGuest);
    struct Hostile { const char* what; uint64_t value; abi::Errno code; };
    const Hostile kinds[] = {
        {"writable mapping of the root", pte::make(tree.l4, kReadWrite), abi::Errno::Busy},
        {"writable mapping of the first L2", pte::make(tree.l2s[0], kReadWrite), abi::Errno::Busy},
        {"another domain's frame", pte::make(others, kReadOnly), abi::Errno::Busy},
        {"not RAM", pte::make(kBeyondRam, kReadOnly), abi::Errno::Perm},
        {"PAT", pte::make(tree.data[0], kReadOnly | pte::kPageSizeFlag), abi::Errno::Inval},
    };
    for (unsigned k = 0; k < tree.l1s.size(); ++k) {
        for (const unsigned n : {0u, 1u, 2u, 3u, 257u, 510u, 511u}) {
            for (const Hostile& kind : kinds) {
                CAPTURE(k);
                CAPTURE(n);
                const std::string what = kind.what;
                CAPTURE(what);
                const uint64_t good = entry(tree.l1s[k], n);
                entry(tree.l1s[k], n) = kind.value;
                check_refused_exactly(tree.l4, kind.code);
                entry(tree.l1s[k], n) = good;
            }
        }
    }
    // Without a bad entry the same tree validates: the refusals were the entries', not the tree's.
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK(info(tree.data.back()).type == FrameType::Writable);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Rollback, "a table mapped writable before its parent links it is then refused as a table (EINVAL)") {
    // The first reference decides the type: the second L2 becomes Writable through an L1 of
    // the first L2, and the L3's entry for it then asks for an L2 that cannot be.
    const Tree tree = build_tree(kBushy);
    entry(tree.l1s[1], 200) = pte::make(tree.l2s[1], kReadWrite);
    check_refused_exactly(tree.l4, abi::Errno::Inval);
}

TEST_CASE_FIXTURE(Rollback, "a bad L3 entry after complete L2 subtrees gives all of them back") {
    const Tree tree = build_tree(kBushy);
    const Mfn others = allocate(kOtherGuest);
    for (const uint64_t bad : {pte::make(others, kTableLink), pte::make(tree.l2s[0], kTableLink | pte::kPageSizeFlag),
                               pte::make(kBeyondRam, kTableLink), pte::make(tree.l4, kReadOnly),
                               pte::make(tree.l1s[0], kTableLink)}) {
        CAPTURE(bad);
        for (const unsigned index : {2u, 511u}) {
            entry(tree.l3, index) = bad;
            check_refused_exactly(tree.l4, abi::Errno::Inval);
            entry(tree.l3, index) = 0;
        }
    }
}

TEST_CASE_FIXTURE(Rollback, "a bad L4 entry after a complete L3 subtree gives it all back") {
    const Tree tree = build_tree(kBushy);
    for (const unsigned index : {1u, 255u, 272u, 511u}) {
        CAPTURE(index);
        entry(tree.l4, index) = pte::make(tree.l1s[0], kTableLink);  // an L1 is no L3
        check_refused_exactly(tree.l4, abi::Errno::Inval);
        entry(tree.l4, index) = pte::make(tree.l4, kReadWrite);  // a writable self-reference
        check_refused_exactly(tree.l4, abi::Errno::Inval);
        entry(tree.l4, index) = 0;
    }
}

TEST_CASE_FIXTURE(Rollback, "the unwind gives back only what it took: references held before the pin stay") {
    const Tree tree = build_tree(kBushy);
    // An L1 pinned on its own, which also maps one of the tree's data frames, linked into the tree.
    const Mfn pinned_l1 = allocate();
    const Mfn own_data = allocate();
    entry(pinned_l1, 0) = pte::make(own_data, kReadWrite);
    entry(pinned_l1, 1) = pte::make(tree.data[5], kReadWrite);
    CHECK_OK(mmu.pin(kGuest, pinned_l1, FrameType::L1));
    entry(tree.l2s[0], 100) = pte::make(pinned_l1, kTableLink);
    // And a second tree already pinned that shares the first L2 subtree.
    const Mfn other_l4 = allocate();
    const Mfn other_l3 = allocate();
    entry(other_l4, 3) = pte::make(other_l3, kTableLink);
    entry(other_l3, 3) = pte::make(tree.l2s[0], kTableLink);
    CHECK_OK(mmu.pin(kGuest, other_l4, FrameType::L4));
    CHECK(info(pinned_l1).type_count == 2);
    CHECK(info(tree.data[5]).type_count == 2);
    CHECK_AUDIT_CLEAN();
    entry(tree.l1s.back(), 511) = pte::make(pinned_l1, kReadWrite);
    check_refused_exactly(tree.l4, abi::Errno::Busy);
    CHECK(info(tree.l2s[0]).type_count == 1);  // still the other tree's
    CHECK((info(tree.l2s[0]).flags & hv::kFrameValidated) != 0);
    entry(tree.l1s.back(), 511) = 0;
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK(info(tree.l2s[0]).type_count == 2);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, other_l4));
    CHECK_OK(mmu.unpin(kGuest, pinned_l1));
    CHECK(info(pinned_l1).type_count == 1);  // the tree's L2 entry
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, tree.l4));
    CHECK(just_allocated(info(pinned_l1)));
    CHECK(just_allocated(info(own_data)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Rollback, "a refused pin of an L1, L2 or L3 is rolled back exactly too") {
    const Tree tree = build_tree(kBushy);
    entry(tree.l1s[3], 400) = pte::make(tree.l1s[3], kReadWrite);
    struct Pin { Mfn root; FrameType type; };
    for (const Pin pin : {Pin{tree.l1s[3], FrameType::L1}, Pin{tree.l2s[1], FrameType::L2}, Pin{tree.l3, FrameType::L3}}) {
        CAPTURE(hv::frame_type_name(pin.type));
        const auto before = snapshot();
        CHECK_ERRNO(mmu.pin(kGuest, pin.root, pin.type), abi::Errno::Busy);
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
    }
}
