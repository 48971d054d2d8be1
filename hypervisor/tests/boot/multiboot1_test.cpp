// SPDX-License-Identifier: MIT
// Tests of the Multiboot1 parser on structures laid out as QEMU 7.2 and GRUB write them, and on broken ones.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "boot/multiboot.hpp"
#include "tests/boot/check_error.hpp"
#include "tests/boot/fake_physical_memory.hpp"

using hv::boot::BootInfo;
using hv::boot::BootProtocol;
using hv::boot::MemoryType;
using abi::Errno;

namespace {

constexpr uint64_t kPage = 0x1000;
uint64_t page_align(uint64_t value) { return (value + kPage - 1) & ~(kPage - 1); }

struct E820Entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

// SeaBIOS's e820 map for `-m 128M`, as QEMU's multiboot.bin copies it into the mmap.
const std::vector<E820Entry> kQemu128M = {
    {0x0, 0x9fc00, 1},         {0x9fc00, 0x400, 2},      {0xf0000, 0x10000, 2},
    {0x100000, 0x7ee0000, 1},  {0x7fe0000, 0x20000, 2},  {0xfffc0000, 0x40000, 2},
};

// QEMU 7.2's load_multiboot() (hw/i386/multiboot.c) and its option ROM: the information
// structure at 0x9500 and the e820 map at 0x9000; after the kernel image (loaded at
// 0x200000), the module table, the module strings, the command line "<path> <append>",
// the loader name, then each module on its own pages.
struct QemuMultiboot1 {
    static constexpr uint32_t kInfoPhys = 0x9500;
    static constexpr uint32_t kE820Phys = 0x9000;
    static constexpr uint64_t kLoadPhys = 0x200000;
    static constexpr uint64_t kKernelSize = 0x80000;

    std::string kernel_path = "/build/images/xenolith.elf";
    std::string append;
    std::vector<std::string> initrd;     // each `-initrd` entry: "path args"
    std::vector<uint32_t> module_sizes;  // defaults to 0x1800 each
    std::string loader_name = "qemu";
    std::vector<E820Entry> e820 = kQemu128M;
    uint32_t e820_phys = kE820Phys;  // QEMU leaves room for 53 entries below the structure
    uint32_t flags = (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3) | (1u << 6) | (1u << 9);

    uint32_t install(fakes::FakePhysicalMemory& memory) const {
        memory.add_range(0x9000, 0x1000);
        memory.add_range(kLoadPhys, 0x200000);
        uint64_t table = kLoadPhys + kKernelSize;
        uint64_t cursor = table + 16 * initrd.size();
        std::vector<uint64_t> module_strings;
        for (const std::string& entry : initrd) {
            memory.write_string(cursor, entry);
            module_strings.push_back(cursor);
            cursor += entry.size() + 1;
        }
        uint64_t cmdline = cursor;
        memory.write_string(cmdline, kernel_path + " " + append);
        cursor += kernel_path.size() + append.size() + 2;
        uint64_t loader = cursor;
        memory.write_string(loader, loader_name);
        cursor = page_align(cursor + loader_name.size() + 1);
        for (size_t i = 0; i < initrd.size(); ++i) {
            uint32_t size = i < module_sizes.size() ? module_sizes[i] : 0x1800;
            memory.write_u32(table + 16 * i, static_cast<uint32_t>(cursor));
            memory.write_u32(table + 16 * i + 4, static_cast<uint32_t>(cursor + size));
            memory.write_u32(table + 16 * i + 8, static_cast<uint32_t>(module_strings[i]));
            cursor = page_align(cursor + size);
        }
        for (size_t i = 0; i < e820.size(); ++i) {
            uint64_t entry = e820_phys + 24 * i;
            memory.write_u32(entry, 20);
            memory.write_u64(entry + 4, e820[i].base);
            memory.write_u64(entry + 12, e820[i].length);
            memory.write_u32(entry + 20, e820[i].type);
        }
        memory.write_u32(kInfoPhys + 0, flags);
        memory.write_u32(kInfoPhys + 4, 639);      // mem_lower, KiB
        memory.write_u32(kInfoPhys + 8, 130944);   // mem_upper, KiB: 1 MiB up to 0x7fe0000
        memory.write_u32(kInfoPhys + 12, 0x8000ffff);
        memory.write_u32(kInfoPhys + 16, static_cast<uint32_t>(cmdline));
        memory.write_u32(kInfoPhys + 20, static_cast<uint32_t>(initrd.size()));
        memory.write_u32(kInfoPhys + 24, static_cast<uint32_t>(table));
        memory.write_u32(kInfoPhys + 44, static_cast<uint32_t>(24 * e820.size()));
        memory.write_u32(kInfoPhys + 48, e820_phys);
        memory.write_u32(kInfoPhys + 64, static_cast<uint32_t>(loader));
        return kInfoPhys;
    }
};

struct Parsed {
    fakes::FakePhysicalMemory memory;
    std::unique_ptr<BootInfo> info = std::make_unique<BootInfo>();
    lib::ErrorOr<void> result{lib::error(Errno::Inval, "not parsed")};
};

std::unique_ptr<Parsed> parse(const QemuMultiboot1& layout) {
    auto parsed = std::make_unique<Parsed>();
    uint32_t info_phys = layout.install(parsed->memory);
    parsed->result = hv::boot::parse_boot_info(hv::boot::kMultiboot1BootMagic, info_phys, parsed->memory, *parsed->info);
    return parsed;
}

QemuMultiboot1 design_example() {
    QemuMultiboot1 layout;
    layout.append = "loglvl=debug noreboot";
    layout.initrd = {"/build/images/dom0.elf name=dom0 role=control,xenstore,backend mem=32M --",
                     "/build/disk.img disk-of=student --",
                     "/build/images/student.elf name=student mem=64M -- loglevel=debug"};
    layout.module_sizes = {0x1800, 0x200, 0x3000};
    return layout;
}

}  // namespace

