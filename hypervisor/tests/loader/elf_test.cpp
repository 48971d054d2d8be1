// SPDX-License-Identifier: MIT
// Tests of the ELF64 layer: every header field and table a hostile file can get wrong.
#include <doctest/doctest.h>

#include "loader/elf.hpp"
#include "loader/kernel_image.hpp"
#include "tests/loader/elf_builder.hpp"

using namespace test_elf;

namespace {

Bytes valid_image() { return mini_os_like().build(); }

}  // namespace

TEST_CASE("lies_inside never lets an offset plus a size wrap around") {
    CHECK(hv::loader::lies_inside(100, 0, 100));
    CHECK(hv::loader::lies_inside(100, 100, 0));
    CHECK_FALSE(hv::loader::lies_inside(100, 101, 0));
    CHECK_FALSE(hv::loader::lies_inside(100, 1, 100));
    CHECK_FALSE(hv::loader::lies_inside(100, 8, ~uint64_t{0} - 4));
    CHECK_FALSE(hv::loader::lies_inside(100, ~uint64_t{0}, 2));
}

TEST_CASE("an empty file is not an ELF file") {
    CHECK(refusal({}) == "not an ELF file");
}

TEST_CASE("a file with the wrong magic is not an ELF file") {
    Bytes image = valid_image();
    image[1] = 'X';
    CHECK(refusal(image) == "not an ELF file");
}

TEST_CASE("a file cut inside the ELF header is refused as truncated") {
    Bytes image = valid_image();
    CHECK(refusal(Bytes(image.begin(), image.begin() + 40)) == "ELF header is truncated");
    CHECK(refusal(Bytes(image.begin(), image.begin() + 8)) == "ELF header is truncated");
}

TEST_CASE("a 32-bit ELF is refused: a PV kernel here is 64-bit") {
    Bytes image = valid_image();
    image[kEhdrClass] = 1;
    CHECK(refusal(image) == "ELF class is 32-bit, a 64-bit PV kernel is needed");
    image[kEhdrClass] = 9;
    CHECK(refusal(image) == "ELF class is neither 32- nor 64-bit");
}

TEST_CASE("a big-endian ELF is refused") {
    Bytes image = valid_image();
    image[kEhdrData] = 2;
    CHECK(refusal(image) == "ELF data is big-endian, an x86-64 kernel is little-endian");
}

TEST_CASE("an ELF for another machine is refused") {
    Bytes image = valid_image();
    put(image, kEhdrMachine, 3, 2);  // EM_386
    CHECK(refusal(image) == "machine is not x86-64");
}

TEST_CASE("a relocatable object is refused but a position-independent executable is not") {
    Bytes image = valid_image();
    put(image, kEhdrType, 1, 2);  // ET_REL
    CHECK(refusal(image) == "ELF type is not an executable (ET_EXEC or ET_DYN)");
    put(image, kEhdrType, 3, 2);  // ET_DYN: libelf does not look at e_type
    CHECK(refusal(image) == "accepted");
}

TEST_CASE("a program header table that runs past the end of the file is refused") {
    Bytes image = valid_image();
    put(image, kEhdrPhoff, image.size() - 10, 8);
    CHECK(refusal(image) == "program header table lies outside the file");
}

