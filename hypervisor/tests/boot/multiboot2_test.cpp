// SPDX-License-Identifier: MIT
// Tests of the Multiboot2 parser on tags laid out as GRUB 2 writes them, and on broken ones.
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

constexpr uint32_t kInfoPhys = 0x10000;  // GRUB puts it wherever its allocator says; 8-aligned

struct MmapEntry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

const std::vector<MmapEntry> kGrubQemu128M = {
    {0x0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0xf0000, 0x10000, 2}, {0x100000, 0x7ee0000, 1},
    {0x7fe0000, 0x20000, 2}, {0xfffc0000, 0x40000, 2},
};

// Writes tags the way grub_multiboot_make_mbi() does: each tag's size excludes its
// padding, and the next tag starts at the following multiple of 8.
class Multiboot2Builder {
public:
    Multiboot2Builder() : bytes_(8, 0) {}

    Multiboot2Builder& raw_tag(uint32_t type, uint32_t size, const std::vector<uint8_t>& payload) {
        append_u32(type);
        append_u32(size);
        bytes_.insert(bytes_.end(), payload.begin(), payload.end());
        while (bytes_.size() % 8 != 0) bytes_.push_back(0);
        return *this;
    }
    Multiboot2Builder& tag(uint32_t type, const std::vector<uint8_t>& payload) {
        return raw_tag(type, static_cast<uint32_t>(8 + payload.size()), payload);
    }
    Multiboot2Builder& string_tag(uint32_t type, const std::string& text) { return tag(type, with_nul(text)); }
    Multiboot2Builder& module(uint32_t start, uint32_t end, const std::string& text) {
        std::vector<uint8_t> payload = u32s({start, end});
        auto string = with_nul(text);
        payload.insert(payload.end(), string.begin(), string.end());
        return tag(3, payload);
    }
    Multiboot2Builder& meminfo(uint32_t lower_kib, uint32_t upper_kib) { return tag(4, u32s({lower_kib, upper_kib})); }
    Multiboot2Builder& mmap(const std::vector<MmapEntry>& entries, uint32_t entry_size = 24) {
        std::vector<uint8_t> payload = u32s({entry_size, 0});
        for (const MmapEntry& entry : entries) {
            std::vector<uint8_t> one = u32s({static_cast<uint32_t>(entry.base), static_cast<uint32_t>(entry.base >> 32),
                                             static_cast<uint32_t>(entry.length),
                                             static_cast<uint32_t>(entry.length >> 32), entry.type, 0});
            one.resize(entry_size, 0);
            payload.insert(payload.end(), one.begin(), one.end());
        }
        return tag(6, payload);
    }
    Multiboot2Builder& end() { return tag(0, {}); }

    /// Write total_size (the bytes so far, unless told otherwise) and copy into `memory`.
    uint32_t install(fakes::FakePhysicalMemory& memory, uint32_t phys = kInfoPhys, long total_size = -1) {
        uint32_t total = total_size < 0 ? static_cast<uint32_t>(bytes_.size()) : static_cast<uint32_t>(total_size);
        std::memcpy(bytes_.data(), &total, 4);
        memory.add_range(phys, bytes_.size());
        memory.write(phys, bytes_.data(), bytes_.size());
        return phys;
    }

    static std::vector<uint8_t> u32s(const std::vector<uint32_t>& values) {
        std::vector<uint8_t> out;
        for (uint32_t value : values)
            for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
        return out;
    }
    static std::vector<uint8_t> with_nul(const std::string& text) {
        std::vector<uint8_t> out(text.begin(), text.end());
        out.push_back(0);
        return out;
    }

private:
    void append_u32(uint32_t value) {
        auto four = u32s({value});
        bytes_.insert(bytes_.end(), four.begin(), four.end());
    }
    std::vector<uint8_t> bytes_;
};

// The tags GRUB 2.06 writes for the DESIGN.md example under QEMU (BIOS): cmdline, loader
// name, modules, mmap, ELF sections, basic meminfo, old ACPI RSDP, end.
Multiboot2Builder grub_design_example() {
    Multiboot2Builder b;
    b.string_tag(1, "loglvl=debug noreboot")
        .string_tag(2, "GRUB 2.06-13+deb12u1")
        .module(0x10c000, 0x10d800, "name=dom0 role=control,xenstore,backend mem=32M --")
        .module(0x10e000, 0x10e200, "disk-of=student --")
        .module(0x10f000, 0x112000, "name=student mem=64M -- loglevel=debug")
        .mmap(kGrubQemu128M)
        .tag(9, std::vector<uint8_t>(20 + 64 * 3, 0))  // ELF sections: not ours
        .meminfo(639, 130944)
        .tag(14, std::vector<uint8_t>(20, 0x52));      // ACPI 1.0 RSDP: not ours
    return b;
}

