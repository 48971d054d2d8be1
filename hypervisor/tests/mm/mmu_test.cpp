// SPDX-License-Identifier: MIT
// Tests of mmu_update's entry writes: references taken and given back at each level, and every refusal.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "mm/mmu.hpp"
#include "tests/mm/mm_fixture.hpp"

using namespace mm_test;
using hv::EntryUpdate;
namespace pte = hv::pte;

namespace {

/// A pinned tree mapping one writable data frame, and a spare frame to map.
struct Updates : MmFixture {
    Updates() {
        REQUIRE(!mmu.pin(kGuest, tree.l4, FrameType::L4).is_error());
    }

    lib::ErrorOr<bool> update(Mfn table, unsigned index, uint64_t value, EntryUpdate how = EntryUpdate::Normal) {
        return mmu.update_entry(kGuest, entry_address(table, index), value, how);
    }

    Tree tree = build_tree();
    Mfn l1 = tree.l1s[0];
    Mfn spare = allocate();
};

}  // namespace

TEST_CASE_FIXTURE(Updates, "an L1 entry maps a frame read-only, then read-write, then read-only, then not at all") {
    CHECK_AUDIT_CLEAN();
    auto mapped = update(l1, 5, pte::make(spare, kReadOnly));
    REQUIRE(!mapped.is_error());
    CHECK(entry(l1, 5) == hv::pte_rules::adjust(pte::make(spare, kReadOnly), 1));
    CHECK(info(spare).ref_count == 2);
    CHECK(info(spare).type == FrameType::None);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(update(l1, 5, pte::make(spare, kReadWrite)));
    CHECK(info(spare).ref_count == 2);
    CHECK(info(spare).type == FrameType::Writable);
    CHECK(info(spare).type_count == 1);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(update(l1, 5, pte::make(spare, kReadOnly)));
    CHECK(info(spare).ref_count == 2);
    CHECK(info(spare).type == FrameType::None);
    CHECK(info(spare).type_count == 0);
    CHECK_AUDIT_CLEAN();
    auto cleared = update(l1, 5, 0);
    REQUIRE(!cleared.is_error());
    CHECK(cleared.value());  // a translation went away: the TLB may be stale
    CHECK(entry(l1, 5) == 0);
    CHECK(just_allocated(info(spare)));
    CHECK_AUDIT_CLEAN();
    auto again = update(l1, 5, 0);
    REQUIRE(!again.is_error());
    CHECK(!again.value());  // nothing was there
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Updates, "a change of flags only keeps the references and stores the adjusted entry") {
    const Mfn data = tree.data[0];
    const FrameInfo held = info(data);
    const uint64_t value = pte::make(data, kReadWrite | pte::kNoExecute | pte::kAccessed | pte::kDirty | pte::kUser);
    CHECK_OK(update(l1, 0, value));
    CHECK(entry(l1, 0) == (value | pte::kGlobal));  // a user mapping becomes global
    CHECK(std::memcmp(&held, &info(data), sizeof held) == 0);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Updates, "moving an entry to another frame gives the old frame back") {
    CHECK_OK(update(l1, 0, pte::make(spare, kReadWrite)));
    CHECK(just_allocated(info(tree.data[0])));
    CHECK(info(spare).type == FrameType::Writable);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Updates, "the new entry takes its references before the old one's go: a relinked table is not released") {
    // The L2 entry holds the L1's only type reference. Dropping it first would release the
    // L1 (walking its entries) and validate it again (walking them again).
    memory.forget_reads();
    CHECK_OK(update(tree.l2s[0], 0, pte::make(l1, kReadOnly)));
    CHECK(memory.reads(l1) == 0);
    CHECK(info(l1).type_count == 1);
    CHECK(info(tree.data[0]).type_count == 1);
    CHECK_AUDIT_CLEAN();  // the audit reads every table
    memory.forget_reads();
    CHECK_OK(update(tree.l4, 0, pte::make(tree.l3, kReadOnly)));
    CHECK(memory.reads(tree.l3) == 0);
    CHECK(info(tree.l3).type_count == 1);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Updates, "an L2, L3 or L4 entry links a new subtree, validating it, and clearing the entry releases it") {
    const Mfn new_l1 = allocate();
    const Mfn new_l2 = allocate();
    const Mfn new_l3 = allocate();
    const Mfn data = allocate();
    entry(new_l1, 0) = pte::make(data, kReadWrite);
    entry(new_l2, 0) = pte::make(new_l1, kTableLink);
    entry(new_l3, 0) = pte::make(new_l2, kTableLink);
    struct Link { Mfn table; Mfn child; FrameType child_type; };
    for (const Link link : {Link{tree.l2s[0], new_l1, FrameType::L1}, Link{tree.l3, new_l2, FrameType::L2},
                            Link{tree.l4, new_l3, FrameType::L3}}) {
        CAPTURE(hv::frame_type_name(link.child_type));
        CHECK_OK(update(link.table, 9, pte::make(link.child, kTableLink)));
        CHECK(info(link.child).type == link.child_type);
        CHECK((info(link.child).flags & hv::kFrameValidated) != 0);
        CHECK(info(data).type == FrameType::Writable);
        CHECK_AUDIT_CLEAN();
        CHECK_OK(update(link.table, 9, 0));
        for (const Mfn mfn : {new_l1, new_l2, new_l3, data}) CHECK(just_allocated(info(mfn)));
        CHECK_AUDIT_CLEAN();
    }
}

