// SPDX-License-Identifier: MIT
// minios' memory at boot: what start_info says is in use, what is free, what is mapped.
#pragma once

#include "abi/start_info.hpp"
#include "lib/error_or.hpp"
#include "mm/frame.hpp"

namespace minios::mm {

/// The start-of-day region as minios found it.
struct StartOfDay {
    Pfn first_free;  ///< first frame after the boot stack: this frame and all above are free
    Pfn mapped_end;  ///< first frame the start-of-day tables do not map
};

/// Set up the p2m view, the page walk (from start_info.pt_base) and the frame allocator
/// (every frame from first_free up to nr_pages).
/// @retval Errno::Inval if start_info's page tables are not where it says.
lib::ErrorOr<StartOfDay> init_memory(const abi::StartInfo& info);

}  // namespace minios::mm
