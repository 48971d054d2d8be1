// SPDX-License-Identifier: MIT
// What the boot loader tells us (Multiboot 1 or 2): memory map, modules, command line, copied and checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "lib/error_or.hpp"

namespace hv::boot {

/// The parser's only way to read physical memory: the direct map in the image, a byte
/// buffer in host tests. The parser never dereferences a loader-given address itself.
class PhysicalMemory {
public:
    /// The bytes [phys, phys + length), or an empty span if any of them is not readable.
    virtual std::span<const uint8_t> view(uint64_t phys, size_t length) const = 0;

protected:
    ~PhysicalMemory() = default;
};

/// The values in EAX at the kernel's entry (Multiboot 0.6.96 section 3.2; Multiboot2
/// section 3.3).
inline constexpr uint32_t kMultiboot1BootMagic = 0x2BADB002;
inline constexpr uint32_t kMultiboot2BootMagic = 0x36D76289;

enum class BootProtocol : uint8_t { Multiboot1, Multiboot2 };

/// The memory types of both specifications (and of the e820 map behind them).
enum class MemoryType : uint8_t {
    Available,        ///< type 1
    Reserved,         ///< type 2, and every type we do not know
    AcpiReclaimable,  ///< type 3
    AcpiNvs,          ///< type 4
    Bad,              ///< type 5
};

/// One range of the machine's physical memory; never empty, never wrapping past 2^64.
struct MemoryRegion {
    uint64_t base = 0;
    uint64_t length = 0;
    MemoryType type = MemoryType::Reserved;
};

/// One boot module as loaded: bytes [start, end) of physical memory (GRUB and QEMU both
/// write end as start + size), and its string with the loader's path word dropped.
struct BootModule {
    static constexpr size_t kStringCapacity = 1024;  ///< 1023 characters and the NUL

    uint64_t start = 0;
    uint64_t end = 0;
    char string[kStringCapacity] = {};

    uint64_t size() const { return end - start; }
};

/// Everything we keep from the loader's information structure, copied out of it (the
/// loader's memory will be reused). About 19 KiB: keep it in static storage, not on a
/// stack (the hypervisor's stack is 32 KiB).
struct BootInfo {
    static constexpr size_t kMaxRegions = 64;
    static constexpr size_t kMaxModules = 16;
    static constexpr size_t kCommandLineCapacity = 1024;  ///< Xen's COMMAND_LINE_SIZE
    static constexpr size_t kLoaderNameCapacity = 64;

    BootProtocol protocol = BootProtocol::Multiboot1;
    MemoryRegion regions[kMaxRegions];
    size_t region_count = 0;
    BootModule modules[kMaxModules];
    size_t module_count = 0;
    /// The hypervisor's own command line, path word dropped (see parse_boot_info).
    char command_line[kCommandLineCapacity] = {};
    /// "qemu", "GRUB 2.06", ... truncated to 63 characters; empty if not given.
    char loader_name[kLoaderNameCapacity] = {};

    std::span<const MemoryRegion> memory_map() const { return {regions, region_count}; }
    std::span<const BootModule> module_list() const { return {modules, module_count}; }
};

/// Read the information structure the loader left at `info_phys`, choosing the format by
/// the entry `magic`. Strings too long for their storage are errors, not truncated (a
/// cut module string would silently change a domain), except the informational loader
/// name, which is truncated.
///
/// Path words, as Xen's cmdline_cook() does: a Multiboot1 loader other than GRUB 2 (QEMU
/// `-kernel`/`-initrd`, GRUB legacy) puts the image's path first in the command line and
/// in each module string, and we drop that word; GRUB 2 passes only the arguments
/// (`multiboot` and `multiboot2` alike), and so does every Multiboot2 string, which we
/// keep whole.
///
/// @retval Inval for an unknown magic or a malformed structure (the reason names the
///         check), Fault for an address outside readable memory, TooBig when a count or
///         a string exceeds BootInfo's capacity. On error `info` holds partial results.
lib::ErrorOr<void> parse_boot_info(uint32_t magic, uint32_t info_phys, const PhysicalMemory& memory, BootInfo& info);

/// The Multiboot 0.6.96 information structure (flags: mem, cmdline, mods, mmap, loader name).
lib::ErrorOr<void> parse_multiboot1(uint32_t info_phys, const PhysicalMemory& memory, BootInfo& info);

/// The Multiboot2 information structure (tags: cmdline 1, loader name 2, module 3, basic
/// meminfo 4, mmap 6, end 0; every other tag is skipped).
lib::ErrorOr<void> parse_multiboot2(uint32_t info_phys, const PhysicalMemory& memory, BootInfo& info);

/// Does the loader name say GRUB 2 or later? Xen's test: "GRUB " followed by anything
/// but '0' (GRUB legacy calls itself "GNU GRUB 0.97").
bool loader_is_grub2(const char* loader_name);

}  // namespace hv::boot
