// SPDX-License-Identifier: MIT
// ELF64 as a guest kernel file: the header, program and section headers, read with bounds checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "lib/error_or.hpp"

namespace hv::loader {

// Sizes of the three ELF64 tables' entries (System V gABI, "ELF Header", "Program Header",
// "Sections"). We insist on exactly these sizes: a kernel linked by any real toolchain has them.
inline constexpr uint64_t kElfHeaderSize = 64;      // sizeof(Elf64_Ehdr)
inline constexpr uint64_t kProgramHeaderSize = 56;  // sizeof(Elf64_Phdr)
inline constexpr uint64_t kSectionHeaderSize = 64;  // sizeof(Elf64_Shdr)

/// The program header types the loader acts on (p_type).
enum class SegmentType : uint32_t {
    Load = 1,  // PT_LOAD
    Note = 4,  // PT_NOTE
};

/// The one section type the loader acts on (sh_type): notes, the fallback search.
inline constexpr uint32_t kSectionTypeNote = 7;  // SHT_NOTE

/// p_flags bits; Xen loads a PT_LOAD only if at least one is set (libelf: elf_phdr_is_loadable).
inline constexpr uint32_t kSegmentFlagExecute = 1 << 0;  // PF_X
inline constexpr uint32_t kSegmentFlagWrite = 1 << 1;    // PF_W
inline constexpr uint32_t kSegmentFlagRead = 1 << 2;     // PF_R

/// The fields of the ELF header that the loader uses, already checked.
struct ElfHeader {
    uint64_t entry;                ///< e_entry: the entry point when no ENTRY note says otherwise
    uint64_t program_header_offset;  ///< e_phoff
    uint64_t section_header_offset;  ///< e_shoff
    uint16_t program_header_count;   ///< e_phnum; the table lies inside the file
    uint16_t section_header_count;   ///< e_shnum; the table lies inside the file
};

/// One program header (Elf64_Phdr), field for field.
struct ProgramHeader {
    uint32_t type;    ///< p_type
    uint32_t flags;   ///< p_flags
    uint64_t offset;  ///< p_offset: where the segment's bytes start in the file
    uint64_t vaddr;   ///< p_vaddr (Xen ignores it: segments are placed by p_paddr)
    uint64_t paddr;   ///< p_paddr
    uint64_t filesz;  ///< p_filesz: bytes present in the file
    uint64_t memsz;   ///< p_memsz: bytes in memory; the tail after filesz is zero
};

/// The fields of a section header (Elf64_Shdr) that the note search uses.
struct SectionHeader {
    uint32_t type;    ///< sh_type
    uint64_t offset;  ///< sh_offset
    uint64_t size;    ///< sh_size
};

/// True if [offset, offset + size) lies inside a file of file_size bytes, computed so
/// that no sum can wrap around.
constexpr bool lies_inside(uint64_t file_size, uint64_t offset, uint64_t size) {
    return offset <= file_size && size <= file_size - offset;
}

/// Read a little-endian unsigned number of 1, 2, 4 or 8 bytes.
/// @pre lies_inside(bytes.size(), offset, width)
uint64_t read_little_endian(std::span<const uint8_t> bytes, uint64_t offset, uint64_t width);

/// Check the ELF header of a 64-bit little-endian x86-64 executable and the bounds of its
/// program and section header tables.
/// @retval Inval with a reason naming the first check that failed.
lib::ErrorOr<ElfHeader> read_elf_header(std::span<const uint8_t> file);

/// Program header `index` of a file whose header read_elf_header accepted.
/// @pre index < header.program_header_count
ProgramHeader read_program_header(std::span<const uint8_t> file, const ElfHeader& header, uint16_t index);

/// Section header `index` of a file whose header read_elf_header accepted.
/// @pre index < header.section_header_count
SectionHeader read_section_header(std::span<const uint8_t> file, const ElfHeader& header, uint16_t index);

}  // namespace hv::loader