TEST_CASE("a program header table whose offset plus size wraps around is refused") {
    Bytes image = valid_image();
    put(image, kEhdrPhoff, 0xFFFF'FFFF'FFFF'FFF0, 8);
    CHECK(refusal(image) == "program header table lies outside the file");
    put(image, kEhdrPhoff, 64, 8);
    put(image, kEhdrPhnum, 0xFFFF, 2);  // 65535 * 56 bytes: far more than the file
    CHECK(refusal(image) == "program header table lies outside the file");
}

TEST_CASE("program header entries of another size than Elf64_Phdr are refused") {
    Bytes image = valid_image();
    put(image, kEhdrPhentsize, 32, 2);
    CHECK(refusal(image) == "program header entries are not 56 bytes");
}

TEST_CASE("a section header table outside the file is refused even when notes are in segments") {
    Bytes image = xtf_like();
    put(image, kEhdrShoff, image.size(), 8);
    put(image, kEhdrShnum, 2, 2);
    CHECK(refusal(image) == "section header table lies outside the file");
}

TEST_CASE("a loadable segment whose bytes run past the end of the file is refused") {
    Bytes image = valid_image();
    size_t phdr = ElfBuilder::program_header_at(0);
    put(image, phdr + kPhdrFilesz, image.size(), 8);
    hv::loader::ParseDetail detail;
    auto result = hv::loader::parse_kernel(image, &detail);
    REQUIRE(result.is_error());
    CHECK(std::string(result.error().reason) == "a loadable segment's bytes lie outside the file");
    CHECK(detail.header == 0);
}

TEST_CASE("a loadable segment whose offset plus size wraps around is refused") {
    Bytes image = valid_image();
    size_t phdr = ElfBuilder::program_header_at(0);
    put(image, phdr + kPhdrOffset, 0xFFFF'FFFF'FFFF'F000, 8);
    put(image, phdr + kPhdrFilesz, 0x2000, 8);
    CHECK(refusal(image) == "a loadable segment's bytes lie outside the file");
}

TEST_CASE("a segment with more bytes in the file than in memory is refused") {
    Bytes image = valid_image();
    put(image, ElfBuilder::program_header_at(0) + kPhdrMemsz, 0x100, 8);
    CHECK(refusal(image) == "a loadable segment has more bytes in the file than in memory");
}

TEST_CASE("a segment that wraps around the end of the address space is refused") {
    Bytes image = valid_image();
    put(image, ElfBuilder::program_header_at(0) + kPhdrPaddr, 0xFFFF'FFFF'FFFF'F000, 8);
    CHECK(refusal(image) == "a loadable segment wraps around the end of the address space");
}

TEST_CASE("two loadable segments that overlap in guest memory are refused, naming both") {
    ElfBuilder builder = mini_os_like();
    builder.add_load(0x4000, Bytes(0x10, 1), 0x2000);  // inside the first segment's .bss
    hv::loader::ParseDetail detail;
    auto result = hv::loader::parse_kernel(builder.build(), &detail);
    REQUIRE(result.is_error());
    CHECK(std::string(result.error().reason) == "a loadable segment overlaps another one in guest memory");
    CHECK(detail.header == 3);
    CHECK(detail.other_header == 0);
    CHECK(detail.value == 0x4000);
}

TEST_CASE("segments that only touch end to end are accepted") {
    ElfBuilder builder = mini_os_like();
    builder.add_load(0x5000, Bytes(0x10, 1), 0x1000);
    auto result = hv::loader::parse_kernel(builder.build());
    REQUIRE_FALSE(result.is_error());
    CHECK(result.value().segments().size() == 2);
    CHECK(result.value().kernel_end.raw() == 0x6000);
}

TEST_CASE("a kernel with more than sixteen loadable segments is refused") {
    ElfBuilder builder = mini_os_like();
    for (uint64_t i = 0; i < 16; ++i) builder.add_load(0x10000 + i * 0x1000, Bytes(8, 1), 0x1000);
    hv::loader::ParseDetail detail;
    auto result = hv::loader::parse_kernel(builder.build(), &detail);
    REQUIRE(result.is_error());
    CHECK(std::string(result.error().reason) == "the kernel has more than 16 loadable segments");
    CHECK(detail.header == 18);  // the seventeenth PT_LOAD, after the PT_NOTE and PT_GNU_STACK
}

TEST_CASE("a kernel without a loadable segment is refused") {
    ElfBuilder builder;
    builder.add_note_segment(encode_notes(minimal_notes()));
    CHECK(refusal(builder.build()) == "the kernel has no loadable segment");
}

TEST_CASE("a kernel whose loadable segments are all empty is refused") {
    ElfBuilder builder;
    builder.add_load(0x100000, Bytes{}, 0);
    builder.add_note_segment(encode_notes(minimal_notes()));
    builder.entry = 0x100000;
    CHECK(refusal(builder.build()) == "the kernel's loadable segments are all empty");
}

TEST_CASE("a PT_LOAD with no access flags is neither loaded nor counted, as in libelf") {
    ElfBuilder builder = mini_os_like();
    builder.add_load(0x400000, Bytes(8, 1), 0x1000, 0);
    auto result = hv::loader::parse_kernel(builder.build());
    REQUIRE_FALSE(result.is_error());
    CHECK(result.value().segments().size() == 1);
    CHECK(result.value().kernel_end.raw() == 0x5000);

    ElfBuilder only_flagless;
    only_flagless.add_load(0x100000, Bytes(8, 1), 0x1000, 0);
    only_flagless.add_note_segment(encode_notes(minimal_notes()));
    CHECK(refusal(only_flagless.build()) == "the kernel has no loadable segment");
}
