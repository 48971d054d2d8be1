// SPDX-License-Identifier: MIT
// Building the hypervisor's mappings in the idle page table (the boot L4, entry32.S).
#include "arch/x86_64/paging.hpp"

#include "abi/layout.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/tlb.hpp"
#include "lib/assert.hpp"
#include "mm/machine_memory.hpp"
#include "mm/pte.hpp"

extern "C" char __image_end[];
extern "C" const uint64_t boot_l4_phys;  // the boot L4 (entry32.S), the idle page table

namespace arch {
namespace {

constexpr unsigned kFirstHypervisorSlot = 256, kLastHypervisorSlot = 271;
// Intermediate entries: the leaf decides read/write. USER appears only on the path to a
// guest-readable leaf (the read-only M2P in slot 256), as in Xen's L4s, so every other
// hypervisor slot is out of the (ring-3) guest's reach at the first level already.
constexpr uint64_t kTableFlags = hv::pte::kPresent | hv::pte::kWritable;

uint64_t* new_table() {
    hv::Mfn mfn = hv::frame_allocator().allocate().value();
    // Before the frame table exists, boot records these frames in one sweep instead.
    if (hv::frame_table().contains(mfn)) hv::frame_table().assign(mfn, hv::kDomIdXen);
    auto* table = frame_to_virt<uint64_t>(mfn);
    for (unsigned i = 0; i < 512; ++i) table[i] = 0;
    return table;
}

uint64_t* next_table(uint64_t* table, unsigned index, uint64_t extra_flags) {
    if (!hv::pte::present(table[index])) table[index] = virt_to_phys(new_table()) | kTableFlags;
    table[index] |= extra_flags;
    if (table[index] & hv::pte::kPageSizeFlag) lib::panic("paging: a large page is in the way at index {}", index);
    return frame_to_virt<uint64_t>(hv::pte::mfn(table[index]));
}

uint64_t leaf_entry(uint64_t phys, PageAccess access) {
    uint64_t flags = hv::pte::kPresent | hv::pte::kNoExecute;
    if (access == PageAccess::ReadWrite) flags |= hv::pte::kWritable;
    if (access == PageAccess::GuestReadOnly) flags |= hv::pte::kUser;
    return hv::pte::make(hv::mfn_of(hv::Maddr(phys)), flags);
}

/// The L1 entry for va in the hypervisor's range, with the tables above it made as needed.
uint64_t& hypervisor_l1_entry(uint64_t va, PageAccess access, const char* caller) {
    unsigned slot = hv::pte::index(va, 4);
    if (slot < kFirstHypervisorSlot || slot > kLastHypervisorSlot)
        lib::panic("{}: {:#x} is outside the hypervisor's range", caller, va);
    const uint64_t user = access == PageAccess::GuestReadOnly ? hv::pte::kUser : 0;
    uint64_t* l3 = next_table(idle_l4(), slot, user);
    uint64_t* l2 = next_table(l3, hv::pte::index(va, 3), user);
    uint64_t* l1 = next_table(l2, hv::pte::index(va, 2), user);
    return l1[hv::pte::index(va, 1)];
}

}  // namespace

uint64_t virt_to_phys(const void* pointer) {
    auto va = reinterpret_cast<uint64_t>(pointer);
    // The direct map (slot 262 up) lies above the image (slot 261): test it first.
    if (va >= XENOLITH_DIRECTMAP_START) return va - XENOLITH_DIRECTMAP_START;
    if (va >= XENOLITH_VIRT_START && va <= reinterpret_cast<uint64_t>(__image_end)) return va - XENOLITH_VIRT_OFFSET;
    if (va < (uint64_t{XENOLITH_BOOT_MAP_GIB} << 30)) return va;  // the boot identity map
    lib::panic("virt_to_phys: {:#x} is neither in the image nor in the direct map", va);
}

uint64_t* idle_l4() { return static_cast<uint64_t*>(phys_to_virt(boot_l4_phys)); }
hv::Mfn idle_l4_mfn() { return hv::Mfn(boot_l4_phys >> hv::kPageShift); }

void paging_init() {
    uint64_t* l4 = idle_l4();
    for (unsigned slot = kFirstHypervisorSlot; slot <= kLastHypervisorSlot; ++slot) {
        if (!hv::pte::present(l4[slot])) l4[slot] = virt_to_phys(new_table()) | kTableFlags;
    }
}

void map_hypervisor_page(uint64_t va, uint64_t phys, PageAccess access) {
    uint64_t& entry = hypervisor_l1_entry(va, access, "map_hypervisor_page");
    if (hv::pte::present(entry)) lib::panic("map_hypervisor_page: {:#x} is already mapped", va);
    entry = leaf_entry(phys, access);
    invlpg(va);
}

void remap_hypervisor_page(uint64_t va, uint64_t phys, PageAccess access) {
    uint64_t& entry = hypervisor_l1_entry(va, access, "remap_hypervisor_page");
    if (!hv::pte::present(entry)) lib::panic("remap_hypervisor_page: {:#x} is not mapped yet", va);
    entry = leaf_entry(phys, access);
    invlpg(va);
}

void map_boot_user_page(uint64_t va, uint64_t phys) {
    const unsigned slot = hv::pte::index(va, 4);
    if (slot >= kFirstHypervisorSlot) lib::panic("map_boot_user_page: {:#x} is not in the lower half", va);
    if (hv::pte::present(idle_l4()[slot])) lib::panic("map_boot_user_page: L4 slot {} is in use", slot);
    // USER at every level: the CPU grants ring 3 only what every level allows (SDM Vol. 3A
    // 4.6.1). Writable (the stack) and executable (the code): no NX.
    uint64_t* l3 = next_table(idle_l4(), slot, hv::pte::kUser);
    uint64_t* l2 = next_table(l3, hv::pte::index(va, 3), hv::pte::kUser);
    uint64_t* l1 = next_table(l2, hv::pte::index(va, 2), hv::pte::kUser);
    l1[hv::pte::index(va, 1)] =
        hv::pte::make(hv::mfn_of(hv::Maddr(phys)), hv::pte::kPresent | hv::pte::kWritable | hv::pte::kUser);
    invlpg(va);
}

void unmap_boot_user_page(uint64_t va) {
    uint64_t& l4e = idle_l4()[hv::pte::index(va, 4)];
    uint64_t& l3e = frame_to_virt<uint64_t>(hv::pte::mfn(l4e))[hv::pte::index(va, 3)];
    uint64_t& l2e = frame_to_virt<uint64_t>(hv::pte::mfn(l3e))[hv::pte::index(va, 2)];
    const hv::Mfn tables[] = {hv::pte::mfn(l2e), hv::pte::mfn(l3e), hv::pte::mfn(l4e)};
    l4e = 0;
    flush_tlb_all();  // the leaf and the cached upper levels
    for (hv::Mfn table : tables) {
        if (hv::frame_table().contains(table)) hv::frame_table().release(table);
        hv::frame_allocator().free(table);
    }
}

void enable_protections() {
    constexpr uint32_t kCpuidSmepBit = 7;  // CPUID.(EAX=7,ECX=0):EBX[7]
    constexpr uint64_t kCr4Smep = uint64_t{1} << 20;
    constexpr uint64_t kCr4Pge = uint64_t{1} << 7;
    uint64_t cr4 = read_cr4() | kCr4Pge;
    if ((cpuid(7, 0).ebx >> kCpuidSmepBit) & 1) cr4 |= kCr4Smep;
    write_cr4(cr4);
}

}  // namespace arch
