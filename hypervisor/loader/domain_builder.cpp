// SPDX-License-Identifier: MIT
// Building a PV domain's start of day, exactly as Xen's domU builder lays it out.
//
// Theory of operation. The domain's pages are allocated first (all or nothing), then
// written in the region's order (start_of_day_layout.hpp): kernel, p2m list, start_info,
// xenstore and console pages, page tables, boot stack. The page tables map the whole
// region, PFN n at virt_base + n * 4096, writable except the page-table frames
// themselves, which must never be writable (the rule the PV MMU enforces). The entries
// carry the bits Xen's validation would leave in them (USER everywhere, because a PV
// kernel runs in ring 3; bit 52 "guest kernel" in L1s), and the frame table records
// the types and counts that validation would have produced, with the L4 pinned and
// loaded as CR3, so that the MMU's audit finds the initial tables consistent.
#include "loader/domain_builder.hpp"

#include "abi/layout.hpp"
#include "abi/shared_info.hpp"
#include "abi/start_info.hpp"
#include "lib/assert.hpp"
#include "lib/string.hpp"
#include "mm/pte.hpp"

namespace hv::loader {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kGuestKernelBit = uint64_t{1} << 52;  // Xen's _PAGE_GUEST_KERNEL
constexpr uint64_t kTableEntryFlags = pte::kPresent | pte::kWritable | pte::kAccessed | pte::kDirty | pte::kUser;
constexpr uint64_t kLeafFlags = pte::kPresent | pte::kAccessed | pte::kUser | kGuestKernelBit;

/// One build in progress: the plan, the frames, and typed views of the region.
struct Build {
    const StartOfDayLayout& layout;
    Mfn first;
    std::span<uint8_t> memory;  // all nr_pages frames, PFN order
    FrameTable& frames;

