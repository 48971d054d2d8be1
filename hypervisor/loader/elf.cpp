// SPDX-License-Identifier: MIT
// ELF64 header checks and table reads; every read is bounds-checked before it happens.
#include "loader/elf.hpp"

namespace hv::loader {

namespace {

// Byte offsets inside the ELF header (System V gABI, "ELF Header" and "ELF Identification").
namespace ehdr {
inline constexpr uint64_t kIdentClass = 4;    // e_ident[EI_CLASS]
inline constexpr uint64_t kIdentData = 5;     // e_ident[EI_DATA]
inline constexpr uint64_t kIdentVersion = 6;  // e_ident[EI_VERSION]
inline constexpr uint64_t kIdentSize = 16;    // EI_NIDENT
inline constexpr uint64_t kType = 16;         // e_type (2 bytes)
inline constexpr uint64_t kMachine = 18;      // e_machine (2)
inline constexpr uint64_t kVersion = 20;      // e_version (4)
inline constexpr uint64_t kEntry = 24;        // e_entry (8)
inline constexpr uint64_t kPhoff = 32;        // e_phoff (8)
inline constexpr uint64_t kShoff = 40;        // e_shoff (8)
inline constexpr uint64_t kPhentsize = 54;    // e_phentsize (2)
inline constexpr uint64_t kPhnum = 56;        // e_phnum (2)
inline constexpr uint64_t kShentsize = 58;    // e_shentsize (2)
inline constexpr uint64_t kShnum = 60;        // e_shnum (2)
}  // namespace ehdr

// Byte offsets inside one program header (Elf64_Phdr).
namespace phdr {
inline constexpr uint64_t kType = 0;     // p_type (4)
inline constexpr uint64_t kFlags = 4;    // p_flags (4)
inline constexpr uint64_t kOffset = 8;   // p_offset (8)
inline constexpr uint64_t kVaddr = 16;   // p_vaddr (8)
inline constexpr uint64_t kPaddr = 24;   // p_paddr (8)
inline constexpr uint64_t kFilesz = 32;  // p_filesz (8)
inline constexpr uint64_t kMemsz = 40;   // p_memsz (8)
}  // namespace phdr

// Byte offsets inside one section header (Elf64_Shdr).
namespace shdr {
inline constexpr uint64_t kType = 4;     // sh_type (4)
inline constexpr uint64_t kOffset = 24;  // sh_offset (8)
inline constexpr uint64_t kSize = 32;    // sh_size (8)
}  // namespace shdr

// The values we accept (gABI; EM_X86_64 from the x86-64 psABI).
inline constexpr uint8_t kMagic[4] = {0x7F, 'E', 'L', 'F'};  // ELFMAG
inline constexpr uint8_t kClass32 = 1;                        // ELFCLASS32
inline constexpr uint8_t kClass64 = 2;                        // ELFCLASS64
inline constexpr uint8_t kDataLittleEndian = 1;               // ELFDATA2LSB
inline constexpr uint8_t kDataBigEndian = 2;                  // ELFDATA2MSB
inline constexpr uint64_t kVersionCurrent = 1;                // EV_CURRENT
inline constexpr uint64_t kTypeExecutable = 2;                // ET_EXEC
inline constexpr uint64_t kTypeSharedObject = 3;              // ET_DYN (a PIE kernel)
inline constexpr uint64_t kMachineX86_64 = 62;                // EM_X86_64

bool has_magic(std::span<const uint8_t> file) {
    if (file.size() < sizeof kMagic) return false;
    for (size_t i = 0; i < sizeof kMagic; ++i)
        if (file[i] != kMagic[i]) return false;
    return true;
}

// e_ident: what kind of ELF this is, before any multi-byte field can be trusted.
lib::ErrorOr<void> check_identification(std::span<const uint8_t> file) {
    if (!has_magic(file)) return lib::error(abi::Errno::Inval, "not an ELF file");
    if (file.size() < ehdr::kIdentSize) return lib::error(abi::Errno::Inval, "ELF header is truncated");
    uint8_t elf_class = file[ehdr::kIdentClass];
    if (elf_class == kClass32)
        return lib::error(abi::Errno::Inval, "ELF class is 32-bit, a 64-bit PV kernel is needed");
    if (elf_class != kClass64) return lib::error(abi::Errno::Inval, "ELF class is neither 32- nor 64-bit");
    uint8_t data = file[ehdr::kIdentData];
    if (data == kDataBigEndian)
        return lib::error(abi::Errno::Inval, "ELF data is big-endian, an x86-64 kernel is little-endian");
    if (data != kDataLittleEndian) return lib::error(abi::Errno::Inval, "ELF data encoding is invalid");
    // XEN-DIFF: libelf reads neither version field; every real toolchain writes 1.
    if (file[ehdr::kIdentVersion] != kVersionCurrent)
        return lib::error(abi::Errno::Inval, "ELF identification version is not 1");
    if (file.size() < kElfHeaderSize) return lib::error(abi::Errno::Inval, "ELF header is truncated");
    return {};
}

// The fixed-size fields after e_ident.
lib::ErrorOr<void> check_file_kind(std::span<const uint8_t> file) {
    uint64_t type = read_little_endian(file, ehdr::kType, 2);
    // XEN-DIFF: libelf does not read e_type; we take what a linker makes of a kernel
    // (ET_EXEC, or ET_DYN for a position-independent one) and refuse objects and cores.
    if (type != kTypeExecutable && type != kTypeSharedObject)
        return lib::error(abi::Errno::Inval, "ELF type is not an executable (ET_EXEC or ET_DYN)");
    // Xen's builders refuse any machine but x86-64 for a 64-bit kernel
    // (dom0_construct_pv "Mismatch between Xen and DOM0 kernel"; xc_dom_guest_type).
    if (read_little_endian(file, ehdr::kMachine, 2) != kMachineX86_64)
        return lib::error(abi::Errno::Inval, "machine is not x86-64");
    if (read_little_endian(file, ehdr::kVersion, 4) != kVersionCurrent)
        return lib::error(abi::Errno::Inval, "ELF version is not 1");
    return {};
}

// Both tables must lie inside the file, as libelf's elf_init insists ("phdr overflow",
// "shdr overflow"), with the entry sizes this reader indexes by.
lib::ErrorOr<void> check_tables(std::span<const uint8_t> file, const ElfHeader& header) {
    if (header.program_header_count != 0) {
        if (read_little_endian(file, ehdr::kPhentsize, 2) != kProgramHeaderSize)
            return lib::error(abi::Errno::Inval, "program header entries are not 56 bytes");
        uint64_t table_size = uint64_t{header.program_header_count} * kProgramHeaderSize;
        if (!lies_inside(file.size(), header.program_header_offset, table_size))
            return lib::error(abi::Errno::Inval, "program header table lies outside the file");
    }
    if (header.section_header_count != 0) {
        if (read_little_endian(file, ehdr::kShentsize, 2) != kSectionHeaderSize)
            return lib::error(abi::Errno::Inval, "section header entries are not 64 bytes");
        uint64_t table_size = uint64_t{header.section_header_count} * kSectionHeaderSize;
        if (!lies_inside(file.size(), header.section_header_offset, table_size))
            return lib::error(abi::Errno::Inval, "section header table lies outside the file");
    }
    return {};
}

}  // namespace

uint64_t read_little_endian(std::span<const uint8_t> bytes, uint64_t offset, uint64_t width) {
    ASSERT(width == 1 || width == 2 || width == 4 || width == 8);
    ASSERT(lies_inside(bytes.size(), offset, width));
    uint64_t value = 0;
    for (uint64_t i = width; i > 0; --i) value = (value << 8) | bytes[offset + i - 1];
    return value;
}

lib::ErrorOr<ElfHeader> read_elf_header(std::span<const uint8_t> file) {
    TRY(check_identification(file));
    TRY(check_file_kind(file));
    ElfHeader header{
        .entry = read_little_endian(file, ehdr::kEntry, 8),
        .program_header_offset = read_little_endian(file, ehdr::kPhoff, 8),
        .section_header_offset = read_little_endian(file, ehdr::kShoff, 8),
        .program_header_count = static_cast<uint16_t>(read_little_endian(file, ehdr::kPhnum, 2)),
        .section_header_count = static_cast<uint16_t>(read_little_endian(file, ehdr::kShnum, 2)),
    };
    TRY(check_tables(file, header));
    return header;
}

ProgramHeader read_program_header(std::span<const uint8_t> file, const ElfHeader& header, uint16_t index) {
    ASSERT(index < header.program_header_count);
    uint64_t base = header.program_header_offset + uint64_t{index} * kProgramHeaderSize;
    return ProgramHeader{
        .type = static_cast<uint32_t>(read_little_endian(file, base + phdr::kType, 4)),
        .flags = static_cast<uint32_t>(read_little_endian(file, base + phdr::kFlags, 4)),
        .offset = read_little_endian(file, base + phdr::kOffset, 8),
        .vaddr = read_little_endian(file, base + phdr::kVaddr, 8),
        .paddr = read_little_endian(file, base + phdr::kPaddr, 8),
        .filesz = read_little_endian(file, base + phdr::kFilesz, 8),
        .memsz = read_little_endian(file, base + phdr::kMemsz, 8),
    };
}

SectionHeader read_section_header(std::span<const uint8_t> file, const ElfHeader& header, uint16_t index) {
    ASSERT(index < header.section_header_count);
    uint64_t base = header.section_header_offset + uint64_t{index} * kSectionHeaderSize;
    return SectionHeader{
        .type = static_cast<uint32_t>(read_little_endian(file, base + shdr::kType, 4)),
        .offset = read_little_endian(file, base + shdr::kOffset, 8),
        .size = read_little_endian(file, base + shdr::kSize, 8),
    };
}

}  // namespace hv::loader