struct Parsed {
    fakes::FakePhysicalMemory memory;
    std::unique_ptr<BootInfo> info = std::make_unique<BootInfo>();
    lib::ErrorOr<void> result{lib::error(Errno::Inval, "not parsed")};
};

std::unique_ptr<Parsed> parse(Multiboot2Builder builder, long total_size = -1) {
    auto parsed = std::make_unique<Parsed>();
    uint32_t phys = builder.install(parsed->memory, kInfoPhys, total_size);
    parsed->result = hv::boot::parse_boot_info(hv::boot::kMultiboot2BootMagic, phys, parsed->memory, *parsed->info);
    return parsed;
}

// A valid structure around the tags under test: a memory map first, then `more`, then end.
Multiboot2Builder with_map() {
    Multiboot2Builder b;
    b.mmap({{0x100000, 0x100000, 1}});
    return b;
}

}  // namespace

TEST_CASE("GRUB 2's Multiboot2 information gives the command line and module strings whole") {
    auto parsed = parse(grub_design_example().end());
    REQUIRE_FALSE(parsed->result.is_error());
    const BootInfo& info = *parsed->info;
    CHECK(info.protocol == BootProtocol::Multiboot2);
    CHECK(std::string(info.loader_name) == "GRUB 2.06-13+deb12u1");
    CHECK(std::string(info.command_line) == "loglvl=debug noreboot");
    REQUIRE(info.module_count == 3);
    CHECK(std::string(info.modules[0].string) == "name=dom0 role=control,xenstore,backend mem=32M --");
    CHECK(std::string(info.modules[1].string) == "disk-of=student --");
    CHECK(std::string(info.modules[2].string) == "name=student mem=64M -- loglevel=debug");
    CHECK(info.modules[0].start == 0x10c000);
    CHECK(info.modules[0].end == 0x10d800);
    CHECK(info.modules[1].start == 0x10e000);
    CHECK(info.modules[1].end == 0x10e200);
    CHECK(info.modules[2].start == 0x10f000);
    CHECK(info.modules[2].end == 0x112000);
}

TEST_CASE("GRUB 2's mmap tag is copied entry by entry, and basic meminfo is then unused") {
    auto parsed = parse(grub_design_example().end());
    REQUIRE_FALSE(parsed->result.is_error());
    auto map = parsed->info->memory_map();
    REQUIRE(map.size() == kGrubQemu128M.size());
    for (size_t i = 0; i < map.size(); ++i) {
        CAPTURE(i);
        CHECK(map[i].base == kGrubQemu128M[i].base);
        CHECK(map[i].length == kGrubQemu128M[i].length);
        CHECK(map[i].type == (kGrubQemu128M[i].type == 1 ? MemoryType::Available : MemoryType::Reserved));
    }
}

TEST_CASE("a Multiboot2 first word is an argument, not a path, and is kept") {
    Multiboot2Builder b = with_map();
    b.string_tag(1, "  /not/a/path loglvl=info").module(0x200000, 0x201000, "some-arg").end();
    auto parsed = parse(b);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(std::string(parsed->info->command_line) == "/not/a/path loglvl=info");
    CHECK(std::string(parsed->info->modules[0].string) == "some-arg");
}

TEST_CASE("GRUB 2's empty strings (a lone NUL) give empty strings") {
    Multiboot2Builder b = with_map();
    b.string_tag(1, "").module(0x200000, 0x201000, "").end();
    auto parsed = parse(b);
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(std::string(parsed->info->command_line).empty());
    CHECK(std::string(parsed->info->modules[0].string).empty());
}

TEST_CASE("without an mmap tag, basic meminfo gives the two available regions") {
    Multiboot2Builder b;
    b.meminfo(639, 130944).end();
    auto parsed = parse(b);
    REQUIRE_FALSE(parsed->result.is_error());
    auto map = parsed->info->memory_map();
    REQUIRE(map.size() == 2);
    CHECK(map[0].base == 0);
    CHECK(map[0].length == 639 * 1024);
    CHECK(map[1].base == 0x100000);
    CHECK(map[1].length == 130944ull * 1024);
}

