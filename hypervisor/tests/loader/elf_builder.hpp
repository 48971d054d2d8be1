// SPDX-License-Identifier: MIT
// Test-only: assembles ELF64 kernel images in memory (header, program headers, notes, sections).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "loader/xen_notes.hpp"

namespace test_elf {

using Bytes = std::vector<uint8_t>;

// Raw ELF numbers the tests poke at (System V gABI).
inline constexpr uint32_t kPtLoad = 1;             // PT_LOAD
inline constexpr uint32_t kPtNote = 4;             // PT_NOTE
inline constexpr uint32_t kPtGnuStack = 0x6474E551;  // PT_GNU_STACK
inline constexpr uint32_t kFlagsRwx = 7;           // PF_R | PF_W | PF_X
inline constexpr uint32_t kFlagsRw = 6;            // PF_R | PF_W

// Offsets of ELF header fields, to corrupt a built image.
inline constexpr size_t kEhdrClass = 4, kEhdrData = 5, kEhdrType = 16, kEhdrMachine = 18, kEhdrEntry = 24,
                        kEhdrPhoff = 32, kEhdrShoff = 40, kEhdrPhentsize = 54, kEhdrPhnum = 56,
                        kEhdrShnum = 60;
// Offsets inside a program header.
inline constexpr size_t kPhdrFlags = 4, kPhdrOffset = 8, kPhdrPaddr = 24, kPhdrFilesz = 32, kPhdrMemsz = 40;

/// One ELF note.
struct Note {
    std::string name = "Xen";
    uint32_t type = 0;
    Bytes desc;
};

/// A string note, NUL included.
Note string_note(hv::loader::NoteType type, const std::string& text);
/// A numeric note of `width` bytes, little-endian.
Note number_note(hv::loader::NoteType type, uint64_t value, size_t width = 8);
/// Notes laid out as in a .note section: header, name and desc each padded to 4 bytes.
Bytes encode_notes(const std::vector<Note>& notes);

/// Write `value` little-endian in `width` bytes at `offset`.
void put(Bytes& image, size_t offset, uint64_t value, size_t width);
/// Read it back.
uint64_t get(const Bytes& image, size_t offset, size_t width);

/// Builds an ELF64 x86-64 executable: header, program headers, then each segment's bytes,
/// then the note sections, then the section header table.
class ElfBuilder {
public:
    uint64_t entry = 0;

    /// A PT_LOAD at `paddr` (and the same p_vaddr) with these file bytes and p_memsz.
    size_t add_load(uint64_t paddr, Bytes bytes, uint64_t memsz, uint32_t flags = kFlagsRwx);
    /// A PT_NOTE with its own bytes in the file.
    size_t add_note_segment(Bytes notes);
    /// A PT_NOTE that covers `size` bytes at `offset` inside segment `segment`'s bytes.
    size_t add_note_segment_inside(size_t segment, uint64_t offset, uint64_t size);
    /// A segment of another type with no bytes (PT_GNU_STACK, ...).
    size_t add_empty_segment(uint32_t type, uint32_t flags);
    /// A non-allocated SHT_NOTE section (Mini-OS's .note.Xen).
    void add_note_section(Bytes notes);

    Bytes build() const;
    /// Where program header `index` lies in the built file.
    static size_t program_header_at(size_t index) { return 64 + 56 * index; }

private:
    struct Segment {
        uint32_t type;
        uint32_t flags;
        uint64_t paddr;
        Bytes bytes;
        uint64_t memsz;
        bool inside = false;  // bytes live inside another segment
        size_t host = 0;
        uint64_t host_offset = 0;
    };
    void write_program_headers(Bytes& image, const std::vector<uint64_t>& offsets) const;
    uint64_t write_note_sections(Bytes& image) const;  // returns e_shoff

    std::vector<Segment> segments_;
    std::vector<Bytes> note_sections_;
};

/// A Mini-OS-like kernel: linked at 0, one RWX PT_LOAD (0x3000 bytes, 0x5000 in memory),
/// a PT_NOTE holding only a GNU build-id, and its Xen notes in a SHT_NOTE section only.
ElfBuilder mini_os_like(std::vector<Note> extra_notes = {});
/// The Xen notes of mini_os_like (GUEST_OS, LOADER, HYPERCALL_PAGE 0x2000, XEN_VERSION).
std::vector<Note> mini_os_notes();
/// An XTF-like kernel: linked at 1 MiB, a PT_NOTE covering notes inside the PT_LOAD.
Bytes xtf_like();
/// A kernel whose only notes are `notes`, in a PT_NOTE; one PT_LOAD of 0x2000 bytes at
/// paddr 0x100000 (0x3000 in memory), entry 0x100000.
Bytes kernel_with_notes(const std::vector<Note>& notes);
/// The notes every accepted kernel needs: LOADER generic, XEN_VERSION xen-3.0.
std::vector<Note> minimal_notes();

/// parse_kernel's reason for refusing `image`, or "accepted".
std::string refusal(const Bytes& image);

}  // namespace test_elf
