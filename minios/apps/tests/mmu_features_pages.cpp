// SPDX-License-Identifier: MIT
// MMUEXT_CLEAR_PAGE and MMUEXT_COPY_PAGE: the hypervisor writes a whole frame for the guest.
//
// Xen (mm.c: do_mmuext_op) needs a general reference on the source, and a writable type
// on the destination, which a page table cannot take: any failure there is -EINVAL
// (the writable-type failure too, which mmu_update would report as -EBUSY). Copying
// *from* a page table is allowed: it only reads the frame.
#include "apps/tests/mmu_features.hpp"

namespace minios::features {
namespace {

constexpr unsigned kWords = mm::kPageSize / sizeof(uint64_t);
/// An entry of the lab L1 that the copy-from-a-table check fills, to recognise the copy.
constexpr unsigned kMarkedEntry = 7;

int64_t page_operation(abi::MmuextCommand command, const Frame& destination, const Frame* source = nullptr) {
    abi::MmuextOp operation{};
    operation.cmd = static_cast<uint32_t>(command);
    operation.arg1.mfn = destination.mfn.raw();
    if (source != nullptr) operation.arg2.src_mfn = source->mfn.raw();
    return mmuext_op(&operation, 1, nullptr);
}

void fill(const Frame& frame, uint64_t seed) {
    for (unsigned word = 0; word < kWords; ++word) frame.words()[word] = seed + word * 0x0101'0101;
}

bool holds(const Frame& frame, uint64_t seed) {
    for (unsigned word = 0; word < kWords; ++word)
        if (static_cast<volatile uint64_t*>(frame.words())[word] != seed + word * 0x0101'0101) return false;
    return true;
}

bool all_zero(const Frame& frame) {
    for (unsigned word = 0; word < kWords; ++word)
        if (static_cast<volatile uint64_t*>(frame.words())[word] != 0) return false;
    return true;
}

bool lab_l1_is_empty(const Lab& lab) {
    for (unsigned index = 0; index < kWords; ++index)
        if (lab.entry(index) != 0) return false;
    return true;
}

void copy_and_clear_data(const Lab& lab) {
    const Frame& source = lab.data[2];
    const Frame& destination = lab.data[3];
    fill(source, 0xC0B1'0000'0000'0000);
    fill(destination, 0xDE57'0000'0000'0000);
    int64_t result = page_operation(abi::MmuextCommand::CopyPage, destination, &source);
    const bool copied = holds(destination, 0xC0B1'0000'0000'0000);
    report("copy-page-between-data-frames", result == 0 && copied,
           "rc {}, the destination holds the source's words: {}", result_name(result).text, copied);
    result = page_operation(abi::MmuextCommand::ClearPage, source);
    const bool cleared = all_zero(source);
    report("clear-page-of-a-data-frame", result == 0 && cleared, "rc {}, every word reads 0: {}",
           result_name(result).text, cleared);
}

void refuse_page_table_destinations(const Lab& lab) {
    int64_t result = page_operation(abi::MmuextCommand::CopyPage, lab.l1, &lab.data[3]);
    report("copy-page-onto-a-page-table", result == -22 && lab_l1_is_empty(lab), "rc {}, the table is unchanged: {}",
           result_name(result).text, lab_l1_is_empty(lab));
    result = page_operation(abi::MmuextCommand::ClearPage, lab.l1);
    report("clear-page-of-a-page-table", result == -22, "rc {}", result_name(result).text);
}

void copy_from_a_page_table(const Lab& lab) {
    const abi::MmuUpdate mark{lab.entry_address(kMarkedEntry), page_entry(lab.data[0], kPresent | kAccessed)};
    step("mmu_update marking a lab entry", mmu_update(&mark, 1, nullptr));
    const uint64_t stored = lab.entry(kMarkedEntry);
    const int64_t result = page_operation(abi::MmuextCommand::CopyPage, lab.data[2], &lab.l1);
    const bool copied = lab.data[2].words()[kMarkedEntry] == stored && lab.data[2].words()[0] == 0;
    report("copy-page-from-a-page-table (allowed)", result == 0 && copied,
           "rc {}, the copy holds the table's entries: {}", result_name(result).text, copied);
    const abi::MmuUpdate unmark{lab.entry_address(kMarkedEntry), 0};
    step("mmu_update clearing the marked entry", mmu_update(&unmark, 1, nullptr));
}

}  // namespace

void check_page_operations(const Lab& lab) {
    copy_and_clear_data(lab);
    refuse_page_table_destinations(lab);
    copy_from_a_page_table(lab);
}

}  // namespace minios::features