TEST_CASE("mmap entries larger than 24 bytes (a later entry_version) are stepped over by entry_size") {
    Multiboot2Builder b;
    b.mmap({{0x0, 0x9fc00, 1}, {0x100000, 0x100000, 3}}, 32).end();
    auto parsed = parse(b);
    REQUIRE_FALSE(parsed->result.is_error());
    auto map = parsed->info->memory_map();
    REQUIRE(map.size() == 2);
    CHECK(map[1].base == 0x100000);
    CHECK(map[1].type == MemoryType::AcpiReclaimable);
}

TEST_CASE("parse_boot_info picks the format from the magic") {
    auto parsed = std::make_unique<Parsed>();
    uint32_t phys = grub_design_example().end().install(parsed->memory);
    // The same bytes read as Multiboot1 are nonsense: flags = total_size, etc.
    auto as_mb1 = hv::boot::parse_boot_info(hv::boot::kMultiboot1BootMagic, phys, parsed->memory, *parsed->info);
    CHECK(as_mb1.is_error());
    CHECK_FALSE(hv::boot::parse_boot_info(hv::boot::kMultiboot2BootMagic, phys, parsed->memory, *parsed->info).is_error());
}

TEST_CASE("a Multiboot2 structure that is not 8-byte aligned is refused") {
    auto parsed = std::make_unique<Parsed>();
    uint32_t phys = grub_design_example().end().install(parsed->memory, kInfoPhys + 4);
    CHECK_ERROR(hv::boot::parse_multiboot2(phys, parsed->memory, *parsed->info), Errno::Inval,
                "multiboot2: the information structure is not 8-byte aligned");
}

TEST_CASE("a Multiboot2 information pointer into unreadable memory is refused") {
    fakes::FakePhysicalMemory memory;
    auto info = std::make_unique<BootInfo>();
    CHECK_ERROR(hv::boot::parse_multiboot2(kInfoPhys, memory, *info), Errno::Fault,
                "multiboot2: the information structure lies outside readable memory");
}

TEST_CASE("a total_size too small for the header and an end tag is refused") {
    CHECK_ERROR(parse(with_map().end(), 8)->result, Errno::Inval,
                "multiboot2: total_size is too small for the header and an end tag");
    CHECK_ERROR(parse(with_map().end(), 0)->result, Errno::Inval,
                "multiboot2: total_size is too small for the header and an end tag");
}

TEST_CASE("a total_size that is not a multiple of 8 is refused") {
    CHECK_ERROR(parse(with_map().end(), 44)->result, Errno::Inval, "multiboot2: total_size is not a multiple of 8");
}

TEST_CASE("a total_size above 64 KiB is refused") {
    CHECK_ERROR(parse(with_map().end(), 0x10008)->result, Errno::TooBig, "multiboot2: total_size is above 64 KiB");
}

TEST_CASE("a total_size that reaches past readable memory is refused") {
    CHECK_ERROR(parse(with_map().end(), 0x1000)->result, Errno::Fault,
                "multiboot2: total_size reaches past readable memory");
}

TEST_CASE("a total_size that cuts the structure before its end tag is refused") {
    Multiboot2Builder b = with_map();  // mmap tag: 8 + 8 + 24 = 40 bytes, ends at 48
    CHECK_ERROR(parse(b.end(), 48)->result, Errno::Inval, "multiboot2: no end tag before total_size");
}

TEST_CASE("a structure without an end tag is refused") {
    CHECK_ERROR(parse(with_map())->result, Errno::Inval, "multiboot2: no end tag before total_size");
}

TEST_CASE("an end tag whose size is not 8 is refused") {
    Multiboot2Builder b = with_map();
    b.raw_tag(0, 16, std::vector<uint8_t>(8, 0));
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: the end tag's size is not 8");
}

TEST_CASE("a tag whose size is below 8 is refused") {
    Multiboot2Builder b = with_map();
    b.raw_tag(1, 4, {}).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: a tag's size is below 8");
}

TEST_CASE("a tag that runs past total_size is refused") {
    Multiboot2Builder b = with_map();
    b.raw_tag(21, 0x100, std::vector<uint8_t>(8, 0)).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: a tag runs past total_size");
}

TEST_CASE("an mmap entry_size below 24 (Multiboot1's 20) is refused") {
    Multiboot2Builder b;
    b.mmap({{0x100000, 0x100000, 1}}, 20).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: mmap entry_size is below 24");
}

TEST_CASE("an mmap tag that ends inside an entry is refused") {
    Multiboot2Builder b;
    std::vector<uint8_t> payload = Multiboot2Builder::u32s({24, 0});
    payload.resize(8 + 24 + 12, 0);
    b.tag(6, payload).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: the mmap tag ends inside an entry");
}