TEST_CASE("QEMU's Multiboot1 information gives the command line and module strings without their path words") {
    auto parsed = parse(design_example());
    REQUIRE_FALSE(parsed->result.is_error());
    const BootInfo& info = *parsed->info;
    CHECK(info.protocol == BootProtocol::Multiboot1);
    CHECK(std::string(info.loader_name) == "qemu");
    CHECK(std::string(info.command_line) == "loglvl=debug noreboot");
    REQUIRE(info.module_count == 3);
    CHECK(std::string(info.modules[0].string) == "name=dom0 role=control,xenstore,backend mem=32M --");
    CHECK(std::string(info.modules[1].string) == "disk-of=student --");
    CHECK(std::string(info.modules[2].string) == "name=student mem=64M -- loglevel=debug");
}

TEST_CASE("QEMU's modules keep the addresses QEMU wrote, end being one past the last byte") {
    auto parsed = parse(design_example());
    REQUIRE_FALSE(parsed->result.is_error());
    auto modules = parsed->info->module_list();
    REQUIRE(modules.size() == 3);
    CHECK(modules[0].start == 0x281000);
    CHECK(modules[0].end == 0x282800);
    CHECK(modules[0].size() == 0x1800);
    CHECK(modules[1].start == 0x283000);
    CHECK(modules[1].end == 0x283200);
    CHECK(modules[2].start == 0x284000);
    CHECK(modules[2].end == 0x287000);
}

TEST_CASE("QEMU's e820 memory map is copied entry by entry with its types") {
    auto parsed = parse(design_example());
    REQUIRE_FALSE(parsed->result.is_error());
    auto map = parsed->info->memory_map();
    REQUIRE(map.size() == kQemu128M.size());
    for (size_t i = 0; i < map.size(); ++i) {
        CAPTURE(i);
        CHECK(map[i].base == kQemu128M[i].base);
        CHECK(map[i].length == kQemu128M[i].length);
        CHECK(map[i].type == (kQemu128M[i].type == 1 ? MemoryType::Available : MemoryType::Reserved));
    }
}

TEST_CASE("memory types 3, 4 and 5 are ACPI reclaimable, ACPI NVS and bad; unknown types are reserved") {
    QemuMultiboot1 layout;
    layout.e820 = {{0x0, 0x1000, 3}, {0x1000, 0x1000, 4}, {0x2000, 0x1000, 5}, {0x3000, 0x1000, 77}};
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    auto map = parsed->info->memory_map();
    REQUIRE(map.size() == 4);
    CHECK(map[0].type == MemoryType::AcpiReclaimable);
    CHECK(map[1].type == MemoryType::AcpiNvs);
    CHECK(map[2].type == MemoryType::Bad);
    CHECK(map[3].type == MemoryType::Reserved);
}

TEST_CASE("empty memory-map entries are skipped") {
    QemuMultiboot1 layout;
    layout.e820 = {{0x0, 0x9fc00, 1}, {0x9fc00, 0, 2}, {0x100000, 0x100000, 1}};
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(parsed->info->region_count == 2);
}

TEST_CASE("a QEMU command line without -append is empty once the path word is dropped") {
    QemuMultiboot1 layout;  // QEMU writes "<path> " with a trailing space
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(std::string(parsed->info->command_line).empty());
    CHECK(parsed->info->module_count == 0);
}

