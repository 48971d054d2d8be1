// SPDX-License-Identifier: MIT
// Fuzz-ish tests: corrupted and truncated kernels are accepted or refused cleanly, never crash.
#include <doctest/doctest.h>

#include <cstdint>

#include "loader/elf.hpp"
#include "loader/kernel_image.hpp"
#include "tests/loader/elf_builder.hpp"

using namespace test_elf;

namespace {

// Load accepted images only up to this size, to keep the test fast.
constexpr uint64_t kMaxRegionToLoad = 256 << 10;

size_t accepted_count = 0;
size_t loaded_count = 0;

// What parse_kernel promises about an image it accepts; then load it (ASan watches).
void check_outcome(const Bytes& file) {
    hv::loader::ParseDetail detail;
    auto result = hv::loader::parse_kernel(file, &detail);
    if (result.is_error()) {
        CHECK(result.error().reason != nullptr);
        return;
    }
    ++accepted_count;
    const hv::loader::KernelImage& image = result.value();
    REQUIRE(image.virt_base.raw() <= image.kernel_start.raw());
    REQUIRE(image.kernel_start.raw() <= image.entry.raw());
    REQUIRE(image.kernel_end.raw() % 4096 == 0);
    REQUIRE(image.kernel_start.raw() < image.kernel_end.raw());
    for (const hv::loader::KernelSegment& segment : image.segments()) {
        uint64_t offset = segment.va.raw() - image.virt_base.raw();
        REQUIRE(hv::loader::lies_inside(image.region_bytes(), offset, segment.memory_size));
        REQUIRE(hv::loader::lies_inside(file.size(), segment.file_offset, segment.file_size));
    }
    if (image.region_bytes() <= kMaxRegionToLoad) {
        Bytes region(image.region_bytes());
        hv::loader::load_kernel(image, file, region);
        ++loaded_count;
    }
}

// Deterministic xorshift64, so that a failure reproduces.
uint64_t next_random(uint64_t& state) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

Bytes small_kernel() {
    ElfBuilder builder;
    builder.add_load(0, Bytes(0x40, 0x90), 0x2000);
    builder.add_load(0x2000, Bytes(0x20, 0x91), 0x20, kFlagsRw);
    builder.add_note_segment(encode_notes({string_note(hv::loader::NoteType::Loader, "generic"),
                                           string_note(hv::loader::NoteType::XenVersion, "xen-3.0"),
                                           number_note(hv::loader::NoteType::HypercallPage, 0x1000),
                                           string_note(hv::loader::NoteType::Features, "!writable_page_tables")}));
    builder.add_note_section(encode_notes({string_note(hv::loader::NoteType::GuestOs, "linux")}));
    builder.entry = 0x10;
    return builder.build();
}

}  // namespace

TEST_CASE("every single-byte corruption of a small kernel is accepted or refused cleanly") {
    const Bytes original = small_kernel();
    REQUIRE(refusal(original) == "accepted");
    accepted_count = 0;
    loaded_count = 0;
    for (size_t position = 0; position < original.size(); ++position) {
        for (uint8_t value : {uint8_t{0x00}, uint8_t{0xFF}, uint8_t{0x7F}, uint8_t{0x80}}) {
            Bytes image = original;
            image[position] = value;
            check_outcome(image);
        }
        Bytes flipped = original;
        flipped[position] ^= 0x01;
        check_outcome(flipped);
    }
    CHECK(accepted_count > 0);  // some corruptions (in the payload) must still load
    CHECK(loaded_count > 0);
}

TEST_CASE("every truncation of the example kernels is accepted or refused cleanly") {
    for (const Bytes& original : {small_kernel(), xtf_like(), mini_os_like().build()}) {
        for (size_t length = 0; length <= original.size(); ++length)
            check_outcome(Bytes(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(length)));
    }
}

TEST_CASE("random multi-byte corruptions of header fields never crash the parser") {
    const Bytes original = small_kernel();
    uint64_t state = 0x9E37'79B9'7F4A'7C15;
    const uint64_t extremes[] = {0, 1, 0xFFF, 0x1000, 0x7FFF'FFFF'FFFF, 0x8000'0000'0000'0000,
                                 0xFFFF'FFFF'FFFF'F000, ~uint64_t{0}};
    for (int round = 0; round < 20000; ++round) {
        Bytes image = original;
        int edits = 1 + static_cast<int>(next_random(state) % 3);
        for (int e = 0; e < edits; ++e) {
            // Mostly the headers and the notes, where the structure lives.
            size_t limit = next_random(state) % 4 == 0 ? image.size() : 64 + 56 * 4;
            size_t position = next_random(state) % (limit - 8);
            uint64_t value = next_random(state) % 2 == 0 ? extremes[next_random(state) % 8] : next_random(state);
            put(image, position, value, 1u << (next_random(state) % 4));
        }
        check_outcome(image);
    }
}
