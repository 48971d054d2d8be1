// SPDX-License-Identifier: MIT
// The MMU attack guest's aim: raw MMU hypercalls, and its own tables and frames found from start_info alone.
//
// minios is linked at virtual address 0, so the start-of-day region maps pfn n at
// n * 4096 (XEN-PV-ABI.md section 2): the page tables themselves are readable there,
// read-only, and the read-only M2P turns the MFN in an entry into that pfn.
#include <array>

#include "abi/layout.hpp"
#include "abi/memory.hpp"
#include "apps/tests/mmu_attacks.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"

namespace minios::attacks {
namespace {

const uint64_t* p2m = nullptr;
const auto* const m2p = reinterpret_cast<const uint64_t*>(abi::kMachToPhysVirtStart);

/// Pages the attacks remap, in this image's .bss: nothing else touches them.
alignas(4096) uint8_t window_pages[kWindows][4096];

/// 2 MiB: what one L1 table maps.
constexpr uint64_t kL1Span = uint64_t{1} << 21;
/// The L4 slot of the hypervisor's text (XEN_VIRT_START 0xFFFF82D0'40000000), in Xen and Xenolith alike.
constexpr uint64_t kHypervisorTextSlot = 261;
/// First L4 slot above the hypervisor's range (XEN-PV-ABI.md section 3.1).
constexpr uint64_t kFirstHighGuestSlot = abi::kLastReservedL4Slot + 1;
/// What the garbage frame holds in every entry: present, writable, but with PWT and PSE set.
constexpr uint64_t kGarbageEntry = 0xDEAD'BEEF'DEAD'BEEF;

/// The scratch frames, to go through them all.
std::array<uint64_t*, kScratchFrames> scratch_list(ScratchFrames& frames) {
    return {&frames.garbage, &frames.bad_l1, &frames.data_a, &frames.data_b, &frames.uncached};
}

uint64_t index_at(uint64_t va, unsigned level) { return (va >> (12 + 9 * (level - 1))) & 511; }

/// The L1 table that maps `va`, walking down from `l4`; 0 if a level is missing.
uint64_t l1_for(uint64_t l4, uint64_t va) {
    uint64_t table = l4;
    for (unsigned level = 4; level > 1; --level) {
        const uint64_t entry = table_of(table)[index_at(va, level)];
        if (!(entry & kPresent) || (entry & kPageSize)) return 0;
        table = frame_of(entry);
    }
    return table;
}

/// The highest empty entry of a table in [first, 511], or 0 if there is none.
uint64_t free_slot(uint64_t mfn, uint64_t first) {
    for (uint64_t slot = 511; slot >= first; --slot)
        if (table_of(mfn)[slot] == 0) return slot;
    return 0;
}

bool find_windows(Target& target) {
    for (int i = 0; i < kWindows; ++i) {
        Window& window = target.windows[i];
        window.va = reinterpret_cast<uint64_t>(window_pages[i]);
        window.l1_mfn = l1_for(target.l4, window.va);
        if (window.l1_mfn == 0) return false;
        window.index = index_at(window.va, 1);
        window.original = window.current();
        window.own_mfn = frame_of(window.original);
        printk("setup: window {} at {:#x}: l1 {:#x} entry {} = {:#x}\n", i, window.va, window.l1_mfn, window.index,
               window.original);
    }
    return true;
}

/// The first MFN of the M2P, from XENMEM_machphys_mfn_list; 0 if the hypervisor does not say.
uint64_t find_m2p_frame() {
    uint64_t first = 0;
    abi::MachphysMfnList list{};
    list.max_extents = 1;
    list.extent_start.p = reinterpret_cast<uint64_t>(&first);
    const auto command = static_cast<uint64_t>(abi::MemoryOp::MachphysMfnList);
    const int64_t result = raw_hypercall(abi::Hypercall::MemoryOp, command, reinterpret_cast<uint64_t>(&list));
    if (result != 0 || list.nr_extents == 0) {
        printk("setup: memory_op(machphys_mfn_list) -> {}, no M2P frame known\n", result);
        return 0;
    }
    return first;
}

/// The last pages of the domain, checked to lie beyond the start-of-day mapping (which
/// is contiguous from 0 and smaller than 1 GiB: one L3 entry, leading L2 entries).
bool find_scratch(const abi::StartInfo& info, Target& target) {
    uint64_t mapped_l2_entries = 0;
    while (mapped_l2_entries < 512 && (table_of(target.l2)[mapped_l2_entries] & kPresent)) ++mapped_l2_entries;
    const uint64_t first_unmapped_pfn = mapped_l2_entries * kL1Span / abi::kPageSize;
    const uint64_t first_scratch_pfn = info.nr_pages - kScratchFrames;
    printk("setup: start-of-day mapping ends at pfn {}, scratch frames are pfns {}-{}\n", first_unmapped_pfn,
           first_scratch_pfn, info.nr_pages - 1);
    if ((table_of(target.l3)[1] & kPresent) || first_scratch_pfn < first_unmapped_pfn) return false;
    uint64_t pfn = first_scratch_pfn;
    for (uint64_t* frame : scratch_list(target.scratch)) *frame = mfn_of_pfn(pfn++);
    return true;
}

}  // namespace

int64_t mmu_update(const abi::MmuUpdate* requests, uint32_t count, uint32_t* done, abi::DomainId domain) {
    return raw_hypercall(abi::Hypercall::MmuUpdate, reinterpret_cast<uint64_t>(requests), count,
                         reinterpret_cast<uint64_t>(done), domain);
}

int64_t mmu_update_one(uint64_t ptr, uint64_t value, abi::DomainId domain) {
    const abi::MmuUpdate request{ptr, value};
    return mmu_update(&request, 1, nullptr, domain);
}

int64_t mmuext(abi::MmuextCommand command, uint64_t argument1, uint64_t argument2) {
    abi::MmuextOp op{};
    op.cmd = static_cast<uint32_t>(command);
    op.arg1.mfn = argument1;
    op.arg2.src_mfn = argument2;  // the whole second word: nr_ents, vcpumask or src_mfn
    return raw_hypercall(abi::Hypercall::MmuextOp, reinterpret_cast<uint64_t>(&op), 1, 0, abi::kDomidSelf);
}

int64_t update_va_mapping(uint64_t va, uint64_t entry, uint64_t flags) {
    return raw_hypercall(abi::Hypercall::UpdateVaMapping, va, entry, flags);
}

int64_t update_va_mapping_otherdomain(uint64_t va, uint64_t entry, uint64_t flags, abi::DomainId domain) {
    return raw_hypercall(abi::Hypercall::UpdateVaMappingOtherdomain, va, entry, flags, domain);
}

void flush_tlb() { expect_step("mmuext_op(tlb_flush_local)", mmuext(abi::MmuextCommand::TlbFlushLocal, 0)); }

uint64_t mfn_of_pfn(uint64_t pfn) { return p2m[pfn]; }

const uint64_t* table_of(uint64_t mfn) { return reinterpret_cast<const uint64_t*>(m2p[mfn] * abi::kPageSize); }

bool find_target(const abi::StartInfo& info, Target& target) {
    p2m = reinterpret_cast<const uint64_t*>(info.mfn_list);
    target.has_io_capabilities = (info.flags & abi::kSifInitdomain) != 0;
    target.l4 = mfn_of_pfn(info.pt_base / abi::kPageSize);
    target.l1 = l1_for(target.l4, 0);
    if (target.l1 == 0) return false;
    target.l3 = frame_of(table_of(target.l4)[0]);
    target.l2 = frame_of(table_of(target.l3)[0]);
    target.free_l4_slot = free_slot(target.l4, kFirstHighGuestSlot);
    target.free_l3_slot = free_slot(target.l3, 1);
    target.free_l2_slot = free_slot(target.l2, 1);
    printk("setup: tables mapping va 0: l4 {:#x} l3 {:#x} l2 {:#x} l1 {:#x}; empty slots l4[{}] l3[{}] l2[{}]\n",
           target.l4, target.l3, target.l2, target.l1, target.free_l4_slot, target.free_l3_slot, target.free_l2_slot);
    if (target.free_l4_slot == 0 || target.free_l3_slot == 0 || target.free_l2_slot == 0) return false;
    target.hypervisor_mfn = frame_of(table_of(target.l4)[kHypervisorTextSlot]);
    target.m2p_mfn = find_m2p_frame();
    target.shared_info_mfn = info.shared_info >> 12;
    printk("setup: hypervisor frame {:#x} (behind l4 slot {}), m2p frame {:#x}, I/O capabilities {}\n",
           target.hypervisor_mfn, kHypervisorTextSlot, target.m2p_mfn, target.has_io_capabilities ? "yes" : "no");
    return target.hypervisor_mfn != 0 && find_windows(target) && find_scratch(info, target);
}

void prepare_scratch(Target& target) {
    bool ready = true;
    for (const uint64_t* mfn : scratch_list(target.scratch))
        ready &= expect_step("mmuext_op(clear_page) of a scratch frame", mmuext(abi::MmuextCommand::ClearPage, *mfn));
    // Writes through mmu_update to a frame that is no page table are plain stores
    // (XEN-PV-ABI.md section 3.6): the way to fill a frame the guest has not mapped.
    static abi::MmuUpdate stores[512];
    for (uint64_t i = 0; i < 512; ++i) stores[i] = {entry_address(target.scratch.garbage, i), kGarbageEntry};
    ready &= expect_step("mmu_update filling the garbage frame", mmu_update(stores, 512, nullptr));
    // An L1 whose first entry maps the L4 in use writable: must never validate.
    ready &= expect_step("mmu_update writing the bad L1",
                         mmu_update_one(entry_address(target.scratch.bad_l1, 0),
                                        entry_for(target.l4, kPresent | kWritable | kAccessed)));
    target.scratch_ready = ready;
}

}  // namespace minios::attacks