TEST_CASE("a QEMU module given only as a path has an empty string") {
    QemuMultiboot1 layout;
    layout.initrd = {"/boot/test-kernel", "/boot/test-kernel some-arg"};
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(std::string(parsed->info->modules[0].string).empty());
    CHECK(std::string(parsed->info->modules[1].string) == "some-arg");
}

TEST_CASE("spaces around the path word go with it, and inner spacing of the arguments stays") {
    QemuMultiboot1 layout;
    layout.kernel_path = "   /xen.elf";
    layout.append = "  a   b ";
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(std::string(parsed->info->command_line) == "a   b ");
}

TEST_CASE("GRUB 2's multiboot command passes no path word, so its strings are kept whole") {
    QemuMultiboot1 layout;
    layout.loader_name = "GRUB 2.06-13+deb12u1";
    layout.kernel_path = "loglvl=info";  // what GRUB 2 writes is the arguments alone
    layout.append = "noreboot";
    layout.initrd = {"name=dom0 --"};
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(std::string(parsed->info->command_line) == "loglvl=info noreboot");
    CHECK(std::string(parsed->info->modules[0].string) == "name=dom0 --");
}

TEST_CASE("GRUB legacy puts the path first, like QEMU, and it is dropped") {
    QemuMultiboot1 layout;
    layout.loader_name = "GNU GRUB 0.97";
    layout.kernel_path = "/boot/xenolith.elf";
    layout.append = "loglvl=warning";
    layout.initrd = {"/boot/dom0.elf name=dom0 --"};
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(std::string(parsed->info->command_line) == "loglvl=warning");
    CHECK(std::string(parsed->info->modules[0].string) == "name=dom0 --");
}

TEST_CASE("without a loader name the path word is dropped, as Xen does for an unknown loader") {
    QemuMultiboot1 layout;
    layout.flags &= ~(1u << 9);
    layout.append = "noreboot";
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(std::string(parsed->info->loader_name).empty());
    CHECK(std::string(parsed->info->command_line) == "noreboot");
}

TEST_CASE("loader_is_grub2 tells GRUB 2 from GRUB legacy and from other loaders, as Xen does") {
    CHECK(hv::boot::loader_is_grub2("GRUB 2.06"));
    CHECK(hv::boot::loader_is_grub2("GRUB 2.12~rc1"));
    CHECK_FALSE(hv::boot::loader_is_grub2("GNU GRUB 0.97"));
    CHECK_FALSE(hv::boot::loader_is_grub2("qemu"));
    CHECK_FALSE(hv::boot::loader_is_grub2(""));
    CHECK_FALSE(hv::boot::loader_is_grub2("GRUB"));
}

TEST_CASE("without a memory map, mem_lower and mem_upper give the two available regions") {
    QemuMultiboot1 layout;
    layout.flags &= ~(1u << 6);
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    auto map = parsed->info->memory_map();
    REQUIRE(map.size() == 2);
    CHECK(map[0].base == 0);
    CHECK(map[0].length == 639 * 1024);
    CHECK(map[0].type == MemoryType::Available);
    CHECK(map[1].base == 0x100000);
    CHECK(map[1].length == 130944ull * 1024);
}

TEST_CASE("a Multiboot1 structure with neither a memory map nor mem_lower/mem_upper is refused") {
    QemuMultiboot1 layout;
    layout.flags &= ~((1u << 6) | (1u << 0));
    CHECK_ERROR(parse(layout)->result, Errno::Inval, "multiboot1: neither a memory map nor mem_lower/mem_upper");
}

TEST_CASE("a Multiboot1 memory map without entries is refused") {
    QemuMultiboot1 layout;
    layout.e820 = {};
    CHECK_ERROR(parse(layout)->result, Errno::Inval, "multiboot1: the memory map is empty");
}

TEST_CASE("a Multiboot1 information pointer into unreadable memory is refused") {
    fakes::FakePhysicalMemory memory;
    memory.add_range(0x9000, 0x1000);
    auto info = std::make_unique<BootInfo>();
    CHECK_ERROR(hv::boot::parse_multiboot1(0x20000, memory, *info), Errno::Fault,
                "multiboot1: the information structure lies outside readable memory");
    // The fixed part would end 4 bytes past the readable range.
    CHECK_ERROR(hv::boot::parse_multiboot1(0x9fc0, memory, *info), Errno::Fault,
                "multiboot1: the information structure lies outside readable memory");
}

