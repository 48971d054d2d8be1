// SPDX-License-Identifier: MIT
// Tests of parse_kernel's acceptance and address rules, the role checks, and load_kernel.
#include <doctest/doctest.h>

#include <string>

#include "loader/kernel_image.hpp"
#include "tests/loader/elf_builder.hpp"

using namespace test_elf;
using hv::loader::NoteType;

namespace {

std::vector<Note> with(std::vector<Note> notes, std::initializer_list<Note> extra) {
    notes.insert(notes.end(), extra);
    return notes;
}

// A kernel with the minimal notes plus `extra`.
Bytes with_notes(std::initializer_list<Note> extra) { return kernel_with_notes(with(minimal_notes(), extra)); }

// A kernel with XEN_VERSION xen-3.0 and `note`.
Bytes version_and(const Note& note) {
    return kernel_with_notes({note, string_note(NoteType::XenVersion, "xen-3.0")});
}

hv::loader::KernelImage accept(const Bytes& image) {
    auto result = hv::loader::parse_kernel(image);
    REQUIRE_MESSAGE(!result.is_error(), refusal(image));
    return result.value();
}

// A Linux-like kernel: VIRT_BASE 0xffffffff80000000, placed by p_paddr at 16 MiB, three
// segments, GUEST_OS linux and no LOADER.
Bytes linux_like(std::initializer_list<Note> extra = {}) {
    std::vector<Note> notes = {
        string_note(NoteType::GuestOs, "linux"), string_note(NoteType::GuestVersion, "2.6"),
        string_note(NoteType::XenVersion, "xen-3.0"), number_note(NoteType::VirtBase, 0xFFFF'FFFF'8000'0000),
        number_note(NoteType::PaddrOffset, 0), number_note(NoteType::Entry, 0xFFFF'FFFF'8100'0040),
        number_note(NoteType::HypercallPage, 0xFFFF'FFFF'8100'1000),
        string_note(NoteType::Features, "!writable_page_tables|pae_pgdir_above_4gb|writable_descriptor_tables"),
        string_note(NoteType::PaeMode, "yes"), number_note(NoteType::InitP2m, 0xFFFF'EA00'0000'0000),
        number_note(NoteType::ModStartPfn, 1, 4), number_note(NoteType::SupportedFeatures, 0x801, 4),
    };
    notes.insert(notes.end(), extra);
    ElfBuilder builder;
    builder.add_load(0x100'0000, Bytes(0x4000, 0xC3), 0x4000, 5);  // text, R-X
    builder.add_load(0x100'4000, Bytes(0x1000, 0xD0), 0x3000, 6);  // data + bss, RW-
    builder.add_load(0x100'8000, Bytes(0x800, 0xE0), 0x900, 6);
    builder.add_note_segment(encode_notes(notes));
    builder.entry = 0xFFFF'FFFF'8100'0000;
    return builder.build();
}

}  // namespace

TEST_CASE("a Mini-OS-like kernel linked at 0 with notes only in a section is accepted with Xen's layout") {
    hv::loader::KernelImage image = accept(mini_os_like().build());
    CHECK(image.note_source == hv::loader::NoteSource::SectionHeaders);
    CHECK(image.virt_base.raw() == 0);
    CHECK(image.paddr_offset == 0);
    CHECK(image.kernel_start.raw() == 0);
    CHECK(image.kernel_end.raw() == 0x5000);
    CHECK(image.entry.raw() == 0);
    REQUIRE(image.hypercall_page.has_value());
    CHECK(image.hypercall_page->raw() == 0x2000);
    CHECK_FALSE(image.init_p2m.has_value());
    REQUIRE(image.segments().size() == 1);
    CHECK(image.segments()[0].va.raw() == 0);
    CHECK(image.segments()[0].file_size == 0x3000);
    CHECK(image.segments()[0].memory_size == 0x5000);
    CHECK(std::string(image.guest_os.c_str()) == "Mini-OS");
    CHECK(std::string(image.loader.c_str()) == "generic");
    CHECK(std::string(image.xen_version.c_str()) == "xen-3.0");
    CHECK(image.features.supported == 0);
    CHECK_FALSE(image.features.supported_note_present);
    CHECK(image.pae_mode == hv::loader::PaeMode::No);
}

TEST_CASE("an XTF-like kernel linked at 1 MiB with a PT_NOTE is accepted with Xen's layout") {
    hv::loader::KernelImage image = accept(xtf_like());
    CHECK(image.note_source == hv::loader::NoteSource::ProgramHeaders);
    CHECK(image.virt_base.raw() == 0);
    CHECK(image.kernel_start.raw() == 0x100000);
    CHECK(image.kernel_end.raw() == 0x105000);
    CHECK(image.region_bytes() == 0x105000);
    CHECK(image.entry.raw() == 0x100000);
    CHECK(image.hypercall_page->raw() == 0x101000);
    CHECK(image.features.requires_feature(abi::Feature::WritablePageTables));
    CHECK(image.features.supports(abi::Feature::PaePgdirAbove4gb));
    CHECK(image.pae_mode == hv::loader::PaeMode::ExtendedCr3);
    CHECK(std::string(image.guest_version.c_str()) == "0");
}

TEST_CASE("a Linux-like kernel is placed by p_paddr shifted by VIRT_BASE, not by p_vaddr") {
    hv::loader::KernelImage image = accept(linux_like());
    CHECK(image.virt_base.raw() == 0xFFFF'FFFF'8000'0000);
    CHECK(image.kernel_start.raw() == 0xFFFF'FFFF'8100'0000);
    CHECK(image.kernel_end.raw() == 0xFFFF'FFFF'8100'9000);
    CHECK(image.region_bytes() == 0x100'9000);
    CHECK(image.entry.raw() == 0xFFFF'FFFF'8100'0040);
    REQUIRE(image.segments().size() == 3);
    CHECK(image.segments()[1].va.raw() == 0xFFFF'FFFF'8100'4000);
    CHECK(image.segments()[1].program_header == 1);
    CHECK(image.init_p2m->raw() == 0xFFFF'EA00'0000'0000);
    CHECK(image.mod_start_pfn);
    CHECK(image.features.supported_note_present);
    CHECK(image.features.supports(abi::Feature::Dom0));
}

TEST_CASE("PADDR_OFFSET shifts every segment down") {
    hv::loader::KernelImage image = accept(linux_like({number_note(NoteType::PaddrOffset, 0x100'0000),
                                                       number_note(NoteType::Entry, 0xFFFF'FFFF'8000'0040),
                                                       number_note(NoteType::HypercallPage, 0xFFFF'FFFF'8000'1000)}));
    CHECK(image.kernel_start.raw() == 0xFFFF'FFFF'8000'0000);
    CHECK(image.entry.raw() == 0xFFFF'FFFF'8000'0040);
    CHECK(image.segments()[2].va.raw() == 0xFFFF'FFFF'8000'8000);
}

TEST_CASE("a kernel with a LOADER other than generic and a GUEST_OS other than linux is refused") {
    CHECK(refusal(kernel_with_notes({string_note(NoteType::Loader, "elf"), string_note(NoteType::GuestOs, "Mini-OS"),
                                     string_note(NoteType::XenVersion, "xen-3.0")})) ==
          "LOADER is not generic and GUEST_OS is not linux");
    CHECK(refusal(kernel_with_notes({string_note(NoteType::XenVersion, "xen-3.0")})) ==
          "LOADER is not generic and GUEST_OS is not linux");
    CHECK(refusal(version_and(string_note(NoteType::GuestOs, "linux-pv"))) == "accepted");
    CHECK(refusal(version_and(string_note(NoteType::Loader, "generic-v2"))) == "accepted");
}

TEST_CASE("a kernel whose XEN_VERSION is missing or not xen-3.0 is refused") {
    CHECK(refusal(kernel_with_notes({string_note(NoteType::Loader, "generic")})) ==
          "XEN_VERSION note is missing or not xen-3.0");
    Note loader = string_note(NoteType::Loader, "generic");
    CHECK(refusal(kernel_with_notes({loader, string_note(NoteType::XenVersion, "xen-2.0")})) ==
          "XEN_VERSION note is missing or not xen-3.0");
    CHECK(refusal(kernel_with_notes({loader, string_note(NoteType::XenVersion, "xen-3.0-x86_64")})) == "accepted");
}

TEST_CASE("PADDR_OFFSET without VIRT_BASE is refused") {
    CHECK(refusal(with_notes({number_note(NoteType::PaddrOffset, 0)})) ==
          "PADDR_OFFSET is set but VIRT_BASE is not");
}

TEST_CASE("VIRT_BASE above the kernel's first byte is refused") {
    CHECK(refusal(with_notes({number_note(NoteType::VirtBase, 0x200000),
                                                            number_note(NoteType::PaddrOffset, 0x200000)})) ==
          "VIRT_BASE lies above the kernel's start");
}

TEST_CASE("ENTRY outside the kernel is refused, and ENTRY at its very end is accepted as in Xen") {
    hv::loader::ParseDetail detail;
    auto below = hv::loader::parse_kernel(with_notes({number_note(NoteType::Entry, 0xFFFFF)}), &detail);
    REQUIRE(below.is_error());
    CHECK(std::string(below.error().reason) == "ENTRY lies outside the kernel");
    CHECK(detail.value == 0xFFFFF);
    CHECK(refusal(with_notes({number_note(NoteType::Entry, 0x103001)})) ==
          "ENTRY lies outside the kernel");
    CHECK(refusal(with_notes({number_note(NoteType::Entry, 0x103000)})) == "accepted");
    ElfBuilder builder = mini_os_like();
    builder.entry = 0x6000;  // e_entry is the default and is checked the same way
    CHECK(refusal(builder.build()) == "ENTRY lies outside the kernel");
}

TEST_CASE("HYPERCALL_PAGE outside the kernel or off a page boundary is refused") {
    CHECK(refusal(mini_os_like({number_note(NoteType::HypercallPage, 0x5000)}).build()) ==
          "HYPERCALL_PAGE lies outside the kernel");
    CHECK(refusal(mini_os_like({number_note(NoteType::HypercallPage, 0xFFFF'8000'0000'0000)}).build()) ==
          "HYPERCALL_PAGE lies outside the kernel");
    hv::loader::ParseDetail detail;
    Bytes image = mini_os_like({number_note(NoteType::HypercallPage, 0x2010)}).build();
    auto unaligned = hv::loader::parse_kernel(image, &detail);
    REQUIRE(unaligned.is_error());
    CHECK(std::string(unaligned.error().reason) == "HYPERCALL_PAGE is not page-aligned");
    CHECK(detail.note_type == static_cast<uint32_t>(NoteType::HypercallPage));
}

TEST_CASE("INIT_P2M pointing into the kernel is refused") {
    CHECK(refusal(with_notes({number_note(NoteType::InitP2m, 0x101000)})) ==
          "INIT_P2M lies inside the kernel");
}

TEST_CASE("a kernel requiring auto_translated_physmap is refused with EOPNOTSUPP") {
    auto result = hv::loader::parse_kernel(xtf_like());
    REQUIRE_FALSE(result.is_error());
    auto translated = hv::loader::parse_kernel(
        with_notes({string_note(NoteType::Features, "!auto_translated_physmap")}));
    REQUIRE(translated.is_error());
    CHECK(translated.error_code() == abi::Errno::OpNotSupp);
    CHECK(std::string(translated.error().reason) ==
          "kernel requires feature auto_translated_physmap, which PV cannot give");
    CHECK(refusal(with_notes({string_note(NoteType::Features, "auto_translated_physmap")})) == "accepted");
}

TEST_CASE("a kernel asking for its BSD symbol table to be loaded is refused") {
    CHECK(refusal(with_notes({string_note(NoteType::BsdSymtab, "yes")})) ==
          "BSD_SYMTAB asks for a symbol table load, which is not supported");
    CHECK(refusal(with_notes({string_note(NoteType::BsdSymtab, "no")})) == "accepted");
}

TEST_CASE("a kernel that does not start on a page boundary is refused") {
    ElfBuilder builder;
    builder.add_load(0x100800, Bytes(0x100, 1), 0x1000);
    builder.add_note_segment(encode_notes(minimal_notes()));
    builder.entry = 0x100800;
    CHECK(refusal(builder.build()) == "the kernel does not start on a page boundary");
    CHECK(refusal(with_notes({number_note(NoteType::VirtBase, 0x10),
                                                            number_note(NoteType::PaddrOffset, 0x10)})) ==
          "VIRT_BASE is not page-aligned");
}

TEST_CASE("a kernel placed in the hypervisor's range or across the non-canonical hole is refused") {
    std::vector<Note> notes = with(minimal_notes(), {number_note(NoteType::VirtBase, 0xFFFF'8000'0000'0000),
                                                     number_note(NoteType::PaddrOffset, 0),
                                                     number_note(NoteType::Entry, 0xFFFF'8000'0010'0000)});
    CHECK(refusal(kernel_with_notes(notes)) == "the kernel overlaps the hypervisor's reserved range");
    ElfBuilder builder;
    builder.add_load(0x7FFF'FFFF'F000, Bytes(0x10, 1), 0x2000);
    builder.add_note_segment(encode_notes(minimal_notes()));
    builder.entry = 0x7FFF'FFFF'F000;
    CHECK(refusal(builder.build()) == "the kernel does not lie in canonical address space");
}

TEST_CASE("a kernel that VIRT_BASE shifts across the end of the address space is refused") {
    ElfBuilder builder;
    builder.add_load(0xFFFF'FFFF'FFFF'E000, Bytes(0x10, 1), 0x1000);
    builder.add_note_segment(encode_notes(with(minimal_notes(), {number_note(NoteType::VirtBase, 0x1000)})));
    builder.entry = 0xFFFF'FFFF'FFFF'F000;
    CHECK(refusal(builder.build()) == "the kernel wraps around the end of the address space");
}

TEST_CASE("a kernel ending in the last page of the address space is refused") {
    ElfBuilder builder;
    builder.add_load(0xFFFF'FFFF'FFFF'E000, Bytes(0x10, 1), 0x1800);
    builder.add_note_segment(encode_notes(minimal_notes()));
    builder.entry = 0xFFFF'FFFF'FFFF'E000;
    CHECK(refusal(builder.build()) == "the kernel ends too close to the end of the address space");
}

TEST_CASE("a dom0 kernel whose SUPPORTED_FEATURES lacks dom0 is refused, one without the note is not") {
    auto image = accept(with_notes({number_note(NoteType::SupportedFeatures, 0x1, 4)}));
    CHECK(hv::loader::check_kernel_role(image, hv::loader::KernelRole::Initial).is_error());
    CHECK_FALSE(hv::loader::check_kernel_role(image, hv::loader::KernelRole::Unprivileged).is_error());
    auto plain = accept(xtf_like());
    CHECK_FALSE(hv::loader::check_kernel_role(plain, hv::loader::KernelRole::Initial).is_error());
    auto with_dom0 = accept(linux_like());
    CHECK_FALSE(hv::loader::check_kernel_role(with_dom0, hv::loader::KernelRole::Initial).is_error());
}

TEST_CASE("a kernel that requires dom0 is refused as an unprivileged domain") {
    auto image = accept(with_notes({string_note(NoteType::Features, "!dom0")}));
    auto role = hv::loader::check_kernel_role(image, hv::loader::KernelRole::Unprivileged);
    REQUIRE(role.is_error());
    CHECK(std::string(role.error().reason) == "kernel requires dom0 and cannot run unprivileged");
    CHECK_FALSE(hv::loader::check_kernel_role(image, hv::loader::KernelRole::Initial).is_error());
}

TEST_CASE("load_kernel copies each segment to va - virt_base and zeroes everything else") {
    Bytes file = linux_like();
    hv::loader::KernelImage image = accept(file);
    Bytes region(image.region_bytes(), 0x77);
    hv::loader::load_kernel(image, file, region);
    const size_t kernel = 0x100'0000;  // kernel_start - virt_base
    CHECK(region[0] == 0);
    CHECK(region[kernel - 1] == 0);
    CHECK(region[kernel] == 0xC3);
    CHECK(region[kernel + 0x3FFF] == 0xC3);
    CHECK(region[kernel + 0x4000] == 0xD0);
    CHECK(region[kernel + 0x4FFF] == 0xD0);
    CHECK(region[kernel + 0x5000] == 0);  // .bss
    CHECK(region[kernel + 0x6FFF] == 0);
    CHECK(region[kernel + 0x8000] == 0xE0);
    CHECK(region[kernel + 0x87FF] == 0xE0);
    CHECK(region[kernel + 0x8800] == 0);
    CHECK(region[kernel + 0x8FFF] == 0);  // rounded-up tail of the last page
}

TEST_CASE("load_kernel places a Mini-OS-like kernel byte for byte") {
    Bytes file = mini_os_like().build();
    hv::loader::KernelImage image = accept(file);
    Bytes region(image.region_bytes() + 0x1000, 0x77);
    hv::loader::load_kernel(image, file, region);
    CHECK(region[0] == 0x90);
    CHECK(region[0x1234] == 0xAB);
    CHECK(region[0x2FFF] == 0x90);
    CHECK(region[0x3000] == 0);
    CHECK(region[0x4FFF] == 0);
    CHECK(region[0x5000] == 0x77);  // beyond the kernel: untouched
}
