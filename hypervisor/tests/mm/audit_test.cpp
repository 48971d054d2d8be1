// SPDX-License-Identifier: MIT
// Tests of the MMU audit itself: clean on consistent state, and it catches each kind of corrupted count.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "mm/audit.hpp"
#include "tests/mm/mm_fixture.hpp"

using namespace mm_test;
namespace pte = hv::pte;

namespace {

/// A consistent state with a bit of everything: a pinned tree loaded as the base, a read-only
/// mapping, a linear entry, a second domain's pinned table.
struct Audited : MmFixture {
    Audited() {
        entry(tree.l1s[0], 1) = pte::make(tree.data[1], kReadOnly);
        REQUIRE(!mmu.pin(kGuest, tree.l4, FrameType::L4).is_error());
        Mfn current(0);
        REQUIRE(!mmu.replace_base(kGuest, tree.l4, current, false).is_error());
        base_tables.push_back(current);
        entry(linear_holder, 7) = pte::make(tree.l4, kReadOnly);
        REQUIRE(!mmu.pin(kGuest, linear_holder, FrameType::L4).is_error());
        REQUIRE(!mmu.pin(kOtherGuest, other_l1, FrameType::L1).is_error());
    }

    bool report_mentions(const std::string& words) const { return audit_report.find(words) != std::string::npos; }

    Tree tree = build_tree({.l2_count = 1, .l1s_per_l2 = 1, .data_per_l1 = 2});
    Mfn linear_holder = allocate();
    Mfn other_l1 = allocate(kOtherGuest);
};

}  // namespace

TEST_CASE_FIXTURE(Audited, "the audit is clean on consistent state and checks every frame a domain owns") {
    const hv::AuditResult result = audit();
    CHECK(result.problems == 0);
    CHECK(audit_report.empty());
    CHECK(result.frames_checked == 8);  // 4 tables, 2 data, the holder, the other domain's L1
}

TEST_CASE_FIXTURE(Audited, "the audit reports a ref_count above or below the references that exist") {
    CHECK_AUDIT_CLEAN();
    info(tree.data[0]).ref_count += 1;
    CHECK(audit().problems == 1);
    CHECK(report_mentions("ref_count 3, its references count 2"));
    info(tree.data[0]).ref_count -= 2;
    CHECK(audit().problems == 1);
    CHECK(report_mentions("ref_count 1, its references count 2"));
    info(tree.data[0]).ref_count += 1;
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Audited, "the audit reports a type_count that differs from the type references") {
    info(tree.l1s[0]).type_count += 1;
    CHECK(audit().problems == 1);
    CHECK(report_mentions("type_count 2, its type references count 1"));
    info(tree.l1s[0]).type_count -= 1;
    CHECK_AUDIT_CLEAN();
    info(tree.l4).type_count -= 1;  // the pin, the base and the linear entry hold three
    CHECK(audit().problems == 1);
    info(tree.l4).type_count += 1;
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Audited, "the audit reports a writable mapping of a frame that is not of type Writable") {
    // The counts are made to agree, so the mapping is the only thing wrong.
    entry(tree.l1s[0], 9) = pte::make(tree.l2s[0], kReadWrite);
    info(tree.l2s[0]).ref_count += 1;
    info(tree.l2s[0]).type_count += 1;
    CHECK(audit().problems == 1);
    CHECK(report_mentions("writable, but it is a l2"));
    entry(tree.l1s[0], 9) = pte::make(tree.data[1], kReadWrite);  // the read-only data frame
    info(tree.l2s[0]).ref_count -= 1;
    info(tree.l2s[0]).type_count -= 1;
    info(tree.data[1]).ref_count += 1;
    info(tree.data[1]).type_count += 1;
    CHECK(audit().problems == 1);
    CHECK(report_mentions("writable, but it is a none"));
}

TEST_CASE_FIXTURE(Audited, "the audit reports a type kept with no type reference") {
    const Mfn loose = allocate();
    CHECK_AUDIT_CLEAN();
    info(loose).type = FrameType::L1;
    CHECK(audit().problems == 1);
    CHECK(report_mentions("keeps type l1 with no type reference"));
}

TEST_CASE_FIXTURE(Audited, "the audit counts pins and base pointers, so a forgotten one shows") {
    base_tables.clear();
    CHECK(audit().problems == 2);  // the L4's ref_count and type_count
    base_tables.push_back(tree.l4);
    CHECK_AUDIT_CLEAN();
    info(tree.l3).flags |= hv::kFramePinned;
    CHECK(audit().problems == 2);
    info(tree.l3).flags &= static_cast<uint8_t>(~hv::kFramePinned);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Audited, "the audit reports an entry naming a frame beyond RAM") {
    entry(tree.l1s[0], 10) = pte::make(kBeyondRam, kReadOnly);
    CHECK(audit().problems == 1);
    CHECK(report_mentions("maps a frame beyond RAM"));
}

TEST_CASE_FIXTURE(Audited, "the audit ignores free frames and the hypervisor's own") {
    info(Mfn(0)).ref_count = 77;
    info(Mfn(kFrameCount - 1)).type_count = 5;
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Audited, "the audit counts every problem but reports only the first 16") {
    std::vector<Mfn> corrupted;
    for (int i = 0; i < 20; ++i) corrupted.push_back(allocate());
    for (const Mfn mfn : corrupted) info(mfn).ref_count = 5;
    CHECK(audit().problems == 20);
    CHECK(std::count(audit_report.begin(), audit_report.end(), '\n') == 16);
}