TEST_CASE("an mmap tag smaller than its header is refused") {
    Multiboot2Builder b;
    b.tag(6, Multiboot2Builder::u32s({24})).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: the mmap tag is smaller than 16 bytes");
}

TEST_CASE("a Multiboot2 module that ends before it starts is refused") {
    Multiboot2Builder b = with_map();
    b.module(0x200000, 0x1fffff, "x").end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "a module ends before it starts");
}

TEST_CASE("a module tag too small for its addresses is refused") {
    Multiboot2Builder b = with_map();
    b.tag(3, Multiboot2Builder::u32s({0x200000})).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: a module tag is smaller than 16 bytes");
}

TEST_CASE("a module string without a NUL inside its tag is refused, even if one follows in the padding") {
    Multiboot2Builder b = with_map();
    std::vector<uint8_t> payload = Multiboot2Builder::u32s({0x200000, 0x201000});
    payload.push_back('a');  // size 17: the NUL would be padding, outside the tag
    b.tag(3, payload).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: a module string has no NUL inside its tag");
}

TEST_CASE("a command line without a NUL inside its tag is refused") {
    Multiboot2Builder b = with_map();
    b.tag(1, {'a', 'b', 'c'}).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: the command line has no NUL inside its tag");
}

TEST_CASE("a loader name without a NUL inside its tag is refused") {
    Multiboot2Builder b = with_map();
    b.tag(2, {'G', 'R', 'U', 'B'}).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: the loader name has no NUL inside its tag");
}

TEST_CASE("a basic meminfo tag too small for its two fields is refused") {
    Multiboot2Builder b;
    b.tag(4, Multiboot2Builder::u32s({639})).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: the basic meminfo tag is smaller than 16 bytes");
}

TEST_CASE("a Multiboot2 structure with neither an mmap nor a basic meminfo tag is refused") {
    Multiboot2Builder b;
    b.string_tag(1, "noreboot").end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: neither an mmap nor a basic meminfo tag");
}

TEST_CASE("a Multiboot2 memory map without entries is refused") {
    Multiboot2Builder b;
    b.mmap({}).end();
    CHECK_ERROR(parse(b)->result, Errno::Inval, "multiboot2: the memory map is empty");
}

TEST_CASE("a second command-line tag is refused rather than silently chosen") {
    Multiboot2Builder b = with_map();
    b.string_tag(1, "loglvl=info").string_tag(1, "loglvl=debug").end();
    CHECK_ERROR(parse(b)->result, Errno::Inval,
                "multiboot2: a cmdline, loader name, meminfo or mmap tag appears twice");
}

TEST_CASE("seventeen module tags are refused; sixteen fit") {
    Multiboot2Builder b = with_map();
    for (uint32_t i = 0; i < 16; ++i) b.module(0x200000 + i * 0x1000, 0x200800 + i * 0x1000, "m");
    Multiboot2Builder sixteen = b;
    auto parsed = parse(sixteen.end());
    REQUIRE_FALSE(parsed->result.is_error());
    CHECK(parsed->info->module_count == 16);
    b.module(0x300000, 0x301000, "one too many").end();
    CHECK_ERROR(parse(b)->result, Errno::TooBig, "more than 16 modules");
}

TEST_CASE("more than 64 mmap entries are refused") {
    std::vector<MmapEntry> entries;
    for (uint64_t i = 0; i < 65; ++i) entries.push_back({i * 0x1000, 0x1000, 1});
    Multiboot2Builder b;
    b.mmap(entries).end();
    CHECK_ERROR(parse(b)->result, Errno::TooBig, "more than 64 memory regions");
}

TEST_CASE("a Multiboot2 command line longer than 1023 bytes is refused; 1023 fits") {
    Multiboot2Builder fits = with_map();
    fits.string_tag(1, std::string(1023, 'c')).end();
    CHECK_FALSE(parse(fits)->result.is_error());
    Multiboot2Builder too_long = with_map();
    too_long.string_tag(1, std::string(1024, 'c')).end();
    CHECK_ERROR(parse(too_long)->result, Errno::TooBig, "multiboot2: the command line is longer than 1023 bytes");
}

TEST_CASE("a Multiboot2 module string longer than 1023 bytes is refused") {
    Multiboot2Builder b = with_map();
    b.module(0x200000, 0x201000, std::string(1024, 'm')).end();
    CHECK_ERROR(parse(b)->result, Errno::TooBig, "a module string is longer than 1023 bytes");
}
