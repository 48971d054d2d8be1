// SPDX-License-Identifier: MIT
// A free frame of the start-of-day region for a test to turn into something else (a
// descriptor page, a scratch page): where it is, and how to map it writable or read-only.
#pragma once

#include <cstdint>

#include "lib/error_or.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/mm.hpp"
#include "mm/mmu.hpp"
#include "mm/p2m.hpp"
#include "mm/page_table.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"

namespace minios::tests {

struct Frame {
    mm::Pfn pfn;
    mm::Mfn mfn;
    mm::Vaddr va() const { return mm::start_of_day_address(pfn); }
    /// The machine address of its 8-byte word `index` (update_descriptor, mmu_update).
    uint64_t maddr(unsigned index) const { return mm::maddr_of(mfn).raw() + index * sizeof(uint64_t); }
    uint64_t read(unsigned index) const { return mm::pointer_to<volatile uint64_t>(va())[index]; }
    /// This frame's data segment limit: its MFN's low 20 bits (a byte-granular limit).
    uint32_t limit() const { return static_cast<uint32_t>(mfn.raw() & 0xfffff); }
};

/// A free frame the start-of-day tables map writable.
inline lib::ErrorOr<Frame> take_frame() {
    const mm::Pfn pfn = TRY(mm::allocate_frame());
    const uint64_t mapping = TRY(mm::read_current_entry(mm::start_of_day_address(pfn), mm::pte::kL1));
    if (!mm::pte::present(mapping) || !mm::pte::writable(mapping))
        return lib::error(abi::Errno::NoMem, "no free frame left in the start-of-day mapping");
    return Frame{pfn, TRY(mm::mfn_of(pfn))};
}

/// Map it writable, or read-only (as a descriptor page must be before set_gdt).
inline lib::ErrorOr<void> map(const Frame& frame, bool writable) {
    return mm::set_mapping(frame.va(), mm::kernel_page_entry(frame.mfn, writable));
}

}  // namespace minios::tests