    Mfn mfn_of_pfn(uint64_t pfn) const { return first + pfn; }
    Mfn mfn_of_va(uint64_t va) const { return mfn_of_pfn(layout.pfn_of(va)); }
    uint8_t* at_va(uint64_t va) const { return memory.data() + (va - layout.virt_base); }
    uint64_t* table_at_pfn(uint64_t pfn) const { return reinterpret_cast<uint64_t*>(memory.data() + pfn * kPage); }
};

bool is_page_table_pfn(const StartOfDayLayout& layout, uint64_t pfn) {
    uint64_t first = layout.pfn_of(layout.page_tables_va);
    return pfn >= first && pfn < first + layout.page_table_frames();
}

void write_p2m(const Build& build) {
    auto* p2m = reinterpret_cast<uint64_t*>(build.at_va(build.layout.p2m_va));
    for (uint64_t pfn = 0; pfn < build.layout.nr_pages; ++pfn) p2m[pfn] = build.mfn_of_pfn(pfn).raw();
}

/// A page-table frame referenced once by its parent: type `type`, one type reference.
void count_table_reference(Build& build, uint64_t pfn, FrameType type) {
    FrameInfo& info = build.frames[build.mfn_of_pfn(pfn)];
    info.type = type;
    info.type_count += 1;
    info.ref_count += 1;
    info.flags |= kFrameValidated;
}

/// A leaf mapping of `pfn` in an L1: a general reference, and a writable-type reference
/// when it is mapped writable.
void count_leaf_mapping(Build& build, uint64_t pfn, bool writable) {
    FrameInfo& info = build.frames[build.mfn_of_pfn(pfn)];
    info.ref_count += 1;
    if (!writable) return;
    info.type = FrameType::Writable;
    info.type_count += 1;
}

/// Link the table for `va` at `level` (3 = an L3 under the L4 ...) into its parent,
/// once per table. Tables of each level sit in the region in address order.
void link_table(Build& build, uint64_t va, unsigned level, uint64_t first_pfn_of_level, uint64_t* parent) {
    const uint64_t shift = 12 + 9 * level;  // bytes one table of this level maps
    uint64_t pfn = first_pfn_of_level + ((va >> shift) - (build.layout.virt_base >> shift));
    uint64_t& entry = parent[pte::index(va, level + 1)];
    if (pte::present(entry)) return;
    entry = pte::make(build.mfn_of_pfn(pfn), kTableEntryFlags);
    count_table_reference(build, pfn, static_cast<FrameType>(level));
}

void write_page_tables(Build& build, std::span<const uint64_t> hypervisor_slots) {
    const StartOfDayLayout& layout = build.layout;
    const uint64_t l4_pfn = layout.pfn_of(layout.page_tables_va);
    const uint64_t l3_pfn = l4_pfn + 1, l2_pfn = l3_pfn + layout.l3_count, l1_pfn = l2_pfn + layout.l2_count;
    uint64_t* l4 = build.table_at_pfn(l4_pfn);
    // The hypervisor's own entries, never the guest's: more than the 16 reserved slots
    // would overwrite guest slots 272 and up (or run off the table).
    ASSERT(hypervisor_slots.size() <= abi::kReservedL4SlotCount);
    for (size_t i = 0; i < hypervisor_slots.size(); ++i) l4[abi::kFirstReservedL4Slot + i] = hypervisor_slots[i];

    for (uint64_t va = layout.virt_base; va < layout.virt_end; va += kPage) {
        link_table(build, va, 3, l3_pfn, l4);
        uint64_t* l3 = build.table_at_pfn(pte::mfn(l4[pte::index(va, 4)]).raw() - build.first.raw());
        link_table(build, va, 2, l2_pfn, l3);
        uint64_t* l2 = build.table_at_pfn(pte::mfn(l3[pte::index(va, 3)]).raw() - build.first.raw());
        link_table(build, va, 1, l1_pfn, l2);
        uint64_t* l1 = build.table_at_pfn(pte::mfn(l2[pte::index(va, 2)]).raw() - build.first.raw());
        uint64_t pfn = layout.pfn_of(va);
        bool writable = !is_page_table_pfn(layout, pfn);
        l1[pte::index(va, 1)] = pte::make(build.mfn_of_pfn(pfn), kLeafFlags | (writable ? pte::kWritable : 0));
        count_leaf_mapping(build, pfn, writable);
    }
    // The L4 is pinned and is the vCPU's kernel base: two type references, as Xen's
    // toolstack pin (MMUEXT_PIN_L4_TABLE) plus the vCPU's guest_table leave it.
    FrameInfo& root = build.frames[build.mfn_of_pfn(l4_pfn)];
    root.type = FrameType::L4;
    root.type_count += 2;
    root.ref_count += 2;
    root.flags |= kFrameValidated | kFramePinned;
}

void write_start_info(const Build& build, const DomainRequest& request, Mfn shared_info) {
    const StartOfDayLayout& layout = build.layout;
    auto* info = reinterpret_cast<abi::StartInfo*>(build.at_va(layout.start_info_va));
    lib::copy_string(info->magic, sizeof info->magic, abi::kStartInfoMagic, sizeof abi::kStartInfoMagic - 1);
    info->nr_pages = layout.nr_pages;
    info->shared_info = maddr_of(shared_info).raw();
    info->flags = request.start_info_flags;
    info->store_mfn = build.mfn_of_va(layout.xenstore_va).raw();
    info->store_evtchn = kXenstorePort;
    info->console.domU.mfn = build.mfn_of_va(layout.console_va).raw();
    info->console.domU.evtchn = kConsolePort;
    info->pt_base = layout.page_tables_va;
    info->nr_pt_frames = layout.page_table_frames();
    info->mfn_list = layout.p2m_va;
    info->mod_start = 0;
    info->mod_len = 0;
    const char* line = request.command_line != nullptr ? request.command_line : "";
    auto* command_line = reinterpret_cast<char*>(info->cmd_line);
    lib::copy_string(command_line, abi::kMaxGuestCmdline, line, lib::string_length(line, abi::kMaxGuestCmdline));
}

void write_shared_info(std::span<uint8_t> page) {
    __builtin_memset(page.data(), 0, page.size());
    auto* shared = reinterpret_cast<abi::SharedInfo*>(page.data());
    // Events start masked on every vCPU (Xen's builders set all 32 legacy vcpu_infos).
    for (abi::VcpuInfo& vcpu : shared->vcpu_info) vcpu.evtchn_upcall_mask = 1;
}

/// A frame the hypervisor itself writes (shared_info; the console ring while it serves
/// it) gets the hypervisor's own general reference and a Writable type reference, for good
/// (Xen's share_xen_page_with_guest): the guest may map it, but it can never become a page
/// table or a descriptor page, nor be given back with decrease_reservation.
void hold_for_the_hypervisor(FrameTable& frames, Mfn mfn) {
    FrameInfo& info = frames[mfn];
    info.ref_count += 1;
    info.type = FrameType::Writable;
    info.type_count += 1;
    info.flags |= kFrameValidated;
}

lib::ErrorOr<void> check_supported(const KernelImage& image) {
    if (image.init_p2m.has_value())
        return lib::error(abi::Errno::OpNotSupp, "the kernel asks for its p2m at INIT_P2M, which Xenolith does not place yet");
    return {};
}

}  // namespace

