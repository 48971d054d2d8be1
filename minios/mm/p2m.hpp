// SPDX-License-Identifier: MIT
// The two tables that translate between minios' frames and the machine's: the p2m list
// start_info gives us (pfn -> mfn) and the read-only M2P Xen maps in every guest (mfn -> pfn).
#pragma once

#include <cstdint>

#include "abi/start_info.hpp"
#include "lib/error_or.hpp"
#include "mm/frame.hpp"

namespace minios::mm {

/// Remember where the p2m list is (start_info.mfn_list) and how long (nr_pages).
void init_p2m(const abi::StartInfo& info);

/// Pages the domain has: valid pfns are 0 .. nr_pages() - 1.
uint64_t nr_pages();

/// The machine frame behind one of our frames.
/// @retval Errno::Inval if pfn is not below nr_pages().
lib::ErrorOr<Mfn> mfn_of(Pfn pfn);

/// Which of our frames a machine frame is, from the M2P at its fixed address.
/// @retval Errno::Inval if the M2P does not name one of our frames (another domain's
/// frame, a hole, or Xen's own), or if the p2m does not lead back to mfn.
lib::ErrorOr<Pfn> pfn_of(Mfn mfn);

}  // namespace minios::mm
