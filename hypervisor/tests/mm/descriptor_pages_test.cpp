// SPDX-License-Identifier: MIT
// Tests of descriptor pages as a page type: set_gdt's frames (all or none), update_descriptor, and writable mappings.
#include <doctest/doctest.h>

#include <vector>

#include "abi/segments.hpp"
#include "mm/mmu.hpp"
#include "tests/mm/mm_fixture.hpp"

using namespace mm_test;
using hv::EntryUpdate;
namespace pte = hv::pte;

namespace {

constexpr uint64_t kRing0Data = 0x00cf'9300'0000'ffff;
constexpr uint64_t kTss = 0x0000'8900'0000'0067;          // present 64-bit TSS, DPL 0
constexpr uint64_t kGateToRing0 = 0x0000'ec00'e008'1000;  // call gate to 0xe008, DPL 3

/// A pinned tree (one L1 mapping one writable data frame), a few fresh frames to use as
/// a GDT, and the GDT a "vCPU" holds, counted by the audit.
struct Descriptors : MmFixture {
    Descriptors() { REQUIRE(!mmu.pin(kGuest, tree.l4, FrameType::L4).is_error()); }

    /// set_gdt: take `next`, let go of the current GDT, remember `next` on success.
    lib::ErrorOr<void> set_gdt(std::vector<Mfn> next) {
        auto replaced = mmu.replace_descriptor_frames(kGuest, next, gdt);
        if (!replaced.is_error()) gdt = next;
        return replaced;
    }

    lib::ErrorOr<bool> map(Mfn frame, uint64_t flags, unsigned index = 7) {
        return mmu.update_entry(kGuest, entry_address(l1, index), pte::make(frame, flags), EntryUpdate::Normal);
    }

    /// The fixture's audit, with the GDT frames held as a vCPU holds them.
    hv::AuditResult audit() {
        StringSink sink;
        std::vector<uint32_t> scratch(2 * kFrameCount);
        const hv::AuditResult result = hv::audit_frames(frames, memory, {base_tables, gdt, {}}, scratch, sink);
        audit_report = sink.text;
        return result;
    }

    Tree tree = build_tree();
    Mfn l1 = tree.l1s[0];
    Mfn first = allocate();
    Mfn second = allocate();
    std::vector<Mfn> gdt;
};

}  // namespace

