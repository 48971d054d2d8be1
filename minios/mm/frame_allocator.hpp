// SPDX-License-Identifier: MIT
// The frame allocator: which of the domain's pseudo-physical frames are free.
#pragma once

#include <cstdint>

#include "lib/error_or.hpp"
#include "mm/frame.hpp"

namespace minios::mm {

/// Frames the allocator can track: 1 GiB of guest memory (a 32 KiB bitmap). A bigger
/// domain's frames above this stay unused.
inline constexpr uint64_t kMaxTrackedFrames = uint64_t{1} << 18;

/// Start with the frames first .. end - 1 free and every other frame in use.
/// @pre first <= end
void init_frame_allocator(Pfn first, Pfn end);

/// Take the free frame with the lowest pfn. Lowest first matters at boot: the first
/// frames after the start-of-day region are still mapped (the builder pads that region
/// by at least 512 KiB, XEN-PV-ABI.md 2.2), so minios can write to them.
/// @retval Errno::NoMem when no frame is free.
lib::ErrorOr<Pfn> allocate_frame();

/// Give a frame back.
/// @retval Errno::Inval if pfn was never given to the allocator, or is already free.
lib::ErrorOr<void> free_frame(Pfn pfn);

/// How many frames are free now.
uint64_t free_frame_count();

}  // namespace minios::mm
