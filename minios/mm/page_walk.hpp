// SPDX-License-Identifier: MIT
// Reading the page tables minios runs on: a walk from the loaded L4 down to any level.
#pragma once

#include <cstdint>

#include "lib/error_or.hpp"
#include "mm/frame.hpp"

namespace minios::mm {

/// Remember which L4 is loaded: start_info.pt_base's frame at boot, then whatever
/// switch_base loaded (Xen gives a PV kernel no other way to learn it cheaply).
void set_current_l4(Pfn l4);
Pfn current_l4();

/// The entries of a page-table frame, read through the frame's start-of-day address,
/// where Xen lets us map it read-only (XEN-PV-ABI.md 3.2).
/// @pre pfn is inside the start-of-day mapping (every table minios uses is)
const uint64_t* table_entries(Pfn table);

/// The level-`level` entry the loaded tables use for va (level 1: the L1 entry that
/// maps va's page; it may be not present).
/// @retval Errno::NoEnt if an entry above that level is not present.
/// @retval Errno::Inval if a table on the way is not one of this domain's frames.
lib::ErrorOr<uint64_t> read_current_entry(Vaddr va, unsigned level);

}  // namespace minios::mm
