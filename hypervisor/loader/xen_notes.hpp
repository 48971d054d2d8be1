// SPDX-License-Identifier: MIT
// Xen ELF notes: walking a note area and folding the notes named "Xen" into XenNotes.
#pragma once

#include "abi/elfnote.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "abi/features.hpp"
#include "lib/error_or.hpp"

namespace hv::loader {

/// The Xen ELF note types (abi/elfnote.hpp), under the loader's name.
using NoteType = abi::ElfNote;

/// What the PAE_MODE note asks for. A 64-bit dom0 that says yes or bimodal gets
/// start_info.magic "xen-3.0-x86_64p" and VMASST pae_extended_cr3 (dom0_construct_pv).
enum class PaeMode : uint8_t {
    No,           // absent, or any other text (XEN_PAE_NO)
    ExtendedCr3,  // "yes" (XEN_PAE_EXTCR3)
    Bimodal,      // contains "bimodal" (XEN_PAE_BIMODAL)
};

/// Characters kept of a string note; longer strings are truncated (Xen keeps 15).
inline constexpr size_t kNoteTextCapacity = 32;

/// A string note's text, NUL-terminated; empty when the note is absent.
struct NoteText {
    char text[kNoteTextCapacity] = {};
    const char* c_str() const { return text; }
    bool empty() const { return text[0] == '\0'; }
};

/// XENFEAT_* bits in submap 0, as the FEATURES and SUPPORTED_FEATURES notes give them.
struct FeatureSet {
    uint32_t supported = 0;            ///< bit n set: the kernel can use feature n
    uint32_t required = 0;             ///< bit n set: the kernel cannot run without it
    bool supported_note_present = false;  ///< a SUPPORTED_FEATURES note exists (dom0 check)

    bool supports(abi::Feature feature) const { return (supported >> static_cast<uint32_t>(feature)) & 1; }
    bool requires_feature(abi::Feature feature) const { return (required >> static_cast<uint32_t>(feature)) & 1; }
};

/// Everything the Xen notes said, before defaults apply. A later note of the same type
/// replaces an earlier one, as in Xen; FEATURES notes accumulate.
struct XenNotes {
    uint32_t count = 0;  ///< notes named "Xen" seen, of any type (Xen counts unknown ones too)
    std::optional<uint64_t> entry;
    std::optional<uint64_t> hypercall_page;
    std::optional<uint64_t> virt_base;
    std::optional<uint64_t> paddr_offset;
    std::optional<uint64_t> init_p2m;
    bool mod_start_pfn = false;
    bool bsd_symtab = false;
    PaeMode pae_mode = PaeMode::No;
    NoteText guest_os;
    NoteText guest_version;
    NoteText loader;
    NoteText xen_version;
    FeatureSet features;
};

/// Why a note area was refused: which note type (when known) the reason is about.
struct NoteProblem {
    static constexpr uint32_t kNoType = ~uint32_t{0};
    uint32_t note_type = kNoType;
};

/// Walk every note in `area` (a PT_NOTE segment's or SHT_NOTE section's bytes) and fold
/// those named "Xen" into `notes`.
/// @retval Inval a note runs past the area, a note we use is malformed, or FEATURES
///         requires a feature Xen does not know; `problem` names the note type.
lib::ErrorOr<void> parse_note_area(std::span<const uint8_t> area, XenNotes& notes, NoteProblem& problem);

/// Parse a FEATURES string ("name|!name|..."; `!` marks a required feature) into
/// `features` (elf_xen_parse_features).
/// @retval Inval a required feature's name is not one Xen knows.
lib::ErrorOr<void> parse_feature_string(std::span<const uint8_t> text, FeatureSet& features);

}  // namespace hv::loader