lib::ErrorOr<StartOfDay> build_start_of_day(const DomainRequest& request, const KernelImage& image,
                                           std::span<const uint8_t> file, FrameAllocator& allocator,
                                           FrameTable& frames, BuildMemory& memory) {
    TRY(check_supported(image));
    const StartOfDayLayout layout = TRY(plan_start_of_day({image.virt_base.raw(), image.kernel_end.raw()}, request.nr_pages));
    // All or nothing: the domain's frames in one contiguous run, then shared_info.
    const Mfn first = TRY(allocator.allocate_contiguous(layout.nr_pages));
    auto shared_info = allocator.allocate();
    if (shared_info.is_error()) {
        for (uint64_t pfn = 0; pfn < layout.nr_pages; ++pfn) allocator.free(first + pfn);
        return lib::error(abi::Errno::NoMem, "no machine frame left for shared_info");
    }
    // From here on nothing can fail.
    for (uint64_t pfn = 0; pfn < layout.nr_pages; ++pfn) {
        frames.assign(first + pfn, request.id);
        memory.set_m2p(first + pfn, pfn);
    }
    frames.assign(shared_info.value(), request.id);
    memory.set_m2p(shared_info.value(), ~uint64_t{0});  // not in the guest's p2m: Xen's INVALID_M2P_ENTRY
    Build build{layout, first, memory.frames(first, layout.nr_pages), frames};
    __builtin_memset(build.memory.data(), 0, build.memory.size());  // fresh pages are zero, as Xen scrubs
    load_kernel(image, file, build.memory.first(image.region_bytes()));
    write_p2m(build);
    write_page_tables(build, request.hypervisor_l4_slots);
    hold_for_the_hypervisor(frames, shared_info.value());
    hold_for_the_hypervisor(frames, build.mfn_of_va(layout.console_va));
    write_start_info(build, request, shared_info.value());
    write_shared_info(memory.frames(shared_info.value(), 1));
    if (image.hypercall_page.has_value())
        write_hypercall_page(std::span<uint8_t, 4096>(build.at_va(image.hypercall_page->raw()), 4096));
    const uint64_t l4_pfn = layout.pfn_of(layout.page_tables_va);
    return StartOfDay{layout, first, first + l4_pfn, shared_info.value(), build.mfn_of_va(layout.console_va),
                      image.entry.raw(), layout.stack_va + kPage, layout.start_info_va};
}

}  // namespace hv::loader
