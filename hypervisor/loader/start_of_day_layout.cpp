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
    StartOfDayLayout layout{};
    layout.virt_base = kernel.virt_base;
    layout.nr_pages = nr_pages;
    layout.p2m_va = kernel.kernel_end;
    layout.p2m_pages = round_up(nr_pages * 8, kPage) / kPage;
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
        if (end < layout.virt_base || end > abi::kHypervisorVirtStart)
            return lib::error(abi::Errno::Inval, "the start-of-day region would overlap the hypervisor's range");
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
