// SPDX-License-Identifier: MIT
// parse_kernel and load_kernel: a guest kernel file in, its layout out, then its bytes in guest memory.
//
// Theory of operation
// -------------------
// A Xen PV kernel is an ELF64 executable that describes itself in ELF notes named "Xen"
// (xen/include/public/elfnote.h). Xen reads it with libelf (xen/common/libelf) for dom0
// and for every domU alike; we follow the same steps, in the same order, and refuse what
// Xen refuses, with EINVAL as libxenguest does (XEN-PV-ABI.md §2.1):
//
//  1. The ELF header (elf.cpp): 64-bit, little-endian, x86-64, and both header tables
//     inside the file.
//  2. The loadable segments: PT_LOAD with any of R/W/X (elf_phdr_is_loadable), each one's
//     file bytes inside the file, p_filesz <= p_memsz.
//  3. The notes (xen_notes.cpp): every PT_NOTE segment (skipping p_offset 0, a binutils
//     bug Xen works around); only if none holds a Xen note, every SHT_NOTE section. Mini-OS
//     keeps its notes in a section that no segment covers, so the fallback matters.
//  4. Acceptance (elf_xen_note_check): LOADER starts with "generic" or GUEST_OS with
//     "linux", and XEN_VERSION starts with "xen-3.0".
//  5. Addresses (elf_xen_addr_calc_check): segments are placed by p_paddr, not p_vaddr:
//     va = p_paddr - PADDR_OFFSET + VIRT_BASE (both default to 0; PADDR_OFFSET without
//     VIRT_BASE is refused). Then VIRT_BASE <= kernel start <= ENTRY <= kernel end, and
//     INIT_P2M must not point into the kernel.
//  6. Features: a PV guest cannot have auto_translated_physmap (libxenguest: bootearly).
//     The dom0/domU role checks come later, in check_kernel_role.
//
// Nothing here trusts the file: every offset and size is checked against the file length
// before it is read, with sums that cannot wrap, and the result holds only numbers, never
// pointers into the file. Where we refuse something Xen would let through (an overlap of
// two segments, a malformed note, a kernel that is not page-aligned) the check says
// XEN-DIFF; no kernel built by a real toolchain trips over one.
//
// load_kernel then trusts the KernelImage (it came from parse_kernel on the same file)
// and only asserts what it relies on.
#include "loader/kernel_image.hpp"

#include "abi/layout.hpp"
#include "loader/elf.hpp"

