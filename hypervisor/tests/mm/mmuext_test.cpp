// SPDX-License-Identifier: MIT
// Tests of the mmuext_op operations on frames: pin/unpin, base pointers, finding an L1, clearing and copying pages.
#include <doctest/doctest.h>

#include <cstring>

#include "abi/layout.hpp"
#include "mm/mmu.hpp"
#include "tests/mm/mm_fixture.hpp"

using namespace mm_test;
namespace pte = hv::pte;

namespace {

constexpr std::array kTableTypes{FrameType::L1, FrameType::L2, FrameType::L3, FrameType::L4};

struct Frames : MmFixture {
    /// Fill a frame with a pattern that names it.
    void fill(Mfn mfn) {
        for (unsigned i = 0; i < 512; ++i) entry(mfn, i) = (mfn.raw() << 32) | i;
    }

    lib::ErrorOr<void> replace_base(Mfn next, bool allow_none = false) {
        Mfn current = base_tables.empty() ? Mfn(0) : base_tables[0];
        auto replaced = mmu.replace_base(kGuest, next, current, allow_none);
        base_tables.clear();
        if (current.raw() != 0) base_tables.push_back(current);
        return replaced;
    }
};

}  // namespace

TEST_CASE_FIXTURE(Frames, "pin holds a type and a general reference until unpin gives them back") {
    for (const FrameType type : kTableTypes) {
        CAPTURE(hv::frame_type_name(type));
        const Mfn table = allocate();
        CHECK_OK(mmu.pin(kGuest, table, type));
        CHECK(info(table).type == type);
        CHECK(info(table).type_count == 1);
        CHECK(info(table).ref_count == 2);
        CHECK((info(table).flags & (hv::kFramePinned | hv::kFrameValidated)) == (hv::kFramePinned | hv::kFrameValidated));
        CHECK_AUDIT_CLEAN();
        CHECK_OK(mmu.unpin(kGuest, table));
        CHECK(just_allocated(info(table)));
        CHECK_AUDIT_CLEAN();
    }
}

