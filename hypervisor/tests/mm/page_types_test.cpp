// SPDX-License-Identifier: MIT
// Tests of general and type references: every type transition, and what a type reference costs and gives back.
#include <doctest/doctest.h>

#include <array>
#include <cstring>

#include "mm/page_types.hpp"
#include "tests/mm/mm_fixture.hpp"

using namespace mm_test;
namespace pte = hv::pte;

namespace {

constexpr std::array kTypes{FrameType::Writable, FrameType::SegDesc, FrameType::L1,
                            FrameType::L2,       FrameType::L3,      FrameType::L4};

/// A reference held by hand is seen by the audit as one problem per count it raises.
constexpr uint64_t kHandHeldPageAndType = 2;

}  // namespace

TEST_CASE_FIXTURE(MmFixture, "get_page takes a general reference on the owner's frame and put_page gives it back") {
    const Mfn frame = allocate();
    CHECK_AUDIT_CLEAN();
    CHECK_OK(types.get_page(frame, kGuest));
    CHECK(info(frame).ref_count == 2);
    CHECK(info(frame).type == FrameType::None);
    CHECK_AUDIT_PROBLEMS(1);
    types.put_page(frame);
    CHECK(just_allocated(info(frame)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(MmFixture, "get_page refuses another domain's frame, a free frame, the hypervisor's frame and non-RAM") {
    const Mfn others = allocate(kOtherGuest);
    const Mfn free_frame = Mfn(kFrameCount - 1);  // never assigned
    allocate();
    const auto before = snapshot();
    CHECK(types.get_page(others, kGuest).is_error());
    CHECK(types.get_page(free_frame, kGuest).is_error());
    CHECK(types.get_page(Mfn(0), kGuest).is_error());
    CHECK(types.get_page(kBeyondRam, kGuest).is_error());
    CHECK(same_records(before, snapshot()));
    CHECK_AUDIT_CLEAN();
    CHECK_OK(types.get_page(others, kOtherGuest));  // its owner may
    types.put_page(others);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(MmFixture, "each type can be taken on a fresh frame and given back, leaving the frame as allocated") {
    for (const FrameType type : kTypes) {
        CAPTURE(hv::frame_type_name(type));
        const Mfn frame = allocate();
        CHECK_OK(types.get_page_and_type(frame, type, kGuest));
        CHECK(info(frame).type == type);
        CHECK(info(frame).type_count == 1);
        CHECK(info(frame).ref_count == 2);
        CHECK((info(frame).flags & hv::kFrameValidated) != 0);
        CHECK_AUDIT_PROBLEMS(kHandHeldPageAndType);
        types.put_page_and_type(frame);
        CHECK(just_allocated(info(frame)));
        CHECK_AUDIT_CLEAN();
    }
}

TEST_CASE_FIXTURE(MmFixture, "a second reference of the same type only counts, and the last one clears the type") {
    const Mfn table = allocate();
    CHECK_OK(types.get_type(table, FrameType::L1, kGuest));
    memory.forget_reads();
    CHECK_OK(types.get_type(table, FrameType::L1, kGuest));
    CHECK(info(table).type_count == 2);
    CHECK(memory.reads(table) == 0);  // validated once, by the first reference
    CHECK_AUDIT_PROBLEMS(1);
    types.put_type(table);
    CHECK(info(table).type == FrameType::L1);
    CHECK(info(table).type_count == 1);
    types.put_type(table);
    CHECK(just_allocated(info(table)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(MmFixture, "every type transition: a frame changes type only when its type count is zero") {
    for (const FrameType from : kTypes) {
        for (const FrameType to : kTypes) {
            CAPTURE(hv::frame_type_name(from));
            CAPTURE(hv::frame_type_name(to));
            const Mfn frame = allocate();
            CHECK_OK(types.get_page_and_type(frame, from, kGuest));
            const FrameInfo held = info(frame);
            auto second = types.get_type(frame, to, kGuest);
            if (to == from) {
                REQUIRE(!second.is_error());
                CHECK(info(frame).type_count == 2);
                types.put_type(frame);
            } else {
                REQUIRE(second.is_error());
                // Writable over a page table or descriptor page is "busy" (get_page_from_l1e);
                // every other conflict is Xen's _get_page_type -EINVAL.
                CHECK(second.error_code() == (to == FrameType::Writable ? abi::Errno::Busy : abi::Errno::Inval));
                CHECK(std::memcmp(&held, &info(frame), sizeof held) == 0);
            }
            CHECK_AUDIT_PROBLEMS(kHandHeldPageAndType);
            types.put_page_and_type(frame);
            CHECK(just_allocated(info(frame)));
            // Type count zero: now the frame may become `to`. (An L4 keeps the hypervisor's
            // slots, which are no L3's entries: a guest clears the frame before reusing it.)
            memory.clear(frame);
            CHECK_OK(types.get_page_and_type(frame, to, kGuest));
            CHECK(info(frame).type == to);
            types.put_page_and_type(frame);
            CHECK(just_allocated(info(frame)));
            CHECK_AUDIT_CLEAN();
        }
    }
}

TEST_CASE_FIXTURE(MmFixture, "get_page_and_type gives the general reference back when the type is refused") {
    const Mfn frame = allocate();
    CHECK_OK(types.get_page_and_type(frame, FrameType::L2, kGuest));
    const auto before = snapshot();
    CHECK_ERRNO(types.get_page_and_type(frame, FrameType::Writable, kGuest), abi::Errno::Busy);
    CHECK_ERRNO(types.get_page_and_type(frame, FrameType::L1, kGuest), abi::Errno::Inval);
    CHECK(same_records(before, snapshot()));
    CHECK_AUDIT_PROBLEMS(kHandHeldPageAndType);
    types.put_page_and_type(frame);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(MmFixture, "a table's first type reference takes its entries' references and the last gives them back") {
    const Mfn l1 = allocate();
    const Mfn data = allocate();
    const Mfn shown = allocate();
    entry(l1, 0) = pte::make(data, kReadWrite);
    entry(l1, 1) = pte::make(shown, kReadOnly);
    CHECK_OK(types.get_type(l1, FrameType::L1, kGuest));
    CHECK(info(data).type == FrameType::Writable);
    CHECK(info(data).type_count == 1);
    CHECK(info(data).ref_count == 2);
    CHECK(info(shown).type == FrameType::None);  // read-only: a general reference only
    CHECK(info(shown).ref_count == 2);
    CHECK_AUDIT_PROBLEMS(1);  // the L1's hand-held type reference
    types.put_type(l1);
    CHECK(just_allocated(info(l1)));
    CHECK(just_allocated(info(data)));
    CHECK(just_allocated(info(shown)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(MmFixture, "a frame mapped writable cannot become a page table until the mapping is gone") {
    const Mfn l1 = allocate();
    const Mfn victim = allocate();
    entry(l1, 0) = pte::make(victim, kReadWrite);
    CHECK_OK(mmu.pin(kGuest, l1, FrameType::L1));
    CHECK_AUDIT_CLEAN();
    const auto before = snapshot();
    for (const FrameType table : {FrameType::L1, FrameType::L2, FrameType::L3, FrameType::L4}) {
        CAPTURE(hv::frame_type_name(table));
        CHECK_ERRNO(mmu.pin(kGuest, victim, table), abi::Errno::Inval);
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
    }
    CHECK_OK(mmu.update_entry(kGuest, entry_address(l1, 0), pte::make(victim, kReadOnly), hv::EntryUpdate::Normal));
    CHECK_AUDIT_CLEAN();
    CHECK_OK(mmu.pin(kGuest, victim, FrameType::L2));
    CHECK(info(victim).type == FrameType::L2);
    CHECK_AUDIT_CLEAN();
}
