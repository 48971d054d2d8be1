// SPDX-License-Identifier: MIT
// The Multiboot2 information structure, as GRUB 2's `multiboot2`/`module2` leave it.
//
// Layout (specification section 3.6): u32 total_size, u32 reserved, then tags, each
// u32 type, u32 size (header included, padding excluded), starting at an 8-byte aligned
// offset, until an end tag (type 0, size 8). GRUB 2 (grub-core/loader/multiboot_mbi2.c)
// writes cmdline (1), loader name (2, "GRUB 2.06"), one module tag (3) per module2,
// mmap (6, entry_size 24), ELF sections (9), basic meminfo (4), and more that we skip.
// Its strings never hold the path word: `multiboot2 /xen.elf a b` gives "a b".
#include "boot/multiboot.hpp"
#include "boot/multiboot_common.hpp"

namespace hv::boot {

namespace {

using detail::load_u32;
using detail::load_u64;
using lib::ErrorOr;

constexpr size_t kAlignment = 8;                  // of the structure and of every tag
constexpr size_t kHeaderSize = 8;                 // total_size, reserved
constexpr size_t kTagHeaderSize = 8;              // type, size
constexpr uint32_t kMaxTotalSize = 64 * 1024;     // far above what GRUB writes under QEMU
constexpr uint32_t kMmapEntryMinimum = 24;        // base_addr, length, type, reserved

enum class TagType : uint32_t {
    End = 0,
    Cmdline = 1,
    BootLoaderName = 2,
    Module = 3,
    BasicMeminfo = 4,
    Mmap = 6,
};

// What one walk over the tags has seen so far.
struct Walk {
    uint32_t seen = 0;  // bit n: a tag of type n (below 32) appeared
    bool have_meminfo = false;
    uint32_t mem_lower_kib = 0;
    uint32_t mem_upper_kib = 0;
};

ErrorOr<void> read_cmdline(std::span<const uint8_t> tag, BootInfo& info) {
    Text text = TRY(detail::string_within(tag, kTagHeaderSize, "multiboot2: the command line has no NUL inside its tag"));
    // Multiboot2 strings hold only arguments: keep them whole (leading spaces aside).
    return detail::store_string(detail::cook(text, false), info.command_line, BootInfo::kCommandLineCapacity,
                                "multiboot2: the command line is longer than 1023 bytes");
}

ErrorOr<void> read_loader_name(std::span<const uint8_t> tag, BootInfo& info) {
    Text name = TRY(detail::string_within(tag, kTagHeaderSize, "multiboot2: the loader name has no NUL inside its tag"));
    detail::set_loader_name(info, name);
    return {};
}

ErrorOr<void> read_module(std::span<const uint8_t> tag, BootInfo& info) {
    constexpr size_t kString = 16;  // after mod_start and mod_end
    if (tag.size() < kString) return lib::error(abi::Errno::Inval, "multiboot2: a module tag is smaller than 16 bytes");
    Text text = TRY(detail::string_within(tag, kString, "multiboot2: a module string has no NUL inside its tag"));
    return detail::add_module(info, load_u32(tag, 8), load_u32(tag, 12), detail::cook(text, false));
}

ErrorOr<void> read_meminfo(std::span<const uint8_t> tag, Walk& walk) {
    if (tag.size() < 16) return lib::error(abi::Errno::Inval, "multiboot2: the basic meminfo tag is smaller than 16 bytes");
    walk.have_meminfo = true;
    walk.mem_lower_kib = load_u32(tag, 8);
    walk.mem_upper_kib = load_u32(tag, 12);
    return {};
}

ErrorOr<void> read_mmap(std::span<const uint8_t> tag, BootInfo& info) {
    constexpr size_t kEntries = 16;  // after entry_size and entry_version
    if (tag.size() < kEntries) return lib::error(abi::Errno::Inval, "multiboot2: the mmap tag is smaller than 16 bytes");
    uint32_t entry_size = load_u32(tag, 8);
    // A later entry_version may add fields; entry_size says how far apart entries are.
    if (entry_size < kMmapEntryMinimum) return lib::error(abi::Errno::Inval, "multiboot2: mmap entry_size is below 24");
    if ((tag.size() - kEntries) % entry_size != 0)
        return lib::error(abi::Errno::Inval, "multiboot2: the mmap tag ends inside an entry");
    for (size_t offset = kEntries; offset < tag.size(); offset += entry_size)
        TRY(detail::add_region(info, load_u64(tag, offset), load_u64(tag, offset + 8), load_u32(tag, offset + 16)));
    return {};
}

// Two of these would leave us guessing which one the loader meant.
bool appears_once(uint32_t type) {
    switch (static_cast<TagType>(type)) {
    case TagType::Cmdline: case TagType::BootLoaderName: case TagType::BasicMeminfo: case TagType::Mmap: return true;
    default: return false;
    }
}

ErrorOr<void> read_tag(uint32_t type, std::span<const uint8_t> tag, Walk& walk, BootInfo& info) {
    if (type < 32) {
        uint32_t bit = 1u << type;
        if (appears_once(type) && (walk.seen & bit) != 0)
            return lib::error(abi::Errno::Inval, "multiboot2: a cmdline, loader name, meminfo or mmap tag appears twice");
        walk.seen |= bit;
    }
    switch (static_cast<TagType>(type)) {
    case TagType::Cmdline: return read_cmdline(tag, info);
    case TagType::BootLoaderName: return read_loader_name(tag, info);
    case TagType::Module: return read_module(tag, info);
    case TagType::BasicMeminfo: return read_meminfo(tag, walk);
    case TagType::Mmap: return read_mmap(tag, info);
    default: return {};  // framebuffer, ELF sections, ACPI, EFI...: not ours
    }
}

ErrorOr<std::span<const uint8_t>> map_structure(uint32_t info_phys, const PhysicalMemory& memory) {
    if (info_phys % kAlignment != 0) return lib::error(abi::Errno::Inval, "multiboot2: the information structure is not 8-byte aligned");
    auto header = memory.view(info_phys, kHeaderSize);
    if (header.size() != kHeaderSize) return lib::error(abi::Errno::Fault, "multiboot2: the information structure lies outside readable memory");
    uint32_t total_size = load_u32(header, 0);
    if (total_size < kHeaderSize + kTagHeaderSize)
        return lib::error(abi::Errno::Inval, "multiboot2: total_size is too small for the header and an end tag");
    if (total_size % kAlignment != 0) return lib::error(abi::Errno::Inval, "multiboot2: total_size is not a multiple of 8");
    if (total_size > kMaxTotalSize) return lib::error(abi::Errno::TooBig, "multiboot2: total_size is above 64 KiB");
    auto bytes = memory.view(info_phys, total_size);
    if (bytes.size() != total_size) return lib::error(abi::Errno::Fault, "multiboot2: total_size reaches past readable memory");
    return bytes;
}

ErrorOr<void> walk_tags(std::span<const uint8_t> bytes, Walk& walk, BootInfo& info) {
    size_t offset = kHeaderSize;
    while (true) {
        if (bytes.size() - offset < kTagHeaderSize) return lib::error(abi::Errno::Inval, "multiboot2: no end tag before total_size");
        uint32_t type = load_u32(bytes, offset);
        uint32_t size = load_u32(bytes, offset + 4);
        if (size < kTagHeaderSize) return lib::error(abi::Errno::Inval, "multiboot2: a tag's size is below 8");
        if (size > bytes.size() - offset) return lib::error(abi::Errno::Inval, "multiboot2: a tag runs past total_size");
        if (type == static_cast<uint32_t>(TagType::End)) {
            if (size != kTagHeaderSize) return lib::error(abi::Errno::Inval, "multiboot2: the end tag's size is not 8");
            return {};
        }
        TRY(read_tag(type, bytes.subspan(offset, size), walk, info));
        // total_size is a multiple of 8, so the padded offset stays within it.
        offset = (offset + size + kAlignment - 1) / kAlignment * kAlignment;
    }
}

}  // namespace

ErrorOr<void> parse_multiboot2(uint32_t info_phys, const PhysicalMemory& memory, BootInfo& info) {
    detail::reset(info, BootProtocol::Multiboot2);
    auto bytes = TRY(map_structure(info_phys, memory));
    Walk walk;
    TRY(walk_tags(bytes, walk, info));
    bool have_mmap = (walk.seen & (1u << static_cast<uint32_t>(TagType::Mmap))) != 0;
    if (!have_mmap) {
        if (!walk.have_meminfo) return lib::error(abi::Errno::Inval, "multiboot2: neither an mmap nor a basic meminfo tag");
        TRY(detail::add_basic_regions(info, walk.mem_lower_kib, walk.mem_upper_kib));
    }
    if (info.region_count == 0) return lib::error(abi::Errno::Inval, "multiboot2: the memory map is empty");
    return {};
}

}  // namespace hv::boot