TEST_CASE_FIXTURE(Descriptors, "set_gdt takes its frames as descriptor pages and rewrites ring-0 segments in them") {
    entry(first, 2) = kRing0Data;
    entry(second, 511) = kRing0Data;
    CHECK_OK(set_gdt({first, second}));
    CHECK(info(first).type == FrameType::SegDesc);
    CHECK(info(first).type_count == 1);
    CHECK(info(first).ref_count == 2);
    CHECK(entry(first, 2) == abi::kFlatRing3DsDescriptor);
    CHECK(entry(second, 511) == abi::kFlatRing3DsDescriptor);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "set_gdt refuses a frame with a TSS in its last descriptor and takes none of the frames") {
    entry(second, 511) = kTss;
    const auto before = snapshot();
    CHECK_ERRNO(set_gdt({first, second}), abi::Errno::Inval);
    CHECK(same_records(before, snapshot()));
    CHECK(just_allocated(info(first)));
    CHECK(just_allocated(info(second)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "a refused set_gdt leaves the GDT the vCPU had") {
    CHECK_OK(set_gdt({first}));
    entry(second, 3) = kGateToRing0;
    CHECK_ERRNO(set_gdt({second}), abi::Errno::Inval);
    REQUIRE(gdt.size() == 1);
    CHECK(info(first).type == FrameType::SegDesc);
    CHECK(just_allocated(info(second)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "set_gdt refuses another domain's frame, the hypervisor's and a frame beyond RAM") {
    const Mfn others = allocate(kOtherGuest);
    for (const Mfn frame : {others, Mfn(0), kBeyondRam}) {
        CAPTURE(frame.raw());
        const auto before = snapshot();
        CHECK_ERRNO(set_gdt({first, frame}), abi::Errno::Inval);
        CHECK(same_records(before, snapshot()));
    }
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "a frame mapped writable cannot become a descriptor page: EINVAL") {
    const Mfn data = tree.data[0];  // mapped read-write by the tree
    CHECK_ERRNO(set_gdt({data}), abi::Errno::Inval);
    CHECK(info(data).type == FrameType::Writable);
    CHECK_OK(map(first, kReadWrite));
    CHECK_ERRNO(set_gdt({first}), abi::Errno::Inval);
    CHECK_OK(map(first, kReadOnly));  // once it is read-only everywhere, it can
    CHECK_OK(set_gdt({first}));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "a page table cannot become a descriptor page, nor a descriptor page a page table") {
    CHECK_ERRNO(set_gdt({l1}), abi::Errno::Inval);
    CHECK_OK(set_gdt({first}));
    CHECK_ERRNO(mmu.pin(kGuest, first, FrameType::L1), abi::Errno::Inval);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "a descriptor page cannot be mapped writable: EBUSY, as mmu_update answers") {
    CHECK_OK(set_gdt({first}));
    const auto before = snapshot();
    CHECK_ERRNO(map(first, kReadWrite), abi::Errno::Busy);
    CHECK(entry(l1, 7) == 0);
    CHECK(same_records(before, snapshot()));
    CHECK_OK(map(first, kReadOnly));  // read-only is fine
    CHECK(info(first).ref_count == 3);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "replacing the GDT releases the old frames, which can then be mapped writable") {
    CHECK_OK(set_gdt({first}));
    CHECK_OK(set_gdt({second}));
    CHECK(just_allocated(info(first)));
    CHECK(info(second).type == FrameType::SegDesc);
    CHECK_AUDIT_CLEAN();
    CHECK_OK(map(first, kReadWrite));
    CHECK_AUDIT_CLEAN();
    CHECK_OK(set_gdt({}));  // set_gdt(NULL, 0): no GDT of its own
    CHECK(just_allocated(info(second)));
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "set_gdt counts a frame the GDT already holds again instead of checking it again") {
    CHECK_OK(set_gdt({first}));
    memory.forget_reads();
    CHECK_OK(set_gdt({first, first}));
    CHECK(memory.reads(first) == 0);
    CHECK(info(first).type_count == 2);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "update_descriptor writes a checked descriptor into a descriptor page or a plain frame") {
    CHECK_OK(set_gdt({first}));
    CHECK_OK(mmu.update_descriptor(kGuest, entry_address(first, 9), kRing0Data));
    CHECK(entry(first, 9) == abi::kFlatRing3DsDescriptor);
    CHECK(info(first).type_count == 1);
    CHECK_OK(mmu.update_descriptor(kGuest, entry_address(second, 1), kRing0Data));
    CHECK(entry(second, 1) == abi::kFlatRing3DsDescriptor);
    const Mfn data = tree.data[0];  // writable-mapped: the guest could have written it itself
    CHECK_OK(mmu.update_descriptor(kGuest, entry_address(data, 0), 0x1234));
    CHECK(entry(data, 0) == 0x1234);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "update_descriptor refuses misalignment, a bad descriptor, a page table and others' frames") {
    const Mfn others = allocate(kOtherGuest);
    const auto before = snapshot();
    CHECK_ERRNO(mmu.update_descriptor(kGuest, entry_address(first, 1) + 4, 0), abi::Errno::Inval);
    CHECK_ERRNO(mmu.update_descriptor(kGuest, entry_address(first, 1), kTss), abi::Errno::Inval);
    CHECK_ERRNO(mmu.update_descriptor(kGuest, entry_address(first, 1), kGateToRing0), abi::Errno::Inval);
    CHECK_ERRNO(mmu.update_descriptor(kGuest, entry_address(l1, 100), 0), abi::Errno::Inval);
    CHECK_ERRNO(mmu.update_descriptor(kGuest, entry_address(others, 1), 0), abi::Errno::Inval);
    CHECK_ERRNO(mmu.update_descriptor(kGuest, entry_address(Mfn(0), 1), 0), abi::Errno::Inval);
    CHECK_ERRNO(mmu.update_descriptor(kGuest, entry_address(kBeyondRam, 1), 0), abi::Errno::Inval);
    CHECK(same_records(before, snapshot()));
    CHECK(entry(first, 1) == 0);
    CHECK(entry(l1, 100) == 0);
    CHECK_AUDIT_CLEAN();
}

TEST_CASE_FIXTURE(Descriptors, "the audit finds a GDT frame that is not a descriptor page") {
    gdt = {first};  // held by the "vCPU" without a reference taken
    const hv::AuditResult result = audit();
    CHECK(result.problems == 3);  // ref_count, type_count, and the type itself
}
