// SPDX-License-Identifier: MIT
// Tests of the Xen note walk: where notes are searched, malformed notes, FEATURES strings.
#include <doctest/doctest.h>

#include <string>

#include "loader/kernel_image.hpp"
#include "loader/xen_notes.hpp"
#include "tests/loader/elf_builder.hpp"

using namespace test_elf;
using hv::loader::NoteType;

namespace {

hv::loader::FeatureSet features_of(const std::string& text, bool* ok = nullptr) {
    hv::loader::FeatureSet features;
    auto result = hv::loader::parse_feature_string({reinterpret_cast<const uint8_t*>(text.data()), text.size()},
                                                   features);
    if (ok != nullptr) *ok = !result.is_error();
    return features;
}

std::vector<Note> with(std::vector<Note> notes, const Note& extra) {
    notes.push_back(extra);
    return notes;
}

// A kernel with the minimal notes and `extra`.
Bytes kernel_and(const Note& extra) { return kernel_with_notes(with(minimal_notes(), extra)); }

}  // namespace

TEST_CASE("a kernel without any Xen note is refused") {
    Note build_id{"GNU", 3, Bytes(20, 1)};
    CHECK(refusal(kernel_with_notes({build_id})) == "no Xen ELF notes (a legacy __xen_guest section is not read)");
    ElfBuilder builder;
    builder.add_load(0x100000, Bytes(16, 1), 0x1000);
    CHECK(refusal(builder.build()) == "no Xen ELF notes (a legacy __xen_guest section is not read)");
}

TEST_CASE("notes named other than Xen are skipped even when their type is a Xen type") {
    Note fake = string_note(NoteType::XenVersion, "xen-3.0");
    fake.name = "Xe";
    CHECK(refusal(kernel_with_notes({string_note(NoteType::Loader, "generic"), fake})) ==
          "XEN_VERSION note is missing or not xen-3.0");
}

TEST_CASE("notes in a PT_NOTE segment win and the section headers are then not searched") {
    ElfBuilder builder;
    builder.add_load(0x100000, Bytes(0x1000, 1), 0x1000);
    builder.add_note_segment(encode_notes({string_note(NoteType::Loader, "generic")}));
    builder.add_note_section(encode_notes(minimal_notes()));
    CHECK(refusal(builder.build()) == "XEN_VERSION note is missing or not xen-3.0");
}

TEST_CASE("a PT_NOTE at file offset 0 is skipped, as libelf does for old binutils") {
    ElfBuilder builder;
    builder.add_load(0x100000, Bytes(0x1000, 1), 0x1000);
    size_t note = builder.add_note_segment(encode_notes({string_note(NoteType::Loader, "bogus")}));
    builder.add_note_section(encode_notes(minimal_notes()));
    builder.entry = 0x100000;
    Bytes image = builder.build();
    put(image, ElfBuilder::program_header_at(note) + kPhdrOffset, 0, 8);
    auto result = hv::loader::parse_kernel(image);
    REQUIRE_MESSAGE(!result.is_error(), refusal(image));
    CHECK(result.value().note_source == hv::loader::NoteSource::SectionHeaders);
}

TEST_CASE("a note area too short for a note header is refused") {
    ElfBuilder builder;
    builder.add_load(0x100000, Bytes(0x1000, 1), 0x1000);
    builder.add_note_segment(Bytes{4, 0, 0, 0, 8, 0, 0, 0});
    CHECK(refusal(builder.build()) == "a note header runs past the end of its note area");
}

TEST_CASE("a note whose name runs past its segment is refused") {
    Bytes notes = encode_notes(minimal_notes());
    put(notes, 0, 0x100, 4);  // namesz
    ElfBuilder builder;
    builder.add_load(0x100000, Bytes(0x1000, 1), 0x1000);
    builder.add_note_segment(notes);
    CHECK(refusal(builder.build()) == "a note name runs past the end of its note area");
}