TEST_CASE_FIXTURE(Frames, "pinning a pinned table again is EINVAL and changes no count") {
    const Tree tree = build_tree();
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    const auto before = snapshot();
    CHECK_ERRNO(mmu.pin(kGuest, tree.l4, FrameType::L4), abi::Errno::Inval);
    CHECK_ERRNO(mmu.pin(kGuest, tree.l4, FrameType::L3), abi::Errno::Inval);
    CHECK(same_records(before, snapshot()));
    CHECK_AUDIT_CLEAN();
    // A table that is in use but not pinned may be pinned once.
    CHECK_OK(mmu.pin(kGuest, tree.l1s[0], FrameType::L1));
    CHECK(info(tree.l1s[0]).type_count == 2);
    CHECK_ERRNO(mmu.pin(kGuest, tree.l1s[0], FrameType::L1), abi::Errno::Inval);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Frames, "unpinning a table that is not pinned is EINVAL and changes no count") {
    const Tree tree = build_tree();
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    const Mfn loose = allocate();
    const auto before = snapshot();
    for (const Mfn frame : {tree.l3, tree.l1s[0], tree.data[0], loose}) {
        CAPTURE(frame.raw());
        CHECK_ERRNO(mmu.unpin(kGuest, frame), abi::Errno::Inval);
        CHECK(same_records(before, snapshot()));
    }
    CHECK_OK(mmu.unpin(kGuest, tree.l4));
    CHECK_ERRNO(mmu.unpin(kGuest, tree.l4), abi::Errno::Inval);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Frames, "pin and unpin refuse frames the domain does not own, and frames that are not RAM") {
    const Mfn others = allocate(kOtherGuest);
    REQUIRE(!mmu.pin(kOtherGuest, others, FrameType::L1).is_error());
    const Mfn free_frame = Mfn(kFrameCount - 1);
    const auto before = snapshot();
    for (const Mfn frame : {others, Mfn(0), free_frame, kBeyondRam}) {
        CAPTURE(frame.raw());
        for (const FrameType type : kTableTypes) CHECK_ERRNO(mmu.pin(kGuest, frame, type), abi::Errno::Inval);
        CHECK_ERRNO(mmu.unpin(kGuest, frame), abi::Errno::Inval);
    }
    CHECK(same_records(before, snapshot()));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Frames, "unpinning a table still in use keeps it valid: a base pointer or an upper entry holds it") {
    const Tree tree = build_tree();
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    CHECK_OK(replace_base(tree.l4));
    CHECK_OK(mmu.pin(kGuest, tree.l1s[0], FrameType::L1));
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.unpin(kGuest, tree.l4));
    CHECK_OK(mmu.unpin(kGuest, tree.l1s[0]));
    for (const Mfn table : tree.tables()) {
        CAPTURE(table.raw());
        CHECK(info(table).type_count == 1);
        CHECK((info(table).flags & hv::kFrameValidated) != 0);
        CHECK((info(table).flags & hv::kFramePinned) == 0);
    }
    CHECK(info(tree.data[0]).type == FrameType::Writable);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(replace_base(Mfn(0), true));  // the last holder lets go
    for (const Mfn table : tree.tables()) CHECK(just_allocated(info(table)));
    CHECK(just_allocated(info(tree.data[0])));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Frames, "replace_base takes the new L4 and gives back every reference the old base held") {
    const Tree first = build_tree();
    const Tree second = build_tree();
    CHECK_OK(replace_base(first.l4));
    CHECK(info(first.l4).type == FrameType::L4);
    CHECK(info(first.l4).type_count == 1);
    CHECK(info(first.data[0]).type == FrameType::Writable);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(replace_base(second.l4));
    CHECK(info(second.l4).type == FrameType::L4);
    for (const Mfn table : first.tables()) CHECK(just_allocated(info(table)));
    CHECK(just_allocated(info(first.data[0])));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Frames, "replace_base to the base already loaded keeps it without releasing and revalidating it") {
    const Tree tree = build_tree();
    CHECK_OK(replace_base(tree.l4));
    const auto before = snapshot();
    memory.forget_reads();
    CHECK_OK(replace_base(tree.l4));
    CHECK(same_records(before, snapshot()));
    CHECK(memory.reads(tree.l4) == 0);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Frames, "replace_base refuses a frame that cannot be an L4 and keeps the current base") {
    const Tree tree = build_tree();
    CHECK_OK(replace_base(tree.l4));
    const Mfn others = allocate(kOtherGuest);
    const auto before = snapshot();
    for (const Mfn next : {tree.l1s[0], tree.l3, tree.data[0], others, Mfn(0), kBeyondRam}) {
        CAPTURE(next.raw());
        CHECK_ERRNO(replace_base(next), abi::Errno::Inval);
        REQUIRE(base_tables.size() == 1);
        CHECK(base_tables[0] == tree.l4);
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
    }
}