TEST_CASE("a module table outside readable memory is refused") {
    QemuMultiboot1 layout;
    layout.initrd = {"/m a"};
    auto parsed = std::make_unique<Parsed>();
    uint32_t info_phys = layout.install(parsed->memory);
    parsed->memory.write_u32(info_phys + 24, 0x10000000);
    CHECK_ERROR(hv::boot::parse_multiboot1(info_phys, parsed->memory, *parsed->info), Errno::Fault,
                "multiboot1: the module table lies outside readable memory");
}

TEST_CASE("a memory map outside readable memory is refused") {
    QemuMultiboot1 layout;
    auto parsed = std::make_unique<Parsed>();
    uint32_t info_phys = layout.install(parsed->memory);
    parsed->memory.write_u32(info_phys + 44, 0x2000);  // mmap_length past the low page
    CHECK_ERROR(hv::boot::parse_multiboot1(info_phys, parsed->memory, *parsed->info), Errno::Fault,
                "multiboot1: the memory map lies outside readable memory");
}

TEST_CASE("seventeen Multiboot1 modules are refused; sixteen fit") {
    QemuMultiboot1 layout;
    layout.initrd.assign(16, "/m x");
    layout.module_sizes.assign(16, 0x100);
    auto sixteen = parse(layout);
    REQUIRE_FALSE(sixteen->result.is_error());
    CHECK(sixteen->info->module_count == 16);
    layout.initrd.push_back("/m y");
    CHECK_ERROR(parse(layout)->result, Errno::TooBig, "more than 16 modules");
}

TEST_CASE("a Multiboot1 module that ends before it starts is refused") {
    QemuMultiboot1 layout;
    layout.initrd = {"/m a"};
    auto parsed = std::make_unique<Parsed>();
    uint32_t info_phys = layout.install(parsed->memory);
    uint64_t table = QemuMultiboot1::kLoadPhys + QemuMultiboot1::kKernelSize;
    parsed->memory.write_u32(table + 4, 0x280fff);  // below its start, 0x281000
    CHECK_ERROR(hv::boot::parse_multiboot1(info_phys, parsed->memory, *parsed->info), Errno::Inval,
                "a module ends before it starts");
}

TEST_CASE("an empty module (end equal to start) is accepted") {
    QemuMultiboot1 layout;
    layout.initrd = {"/empty"};
    layout.module_sizes = {0};
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(parsed->info->modules[0].size() == 0);
}

TEST_CASE("a Multiboot1 string address of 0 means an empty string") {
    QemuMultiboot1 layout;
    layout.initrd = {"/m a"};
    auto parsed = std::make_unique<Parsed>();
    uint32_t info_phys = layout.install(parsed->memory);
    parsed->memory.write_u32(info_phys + 16, 0);
    parsed->memory.write_u32(QemuMultiboot1::kLoadPhys + QemuMultiboot1::kKernelSize + 8, 0);
    REQUIRE_FALSE(hv::boot::parse_multiboot1(info_phys, parsed->memory, *parsed->info).is_error());
    CHECK(std::string(parsed->info->command_line).empty());
    CHECK(std::string(parsed->info->modules[0].string).empty());
}

TEST_CASE("an mmap entry whose size field is below 20 is refused") {
    QemuMultiboot1 layout;
    auto parsed = std::make_unique<Parsed>();
    uint32_t info_phys = layout.install(parsed->memory);
    parsed->memory.write_u32(QemuMultiboot1::kE820Phys + 24, 16);
    CHECK_ERROR(hv::boot::parse_multiboot1(info_phys, parsed->memory, *parsed->info), Errno::Inval,
                "multiboot1: an mmap entry's size is below 20");
}

TEST_CASE("an mmap entry that runs past mmap_length is refused") {
    QemuMultiboot1 layout;
    auto parsed = std::make_unique<Parsed>();
    uint32_t info_phys = layout.install(parsed->memory);
    parsed->memory.write_u32(info_phys + 44, 24 * 2 + 10);  // the third entry is cut short
    CHECK_ERROR(hv::boot::parse_multiboot1(info_phys, parsed->memory, *parsed->info), Errno::Inval,
                "multiboot1: an mmap entry runs past mmap_length");
    parsed->memory.write_u32(info_phys + 44, 24 * 2 + 2);  // not even room for its size field
    CHECK_ERROR(hv::boot::parse_multiboot1(info_phys, parsed->memory, *parsed->info), Errno::Inval,
                "multiboot1: an mmap entry runs past mmap_length");
}