TEST_CASE_FIXTURE(Updates, "an update the rules refuse leaves the entry and every count unchanged") {
    const Mfn others = allocate(kOtherGuest);
    const Mfn bad_l1 = allocate();  // would become an L1 that maps the tree's L2 writable
    entry(bad_l1, 0) = pte::make(allocate(), kReadWrite);
    entry(bad_l1, 511) = pte::make(tree.l2s[0], kReadWrite);
    struct Hostile { const char* what; Mfn table; unsigned index; uint64_t value; abi::Errno code; };
    const Hostile hostile[] = {
        {"L1: writable mapping of an L2", l1, 0, pte::make(tree.l2s[0], kReadWrite), abi::Errno::Busy},
        {"L1: writable mapping of itself", l1, 0, pte::make(l1, kReadWrite), abi::Errno::Busy},
        {"L1: another domain's frame", l1, 0, pte::make(others, kReadOnly), abi::Errno::Busy},
        {"L1: the hypervisor's frame", l1, 0, pte::make(Mfn(0), kReadOnly), abi::Errno::Busy},
        {"L1: not RAM", l1, 0, pte::make(kBeyondRam, kReadOnly), abi::Errno::Perm},
        {"L1: PCD", l1, 0, pte::make(tree.data[0], kReadWrite | pte::CacheDisable::kMask), abi::Errno::Inval},
        {"L2: a superpage", tree.l2s[0], 0, pte::make(l1, kTableLink | pte::kPageSizeFlag), abi::Errno::Inval},
        {"L2: another domain's frame", tree.l2s[0], 0, pte::make(others, kTableLink), abi::Errno::Inval},
        {"L2: a table whose last entry is bad", tree.l2s[0], 1, pte::make(bad_l1, kTableLink), abi::Errno::Busy},
        {"L3: G", tree.l3, 0, pte::make(tree.l2s[0], kTableLink | pte::kGlobal), abi::Errno::Inval},
        {"L3: not RAM", tree.l3, 0, pte::make(kBeyondRam, kTableLink), abi::Errno::Inval},
        {"L4: an L1 as an L3", tree.l4, 0, pte::make(l1, kTableLink), abi::Errno::Inval},
        {"L4: the L4 itself, writable", tree.l4, 0, pte::make(tree.l4, kReadWrite), abi::Errno::Inval},
    };
    for (const Hostile& bad : hostile) {
        const std::string what = bad.what;
        CAPTURE(what);
        const uint64_t old = entry(bad.table, bad.index);
        const auto before = snapshot();
        CHECK_ERRNO(update(bad.table, bad.index, bad.value), bad.code);
        CHECK(entry(bad.table, bad.index) == old);
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
    }
}

