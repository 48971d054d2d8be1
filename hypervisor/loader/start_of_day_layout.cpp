// SPDX-License-Identifier: MIT
// Planning the start-of-day region (see start_of_day_layout.hpp).
#include "loader/start_of_day_layout.hpp"

#include "abi/layout.hpp"

namespace hv::loader {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kPadBoundary = 4 << 20;      // the region ends on a 4 MiB boundary
constexpr uint64_t kMinimumPadding = 512 << 10; // with at least 512 KiB after the stack

constexpr uint64_t round_up(uint64_t value, uint64_t to) { return (value + to - 1) / to * to; }

// Distinct naturally aligned blocks of `size` bytes that [start, end) touches.
uint64_t blocks_touched(uint64_t start, uint64_t end, unsigned shift) {
    return ((end - 1) >> shift) - (start >> shift) + 1;
}

// Pages in one canonical half of the address space (2^47 bytes): no region can be larger.
constexpr uint64_t kHalfSpacePages = (uint64_t{1} << 47) / kPage;
constexpr uint64_t kP2mEntriesPerPage = kPage / 8;  // one 8-byte MFN per PFN

// A guest's region must lie in one canonical half (Intel SDM Vol. 1, 3.3.7.1) and outside
// the hypervisor's L4 slots 256-271 (XEN-PV-ABI.md 3.1): below 2^47, as Mini-OS and XTF
// are, or above the reserved range, as Linux is (VIRT_BASE 0xffffffff80000000, slot 511).
// An end at or below the start means the region wrapped past 2^64.
bool lies_in_guest_space(uint64_t start, uint64_t end) {
    constexpr uint64_t kLowerHalfEnd = uint64_t{1} << 47;
    if (end <= start) return false;
    if (end <= kLowerHalfEnd) return true;
    return start >= abi::kHypervisorVirtEnd;
}

uint64_t padded_end(uint64_t stack_end) {
    uint64_t end = round_up(stack_end, kPadBoundary);
    if (end - stack_end < kMinimumPadding) end += kPadBoundary;
    return end;
}

}  // namespace

TableCounts count_page_tables(uint64_t start, uint64_t end) {
    return {blocks_touched(start, end, 39), blocks_touched(start, end, 30), blocks_touched(start, end, 21)};
}

lib::ErrorOr<StartOfDayLayout> plan_start_of_day(const KernelExtent& kernel, uint64_t nr_pages) {
    constexpr auto kOutsideGuestSpace =
        "the start-of-day region would leave canonical guest space or overlap the hypervisor's range";
    // Checked first, so that the sums below cannot wrap: the kernel lies in one half and
    // the rest of the region adds less than 2^48 bytes to it.
    const uint64_t p2m_pages = nr_pages / kP2mEntriesPerPage + (nr_pages % kP2mEntriesPerPage != 0);
    if (!lies_in_guest_space(kernel.virt_base, kernel.kernel_end) || p2m_pages > kHalfSpacePages)
        return lib::error(abi::Errno::Inval, kOutsideGuestSpace);
    StartOfDayLayout layout{};
    layout.virt_base = kernel.virt_base;
    layout.nr_pages = nr_pages;
    layout.p2m_va = kernel.kernel_end;
    layout.p2m_pages = p2m_pages;
    layout.start_info_va = layout.p2m_va + layout.p2m_pages * kPage;
    layout.xenstore_va = layout.start_info_va + kPage;
    layout.console_va = layout.xenstore_va + kPage;
    layout.page_tables_va = layout.console_va + kPage;

    // The tables map the region, and they are part of it: grow the count until it
    // covers the region that its own frames extend.
    TableCounts counts{1, 1, 1};
    for (;;) {
        uint64_t frames = 1 + counts.l3 + counts.l2 + counts.l1;
        uint64_t stack_va = layout.page_tables_va + frames * kPage;
        uint64_t end = padded_end(stack_va + kPage);
        if (!lies_in_guest_space(layout.virt_base, end)) return lib::error(abi::Errno::Inval, kOutsideGuestSpace);
        TableCounts needed = count_page_tables(layout.virt_base, end);
        // The region only grows with the count, so `needed` never shrinks: stop when it
        // equals what we assumed.
        if (needed.l3 == counts.l3 && needed.l2 == counts.l2 && needed.l1 == counts.l1) {
            layout.l3_count = counts.l3;
            layout.l2_count = counts.l2;
            layout.l1_count = counts.l1;
            layout.stack_va = stack_va;
            layout.virt_end = end;
            break;
        }
        counts = needed;
    }
    if (layout.region_pages() > nr_pages)
        return lib::error(abi::Errno::NoMem, "the kernel and its start-of-day region do not fit in mem=");
    return layout;
}

}  // namespace hv::loader