TEST_CASE_FIXTURE(Frames, "replace_base with allow_none and MFN 0 drops the base, without allow_none MFN 0 is a frame") {
    const Tree tree = build_tree();
    CHECK_OK(replace_base(tree.l4, true));
    CHECK_ERRNO(replace_base(Mfn(0)), abi::Errno::Inval);  // the hypervisor's frame
    CHECK(base_tables.size() == 1);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(replace_base(Mfn(0), true));
    CHECK(base_tables.empty());
    for (const Mfn table : tree.tables()) CHECK(just_allocated(info(table)));
    CHECK_AUDIT_CLEAN();
    CHECK_OK(replace_base(Mfn(0), true));  // none to none
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Frames, "find_l1 finds the L1 entry that maps a guest address, low or high") {
    const Tree tree = build_tree();
    entry(tree.l4, 511) = pte::make(tree.l3, kTableLink);
    entry(tree.l4, 272) = pte::make(tree.l3, kTableLink);
    CHECK_OK(replace_base(tree.l4));
    auto low = mmu.find_l1(tree.l4, 5 * hv::kPageSize + 0x123);
    REQUIRE(!low.is_error());
    CHECK(low.value().table == tree.l1s[0]);
    CHECK(low.value().index == 5);
    auto high = mmu.find_l1(tree.l4, 0xFFFF'FF80'0000'0000 + 511 * hv::kPageSize);
    REQUIRE(!high.is_error());
    CHECK(high.value().table == tree.l1s[0]);
    CHECK(high.value().index == 511);
    auto first_after_hypervisor = mmu.find_l1(tree.l4, abi::kHypervisorVirtEnd);  // L4 slot 272
    REQUIRE(!first_after_hypervisor.is_error());
    CHECK(first_after_hypervisor.value().index == 0);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Frames, "find_l1 refuses the hypervisor's range, non-canonical addresses and missing tables") {
    const Tree tree = build_tree();
    CHECK_OK(replace_base(tree.l4));
    const uint64_t refused[] = {
        0xFFFF'8000'0000'0000,           // the start of the hypervisor's slots
        0xFFFF'8400'0000'1000,           // in the middle
        abi::kHypervisorVirtEnd - 1,     // their last byte
        uint64_t{1} << 47,               // the first non-canonical address
        0xFFFF'7FFF'FFFF'F000,           // the last one
        0x8000'0000'0000'0000,
        uint64_t{1} << 39,               // L4 slot 1: no L3
        uint64_t{1} << 30,               // L3 slot 1: no L2
        uint64_t{1} << 21,               // L2 slot 1: no L1
    };
    for (const uint64_t va : refused) {
        CAPTURE(va);
        CHECK_ERRNO(mmu.find_l1(tree.l4, va), abi::Errno::Inval);
    }
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Frames, "clear_page zeroes a frame the domain could write and leaves no reference behind") {
    const Tree tree = build_tree();
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    const Mfn loose = allocate();
    for (const Mfn frame : {loose, tree.data[0]}) {
        CAPTURE(frame.raw());
        fill(frame);
        const auto before = snapshot();
        CHECK_OK(mmu.clear_page(kGuest, frame));
        for (unsigned i = 0; i < 512; ++i) CHECK(entry(frame, i) == 0);
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
    }
}

TEST_CASE_FIXTURE(Frames, "clear_page refuses a page table and a frame the domain does not own with EINVAL") {
    // MMUEXT_CLEAR_PAGE: get_page_type(PGT_writable_page) fails, -EINVAL (not get_page_from_l1e's -EBUSY).
    const Tree tree = build_tree();
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    const Mfn others = allocate(kOtherGuest);
    fill(others);
    for (const Mfn frame : {tree.l4, tree.l3, tree.l2s[0], tree.l1s[0], others, Mfn(0), kBeyondRam}) {
        CAPTURE(frame.raw());
        const auto before = snapshot();
        const auto contents = frame == kBeyondRam ? std::array<uint64_t, 512>{} : memory.frame(frame);
        CHECK_ERRNO(mmu.clear_page(kGuest, frame), abi::Errno::Inval);
        if (frame != kBeyondRam) CHECK(memory.frame(frame) == contents);
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
    }
}

TEST_CASE_FIXTURE(Frames, "copy_page copies between frames the domain owns, from a page table too, onto itself too") {
    const Tree tree = build_tree();
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    const Mfn source = allocate();
    const Mfn destination = allocate();
    fill(source);
    const auto before = snapshot();
    CHECK_OK(mmu.copy_page(kGuest, destination, source));
    CHECK(memory.frame(destination) == memory.frame(source));
    CHECK_OK(mmu.copy_page(kGuest, tree.data[0], tree.l1s[0]));  // reading a page table is fine
    CHECK(memory.frame(tree.data[0]) == memory.frame(tree.l1s[0]));
    CHECK_OK(mmu.copy_page(kGuest, source, source));
    CHECK(memory.frame(source) == memory.frame(destination));
    CHECK(same_records(before, snapshot()));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Frames, "copy_page refuses a page table as destination and frames the domain does not own") {
    const Tree tree = build_tree();
    CHECK_OK(mmu.pin(kGuest, tree.l4, FrameType::L4));
    const Mfn mine = allocate();
    const Mfn others = allocate(kOtherGuest);
    fill(mine);
    fill(others);
    struct Copy { Mfn destination, source; };
    for (const Copy copy : {Copy{tree.l1s[0], mine}, Copy{tree.l4, mine}, Copy{others, mine}, Copy{mine, others},
                            Copy{mine, Mfn(0)}, Copy{mine, kBeyondRam}, Copy{kBeyondRam, mine}}) {
        CAPTURE(copy.destination.raw());
        CAPTURE(copy.source.raw());
        const auto before = snapshot();
        const auto mine_before = memory.frame(mine);
        const auto table_before = memory.frame(tree.l1s[0]);
        CHECK_ERRNO(mmu.copy_page(kGuest, copy.destination, copy.source), abi::Errno::Inval);
        CHECK(memory.frame(mine) == mine_before);
        CHECK(memory.frame(tree.l1s[0]) == table_before);
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
    }
}
