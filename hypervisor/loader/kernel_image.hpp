// SPDX-License-Identifier: MIT
// A Xen PV guest kernel, checked and described: where its segments go, where it starts, what it asks for.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "lib/error_or.hpp"
#include "loader/xen_notes.hpp"
#include "mm/frame.hpp"

namespace hv::loader {

/// At most this many loadable segments per kernel (Mini-OS and XTF have one to three).
inline constexpr size_t kMaxSegments = 16;

/// One PT_LOAD segment, placed in the guest's virtual address space.
struct KernelSegment {
    GuestVaddr va;         ///< p_paddr - PADDR_OFFSET + VIRT_BASE
    uint64_t file_offset;  ///< p_offset: its bytes in the file
    uint64_t file_size;    ///< p_filesz: bytes copied from the file
    uint64_t memory_size;  ///< p_memsz >= p_filesz; the rest is zero-filled
    uint16_t program_header;  ///< index in the program header table, for messages
};

/// Where the notes were found (XEN-PV-ABI.md §2.1: PT_NOTE first, then SHT_NOTE).
enum class NoteSource : uint8_t { ProgramHeaders, SectionHeaders };

/// What a domain builder needs to know about a kernel that parse_kernel accepted.
/// Invariants: virt_base <= kernel_start < kernel_end, all three page-aligned;
/// kernel_start <= entry <= the last loaded byte + 1; every segment lies in
/// [kernel_start, kernel_end) and no two overlap.
struct KernelImage {
    std::array<KernelSegment, kMaxSegments> segment_table{};
    uint32_t segment_count = 0;

    GuestVaddr virt_base;     ///< VIRT_BASE (default 0): PFN 0 of the start-of-day region
    uint64_t paddr_offset = 0;  ///< PADDR_OFFSET (default 0)
    GuestVaddr kernel_start;  ///< lowest loaded address (Xen's virt_kstart)
    GuestVaddr kernel_end;    ///< end of the last loaded byte, rounded up to a page
    GuestVaddr entry;         ///< ENTRY note, else e_entry: the first RIP
    std::optional<GuestVaddr> hypercall_page;  ///< HYPERCALL_PAGE: page to fill, if any
    std::optional<GuestVaddr> init_p2m;        ///< INIT_P2M: p2m list VA outside the region
    bool mod_start_pfn = false;  ///< MOD_START_PFN: pass modules unmapped, as PFNs
    PaeMode pae_mode = PaeMode::No;
    NoteText guest_os;
    NoteText guest_version;
    NoteText loader;
    NoteText xen_version;
    FeatureSet features;
    NoteSource note_source = NoteSource::ProgramHeaders;

    /// The loadable segments, in program header order.
    std::span<const KernelSegment> segments() const { return {segment_table.data(), segment_count}; }
    /// Bytes from virt_base to kernel_end: what load_kernel's region must cover.
    uint64_t region_bytes() const { return kernel_end.raw() - virt_base.raw(); }
};

/// Where a refusal points, so that a caller can print "module 2 (student.elf): segment 1
/// overlaps segment 0". Fields the reason does not concern stay kNone / 0.
struct ParseDetail {
    static constexpr uint32_t kNone = ~uint32_t{0};
    uint32_t header = kNone;        ///< program header index (section header index for a note section)
    uint32_t other_header = kNone;  ///< the other program header of an overlap
    uint32_t note_type = kNone;     ///< the Xen note type (NoteType) the reason is about
    uint64_t value = 0;             ///< the offending address or size, when there is one
};

/// Check a guest kernel file the way Xen's libelf and PV domain builders do and describe it.
/// @param detail if not null, filled with the indices and value behind a refusal.
/// @retval Inval with a static reason for everything Xen refuses and a few things it lets
///         through but that no real kernel does (marked XEN-DIFF in the code).
/// @retval OpNotSupp the kernel requires auto_translated_physmap (as libxenguest's bootearly).
lib::ErrorOr<KernelImage> parse_kernel(std::span<const uint8_t> file, ParseDetail* detail = nullptr);

/// Which kind of domain a kernel is about to become; Xen's builders check the notes differently.
enum class KernelRole : uint8_t {
    Initial,       ///< built by the hypervisor as dom0 is (dom0_construct_pv)
    Unprivileged,  ///< built as the toolstack builds a domU (xg_dom_elfloader.c)
};

/// The role checks Xen makes after parsing: a dom0 kernel with a SUPPORTED_FEATURES note
/// must list `dom0`; a domU kernel must not require `dom0`.
lib::ErrorOr<void> check_kernel_role(const KernelImage& image, KernelRole role);

/// Copy each segment's file bytes to region[va - virt_base] and zero everything else in
/// the region (segment tails, gaps, the pages below kernel_start), as Xen's builders hand
/// the kernel freshly cleared pages.
/// @pre `image` came from parse_kernel(file) and region.size() >= image.region_bytes().
void load_kernel(const KernelImage& image, std::span<const uint8_t> file, std::span<uint8_t> region);

}  // namespace hv::loader