TEST_CASE("larger mmap entries are stepped over by their size field") {
    QemuMultiboot1 layout;
    layout.e820 = {};
    auto parsed = std::make_unique<Parsed>();
    uint32_t info_phys = layout.install(parsed->memory);
    uint64_t map = QemuMultiboot1::kE820Phys;
    for (uint64_t i = 0; i < 2; ++i) {  // entries of 28 bytes plus the size field
        parsed->memory.write_u32(map + 32 * i, 28);
        parsed->memory.write_u64(map + 32 * i + 4, 0x100000 * (i + 1));
        parsed->memory.write_u64(map + 32 * i + 12, 0x1000);
        parsed->memory.write_u32(map + 32 * i + 20, 1);
    }
    parsed->memory.write_u32(info_phys + 44, 64);
    REQUIRE_FALSE(hv::boot::parse_multiboot1(info_phys, parsed->memory, *parsed->info).is_error());
    REQUIRE(parsed->info->region_count == 2);
    CHECK(parsed->info->regions[1].base == 0x200000);
}

TEST_CASE("more than 64 memory regions are refused") {
    QemuMultiboot1 layout;
    layout.e820.clear();
    for (uint64_t i = 0; i < 65; ++i) layout.e820.push_back({i * 0x1000, 0x1000, 1});
    layout.e820_phys = 0x9600;  // above the information structure: 65 entries need 1560 bytes
    CHECK_ERROR(parse(layout)->result, Errno::TooBig, "more than 64 memory regions");
    layout.e820.pop_back();
    CHECK_FALSE(parse(layout)->result.is_error());
}

TEST_CASE("a memory region that wraps past 2^64 is refused") {
    QemuMultiboot1 layout;
    layout.e820 = {{0xfffffffffffff000, 0x2000, 2}};
    CHECK_ERROR(parse(layout)->result, Errno::Inval, "a memory region wraps past 2^64");
}

TEST_CASE("a command line without a NUL within 4096 bytes is refused") {
    QemuMultiboot1 layout;
    layout.append = std::string(5000, 'a');
    CHECK_ERROR(parse(layout)->result, Errno::Inval, "a loader string has no NUL within 4096 bytes");
}

TEST_CASE("a string that runs into unreadable memory is refused") {
    QemuMultiboot1 layout;
    auto parsed = std::make_unique<Parsed>();
    uint32_t info_phys = layout.install(parsed->memory);
    parsed->memory.write(0x9ffc, "abcd", 4);  // the last bytes of the low page, no NUL
    parsed->memory.write_u32(info_phys + 16, 0x9ffc);
    CHECK_ERROR(hv::boot::parse_multiboot1(info_phys, parsed->memory, *parsed->info), Errno::Fault,
                "a loader string lies outside readable memory");
}

TEST_CASE("a module string of 1023 bytes after its path word fits; 1024 is refused, not truncated") {
    QemuMultiboot1 layout;
    layout.initrd = {"/m " + std::string(1023, 'x')};
    auto fits = parse(layout);
    REQUIRE_FALSE(fits->result.is_error());
    CHECK(std::string(fits->info->modules[0].string) == std::string(1023, 'x'));
    layout.initrd = {"/m " + std::string(1024, 'x')};
    CHECK_ERROR(parse(layout)->result, Errno::TooBig, "a module string is longer than 1023 bytes");
}

TEST_CASE("a hypervisor command line longer than 1023 bytes is refused") {
    QemuMultiboot1 layout;
    layout.append = std::string(1024, 'y');
    CHECK_ERROR(parse(layout)->result, Errno::TooBig, "multiboot1: the command line is longer than 1023 bytes");
}

TEST_CASE("a long loader name is truncated to 63 characters, since it only informs") {
    QemuMultiboot1 layout;
    layout.loader_name = std::string(100, 'L');
    auto parsed = parse(layout);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(std::string(parsed->info->loader_name) == std::string(63, 'L'));
}

TEST_CASE("a second parse into the same BootInfo starts from empty lists") {
    auto parsed = parse(design_example());
    REQUIRE_FALSE(parsed->result.is_error());
    QemuMultiboot1 plain;
    fakes::FakePhysicalMemory memory;
    uint32_t info_phys = plain.install(memory);
    REQUIRE_FALSE(hv::boot::parse_multiboot1(info_phys, memory, *parsed->info).is_error());
    CHECK(parsed->info->module_count == 0);
    CHECK(parsed->info->region_count == kQemu128M.size());
    CHECK(std::string(parsed->info->command_line).empty());
}

TEST_CASE("an unknown boot magic is refused by name") {
    fakes::FakePhysicalMemory memory;
    auto info = std::make_unique<BootInfo>();
    CHECK_ERROR(hv::boot::parse_boot_info(0x1BADB002, 0x9500, memory, *info), Errno::Inval,
                "unknown boot magic: neither Multiboot1 (0x2badb002) nor Multiboot2 (0x36d76289)");
}
