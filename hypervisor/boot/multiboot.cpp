// SPDX-License-Identifier: MIT
// Boot information: choosing the protocol, and the checks both Multiboot parsers share.
//
// Theory of operation. The loader leaves an information structure somewhere in low
// memory; its format depends on the protocol (the magic in EAX). Nothing in it is
// trusted: every address goes through PhysicalMemory::view, every size and count is
// checked against the bytes actually readable and against BootInfo's fixed capacities,
// and every string must end inside its bounds. What survives is copied into BootInfo, so
// that the rest of the boot never touches the loader's memory again (the frame allocator
// may hand it out). Errors carry a static reason naming the check that failed; boot_main
// panics with it, since without a valid memory map nothing can run.
#include "boot/multiboot.hpp"

#include "boot/multiboot_common.hpp"
#include "lib/string.hpp"

namespace hv::boot {

lib::ErrorOr<void> parse_boot_info(uint32_t magic, uint32_t info_phys, const PhysicalMemory& memory, BootInfo& info) {
    if (magic == kMultiboot1BootMagic) return parse_multiboot1(info_phys, memory, info);
    if (magic == kMultiboot2BootMagic) return parse_multiboot2(info_phys, memory, info);
    return lib::error(abi::Errno::Inval, "unknown boot magic: neither Multiboot1 (0x2badb002) nor Multiboot2 (0x36d76289)");
}

bool loader_is_grub2(const char* loader_name) {
    // GRUB legacy says "GNU GRUB 0.97", GRUB 2 says "GRUB 2.06": Xen's loader_is_grub2().
    for (const char* p = loader_name; *p != '\0'; ++p)
        if (lib::starts_with(p, "GRUB ")) return p[5] != '0';
    return false;
}

namespace detail {

namespace {

// The memory types of Multiboot 0.6.96 section 3.3 and Multiboot2 section 3.6.8 (e820's).
MemoryType memory_type(uint32_t type) {
    switch (type) {
    case 1: return MemoryType::Available;
    case 3: return MemoryType::AcpiReclaimable;
    case 4: return MemoryType::AcpiNvs;
    case 5: return MemoryType::Bad;
    default: return MemoryType::Reserved;
    }
}

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kUpperMemoryBase = 0x100000;  // upper memory starts at 1 MiB

}  // namespace

uint32_t load_u32(std::span<const uint8_t> bytes, size_t offset) {
    ASSERT(offset <= bytes.size() && bytes.size() - offset >= 4);
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i) value |= static_cast<uint32_t>(bytes[offset + i]) << (8 * i);
    return value;
}

uint64_t load_u64(std::span<const uint8_t> bytes, size_t offset) {
    return load_u32(bytes, offset) | (static_cast<uint64_t>(load_u32(bytes, offset + 4)) << 32);
}

Text as_text(std::span<const uint8_t> bytes) {
    return Text{reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

lib::ErrorOr<Text> read_c_string(const PhysicalMemory& memory, uint64_t phys) {
    // One byte at a time: the interface promises nothing about bytes beyond the NUL.
    for (size_t length = 0; length < kMaxRawString; ++length) {
        auto byte = memory.view(phys + length, 1);
        if (byte.empty()) return lib::error(abi::Errno::Fault, "a loader string lies outside readable memory");
        if (byte[0] != 0) continue;
        if (length == 0) return Text{};
        auto whole = memory.view(phys, length);
        if (whole.size() != length) return lib::error(abi::Errno::Fault, "a loader string lies outside readable memory");
        return as_text(whole);
    }
    return lib::error(abi::Errno::Inval, "a loader string has no NUL within 4096 bytes");
}

lib::ErrorOr<Text> string_within(std::span<const uint8_t> bytes, size_t offset, const char* unterminated) {
    for (size_t i = offset; i < bytes.size(); ++i)
        if (bytes[i] == 0) return as_text(bytes.subspan(offset, i - offset));
    return lib::error(abi::Errno::Inval, unterminated);
}

Text cook(Text raw, bool drop_path_word) {
    WordReader reader(raw);
    Text path;
    if (drop_path_word) reader.next(path);
    return reader.rest();
}

lib::ErrorOr<void> store_string(Text text, char* destination, size_t capacity, const char* too_long) {
    if (text.length >= capacity) return lib::error(abi::Errno::TooBig, too_long);
    lib::copy_string(destination, capacity, text.data, text.length);
    return {};
}

void set_loader_name(BootInfo& info, Text name) {
    lib::copy_string(info.loader_name, BootInfo::kLoaderNameCapacity, name.data, name.length);
}

void reset(BootInfo& info, BootProtocol protocol) {
    info.protocol = protocol;
    info.region_count = 0;
    info.module_count = 0;
    info.command_line[0] = '\0';
    info.loader_name[0] = '\0';
}

lib::ErrorOr<void> add_region(BootInfo& info, uint64_t base, uint64_t length, uint32_t type) {
    if (length == 0) return {};
    if (base + length < base) return lib::error(abi::Errno::Inval, "a memory region wraps past 2^64");
    if (info.region_count == BootInfo::kMaxRegions) return lib::error(abi::Errno::TooBig, "more than 64 memory regions");
    info.regions[info.region_count++] = MemoryRegion{base, length, memory_type(type)};
    return {};
}

lib::ErrorOr<void> add_basic_regions(BootInfo& info, uint32_t mem_lower_kib, uint32_t mem_upper_kib) {
    constexpr uint32_t kAvailable = 1;
    TRY(add_region(info, 0, mem_lower_kib * kKiB, kAvailable));
    TRY(add_region(info, kUpperMemoryBase, mem_upper_kib * kKiB, kAvailable));
    return {};
}

lib::ErrorOr<void> add_module(BootInfo& info, uint64_t start, uint64_t end, Text string) {
    if (end < start) return lib::error(abi::Errno::Inval, "a module ends before it starts");
    if (info.module_count == BootInfo::kMaxModules) return lib::error(abi::Errno::TooBig, "more than 16 modules");
    BootModule& module = info.modules[info.module_count];
    module.start = start;
    module.end = end;
    TRY(store_string(string, module.string, BootModule::kStringCapacity, "a module string is longer than 1023 bytes"));
    ++info.module_count;
    return {};
}

}  // namespace detail

}  // namespace hv::boot
