// SPDX-License-Identifier: MIT
// The machine's memory, once: the frame allocator, the frame table and the M2P table,
// set up from the boot memory map.
#pragma once

#include <cstdint>

#include "boot/multiboot.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/frame_table.hpp"
#include "mm/audit.hpp"
#include "mm/mmu.hpp"

namespace hv {

/// Where the frame table and the M2P live: Xen's FRAMETABLE_VIRT_START and
/// RDWR_MPT_VIRT_START (the read-only M2P guests see is abi::kMachToPhysVirtStart).
inline constexpr uint64_t kFrameTableVirtStart = 0xffff82e000000000;
inline constexpr uint64_t kWritableM2pVirtStart = 0xffff828000000000;
/// An M2P entry for a frame no guest owns (Xen's INVALID_M2P_ENTRY).
inline constexpr uint64_t kInvalidM2pEntry = ~uint64_t{0};

/// Take RAM from the memory map (below the 4 GiB the boot page tables map), keep out the
/// first MiB, the hypervisor image and the boot modules, then build the frame table and
/// the M2P. Prints the memory map.
void machine_memory_init(const boot::BootInfo& info);

FrameAllocator& frame_allocator();
FrameTable& frame_table();
/// One more than the highest machine frame of RAM (Xen's max_page).
uint64_t machine_frame_count();

/// Record that machine frame `mfn` holds guest frame `gfn` (the M2P guests read).
void set_m2p(Mfn mfn, uint64_t gfn);

/// A fresh, zeroed frame for `owner` (its M2P entry invalid until the guest sets it).
lib::ErrorOr<Mfn> allocate_domain_frame(DomId owner);
/// Give a domain's frame back to the allocator. Only a frame nothing else refers to
/// (no mapping, no type) can go. @retval Busy the frame is still in use.
lib::ErrorOr<void> release_domain_frame(DomId owner, Mfn mfn);
/// The MFN of each 2 MiB chunk of the M2P (XENMEM_machphys_mfn_list).
uint64_t m2p_chunk_mfn(uint64_t chunk);
uint64_t m2p_chunk_count();

/// Run the MMU audit over every domain frame (see mm/audit.hpp); problems are printed.
/// @param descriptor_frames the frames vCPUs hold as their GDT.
AuditResult audit_machine_memory(const HeldReferences& held);

/// The PV MMU over all of machine memory (through the direct map).
Mmu& mmu();
/// The same seam the MMU uses, for the other users of machine frames (the builder).
FrameMemory& direct_map_memory();

}  // namespace hv