TEST_CASE_FIXTURE(Updates, "writes to L4 slots 256-271 are refused whatever the value, and 255 and 272 are the guest's") {
    const Mfn new_l3 = allocate();
    for (unsigned slot = 256; slot <= 271; ++slot) {
        CAPTURE(slot);
        for (const uint64_t value : {uint64_t{0}, pte::make(new_l3, kTableLink), hypervisor_slots[slot - 256]}) {
            const auto before = snapshot();
            CHECK_ERRNO(update(tree.l4, slot, value), abi::Errno::Inval);
            CHECK(entry(tree.l4, slot) == hypervisor_slots[slot - 256]);
            CHECK(same_records(before, snapshot()));
        }
        CHECK_ERRNO(update(tree.l4, slot, 0, EntryUpdate::PreserveAd), abi::Errno::Inval);
        CHECK_AUDIT_CLEAN();
    }
    CHECK_OK(update(tree.l4, 255, pte::make(new_l3, kTableLink)));
    CHECK_OK(update(tree.l4, 272, pte::make(new_l3, kTableLink)));
    CHECK(info(new_l3).type_count == 2);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Updates, "PRESERVE_AD keeps the A and D bits the entry had, and adds the ones the request has") {
    const Mfn data = tree.data[0];
    const uint64_t ad = pte::kAccessed | pte::kDirty;
    CHECK_OK(update(l1, 0, pte::make(data, kReadWrite | ad)));
    CHECK_OK(update(l1, 0, pte::make(data, kReadWrite | pte::kNoExecute), EntryUpdate::PreserveAd));
    CHECK((entry(l1, 0) & ad) == ad);
    CHECK((entry(l1, 0) & pte::kNoExecute) != 0);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(update(l1, 0, pte::make(data, kReadWrite)));  // a normal update sets exactly what it is given
    CHECK((entry(l1, 0) & ad) == 0);
    // Xen ORs the old bits into the new value (update_intpte): a new A is not lost.
    CHECK_OK(update(l1, 0, pte::make(data, kReadWrite | pte::kAccessed), EntryUpdate::PreserveAd));
    CHECK((entry(l1, 0) & ad) == pte::kAccessed);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Updates, "a write into a frame that is no page table is a plain store that leaves no reference behind") {
    const Mfn mapped_rw = tree.data[0];
    for (const Mfn frame : {spare, mapped_rw}) {
        CAPTURE(frame.raw());
        const auto before = snapshot();
        auto stored = mmu.update_entry(kGuest, entry_address(frame, 3), 0x1234'5678'9abc'def0, EntryUpdate::Normal);
        REQUIRE(!stored.is_error());
        CHECK(!stored.value());
        CHECK(entry(frame, 3) == 0x1234'5678'9abc'def0);  // stored as given: no adjust, no checks
        CHECK(same_records(before, snapshot()));
        CHECK_AUDIT_CLEAN();
    }
}

TEST_CASE_FIXTURE(Updates, "a plain store into a descriptor page is refused with EINVAL") {
    CHECK_OK(types.get_page_and_type(spare, FrameType::SegDesc, kGuest));  // as SET_GDT would hold it
    const auto before = snapshot();
    CHECK_ERRNO(update(spare, 0, 0x00cf'9b00'0000'ffff), abi::Errno::Inval);
    CHECK(entry(spare, 0) == 0);
    CHECK(same_records(before, snapshot()));
    CHECK_AUDIT_PROBLEMS(2);  // the descriptor page's hand-held references
    types.put_page_and_type(spare);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Updates, "update_entry is refused in another domain's frame, the hypervisor's frame and non-RAM") {
    const Mfn others = allocate(kOtherGuest);
    const Mfn other_l1 = allocate(kOtherGuest);
    REQUIRE(!mmu.pin(kOtherGuest, other_l1, FrameType::L1).is_error());
    CHECK_AUDIT_CLEAN();
    const auto before = snapshot();
    for (const Mfn frame : {others, other_l1, Mfn(0)}) {
        CAPTURE(frame.raw());
        CHECK_ERRNO(update(frame, 0, pte::make(spare, kReadOnly)), abi::Errno::Inval);
        CHECK(entry(frame, 0) == 0);
    }
    CHECK_ERRNO(update(kBeyondRam, 0, 0), abi::Errno::Inval);
    CHECK(same_records(before, snapshot()));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Updates, "update_machphys records the M2P of the domain's own frames and refuses everyone else's") {
    CHECK_OK(mmu.update_machphys(kGuest, spare, 0x42));
    CHECK(memory.m2p.at(spare.raw()) == 0x42);
    CHECK_OK(mmu.update_machphys(kGuest, tree.l4, 7));  // any frame it owns, page tables too
    CHECK(memory.m2p.at(tree.l4.raw()) == 7);
    CHECK_AUDIT_CLEAN();
    const Mfn others = allocate(kOtherGuest);
    const auto writes = memory.m2p_writes.size();
    CHECK_ERRNO(mmu.update_machphys(kGuest, others, 0x42), abi::Errno::Inval);
    CHECK_ERRNO(mmu.update_machphys(kGuest, Mfn(0), 0x42), abi::Errno::Inval);
    CHECK_ERRNO(mmu.update_machphys(kGuest, Mfn(kFrameCount - 1), 0x42), abi::Errno::Inval);  // free
    CHECK_ERRNO(mmu.update_machphys(kGuest, kBeyondRam, 0x42), abi::Errno::Inval);
    CHECK(memory.m2p_writes.size() == writes);
    CHECK_OK(mmu.update_machphys(kOtherGuest, others, 0x43));
    CHECK(memory.m2p.at(others.raw()) == 0x43);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Updates, "an L1 entry may map another domain's frame only when that domain is named as the page owner") {
    // update_va_mapping_otherdomain and mmu_update's foreigndom: the caller's page table,
    // the other domain's frame (the hypercall layer checks the caller's privilege first).
    const Mfn foreign = allocate(kOtherGuest);
    auto refused = update(l1, 6, pte::make(foreign, kReadOnly));
    REQUIRE(refused.is_error());
    CHECK(refused.error_code() == abi::Errno::Busy);  // Xen's get_page_from_l1e for a foreign frame
    CHECK(entry(l1, 6) == 0);
    auto mapped = mmu.update_entry(kGuest, entry_address(l1, 6), pte::make(foreign, kReadOnly), EntryUpdate::Normal,
                                   kOtherGuest);
    REQUIRE(!mapped.is_error());
    CHECK(info(foreign).ref_count == 2);
    CHECK_AUDIT_CLEAN();
    // The page owner rules only what L1 entries map: the table is still the caller's.
    const Mfn others_table = allocate(kOtherGuest);
    auto not_caller_table = mmu.update_entry(kGuest, entry_address(others_table, 0), 0, EntryUpdate::Normal, kOtherGuest);
    CHECK(not_caller_table.is_error());
    REQUIRE(!update(l1, 6, 0).is_error());
    CHECK(info(foreign).ref_count == 1);
    CHECK_AUDIT_CLEAN();
}
