// SPDX-License-Identifier: MIT
// Bringing up machine memory: allocator, frame table, M2P (see machine_memory.hpp).
#include "mm/machine_memory.hpp"

#include "abi/layout.hpp"
#include "arch/x86_64/paging.hpp"
#include "core/printk.hpp"

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

void build_m2p() {
    // The same frames twice: writable for the hypervisor (Xen's RDWR_MPT), read-only and
    // guest-visible at the ABI address, which every guest L4 shares through slot 256.
    uint64_t frames = frames_for(frame_count * sizeof(uint64_t));
    for (uint64_t i = 0; i < frames; ++i) {
        Mfn mfn = allocator.allocate().value();
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
    log_info("machine memory: {} frames ({} MiB), {} free after boot\n", frame_count, frame_count >> 8,
             allocator.free_count());
}

FrameAllocator& frame_allocator() { return allocator; }
FrameTable& frame_table() { return table; }
uint64_t machine_frame_count() { return frame_count; }

void set_m2p(Mfn mfn, uint64_t gfn) {
    ASSERT(mfn.raw() < frame_count);
    m2p[mfn.raw()] = gfn;
}

}  // namespace hv
