// SPDX-License-Identifier: MIT
// The page walk, done by hand as the CPU does it: entry -> machine frame -> (M2P) our
// frame -> its start-of-day address -> the next table. No linear (recursive) mapping is
// needed: every table frame is also mapped read-only at its pfn's address.
#include "mm/page_walk.hpp"

#include "mm/p2m.hpp"
#include "mm/pte.hpp"

namespace minios::mm {
namespace {

Pfn loaded_l4;

}  // namespace

void set_current_l4(Pfn l4) { loaded_l4 = l4; }
Pfn current_l4() { return loaded_l4; }

const uint64_t* table_entries(Pfn table) { return pointer_to<const uint64_t>(start_of_day_address(table)); }

lib::ErrorOr<uint64_t> read_current_entry(Vaddr va, unsigned level) {
    ASSERT(level >= pte::kL1 && level <= pte::kL4);
    Pfn table = loaded_l4;
    for (unsigned walk_level = pte::kL4; walk_level > level; --walk_level) {
        const uint64_t entry = table_entries(table)[pte::index(va, walk_level)];
        if (!pte::present(entry)) return lib::error(abi::Errno::NoEnt, "no page table on the way to this address");
        table = TRY(pfn_of(pte::frame(entry)));
    }
    return table_entries(table)[pte::index(va, level)];
}

}  // namespace minios::mm
