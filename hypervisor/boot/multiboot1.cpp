// SPDX-License-Identifier: MIT
// The Multiboot 0.6.96 information structure, as QEMU's -kernel and GRUB's `multiboot` leave it.
//
// Layout (specification section 3.3): a fixed structure of 32-bit fields whose `flags`
// say which are valid; strings, the module table and the memory map are elsewhere,
// reached through 32-bit physical addresses. QEMU 7.2 (hw/i386/multiboot.c) sets flags
// mem, boot_device, cmdline, mods, mmap and loader name ("qemu"); its command line is
// "<kernel path> <-append text>" and each module string the whole `-initrd` entry,
// "<module path> <args>".
#include "boot/multiboot.hpp"
#include "boot/multiboot_common.hpp"

namespace hv::boot {

namespace {

using detail::load_u32;
using detail::load_u64;
using lib::ErrorOr;

// Byte offsets in the information structure, and the bits of `flags` that validate them.
constexpr size_t kFlags = 0, kMemLower = 4, kMemUpper = 8, kCmdline = 16, kModsCount = 20,
                 kModsAddr = 24, kMmapLength = 44, kMmapAddr = 48, kBootLoaderName = 64;
constexpr size_t kInfoSize = 68;  // through boot_loader_name
constexpr uint32_t kFlagMemory = 1u << 0, kFlagCmdline = 1u << 2, kFlagModules = 1u << 3,
                   kFlagMmap = 1u << 6, kFlagLoaderName = 1u << 9;

// A module table entry: mod_start, mod_end, string, reserved.
constexpr size_t kModuleEntrySize = 16;
// A memory-map entry: `size` (of the rest, at least 20), base_addr, length, type; the next
// entry starts size + 4 bytes further.
constexpr uint32_t kMmapEntryMinimum = 20;

bool has(uint32_t flags, uint32_t flag) { return (flags & flag) != 0; }

// A string given by physical address; address 0 means none (as Xen treats it).
ErrorOr<Text> read_string(const PhysicalMemory& memory, uint32_t phys) {
    if (phys == 0) return Text{};
    return detail::read_c_string(memory, phys);
}

ErrorOr<void> read_loader_name(std::span<const uint8_t> fixed, const PhysicalMemory& memory, BootInfo& info) {
    if (!has(load_u32(fixed, kFlags), kFlagLoaderName)) return {};
    Text name = TRY(read_string(memory, load_u32(fixed, kBootLoaderName)));
    detail::set_loader_name(info, name);
    return {};
}

ErrorOr<void> read_command_line(std::span<const uint8_t> fixed, const PhysicalMemory& memory, bool drop_path,
                                BootInfo& info) {
    if (!has(load_u32(fixed, kFlags), kFlagCmdline)) return {};
    Text raw = TRY(read_string(memory, load_u32(fixed, kCmdline)));
    return detail::store_string(detail::cook(raw, drop_path), info.command_line, BootInfo::kCommandLineCapacity,
                                "multiboot1: the command line is longer than 1023 bytes");
}

ErrorOr<void> read_modules(std::span<const uint8_t> fixed, const PhysicalMemory& memory, bool drop_path,
                           BootInfo& info) {
    if (!has(load_u32(fixed, kFlags), kFlagModules)) return {};
    uint32_t count = load_u32(fixed, kModsCount);
    if (count > BootInfo::kMaxModules) return lib::error(abi::Errno::TooBig, "more than 16 modules");
    if (count == 0) return {};
    auto table = memory.view(load_u32(fixed, kModsAddr), count * kModuleEntrySize);
    if (table.size() != count * kModuleEntrySize) return lib::error(abi::Errno::Fault, "multiboot1: the module table lies outside readable memory");
    for (size_t i = 0; i < count; ++i) {
        size_t entry = i * kModuleEntrySize;
        Text raw = TRY(read_string(memory, load_u32(table, entry + 8)));
        TRY(detail::add_module(info, load_u32(table, entry), load_u32(table, entry + 4), detail::cook(raw, drop_path)));
    }
    return {};
}

ErrorOr<void> read_memory_map(std::span<const uint8_t> map, BootInfo& info) {
    size_t offset = 0;
    while (offset < map.size()) {
        if (map.size() - offset < 4) return lib::error(abi::Errno::Inval, "multiboot1: an mmap entry runs past mmap_length");
        uint64_t size = load_u32(map, offset);
        if (size < kMmapEntryMinimum) return lib::error(abi::Errno::Inval, "multiboot1: an mmap entry's size is below 20");
        if (size + 4 > map.size() - offset)
            return lib::error(abi::Errno::Inval, "multiboot1: an mmap entry runs past mmap_length");
        TRY(detail::add_region(info, load_u64(map, offset + 4), load_u64(map, offset + 12), load_u32(map, offset + 20)));
        offset += size + 4;
    }
    return {};
}

// The memory map if the loader gave one, else mem_lower/mem_upper.
ErrorOr<void> read_memory(std::span<const uint8_t> fixed, const PhysicalMemory& memory, BootInfo& info) {
    uint32_t flags = load_u32(fixed, kFlags);
    if (has(flags, kFlagMmap)) {
        uint32_t length = load_u32(fixed, kMmapLength);
        auto map = memory.view(load_u32(fixed, kMmapAddr), length);
        if (map.size() != length) return lib::error(abi::Errno::Fault, "multiboot1: the memory map lies outside readable memory");
        TRY(read_memory_map(map, info));
    } else if (has(flags, kFlagMemory)) {
        TRY(detail::add_basic_regions(info, load_u32(fixed, kMemLower), load_u32(fixed, kMemUpper)));
    } else {
        return lib::error(abi::Errno::Inval, "multiboot1: neither a memory map nor mem_lower/mem_upper");
    }
    if (info.region_count == 0) return lib::error(abi::Errno::Inval, "multiboot1: the memory map is empty");
    return {};
}

}  // namespace

ErrorOr<void> parse_multiboot1(uint32_t info_phys, const PhysicalMemory& memory, BootInfo& info) {
    detail::reset(info, BootProtocol::Multiboot1);
    auto fixed = memory.view(info_phys, kInfoSize);
    if (fixed.size() != kInfoSize) return lib::error(abi::Errno::Fault, "multiboot1: the information structure lies outside readable memory");
    // The loader name decides whether strings start with a path word (see multiboot.hpp).
    TRY(read_loader_name(fixed, memory, info));
    bool drop_path = !loader_is_grub2(info.loader_name);
    TRY(read_command_line(fixed, memory, drop_path, info));
    TRY(read_modules(fixed, memory, drop_path, info));
    TRY(read_memory(fixed, memory, info));
    return {};
}

}  // namespace hv::boot
