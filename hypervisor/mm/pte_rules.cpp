// SPDX-License-Identifier: MIT
// PTE rules of Xen's x86-64 PV MMU (xen/arch/x86/mm.c: *_DISALLOW_MASK, get_page_from_l*e;
// xen/arch/x86/pv/mm.h: adjust_guest_l*e), summarised in XEN-PV-ABI.md 3.3.
#include "mm/pte_rules.hpp"

#include "mm/pte.hpp"

namespace hv::pte_rules {
namespace {

// Allowed at every level: P, RW, US, A, D, the available bits 9-11 and 52-62, NX.
constexpr uint64_t kBaseAllowed = pte::kPresent | pte::kWritable | pte::kUser | pte::kAccessed | pte::kDirty |
                                  (uint64_t{7} << 9) | (uint64_t{0x7ff} << 52) | pte::kNoExecute;
constexpr uint64_t kFlagBits = 0xfff | (uint64_t{0xfff} << 52);  // Xen's view of "flags"
constexpr uint64_t kCacheBits = pte::WriteThrough::kMask | pte::CacheDisable::kMask | pte::kPageSizeFlag;  // PWT PCD PAT

}  // namespace

lib::ErrorOr<void> check_flags(uint64_t entry, unsigned level) {
    const uint64_t flags = entry & kFlagBits;
    if (level == 1) {
        // Bit 62 (_PAGE_GNTTAB) is refused only by a debug build of Xen; the release build
        // (Debian's, our oracle) defines it as 0, so it is just an available bit there.
        // A plain domU has no I/O-memory rights, so no cache attributes (XEN-PV-ABI.md 3.3).
        if (flags & kCacheBits) return lib::error(abi::Errno::Inval, "PWT/PCD/PAT need I/O-memory rights");
        if (flags & ~(kBaseAllowed | pte::kGlobal)) return lib::error(abi::Errno::Inval, "disallowed L1 flags");
        return {};
    }
    if (flags & pte::kPageSizeFlag) return lib::error(abi::Errno::Inval, "PV guests have no superpages (PSE)");
    if (flags & pte::kGlobal) return lib::error(abi::Errno::Inval, "G is only allowed in an L1");
    if (flags & ~kBaseAllowed) return lib::error(abi::Errno::Inval, "disallowed flags above L1 (PWT/PCD)");
    return {};
}

uint64_t adjust(uint64_t entry, unsigned level) {
    if (!pte::present(entry)) return entry;
    switch (level) {
    case 1:
        if (!(entry & pte::kUser)) return entry | pte::kUser | kGuestKernel;
        if (!(entry & kGuestKernel)) return entry | pte::kGlobal;
        return entry;
    case 2:
    case 3: return entry | pte::kUser;
    default: return entry | pte::kUser | pte::kAccessed;
    }
}

}  // namespace hv::pte_rules
