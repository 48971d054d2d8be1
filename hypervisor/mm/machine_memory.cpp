// SPDX-License-Identifier: MIT
// Bringing up machine memory: allocator, frame table, M2P (see machine_memory.hpp).
#include "mm/machine_memory.hpp"

#include "abi/layout.hpp"
#include "arch/x86_64/paging.hpp"
#include "core/printk.hpp"

#include <new>

extern "C" char __image_end[];

namespace hv {
namespace {

constexpr uint64_t kBootMapLimit = uint64_t{XENOLITH_BOOT_MAP_GIB} << 30;
constexpr uint64_t kMaxFrames = kBootMapLimit >> kPageShift;
constexpr uint64_t kLowMemoryEnd = 1 << 20;  // BIOS data, VGA, option ROMs: never used

uint64_t allocator_bitmap[kMaxFrames / 64];
FrameAllocator allocator{allocator_bitmap};
FrameTable table;
uint64_t frame_count = 0;
uint64_t* m2p = nullptr;

class DirectMapMemory final : public FrameMemory {
public:
    uint64_t* entries(Mfn mfn) override { return arch::frame_to_virt<uint64_t>(mfn); }
    void set_m2p(Mfn mfn, uint64_t gfn) override { hv::set_m2p(mfn, gfn); }
};

DirectMapMemory direct_map;
alignas(Mmu) uint8_t mmu_storage[sizeof(Mmu)];
Mmu* the_mmu = nullptr;

constexpr uint64_t frames_for(uint64_t bytes) { return (bytes + kPageSize - 1) >> kPageShift; }

const char* type_name(boot::MemoryType type) {
    switch (type) {
    case boot::MemoryType::Available: return "RAM";
    case boot::MemoryType::Reserved: return "reserved";
    case boot::MemoryType::AcpiReclaimable: return "ACPI data";
    case boot::MemoryType::AcpiNvs: return "ACPI NVS";
    case boot::MemoryType::Bad: return "bad";
    }
    return "?";
}

void take_ram(const boot::BootInfo& info) {
    log_info("memory map:\n");
    for (const boot::MemoryRegion& region : info.memory_map()) {
        log_info("  {:#014x}-{:#014x} {}\n", region.base, region.base + region.length, type_name(region.type));
        if (region.type != boot::MemoryType::Available) continue;
        uint64_t start = (region.base + kPageSize - 1) >> kPageShift;
        uint64_t end = (region.base + region.length) >> kPageShift;
        if (end > kMaxFrames) {
            log_warning("  ignoring RAM above {} GiB (not in the boot direct map)\n", XENOLITH_BOOT_MAP_GIB);
            end = kMaxFrames;
        }
        if (start >= end) continue;
        allocator.add_free_range(Mfn(start), Mfn(end));
        if (end > frame_count) frame_count = end;
    }
    allocator.reserve_range(Mfn(0), Mfn(kLowMemoryEnd >> kPageShift));
    uint64_t image_end = arch::virt_to_phys(__image_end);
    allocator.reserve_range(Mfn(XENOLITH_LOAD_PHYS >> kPageShift), Mfn(frames_for(image_end)));
    for (const boot::BootModule& module : info.module_list())
        allocator.reserve_range(Mfn(module.start >> kPageShift), Mfn(frames_for(module.end)));
}

/// Map `frames` fresh frames at `va`; returns the first byte.
void* map_fresh_frames(uint64_t va, uint64_t frames, arch::PageAccess access) {
    for (uint64_t i = 0; i < frames; ++i) {
        Mfn mfn = allocator.allocate().value();
        arch::map_hypervisor_page(va + i * kPageSize, maddr_of(mfn).raw(), access);
    }
    return reinterpret_cast<void*>(va);
}

void build_frame_table() {
    uint64_t frames = frames_for(frame_count * sizeof(FrameInfo));
    auto* storage = static_cast<FrameInfo*>(map_fresh_frames(kFrameTableVirtStart, frames, arch::PageAccess::ReadWrite));
    table = FrameTable({storage, frame_count});
    // Everything in use so far is the hypervisor's: the image, the boot modules (until
    // their domains are built), and the tables just made. Free frames stay unowned.
    for (uint64_t f = kLowMemoryEnd >> kPageShift; f < frame_count; ++f)
        if (!allocator.is_free(Mfn(f))) table.assign(Mfn(f), kDomIdXen);
}

Mfn m2p_first_mfn;
uint64_t m2p_frames = 0;

void build_m2p() {
    // The same frames twice: writable for the hypervisor (Xen's RDWR_MPT), read-only and
    // guest-visible at the ABI address, which every guest L4 shares through slot 256.
    // One contiguous run, so that each 2 MiB of it is one chunk for machphys_mfn_list.
    uint64_t frames = frames_for(frame_count * sizeof(uint64_t));
    m2p_first_mfn = allocator.allocate_contiguous(frames).value();
    m2p_frames = frames;
    for (uint64_t i = 0; i < frames; ++i) {
        Mfn mfn = m2p_first_mfn + i;
        table.assign(mfn, kDomIdXen);
        arch::map_hypervisor_page(kWritableM2pVirtStart + i * kPageSize, maddr_of(mfn).raw(), arch::PageAccess::ReadWrite);
        arch::map_hypervisor_page(abi::kMachToPhysVirtStart + i * kPageSize, maddr_of(mfn).raw(),
                                  arch::PageAccess::GuestReadOnly);
    }
    m2p = reinterpret_cast<uint64_t*>(kWritableM2pVirtStart);
    for (uint64_t f = 0; f < frames * (kPageSize / sizeof(uint64_t)); ++f) m2p[f] = kInvalidM2pEntry;
}

}  // namespace

void machine_memory_init(const boot::BootInfo& info) {
    take_ram(info);
    arch::paging_init();
    build_frame_table();
    build_m2p();
    // Every L4 a guest validates gets the hypervisor's slots 256-271 of the idle table.
    the_mmu = new (mmu_storage) Mmu(table, direct_map, {arch::idle_l4() + 256, 16});
    log_info("machine memory: {} frames ({} MiB), {} free after boot\n", frame_count, frame_count >> 8,
             allocator.free_count());
}

FrameAllocator& frame_allocator() { return allocator; }
FrameTable& frame_table() { return table; }
uint64_t machine_frame_count() { return frame_count; }
Mmu& mmu() { return *the_mmu; }
FrameMemory& direct_map_memory() { return direct_map; }

lib::ErrorOr<Mfn> allocate_domain_frame(DomId owner) {
    const Mfn mfn = TRY(allocator.allocate());
    table.assign(mfn, owner);
    __builtin_memset(arch::frame_to_virt<uint8_t>(mfn), 0, kPageSize);
    m2p[mfn.raw()] = kInvalidM2pEntry;
    return mfn;
}

lib::ErrorOr<void> release_domain_frame(DomId owner, Mfn mfn) {
    if (!table.owned_by(mfn, owner)) return lib::error(abi::Errno::Inval, "frame is not the domain's");
    const FrameInfo& info = table[mfn];
    if (info.ref_count != 1 || info.type_count != 0 || (info.flags & kFramePinned))
        return lib::error(abi::Errno::Busy, "frame is still mapped or typed");
    table.release(mfn);
    m2p[mfn.raw()] = kInvalidM2pEntry;
    allocator.free(mfn);
    return {};
}

uint64_t m2p_chunk_count() { return (m2p_frames * kPageSize + (2 << 20) - 1) / (2 << 20); }
uint64_t m2p_chunk_mfn(uint64_t chunk) { return (m2p_first_mfn + chunk * 512).raw(); }

AuditResult audit_machine_memory(const HeldReferences& held) {
    // Two counters per frame, in scratch frames borrowed for the audit.
    const uint64_t scratch_frames = frames_for(frame_count * 2 * sizeof(uint32_t));
    auto first = allocator.allocate_contiguous(scratch_frames);
    if (first.is_error()) {
        log_warning("audit: skipped, no room for {} scratch frames\n", scratch_frames);
        return {};
    }
    auto* scratch = arch::frame_to_virt<uint32_t>(first.value());
    AuditResult result = audit_frames(table, direct_map, held, {scratch, 2 * frame_count},
                                      console_sink());
    for (uint64_t i = 0; i < scratch_frames; ++i) allocator.free(first.value() + i);
    return result;
}

void set_m2p(Mfn mfn, uint64_t gfn) {
    ASSERT(mfn.raw() < frame_count);
    m2p[mfn.raw()] = gfn;
}

}  // namespace hv