namespace hv::loader {

namespace {

// The PT_LOAD headers, in table order, before the notes tell us where they go.
struct LoadableSegments {
    std::array<ProgramHeader, kMaxSegments> headers{};
    std::array<uint16_t, kMaxSegments> index{};
    uint32_t count = 0;
};

lib::Error refuse(ParseDetail& detail, const char* reason, uint32_t header, uint64_t value = 0) {
    detail.header = header;
    detail.value = value;
    return lib::error(abi::Errno::Inval, reason);
}

// A refusal about an address rather than about one header.
lib::Error refuse_address(ParseDetail& detail, const char* reason, uint64_t address) {
    return refuse(detail, reason, ParseDetail::kNone, address);
}

bool ranges_overlap(uint64_t start_a, uint64_t size_a, uint64_t start_b, uint64_t size_b) {
    if (size_a == 0 || size_b == 0) return false;
    return start_a < start_b + size_b && start_b < start_a + size_a;
}

// XEN-DIFF: Xen copies overlapping segments one over the other; we refuse them.
lib::ErrorOr<void> check_no_overlap(const LoadableSegments& loadable, const ProgramHeader& next,
                                    uint16_t next_index, ParseDetail& detail) {
    for (uint32_t i = 0; i < loadable.count; ++i) {
        const ProgramHeader& earlier = loadable.headers[i];
        if (!ranges_overlap(earlier.paddr, earlier.memsz, next.paddr, next.memsz)) continue;
        detail.other_header = loadable.index[i];
        return refuse(detail, "a loadable segment overlaps another one in guest memory", next_index, next.paddr);
    }
    return {};
}

lib::ErrorOr<void> check_segment(std::span<const uint8_t> file, const ProgramHeader& segment, uint16_t index,
                                 ParseDetail& detail) {
    if (!lies_inside(file.size(), segment.offset, segment.filesz))
        return refuse(detail, "a loadable segment's bytes lie outside the file", index, segment.offset);
    if (segment.filesz > segment.memsz)
        return refuse(detail, "a loadable segment has more bytes in the file than in memory", index, segment.filesz);
    if (segment.memsz > ~uint64_t{0} - segment.paddr)
        return refuse(detail, "a loadable segment wraps around the end of the address space", index, segment.paddr);
    return {};
}

lib::ErrorOr<LoadableSegments> collect_segments(std::span<const uint8_t> file, const ElfHeader& header,
                                                ParseDetail& detail) {
    LoadableSegments loadable;
    constexpr uint32_t kAnyAccess = kSegmentFlagRead | kSegmentFlagWrite | kSegmentFlagExecute;
    for (uint16_t i = 0; i < header.program_header_count; ++i) {
        ProgramHeader segment = read_program_header(file, header, i);
        if (segment.type != static_cast<uint32_t>(SegmentType::Load) || (segment.flags & kAnyAccess) == 0) continue;
        if (loadable.count == kMaxSegments)
            return refuse(detail, "the kernel has more than 16 loadable segments", i);
        TRY(check_segment(file, segment, i, detail));
        TRY(check_no_overlap(loadable, segment, i, detail));
        loadable.headers[loadable.count] = segment;
        loadable.index[loadable.count] = i;
        ++loadable.count;
    }
    if (loadable.count == 0) return lib::error(abi::Errno::Inval, "the kernel has no loadable segment");
    return loadable;
}

lib::ErrorOr<void> parse_area(std::span<const uint8_t> file, uint64_t offset, uint64_t size, uint32_t index,
                              XenNotes& notes, ParseDetail& detail) {
    if (!lies_inside(file.size(), offset, size))
        return refuse(detail, "a note segment or section lies outside the file", index, offset);
    NoteProblem problem;
    auto parsed = parse_note_area(file.subspan(offset, size), notes, problem);
    if (parsed.is_error()) {
        detail.header = index;
        detail.note_type = problem.note_type;
        return parsed.error();
    }
    return {};
}

lib::ErrorOr<XenNotes> find_xen_notes(std::span<const uint8_t> file, const ElfHeader& header, NoteSource& source,
                                      ParseDetail& detail) {
    XenNotes notes;
    source = NoteSource::ProgramHeaders;
    for (uint16_t i = 0; i < header.program_header_count; ++i) {
        ProgramHeader segment = read_program_header(file, header, i);
        // A PT_NOTE at offset 0 comes from old binutils and is skipped, as in elf_xen_parse.
        if (segment.type != static_cast<uint32_t>(SegmentType::Note) || segment.offset == 0) continue;
        TRY(parse_area(file, segment.offset, segment.filesz, i, notes, detail));
    }
    if (notes.count != 0) return notes;
    source = NoteSource::SectionHeaders;
    for (uint16_t i = 1; i < header.section_header_count; ++i) {  // section 0 is the null section
        SectionHeader section = read_section_header(file, header, i);
        if (section.type != kSectionTypeNote) continue;
        TRY(parse_area(file, section.offset, section.size, i, notes, detail));
    }
    // XEN-DIFF: Xen's last resort, the pre-3.0 "__xen_guest" section string, is not read.
    if (notes.count == 0)
        return lib::error(abi::Errno::Inval, "no Xen ELF notes (a legacy __xen_guest section is not read)");
    return notes;
}

bool starts_with(const NoteText& text, const char* prefix) {
    for (size_t i = 0; prefix[i] != '\0'; ++i)
        if (text.text[i] != prefix[i]) return false;  // stops at text's NUL, which differs
    return true;
}

// elf_xen_note_check, then what the builders refuse about features.
lib::ErrorOr<void> check_acceptance(const XenNotes& notes, ParseDetail& detail) {
    if (!starts_with(notes.loader, "generic") && !starts_with(notes.guest_os, "linux"))
        return lib::error(abi::Errno::Inval, "LOADER is not generic and GUEST_OS is not linux");
    if (!starts_with(notes.xen_version, "xen-3.0"))
        return lib::error(abi::Errno::Inval, "XEN_VERSION note is missing or not xen-3.0");
    // XEN-DIFF: Xen would append the symbol table after the kernel (elf_parse_bsdsyms).
    if (notes.bsd_symtab) {
        detail.note_type = static_cast<uint32_t>(NoteType::BsdSymtab);
        return lib::error(abi::Errno::Inval, "BSD_SYMTAB asks for a symbol table load, which is not supported");
    }
    if (notes.features.requires_feature(abi::Feature::AutoTranslatedPhysmap)) {
        detail.note_type = static_cast<uint32_t>(NoteType::Features);
        return lib::error(abi::Errno::OpNotSupp,
                          "kernel requires feature auto_translated_physmap, which PV cannot give");
    }
    return {};
}

constexpr bool is_page_aligned(uint64_t address) { return address % abi::kPageSize == 0; }
// @pre address + kPageSize - 1 does not wrap.
constexpr uint64_t round_up_to_page(uint64_t address) { return (address + abi::kPageSize - 1) & ~(abi::kPageSize - 1); }

// Lower half: bits 63:47 all 0; upper half: all 1 (Intel SDM Vol. 1, 3.3.7.1).
// @pre first <= last
constexpr bool same_canonical_half(uint64_t first, uint64_t last) {
    constexpr uint64_t kLowerEnd = uint64_t{1} << 47;
    constexpr uint64_t kUpperStart = ~uint64_t{0} << 47;
    return last < kLowerEnd || first >= kUpperStart;
}

// The kernel's virtual extent: Xen's virt_kstart/virt_kend, from the lowest p_paddr and the
// highest p_paddr + p_memsz shifted by VIRT_BASE - PADDR_OFFSET (modulo 2^64, as in Xen).
struct Extent {
    uint64_t offset;  // VIRT_BASE - PADDR_OFFSET
    uint64_t start;
    uint64_t end;     // exclusive, not rounded
};

lib::ErrorOr<Extent> compute_extent(const LoadableSegments& loadable, const XenNotes& notes, uint64_t virt_base) {
    if (notes.paddr_offset.has_value() && !notes.virt_base.has_value()) {
        return lib::error(abi::Errno::Inval, "PADDR_OFFSET is set but VIRT_BASE is not");
    }
    uint64_t lowest = ~uint64_t{0};
    uint64_t highest = 0;
    for (uint32_t i = 0; i < loadable.count; ++i) {
        const ProgramHeader& segment = loadable.headers[i];
        if (segment.paddr < lowest) lowest = segment.paddr;
        if (segment.paddr + segment.memsz > highest) highest = segment.paddr + segment.memsz;
    }
    uint64_t offset = virt_base - notes.paddr_offset.value_or(0);
    Extent extent{offset, lowest + offset, highest + offset};
    if (extent.start > extent.end)
        return lib::error(abi::Errno::Inval, "the kernel wraps around the end of the address space");
    // XEN-DIFF: Xen would accept a kernel of nothing but empty segments.
    if (extent.start == extent.end)
        return lib::error(abi::Errno::Inval, "the kernel's loadable segments are all empty");
    return extent;
}

// elf_xen_addr_calc_check's bounds, plus what the PV builders need of the layout.
lib::ErrorOr<void> check_layout(const KernelImage& image, const Extent& extent, ParseDetail& detail) {
    uint64_t virt_base = image.virt_base.raw();
    uint64_t entry = image.entry.raw();
    if (virt_base > extent.start) return refuse_address(detail, "VIRT_BASE lies above the kernel's start", virt_base);
    if (entry < extent.start || entry > extent.end)
        return refuse_address(detail, "ENTRY lies outside the kernel", entry);
    if (image.init_p2m.has_value() && image.init_p2m->raw() >= extent.start && image.init_p2m->raw() < extent.end)
        return refuse_address(detail, "INIT_P2M lies inside the kernel", image.init_p2m->raw());
    // XEN-DIFF for dom0 only: libxenguest refuses an unaligned start (xc_dom_alloc_pad).
    if (!is_page_aligned(virt_base)) return refuse_address(detail, "VIRT_BASE is not page-aligned", virt_base);
    if (!is_page_aligned(extent.start))
        return refuse_address(detail, "the kernel does not start on a page boundary", extent.start);
    if (extent.end > ~uint64_t{0} - (abi::kPageSize - 1))
        return refuse_address(detail, "the kernel ends too close to the end of the address space", extent.end);
    uint64_t last = round_up_to_page(extent.end) - 1;
    if (!same_canonical_half(extent.start, last))
        return refuse_address(detail, "the kernel does not lie in canonical address space", last);
    if (ranges_overlap(extent.start, last - extent.start + 1, abi::kHypervisorVirtStart,
                       abi::kHypervisorVirtEnd - abi::kHypervisorVirtStart))
        return refuse_address(detail, "the kernel overlaps the hypervisor's reserved range", extent.start);
    return {};
}

// XEN-DIFF: Xen accepts any address in the initial region (dom0) or in the domain's
// memory (domU), and an unaligned one; we want the page inside the loaded kernel.
lib::ErrorOr<void> check_hypercall_page(const KernelImage& image, const Extent& extent, ParseDetail& detail) {
    if (!image.hypercall_page.has_value()) return {};
    uint64_t page = image.hypercall_page->raw();
    detail.note_type = static_cast<uint32_t>(NoteType::HypercallPage);
    if (!is_page_aligned(page)) return refuse_address(detail, "HYPERCALL_PAGE is not page-aligned", page);
    if (page < extent.start || page >= extent.end)
        return refuse_address(detail, "HYPERCALL_PAGE lies outside the kernel", page);
    detail.note_type = ParseDetail::kNone;
    return {};
}

void copy_notes(const XenNotes& notes, KernelImage& image) {
    image.mod_start_pfn = notes.mod_start_pfn;
    image.pae_mode = notes.pae_mode;
    image.guest_os = notes.guest_os;
    image.guest_version = notes.guest_version;
    image.loader = notes.loader;
    image.xen_version = notes.xen_version;
    image.features = notes.features;
    if (notes.hypercall_page.has_value()) image.hypercall_page = GuestVaddr(*notes.hypercall_page);
    if (notes.init_p2m.has_value()) image.init_p2m = GuestVaddr(*notes.init_p2m);
}

lib::ErrorOr<KernelImage> place_kernel(const ElfHeader& header, const LoadableSegments& loadable,
                                       const XenNotes& notes, ParseDetail& detail) {
    KernelImage image;
    uint64_t virt_base = notes.virt_base.value_or(0);
    Extent extent = TRY(compute_extent(loadable, notes, virt_base));
    image.virt_base = GuestVaddr(virt_base);
    image.paddr_offset = notes.paddr_offset.value_or(0);
    image.kernel_start = GuestVaddr(extent.start);
    image.entry = GuestVaddr(notes.entry.value_or(header.entry));
    copy_notes(notes, image);
    TRY(check_layout(image, extent, detail));
    TRY(check_hypercall_page(image, extent, detail));
    image.kernel_end = GuestVaddr(round_up_to_page(extent.end));  // check_layout: cannot wrap
    for (uint32_t i = 0; i < loadable.count; ++i) {
        const ProgramHeader& segment = loadable.headers[i];
        image.segment_table[i] = KernelSegment{GuestVaddr(segment.paddr + extent.offset), segment.offset,
                                               segment.filesz, segment.memsz, loadable.index[i]};
    }
    image.segment_count = loadable.count;
    return image;
}

lib::ErrorOr<KernelImage> parse_checked(std::span<const uint8_t> file, ParseDetail& detail) {
    ElfHeader header = TRY(read_elf_header(file));
    LoadableSegments loadable = TRY(collect_segments(file, header, detail));
    NoteSource source = NoteSource::ProgramHeaders;
    XenNotes notes = TRY(find_xen_notes(file, header, source, detail));
    TRY(check_acceptance(notes, detail));
    KernelImage image = TRY(place_kernel(header, loadable, notes, detail));
    image.note_source = source;
    return image;
}

}  // namespace

lib::ErrorOr<KernelImage> parse_kernel(std::span<const uint8_t> file, ParseDetail* detail) {
    ParseDetail local;
    auto result = parse_checked(file, local);
    if (detail != nullptr) *detail = result.is_error() ? local : ParseDetail{};
    return result;
}

}  // namespace hv::loader
