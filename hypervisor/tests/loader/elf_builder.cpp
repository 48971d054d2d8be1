// SPDX-License-Identifier: MIT
// Test-only ELF64 image builder (see elf_builder.hpp).
#include "tests/loader/elf_builder.hpp"

#include <utility>

#include "loader/kernel_image.hpp"

namespace test_elf {

using hv::loader::NoteType;

namespace {

size_t align_up(size_t value, size_t alignment) { return (value + alignment - 1) / alignment * alignment; }

void pad_to(Bytes& image, size_t alignment) { image.resize(align_up(image.size(), alignment), 0); }

void append(Bytes& image, uint64_t value, size_t width) {
    image.resize(image.size() + width);
    put(image, image.size() - width, value, width);
}

void write_elf_header(Bytes& image, uint64_t entry, size_t phnum, uint64_t shoff, size_t shnum) {
    const uint8_t ident[16] = {0x7F, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LSB */, 1 /* EV_CURRENT */};
    for (size_t i = 0; i < 16; ++i) image[i] = ident[i];
    put(image, kEhdrType, 2, 2);       // ET_EXEC
    put(image, kEhdrMachine, 62, 2);   // EM_X86_64
    put(image, 20, 1, 4);              // e_version
    put(image, kEhdrEntry, entry, 8);
    put(image, kEhdrPhoff, phnum == 0 ? 0 : 64, 8);
    put(image, kEhdrShoff, shoff, 8);
    put(image, 52, 64, 2);             // e_ehsize
    put(image, kEhdrPhentsize, 56, 2);
    put(image, kEhdrPhnum, phnum, 2);
    put(image, 58, 64, 2);             // e_shentsize
    put(image, kEhdrShnum, shnum, 2);
}

}  // namespace

void put(Bytes& image, size_t offset, uint64_t value, size_t width) {
    for (size_t i = 0; i < width; ++i) image.at(offset + i) = static_cast<uint8_t>(value >> (8 * i));
}

uint64_t get(const Bytes& image, size_t offset, size_t width) {
    uint64_t value = 0;
    for (size_t i = width; i > 0; --i) value = (value << 8) | image.at(offset + i - 1);
    return value;
}

Note string_note(NoteType type, const std::string& text) {
    Note note{"Xen", static_cast<uint32_t>(type), Bytes(text.begin(), text.end())};
    note.desc.push_back(0);
    return note;
}

Note number_note(NoteType type, uint64_t value, size_t width) {
    Note note{"Xen", static_cast<uint32_t>(type), Bytes(width, 0)};
    put(note.desc, 0, value, width);
    return note;
}

Bytes encode_notes(const std::vector<Note>& notes) {
    Bytes out;
    for (const Note& note : notes) {
        append(out, note.name.size() + 1, 4);
        append(out, note.desc.size(), 4);
        append(out, note.type, 4);
        out.insert(out.end(), note.name.begin(), note.name.end());
        out.push_back(0);
        pad_to(out, 4);
        out.insert(out.end(), note.desc.begin(), note.desc.end());
        pad_to(out, 4);
    }
    return out;
}

size_t ElfBuilder::add_load(uint64_t paddr, Bytes bytes, uint64_t memsz, uint32_t flags) {
    segments_.push_back(Segment{kPtLoad, flags, paddr, std::move(bytes), memsz});
    return segments_.size() - 1;
}

size_t ElfBuilder::add_note_segment(Bytes notes) {
    uint64_t size = notes.size();
    segments_.push_back(Segment{kPtNote, 4, 0, std::move(notes), size});
    return segments_.size() - 1;
}

size_t ElfBuilder::add_note_segment_inside(size_t segment, uint64_t offset, uint64_t size) {
    Segment note{kPtNote, 4, 0, {}, size};
    note.inside = true;
    note.host = segment;
    note.host_offset = offset;
    segments_.push_back(note);
    return segments_.size() - 1;
}

size_t ElfBuilder::add_empty_segment(uint32_t type, uint32_t flags) {
    segments_.push_back(Segment{type, flags, 0, {}, 0});
    return segments_.size() - 1;
}

void ElfBuilder::add_note_section(Bytes notes) { note_sections_.push_back(std::move(notes)); }

Bytes ElfBuilder::build() const {
    Bytes image(64 + 56 * segments_.size(), 0);
    std::vector<uint64_t> offsets(segments_.size(), 0);
    for (size_t i = 0; i < segments_.size(); ++i) {
        if (segments_[i].inside || segments_[i].bytes.empty()) continue;
        pad_to(image, 16);
        offsets[i] = image.size();
        image.insert(image.end(), segments_[i].bytes.begin(), segments_[i].bytes.end());
    }
    write_program_headers(image, offsets);
    uint64_t shoff = write_note_sections(image);
    write_elf_header(image, entry, segments_.size(), shoff, note_sections_.empty() ? 0 : note_sections_.size() + 1);
    return image;
}

void ElfBuilder::write_program_headers(Bytes& image, const std::vector<uint64_t>& offsets) const {
    for (size_t i = 0; i < segments_.size(); ++i) {
        const Segment& s = segments_[i];
        uint64_t offset = s.inside ? offsets[s.host] + s.host_offset : offsets[i];
        uint64_t filesz = s.inside ? s.memsz : s.bytes.size();
        uint64_t paddr = s.inside ? segments_[s.host].paddr + s.host_offset : s.paddr;
        size_t at = program_header_at(i);
        put(image, at, s.type, 4);
        put(image, at + kPhdrFlags, s.flags, 4);
        put(image, at + kPhdrOffset, offset, 8);
        put(image, at + 16, paddr, 8);  // p_vaddr = p_paddr
        put(image, at + kPhdrPaddr, paddr, 8);
        put(image, at + kPhdrFilesz, filesz, 8);
        put(image, at + kPhdrMemsz, s.type == kPtLoad ? s.memsz : filesz, 8);
        put(image, at + 48, 0x1000, 8);  // p_align
    }
}

uint64_t ElfBuilder::write_note_sections(Bytes& image) const {
    std::vector<uint64_t> section_offsets;
    for (const Bytes& notes : note_sections_) {
        pad_to(image, 4);
        section_offsets.push_back(image.size());
        image.insert(image.end(), notes.begin(), notes.end());
    }
    size_t shnum = note_sections_.empty() ? 0 : note_sections_.size() + 1;  // + the null section
    pad_to(image, 8);
    uint64_t shoff = shnum == 0 ? 0 : image.size();
    image.resize(image.size() + 64 * shnum, 0);
    for (size_t i = 0; i < note_sections_.size(); ++i) {
        size_t at = shoff + 64 * (i + 1);
        put(image, at + 4, 7, 4);  // SHT_NOTE
        put(image, at + 24, section_offsets[i], 8);
        put(image, at + 32, note_sections_[i].size(), 8);
        put(image, at + 48, 4, 8);  // sh_addralign
    }
    return shoff;
}

std::vector<Note> mini_os_notes() {
    return {string_note(NoteType::GuestOs, "Mini-OS"), string_note(NoteType::Loader, "generic"),
            number_note(NoteType::HypercallPage, 0x2000), string_note(NoteType::XenVersion, "xen-3.0")};
}

ElfBuilder mini_os_like(std::vector<Note> extra_notes) {
    ElfBuilder builder;
    Bytes text(0x3000, 0x90);
    text[0x1234] = 0xAB;
    builder.add_load(0, text, 0x5000);
    Note build_id{"GNU", 3 /* NT_GNU_BUILD_ID */, Bytes(20, 0x5A)};
    builder.add_note_segment(encode_notes({build_id}));
    builder.add_empty_segment(kPtGnuStack, kFlagsRw);
    std::vector<Note> notes = mini_os_notes();
    notes.insert(notes.end(), extra_notes.begin(), extra_notes.end());
    builder.add_note_section(encode_notes(notes));
    builder.entry = 0;
    return builder;
}

Bytes xtf_like() {
    Bytes notes = encode_notes({
        string_note(NoteType::GuestOs, "XTF"), string_note(NoteType::GuestVersion, "0"),
        string_note(NoteType::Loader, "generic"), number_note(NoteType::HypercallPage, 0x101000),
        string_note(NoteType::XenVersion, "xen-3.0"),
        string_note(NoteType::Features, "!writable_page_tables|pae_pgdir_above_4gb"),
        string_note(NoteType::PaeMode, "yes"),
    });
    Bytes bytes(0x3000, 0xCC);
    bytes.insert(bytes.end(), notes.begin(), notes.end());
    ElfBuilder builder;
    size_t load = builder.add_load(0x100000, bytes, 0x5000);
    builder.add_note_segment_inside(load, 0x3000, notes.size());
    builder.entry = 0x100000;
    return builder.build();
}

std::vector<Note> minimal_notes() {
    return {string_note(NoteType::Loader, "generic"), string_note(NoteType::XenVersion, "xen-3.0")};
}

Bytes kernel_with_notes(const std::vector<Note>& notes) {
    ElfBuilder builder;
    builder.add_load(0x100000, Bytes(0x2000, 0x11), 0x3000);
    builder.add_note_segment(encode_notes(notes));
    builder.entry = 0x100000;
    return builder.build();
}

std::string refusal(const Bytes& image) {
    auto result = hv::loader::parse_kernel(image);
    if (!result.is_error()) return "accepted";
    const char* reason = result.error().reason;
    return reason == nullptr ? "(no reason)" : reason;
}

}  // namespace test_elf
