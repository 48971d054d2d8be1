// SPDX-License-Identifier: MIT
// Xen ELF notes (libelf-dominfo.c: elf_xen_parse_notes, elf_xen_parse_note, elf_xen_parse_features).
#include "loader/xen_notes.hpp"

#include "loader/elf.hpp"

namespace hv::loader {

namespace {

// An ELF note: namesz, descsz and type (4 bytes each), then the name and the desc, each
// padded to a multiple of 4 bytes (gABI "Note Section"; Xen pads by 4 as well).
inline constexpr uint64_t kNoteHeaderSize = 12;
inline constexpr uint64_t kNoteAlignment = 4;

constexpr uint64_t pad_to_note_alignment(uint64_t size) {
    return (size + kNoteAlignment - 1) & ~(kNoteAlignment - 1);
}

// Xen's feature names: exactly the ones libelf knows (elf_xen_feature_names). Any other
// name is ignored when merely supported and refused when required.
struct FeatureName {
    const char* name;
    abi::Feature feature;
};
inline constexpr FeatureName kFeatureNames[] = {
    {"writable_page_tables", abi::Feature::WritablePageTables},
    {"writable_descriptor_tables", abi::Feature::WritableDescriptorTables},
    {"auto_translated_physmap", abi::Feature::AutoTranslatedPhysmap},
    {"supervisor_mode_kernel", abi::Feature::SupervisorModeKernel},
    {"pae_pgdir_above_4gb", abi::Feature::PaePgdirAbove4gb},
    {"hvm_callback_vector", abi::Feature::HvmCallbackVector},
    {"dom0", abi::Feature::Dom0},
};

bool equals(std::span<const uint8_t> bytes, const char* text) {
    size_t i = 0;
    for (; i < bytes.size(); ++i)
        if (text[i] == '\0' || bytes[i] != static_cast<uint8_t>(text[i])) return false;
    return text[i] == '\0';
}

bool starts_with(std::span<const uint8_t> bytes, const char* prefix) {
    for (size_t i = 0; prefix[i] != '\0'; ++i)
        if (i >= bytes.size() || bytes[i] != static_cast<uint8_t>(prefix[i])) return false;
    return true;
}

bool contains(std::span<const uint8_t> bytes, const char* word) {
    for (size_t start = 0; start < bytes.size(); ++start)
        if (starts_with(bytes.subspan(start), word)) return true;
    return false;
}

// A string note's text without its NUL. XEN-DIFF: libelf reads on past the desc until
// some NUL in the image; we insist that the NUL lies inside the desc.
lib::ErrorOr<std::span<const uint8_t>> note_string(std::span<const uint8_t> desc) {
    for (size_t length = 0; length < desc.size(); ++length)
        if (desc[length] == 0) return desc.first(length);
    return lib::error(abi::Errno::Inval, "a string note is not NUL-terminated inside the note");
}

// A numeric note (elf_note_numeric). XEN-DIFF: libelf reads any other size as 0; we refuse.
lib::ErrorOr<uint64_t> note_number(std::span<const uint8_t> desc) {
    size_t size = desc.size();
    if (size != 1 && size != 2 && size != 4 && size != 8)
        return lib::error(abi::Errno::Inval, "a numeric note is not 1, 2, 4 or 8 bytes long");
    return read_little_endian(desc, 0, size);
}

void copy_text(NoteText& destination, std::span<const uint8_t> text) {
    size_t length = text.size() < kNoteTextCapacity - 1 ? text.size() : kNoteTextCapacity - 1;
    for (size_t i = 0; i < length; ++i) destination.text[i] = static_cast<char>(text[i]);
    destination.text[length] = '\0';
}

lib::ErrorOr<void> apply_string_note(NoteType type, std::span<const uint8_t> desc, XenNotes& notes) {
    std::span<const uint8_t> text = TRY(note_string(desc));
    switch (type) {
    case NoteType::XenVersion: copy_text(notes.xen_version, text); break;
    case NoteType::GuestOs: copy_text(notes.guest_os, text); break;
    case NoteType::GuestVersion: copy_text(notes.guest_version, text); break;
    case NoteType::Loader: copy_text(notes.loader, text); break;
    case NoteType::PaeMode:
        // Another text leaves the mode as it was, as in Xen.
        if (equals(text, "yes")) notes.pae_mode = PaeMode::ExtendedCr3;
        if (contains(text, "bimodal")) notes.pae_mode = PaeMode::Bimodal;
        break;
    case NoteType::Features: TRY(parse_feature_string(text, notes.features)); break;
    case NoteType::BsdSymtab:
        if (equals(text, "yes")) notes.bsd_symtab = true;
        break;
    default: ASSERT(false);
    }
    return {};
}

lib::ErrorOr<void> apply_numeric_note(NoteType type, std::span<const uint8_t> desc, XenNotes& notes) {
    uint64_t value = TRY(note_number(desc));
    switch (type) {
    case NoteType::Entry: notes.entry = value; break;
    case NoteType::HypercallPage: notes.hypercall_page = value; break;
    case NoteType::VirtBase: notes.virt_base = value; break;
    case NoteType::PaddrOffset: notes.paddr_offset = value; break;
    case NoteType::InitP2m: notes.init_p2m = value; break;
    case NoteType::ModStartPfn: notes.mod_start_pfn = value != 0; break;
    default: ASSERT(false);
    }
    return {};
}

// SUPPORTED_FEATURES is an array of 32-bit submaps; Xen reads submap 0 and reads nothing
// when the size is not a whole number of submaps (elf_note_numeric_array).
void apply_supported_features(std::span<const uint8_t> desc, FeatureSet& features) {
    features.supported_note_present = true;
    if (desc.size() >= 4 && desc.size() % 4 == 0)
        features.supported |= static_cast<uint32_t>(read_little_endian(desc, 0, 4));
}

// One note named "Xen". Types Xen does not act on for a 64-bit PV guest are skipped.
lib::ErrorOr<void> apply_xen_note(uint32_t raw_type, std::span<const uint8_t> desc, XenNotes& notes) {
    auto type = static_cast<NoteType>(raw_type);
    switch (type) {
    case NoteType::XenVersion: case NoteType::GuestOs: case NoteType::GuestVersion:
    case NoteType::Loader: case NoteType::PaeMode: case NoteType::Features: case NoteType::BsdSymtab:
        return apply_string_note(type, desc, notes);
    case NoteType::Entry: case NoteType::HypercallPage: case NoteType::VirtBase:
    case NoteType::PaddrOffset: case NoteType::InitP2m: case NoteType::ModStartPfn:
        return apply_numeric_note(type, desc, notes);
    case NoteType::SupportedFeatures:
        apply_supported_features(desc, notes.features);
        return {};
    default:
        return {};
    }
}

// A note's name: its namesz bytes up to the first NUL (Xen compares it with strcmp).
bool is_named_xen(std::span<const uint8_t> name) {
    size_t length = 0;
    while (length < name.size() && name[length] != 0) ++length;
    return equals(name.first(length), "Xen");
}

}  // namespace

lib::ErrorOr<void> parse_feature_string(std::span<const uint8_t> text, FeatureSet& features) {
    size_t start = 0;
    while (start < text.size()) {
        size_t end = start;
        while (end < text.size() && text[end] != '|') ++end;
        std::span<const uint8_t> token = text.subspan(start, end - start);
        bool required = !token.empty() && token[0] == '!';
        std::span<const uint8_t> name = required ? token.subspan(1) : token;
        bool known = false;
        for (const FeatureName& entry : kFeatureNames) {
            if (!equals(name, entry.name)) continue;
            uint32_t bit = uint32_t{1} << static_cast<uint32_t>(entry.feature);
            features.supported |= bit;
            if (required) features.required |= bit;
            known = true;
        }
        if (required && !known)
            return lib::error(abi::Errno::Inval, "FEATURES requires a feature Xen does not know");
        start = end + 1;
    }
    return {};
}

lib::ErrorOr<void> parse_note_area(std::span<const uint8_t> area, XenNotes& notes, NoteProblem& problem) {
    uint64_t position = 0;
    // Every note takes at least kNoteHeaderSize bytes, so the walk ends.
    while (position < area.size()) {
        problem.note_type = NoteProblem::kNoType;
        if (!lies_inside(area.size(), position, kNoteHeaderSize))
            return lib::error(abi::Errno::Inval, "a note header runs past the end of its note area");
        uint64_t name_size = read_little_endian(area, position, 4);
        uint64_t desc_size = read_little_endian(area, position + 4, 4);
        uint32_t type = static_cast<uint32_t>(read_little_endian(area, position + 8, 4));
        uint64_t name_at = position + kNoteHeaderSize;
        uint64_t desc_at = name_at + pad_to_note_alignment(name_size);
        if (!lies_inside(area.size(), name_at, name_size))
            return lib::error(abi::Errno::Inval, "a note name runs past the end of its note area");
        // The padding after the last desc may be missing; the desc itself may not.
        if (desc_size != 0 && !lies_inside(area.size(), desc_at, desc_size))
            return lib::error(abi::Errno::Inval, "a note's contents run past the end of its note area");
        if (is_named_xen(area.subspan(name_at, name_size))) {
            ++notes.count;
            problem.note_type = type;
            std::span<const uint8_t> desc;
            if (desc_size != 0) desc = area.subspan(desc_at, desc_size);
            TRY(apply_xen_note(type, desc, notes));
        }
        position = desc_at + pad_to_note_alignment(desc_size);
    }
    problem.note_type = NoteProblem::kNoType;
    return {};
}

}  // namespace hv::loader
