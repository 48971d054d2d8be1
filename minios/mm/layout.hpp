// SPDX-License-Identifier: MIT
// minios' virtual address space, as the page tables it builds lay it out.
#pragma once

#include <cstdint>

#include "mm/frame.hpp"

namespace minios::mm {

// 0x0000'0000'0000'0000  the start-of-day region, as Xen mapped it (pfn n at n * 4 KiB):
//                        kernel, p2m list, start_info, page tables, boot stack, padding
// 0x0000'0000'3FE0'0000  the fixmap: one L1 of single-page mappings, shared_info first
// 0xFFFF'8000'0000'0000  Xen's (L4 slots 256-271), the read-only M2P at its start
//                        (XEN-PV-ABI.md 3.1)

/// One L1's worth (2 MiB) of pages that minios maps one at a time, at the top of the
/// first GiB so that it shares the start-of-day region's L3 and L2.
inline constexpr Vaddr kFixmapStart{0x0000'0000'3FE0'0000};
inline constexpr uint64_t kFixmapBytes = uint64_t{2} << 20;
/// Where minios maps shared_info (start_info gives only its machine address).
inline constexpr Vaddr kSharedInfoAddress = kFixmapStart;

}  // namespace minios::mm
