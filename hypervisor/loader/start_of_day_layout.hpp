// SPDX-License-Identifier: MIT
// Where everything goes in a new PV domain's initial virtual region: Xen's domU order.
#pragma once

#include <cstdint>

#include "lib/error_or.hpp"

namespace hv::loader {

/// What the layout needs to know of the kernel: its virtual extent.
struct KernelExtent {
    uint64_t virt_base;   ///< VIRT_BASE: PFN 0 is mapped here
    uint64_t kernel_end;  ///< first byte after the last segment, page aligned
};

/// The initial region, in Xen's order (XEN-PV-ABI.md 2.2, libxenguest's domU builder):
/// kernel, p2m list, start_info, xenstore page, console page, page tables (L4 first),
/// boot stack, padding to a 4 MiB boundary with at least 512 KiB after the stack.
/// PFN n is always mapped at virt_base + n * 4096, for the whole region.
struct StartOfDayLayout {
    uint64_t virt_base;
    uint64_t nr_pages;          ///< pages of the whole domain (the p2m has this many entries)
    uint64_t p2m_va;            ///< the p2m list (start_info.mfn_list)
    uint64_t p2m_pages;
    uint64_t start_info_va;
    uint64_t xenstore_va;
    uint64_t console_va;
    uint64_t page_tables_va;    ///< the L4 (start_info.pt_base); L3s, L2s, L1s follow
    uint64_t l3_count, l2_count, l1_count;
    uint64_t stack_va;          ///< the boot stack page; RSP starts at its top
    uint64_t virt_end;          ///< end of the mapped region (exclusive)

    uint64_t page_table_frames() const { return 1 + l3_count + l2_count + l1_count; }
    uint64_t region_pages() const { return (virt_end - virt_base) >> 12; }
    uint64_t pfn_of(uint64_t va) const { return (va - virt_base) >> 12; }
};

/// Plan the region for a domain of `nr_pages` pages.
/// @retval Errno::NoMem (with a reason) when the region does not fit in nr_pages.
/// @retval Errno::Inval when the region would reach the hypervisor's reserved range.
lib::ErrorOr<StartOfDayLayout> plan_start_of_day(const KernelExtent& kernel, uint64_t nr_pages);

/// How many L3, L2 and L1 tables map [start, end) with 4 KiB pages.
struct TableCounts { uint64_t l3, l2, l1; };
TableCounts count_page_tables(uint64_t start, uint64_t end);

}  // namespace hv::loader
