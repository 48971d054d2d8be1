// SPDX-License-Identifier: MIT
// Long mmu_update and mmuext_op batches, and MMU_PT_UPDATE_PRESERVE_AD, on the lab L1.
//
// Xen runs a batch of any length (below 2^31) in one call and preempts it only when it
// must, continuing where it stopped; *done always counts every request completed, across
// continuations (mm.c: do_mmu_update, do_mmuext_op). Xenolith cuts every batch after 256
// requests (hypercall/batch.hpp), so these batches cross that cut. A batch that is an
// entry of a multicall is continued too: its continuation is kept in the entry, and the
// multicall continues at that entry (common/multicall.c).
//
// PRESERVE_AD (public/xen.h: "as MMU_NORMAL_PT_UPDATE, but A/D bits are preserved") is
// an OR: the stored entry has the A and D bits of the new value and of the old one
// (pv/mm.h: update_intpte, `_new |= old & (_PAGE_ACCESSED | _PAGE_DIRTY)`).
#include "apps/tests/mmu_features.hpp"

namespace minios::features {
namespace {

constexpr unsigned kEntries = 512;
/// Longer than two of Xenolith's slices of 256.
constexpr uint32_t kLongBatch = 600;
/// Where a request in the middle of the second slice fails.
constexpr uint32_t kFailingRequest = 280;
/// The same for mmuext_op.
constexpr uint32_t kOperations = 300;
constexpr uint32_t kFailingOperation = 270;
/// The entry the PRESERVE_AD checks use; the CPU never walks it (nothing reads its page),
/// so only the hypervisor changes its A and D bits.
constexpr unsigned kAdEntry = 400;
constexpr uint64_t kAccessedDirty = kAccessed | kDirty;
constexpr uint64_t kPreserveAd = static_cast<uint64_t>(abi::MmuUpdateCommand::PtUpdatePreserveAd);

/// Too big for minios' stack (9.6 and 7.2 KiB).
abi::MmuUpdate requests[kLongBatch];
abi::MmuextOp operations[kOperations];

/// Write 0 into entries [first, end) of the lab L1, in one call.
void clear_entries(const Lab& lab, unsigned first, unsigned end) {
    for (unsigned index = first; index < end; ++index) requests[index - first] = {lab.entry_address(index), 0};
    step("mmu_update clearing lab entries", mmu_update(requests, end - first, nullptr));
}

/// How many entries of the lab L1 map `frame`, and how many are empty.
struct Census {
    unsigned mapping;
    unsigned empty;
};
Census count_entries(const Lab& lab, const Frame& frame) {
    Census census{0, 0};
    for (unsigned index = 0; index < kEntries; ++index) {
        const uint64_t entry = lab.entry(index);
        if (entry == 0) ++census.empty;
        else if ((entry & kPresent) && ((entry & ~kFlagsMask) >> 12) == frame.mfn.raw()) ++census.mapping;
    }
    return census;
}

/// 512 requests map one data frame read-only at every entry, then 88 take the first 88
/// mappings out again: 600 validated page-table writes in one call.
void long_mmu_update(const Lab& lab) {
    const uint64_t read_only = page_entry(lab.data[0], kPresent | kAccessed);
    for (unsigned index = 0; index < kEntries; ++index) requests[index] = {lab.entry_address(index), read_only};
    const unsigned taken_out = kLongBatch - kEntries;
    for (unsigned index = 0; index < taken_out; ++index) requests[kEntries + index] = {lab.entry_address(index), 0};
    uint32_t done = 0;
    const int64_t result = mmu_update(requests, kLongBatch, &done);
    const Census census = count_entries(lab, lab.data[0]);
    report("mmu-update-600-requests-in-one-call",
           result == 0 && done == kLongBatch && census.mapping == kEntries - taken_out && census.empty == taken_out,
           "rc {}, done {}, {} entries map the data frame, {} are empty", result_name(result).text, done,
           census.mapping, census.empty);
    clear_entries(lab, taken_out, kEntries);
}

/// The same 600 requests as the middle entry of a three-entry multicall: the batch is
/// cut twice inside the multicall, and the entry after it still runs.
void long_mmu_update_in_a_multicall(const Lab& lab) {
    const uint64_t read_only = page_entry(lab.data[0], kPresent | kAccessed);
    for (unsigned index = 0; index < kEntries; ++index) requests[index] = {lab.entry_address(index), read_only};
    const unsigned taken_out = kLongBatch - kEntries;
    for (unsigned index = 0; index < taken_out; ++index) requests[kEntries + index] = {lab.entry_address(index), 0};
    constexpr uint64_t kUnset = 0x5eed;
    uint32_t done = 0;
    abi::MulticallEntry entries[3] = {
        xen_version_entry(kUnset),
        {static_cast<uint64_t>(abi::Hypercall::MmuUpdate), kUnset,
         {reinterpret_cast<uint64_t>(requests), kLongBatch, reinterpret_cast<uint64_t>(&done), abi::kDomidSelf, 0, 0}},
        xen_version_entry(kUnset),
    };
    const int64_t result = multicall(entries, 3);
    const Census census = count_entries(lab, lab.data[0]);
    const auto batch_result = static_cast<int64_t>(entries[1].result);
    report("multicall-with-a-600-request-mmu-update",
           result == 0 && entries[0].result == kXenVersion417 && batch_result == 0 &&
               entries[2].result == kXenVersion417 && done == kLongBatch &&
               census.mapping == kEntries - taken_out && census.empty == taken_out,
           "rc {}, results {:#x} {} {:#x}, done {}, {} entries map the data frame, {} are empty",
           result_name(result).text, entries[0].result, result_name(batch_result).text, entries[2].result, done,
           census.mapping, census.empty);
    clear_entries(lab, 0, kEntries);
}

/// A batch whose request 280 maps the lab L1 itself writable (-EBUSY: a page table may
/// have no writable mapping, XEN-PV-ABI.md 3.2): *done counts the 280 before it.
void mmu_update_failing_after_the_cut(const Lab& lab) {
    const uint64_t read_only = page_entry(lab.data[0], kPresent | kAccessed);
    const uint32_t count = kFailingRequest + 20;
    for (unsigned index = 0; index < count; ++index) requests[index] = {lab.entry_address(index), read_only};
    requests[kFailingRequest].val = page_entry(lab.l1, kPresent | kWritable | kAccessedDirty);
    uint32_t done = 0;
    const int64_t result = mmu_update(requests, count, &done);
    const Census census = count_entries(lab, lab.data[0]);
    report("mmu-update-failing-after-the-cut", result == -16 && done == kFailingRequest && census.mapping == done,
           "rc {}, done {}, {} entries written", result_name(result).text, done, census.mapping);
    clear_entries(lab, 0, kFailingRequest);
}

/// 300 flushes in one mmuext_op call, then 300 operations whose 270th unpins a frame
/// that is not pinned (-EINVAL).
void long_mmuext_op(const Lab& lab) {
    for (uint32_t i = 0; i < kOperations; ++i) {
        operations[i] = {};
        const bool whole_tlb = i % 2 == 0;
        operations[i].cmd = static_cast<uint32_t>(whole_tlb ? abi::MmuextCommand::TlbFlushLocal
                                                            : abi::MmuextCommand::InvlpgLocal);
        operations[i].arg1.linear_addr = Lab::page_address(i % kEntries).raw();
    }
    uint32_t done = 0;
    int64_t result = mmuext_op(operations, kOperations, &done);
    report("mmuext-op-300-flushes-in-one-call", result == 0 && done == kOperations, "rc {}, done {}",
           result_name(result).text, done);
    operations[kFailingOperation].cmd = static_cast<uint32_t>(abi::MmuextCommand::UnpinTable);
    operations[kFailingOperation].arg1.mfn = lab.data[0].mfn.raw();
    done = 0;
    result = mmuext_op(operations, kOperations, &done);
    report("mmuext-op-failing-after-the-cut", result == -22 && done == kFailingOperation, "rc {}, done {}",
           result_name(result).text, done);
}

bool has_accessed_dirty(uint64_t entry) { return (entry & kAccessedDirty) == kAccessedDirty; }

/// Write the PRESERVE_AD entry with one request of `command`, and return what the L1 holds.
uint64_t write_ad_entry(const Lab& lab, uint64_t command, uint64_t value) {
    const abi::MmuUpdate request{lab.entry_address(kAdEntry) | command, value};
    step("mmu_update of the A/D entry", mmu_update(&request, 1, nullptr));
    return lab.entry(kAdEntry);
}

}  // namespace

void check_long_batches(const Lab& lab) {
    long_mmu_update(lab);
    mmu_update_failing_after_the_cut(lab);
    long_mmuext_op(lab);
    long_mmu_update_in_a_multicall(lab);
}

void check_preserve_ad(const Lab& lab) {
    const uint64_t normal = static_cast<uint64_t>(abi::MmuUpdateCommand::NormalPtUpdate);
    const Frame& first = lab.data[1];
    const Frame& second = lab.data[2];
    // The entry has A and D (a normal update stores them as written), the new value none.
    const uint64_t before = write_ad_entry(lab, normal, page_entry(first, kPresent | kAccessedDirty));
    uint64_t after = write_ad_entry(lab, kPreserveAd, page_entry(first, kPresent));
    report("preserve-ad-keeps-the-old-a-d-bits", has_accessed_dirty(after) && before == after, "flags {:#x} -> {:#x}",
           before & kFlagsMask, after & kFlagsMask);
    // The same, to another frame: the new frame, the old A and D.
    after = write_ad_entry(lab, kPreserveAd, page_entry(second, kPresent));
    const bool moved = (after & ~kFlagsMask) == page_entry(second, 0);
    report("preserve-ad-to-another-frame", has_accessed_dirty(after) && moved, "flags {:#x}, maps the new frame: {}",
           after & kFlagsMask, moved);
    // An OR, not a copy: A and D in the new value stay, even where the old entry had none.
    const uint64_t bare = write_ad_entry(lab, normal, page_entry(first, kPresent));
    after = write_ad_entry(lab, kPreserveAd, page_entry(first, kPresent | kAccessedDirty));
    report("preserve-ad-keeps-the-new-a-d-bits", (bare & kAccessedDirty) == 0 && has_accessed_dirty(after),
           "flags {:#x} -> {:#x}", bare & kFlagsMask, after & kFlagsMask);
    write_ad_entry(lab, normal, 0);
}

}  // namespace minios::features
