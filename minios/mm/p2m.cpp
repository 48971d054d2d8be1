// SPDX-License-Identifier: MIT
// p2m and m2p lookups. The p2m list is ours (a plain array in the start-of-day region,
// 8 bytes per pfn); the M2P is Xen's, read-only, at abi::kMachToPhysVirtStart, with one
// 8-byte entry per machine frame of the whole machine (XEN-PV-ABI.md 2.4 and 3.1).
#include "mm/p2m.hpp"

#include "abi/layout.hpp"

namespace minios::mm {
namespace {

const uint64_t* p2m_list = nullptr;
uint64_t page_count = 0;

}  // namespace

void init_p2m(const abi::StartInfo& info) {
    p2m_list = reinterpret_cast<const uint64_t*>(info.mfn_list);
    page_count = info.nr_pages;
}

uint64_t nr_pages() { return page_count; }

lib::ErrorOr<Mfn> mfn_of(Pfn pfn) {
    // BEGIN LAB memory: look a pfn up in the p2m list
    if (pfn.raw() >= page_count) return lib::error(abi::Errno::Inval, "pfn beyond nr_pages");
    return Mfn(p2m_list[pfn.raw()]);
    // END LAB
}

lib::ErrorOr<Pfn> pfn_of(Mfn mfn) {
    // BEGIN LAB memory: look an mfn up in the read-only M2P, and check it against the p2m
    // Only chunks of the M2P that cover RAM are mapped; an MFN beyond the window would
    // fault, so refuse it first (MACH2PHYS_NR_ENTRIES).
    if (mfn.raw() >= abi::kMachToPhysNrEntries) return lib::error(abi::Errno::Inval, "mfn beyond the M2P");
    const auto* m2p = reinterpret_cast<const uint64_t*>(abi::kMachToPhysVirtStart);
    const Pfn pfn(m2p[mfn.raw()]);
    // A frame of another owner has an M2P entry too (its owner's pfn, or ~0): only the
    // round trip through our own p2m proves the frame is ours.
    if (pfn.raw() >= page_count || p2m_list[pfn.raw()] != mfn.raw())
        return lib::error(abi::Errno::Inval, "mfn is not one of this domain's frames");
    return pfn;
    // END LAB
}

}  // namespace minios::mm