TEST_CASE("a note whose desc runs past its segment is refused, naming the note area") {
    Bytes notes = encode_notes(minimal_notes());
    put(notes, 4, 0xFFFF'FFF0, 4);  // descsz of the first note
    ElfBuilder builder;
    builder.add_load(0x100000, Bytes(0x1000, 1), 0x1000);
    size_t note = builder.add_note_segment(notes);
    hv::loader::ParseDetail detail;
    auto result = hv::loader::parse_kernel(builder.build(), &detail);
    REQUIRE(result.is_error());
    CHECK(std::string(result.error().reason) == "a note's contents run past the end of its note area");
    CHECK(detail.header == note);
}

TEST_CASE("a note segment that lies outside the file is refused") {
    ElfBuilder builder;
    builder.add_load(0x100000, Bytes(0x1000, 1), 0x1000);
    size_t note = builder.add_note_segment(encode_notes(minimal_notes()));
    Bytes image = builder.build();
    put(image, ElfBuilder::program_header_at(note) + kPhdrFilesz, image.size(), 8);
    CHECK(refusal(image) == "a note segment or section lies outside the file");
}

TEST_CASE("a string note without a NUL inside the note is refused") {
    Note loader = string_note(NoteType::Loader, "generic");
    loader.desc.pop_back();  // drop the NUL; the padding after it stays zero
    hv::loader::ParseDetail detail;
    auto result = hv::loader::parse_kernel(kernel_with_notes({loader, minimal_notes()[1]}), &detail);
    REQUIRE(result.is_error());
    CHECK(std::string(result.error().reason) == "a string note is not NUL-terminated inside the note");
    CHECK(detail.note_type == static_cast<uint32_t>(NoteType::Loader));
}

TEST_CASE("a numeric note of three bytes is refused") {
    CHECK(refusal(kernel_and(number_note(NoteType::Entry, 0x100000, 3))) ==
          "a numeric note is not 1, 2, 4 or 8 bytes long");
}

TEST_CASE("numeric notes of 1, 2, 4 and 8 bytes are read little-endian") {
    for (size_t width : {1, 2, 4, 8}) {
        uint64_t entry = width == 1 ? 0x10 : width == 2 ? 0x1010 : 0x100010;
        ElfBuilder builder;
        builder.add_load(entry & ~uint64_t{0xFFF}, Bytes(0x100, 1), 0x1000);
        builder.add_note_segment(encode_notes(with(minimal_notes(), number_note(NoteType::Entry, entry, width))));
        Bytes image = builder.build();
        auto result = hv::loader::parse_kernel(image);
        REQUIRE_MESSAGE(!result.is_error(), refusal(image));
        CHECK(result.value().entry.raw() == entry);
    }
}

TEST_CASE("notes Xen does not read for a 64-bit PV guest may have any size") {
    Note l1_mfn_valid = number_note(NoteType::L1MfnValid, 1, 8);
    l1_mfn_valid.desc.resize(16, 0);  // Linux gives two quads
    Note unknown{"Xen", 0x77, Bytes(3, 0)};
    CHECK(refusal(kernel_with_notes(with(with(minimal_notes(), l1_mfn_valid), unknown))) == "accepted");
}

TEST_CASE("a later note of the same type replaces an earlier one, as in libelf") {
    std::vector<Note> notes = minimal_notes();
    notes.push_back(string_note(NoteType::GuestOs, "first"));
    notes.push_back(string_note(NoteType::GuestOs, "second"));
    auto result = hv::loader::parse_kernel(kernel_with_notes(notes));
    REQUIRE_FALSE(result.is_error());
    CHECK(std::string(result.value().guest_os.c_str()) == "second");
}

TEST_CASE("a long string note is kept truncated but still accepted") {
    std::string long_os(100, 'x');
    auto result = hv::loader::parse_kernel(kernel_and(string_note(NoteType::GuestOs, long_os)));
    REQUIRE_FALSE(result.is_error());
    CHECK(std::string(result.value().guest_os.c_str()) == std::string(hv::loader::kNoteTextCapacity - 1, 'x'));
}

TEST_CASE("FEATURES marks names with ! as required and the rest as supported") {
    bool ok = false;
    hv::loader::FeatureSet features = features_of("!writable_page_tables|pae_pgdir_above_4gb|dom0", &ok);
    CHECK(ok);
    CHECK(features.required == 0x1);
    CHECK(features.supported == (0x1 | 0x10 | 0x800));
    CHECK(features.supports(abi::Feature::Dom0));
    CHECK_FALSE(features.requires_feature(abi::Feature::Dom0));
}

TEST_CASE("FEATURES ignores unknown supported names and empty entries but refuses unknown required ones") {
    bool ok = false;
    hv::loader::FeatureSet features = features_of("no_such_feature||hvm_callback_vector|", &ok);
    CHECK(ok);
    CHECK(features.supported == 0x100);
    features_of("!no_such_feature", &ok);
    CHECK_FALSE(ok);
    features_of("!", &ok);
    CHECK_FALSE(ok);
    CHECK(refusal(kernel_and(string_note(NoteType::Features, "dom0|!mmu_pt_update_preserve_ad"))) ==
          "FEATURES requires a feature Xen does not know");
}

TEST_CASE("SUPPORTED_FEATURES adds submap 0 and records that the note exists") {
    auto result = hv::loader::parse_kernel(kernel_and(number_note(NoteType::SupportedFeatures, 0x801, 4)));
    REQUIRE_FALSE(result.is_error());
    CHECK(result.value().features.supported_note_present);
    CHECK(result.value().features.supports(abi::Feature::Dom0));
    CHECK(result.value().features.required == 0);

    // A size that is not a whole number of 32-bit submaps reads as nothing, as in libelf.
    auto odd = hv::loader::parse_kernel(kernel_and(number_note(NoteType::SupportedFeatures, 0x801, 2)));
    REQUIRE_FALSE(odd.is_error());
    CHECK(odd.value().features.supported_note_present);
    CHECK(odd.value().features.supported == 0);
}

TEST_CASE("PAE_MODE yes and bimodal are recognised and anything else is no") {
    auto mode_of = [](const std::string& text) {
        auto result = hv::loader::parse_kernel(kernel_and(string_note(NoteType::PaeMode, text)));
        REQUIRE_FALSE(result.is_error());
        return result.value().pae_mode;
    };
    CHECK(mode_of("yes") == hv::loader::PaeMode::ExtendedCr3);
    CHECK(mode_of("yes,bimodal") == hv::loader::PaeMode::Bimodal);
    CHECK(mode_of("no") == hv::loader::PaeMode::No);
    CHECK(mode_of("yes please") == hv::loader::PaeMode::No);
}
