// SPDX-License-Identifier: MIT
// The hypervisor's own address space: the direct map, and mapping pages in the reserved
// range (L4 slots 256-271) that every guest's L4 shares.
#pragma once

#include <cstdint>

#include "boot/layout.h"
#include "mm/frame.hpp"

namespace arch {

enum class PageAccess { ReadOnly, ReadWrite, GuestReadOnly };

/// The direct-map address of a machine address (Xen's maddr_to_virt).
inline void* phys_to_virt(uint64_t phys) {
    return reinterpret_cast<void*>(XENOLITH_DIRECTMAP_START + phys);
}
template <typename T>
T* frame_to_virt(hv::Mfn mfn) { return static_cast<T*>(phys_to_virt(hv::maddr_of(mfn).raw())); }

/// The machine address of a hypervisor object (in the image or the direct map).
uint64_t virt_to_phys(const void* pointer);

/// The idle page table's L4, whose slots 256-271 every guest L4 copies.
uint64_t* idle_l4();
hv::Mfn idle_l4_mfn();

/// Give every hypervisor L4 slot (256-271) its L3 now, so that mappings added later
/// (the frame table, the M2P, the GDT) appear in every guest's L4 too.
void paging_init();

/// Map one 4 KiB page of the hypervisor's range; intermediate tables come from the
/// frame allocator. Panics if va is outside L4 slots 256-271 or already mapped.
void map_hypervisor_page(uint64_t va, uint64_t phys, PageAccess access);

/// Point an already mapped page of the hypervisor's range at another frame (the GDT's
/// pages, which follow the running vCPU), and drop its old translation from the TLB.
/// Panics if va is not mapped yet.
void remap_hypervisor_page(uint64_t va, uint64_t phys, PageAccess access);

/// Map `phys` at the lower-half address `va` of the idle page table as a ring-3 page
/// (user, writable, executable), with page tables of its own: the SMAP probe's page.
/// Panics if va's L4 slot is in use (the boot tables use slot 0 only).
void map_boot_user_page(uint64_t va, uint64_t phys);

/// Take map_boot_user_page's mapping away again: clear its L4 entry, flush the TLB, free
/// the three page tables. The page itself stays the caller's.
void unmap_boot_user_page(uint64_t va);

/// Turn on global pages (CR4.PGE) and SMEP, if the CPU has it (NX was enabled with long
/// mode, in entry32.S). SMAP has its own step (smap.hpp).
void enable_protections();

}  // namespace arch
