// SPDX-License-Identifier: MIT
// init_memory: from start_info to a p2m view, a page walk and a frame allocator.
//
// The builder lays the start-of-day region out in a fixed order (XEN-PV-ABI.md 2.2):
// kernel, modules, p2m list, start_info, page tables (nr_pt_frames of them from pt_base),
// one page of boot stack, then padding up to a 4 MiB boundary, all mapped. Everything up
// to the boot stack is in use; minios left the boot stack for its own in boot/entry.S,
// but it is kept, to stay simple. Every frame after it, up to nr_pages, is free, and the
// first of them (the padding) are still mapped: the allocator hands those out first.
#include "mm/mm.hpp"

#include "mm/frame_allocator.hpp"
#include "mm/p2m.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"

namespace minios::mm {
namespace {

/// The first frame from `pfn` up that the loaded tables do not map.
Pfn first_unmapped(Pfn pfn) {
    while (pfn.raw() < nr_pages()) {
        auto entry = read_current_entry(start_of_day_address(pfn), pte::kL1);
        if (entry.is_error() || !pte::present(entry.value())) break;
        pfn = pfn + 1;
    }
    return pfn;
}

}  // namespace

lib::ErrorOr<StartOfDay> init_memory(const abi::StartInfo& info) {
    init_p2m(info);
    const Pfn l4 = start_of_day_pfn(Vaddr(info.pt_base));
    TRY(mfn_of(l4));  // pt_base must be one of our frames, or no walk can be trusted
    set_current_l4(l4);
    const Pfn first_free = l4 + (info.nr_pt_frames + 1);  // the tables, then the boot stack
    if (first_free.raw() > info.nr_pages) return lib::error(abi::Errno::Inval, "nr_pt_frames beyond nr_pages");
    init_frame_allocator(first_free, Pfn(info.nr_pages));
    return StartOfDay{first_free, first_unmapped(first_free)};
}

}  // namespace minios::mm
