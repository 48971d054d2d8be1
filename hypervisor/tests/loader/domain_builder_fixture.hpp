// SPDX-License-Identifier: MIT
// The domain builder tests' fixture: a fake machine, test kernels, and walkers that read
// back what the builder wrote (page tables, start_info, the p2m, the frame table).
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "abi/start_info.hpp"
#include "loader/domain_builder.hpp"
#include "mm/pte.hpp"
#include "tests/fakes/build_memory.hpp"
#include "tests/loader/elf_builder.hpp"

using namespace test_elf;
using hv::DomId;
using hv::FrameInfo;
using hv::FrameType;
using hv::Mfn;
using hv::loader::build_start_of_day;
using hv::loader::DomainRequest;
using hv::loader::KernelImage;
using hv::loader::NoteType;
using hv::loader::StartOfDay;
using hv::loader::StartOfDayLayout;

namespace builder_test {

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint64_t k512GiB = uint64_t{1} << 39;
constexpr uint64_t kLinuxVirtBase = 0xFFFF'FFFF'8000'0000;

constexpr uint64_t kMachineFrames = 0x2000;  // 32 MiB, all of it in the frame table
constexpr uint64_t kFirstFreeMfn = 0x123;    // below: the hypervisor's; so no MFN equals its PFN
constexpr DomId kDomain{3};
constexpr const char* kCommandLine = "console=hvc0 loglevel=debug";

// PTE bits the tests look for (SDM Vol. 3A 4.5; XEN-PV-ABI.md 3.3).
constexpr uint64_t kWriteThrough = 1 << 3, kCacheDisable = 1 << 4, kPageSizeOrPat = 1 << 7, kGlobal = 1 << 8;
constexpr uint64_t kGuestKernel = uint64_t{1} << 52;  // Xen's _PAGE_GUEST_KERNEL
constexpr uint64_t kGrantTable = uint64_t{1} << 62;   // Xen's _PAGE_GNTTAB, refused in guest L1s

// Stand-ins for the hypervisor's L4 slots 256-271: distinct, pointing at frames outside
// machine memory, so that a builder that followed one instead of copying it would fail.
constexpr std::array<uint64_t, 16> kHypervisorSlots = [] {
    std::array<uint64_t, 16> slots{};
    for (uint64_t i = 0; i < slots.size(); ++i) slots[i] = 0x1'0000'0063 + (i << 12);
    return slots;
}();

/// Machine memory, its allocator and frame table; frames below kFirstFreeMfn stay reserved.
struct Machine {
    struct Range { uint64_t first, end; };

    Machine() : Machine({{kFirstFreeMfn, kMachineFrames}}) {}
    explicit Machine(std::initializer_list<Range> free_ranges) {
        for (const Range& range : free_ranges) allocator.add_free_range(Mfn(range.first), Mfn(range.end));
    }
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    std::vector<uint64_t> bitmap = std::vector<uint64_t>(kMachineFrames / 64);
    hv::FrameAllocator allocator{bitmap};
    std::vector<FrameInfo> infos = std::vector<FrameInfo>(kMachineFrames);
    hv::FrameTable table{infos};
    fakes::BuildMemory memory{Mfn(kFirstFreeMfn), kMachineFrames - kFirstFreeMfn};
};

struct Kernel {
    Bytes file;
    KernelImage image;
};

inline Kernel kernel_from(Bytes file) {
    auto image = hv::loader::parse_kernel(file);
    REQUIRE_MESSAGE(!image.is_error(), refusal(file));
    return {std::move(file), image.value()};
}

// Mini-OS-like (linked at 0, 0x3000 bytes of text, 0x2000 of BSS, HYPERCALL_PAGE 0x2000),
// entering at 0x40 so that the entry differs from the kernel's start.
inline Kernel mini_os(std::vector<Note> extra_notes = {}) {
    ElfBuilder builder = mini_os_like(std::move(extra_notes));
    builder.entry = 0x40;
    return kernel_from(builder.build());
}

// A kernel with VIRT_BASE `virt_base`, loaded `offset` bytes above it: 0x2000 bytes of a
// pattern and a page of BSS, HYPERCALL_PAGE at its second page, entry 0x40 into it.
inline Kernel kernel_at(uint64_t virt_base, uint64_t offset) {
    std::vector<Note> notes = minimal_notes();
    notes.push_back(number_note(NoteType::VirtBase, virt_base));
    notes.push_back(number_note(NoteType::HypercallPage, virt_base + offset + kPage));
    Bytes text(0x2000);
    for (size_t i = 0; i < text.size(); ++i) text[i] = static_cast<uint8_t>(i * 7 + 1);
    ElfBuilder builder;
    builder.add_load(offset, text, 0x3000);
    builder.add_note_segment(encode_notes(notes));
    builder.entry = virt_base + offset + 0x40;
    return kernel_from(builder.build());
}

/// Kernels whose regions exercise every way the page tables can be shaped.
struct Shape {
    const char* name;
    Kernel kernel;
    uint64_t nr_pages;
};

inline std::vector<Shape> every_shape() {
    std::vector<Shape> shapes;
    shapes.push_back({"Mini-OS, linked at 0", mini_os(), 2048});
    shapes.push_back({"XTF, loaded at 1 MiB above virt_base 0", kernel_from(xtf_like()), 2048});
    shapes.push_back({"virt_base 1 MiB", kernel_at(kMiB, 0), 2048});
    shapes.push_back({"a region straddling 1 GiB", kernel_at(kGiB - 2 * kMiB, 0x1FF000), 2048});
    shapes.push_back({"a region straddling 512 GiB", kernel_at(k512GiB - 2 * kMiB, 0x1FF000), 2048});
    shapes.push_back({"Linux-like, virt_base 0xffffffff80000000", kernel_at(kLinuxVirtBase, 16 * kMiB), 6144});
    return shapes;
}

inline DomainRequest request_for(uint64_t nr_pages, const char* command_line = kCommandLine,
                          uint32_t flags = abi::kSifPrivileged | abi::kSifInitdomain) {
    return {kDomain, nr_pages, flags, command_line, kHypervisorSlots};
}

inline StartOfDay build(Machine& machine, const Kernel& kernel, const DomainRequest& request) {
    auto built = build_start_of_day(request, kernel.image, kernel.file, machine.allocator, machine.table, machine.memory);
    REQUIRE_MESSAGE(!built.is_error(), (built.is_error() ? built.error().reason : ""));
    return built.value();
}

// --- the guest's view: virtual addresses through the built page tables --------------------

inline uint64_t canonical(uint64_t va) { return (va & (uint64_t{1} << 47)) != 0 ? va | 0xFFFF'0000'0000'0000 : va; }

inline std::optional<Mfn> translate(const fakes::BuildMemory& memory, Mfn l4, uint64_t va, bool* writable = nullptr) {
    Mfn table = l4;
    bool all_writable = true;
    for (unsigned level = 4; level >= 1; --level) {
        const uint64_t entry = memory.read_u64(table, hv::pte::index(va, level) * 8);
        if (!hv::pte::present(entry)) return std::nullopt;
        all_writable = all_writable && hv::pte::writable(entry);
        table = hv::pte::mfn(entry);
    }
    if (writable != nullptr) *writable = all_writable;
    return table;
}

inline std::vector<uint8_t> read_guest(const fakes::BuildMemory& memory, Mfn l4, uint64_t va, uint64_t size) {
    std::vector<uint8_t> bytes;
    while (bytes.size() < size) {
        const uint64_t at = va + bytes.size();
        const std::optional<Mfn> frame = translate(memory, l4, at);
        REQUIRE_MESSAGE(frame.has_value(), "guest address not mapped");
        const uint64_t offset = at % kPage;
        const uint64_t chunk = std::min(kPage - offset, size - bytes.size());
        const std::span<const uint8_t> page = memory.frame(*frame);
        bytes.insert(bytes.end(), page.begin() + offset, page.begin() + offset + chunk);
    }
    return bytes;
}

inline abi::StartInfo read_start_info(const Machine& machine, const StartOfDay& built) {
    abi::StartInfo info;
    const std::vector<uint8_t> bytes = read_guest(machine.memory, built.l4_mfn, built.start_info, sizeof info);
    std::memcpy(&info, bytes.data(), sizeof info);
    return info;
}

inline std::vector<uint64_t> read_p2m(const Machine& machine, const StartOfDay& built, const abi::StartInfo& info) {
    const std::vector<uint8_t> bytes = read_guest(machine.memory, built.l4_mfn, info.mfn_list, info.nr_pages * 8);
    std::vector<uint64_t> p2m(info.nr_pages);
    std::memcpy(p2m.data(), bytes.data(), bytes.size());
    return p2m;
}

inline bool all_bytes_are(std::span<const uint8_t> bytes, uint8_t value) {
    for (uint8_t byte : bytes)
        if (byte != value) return false;
    return true;
}

// The hypercall page as XEN-PV-ABI.md section 1 tabulates it.
inline std::array<uint8_t, 4096> xen_hypercall_page() {
    std::array<uint8_t, 4096> page;
    page.fill(0xCC);
    for (uint64_t slot = 0; slot < 128; ++slot) {
        uint8_t* stub = page.data() + slot * 32;
        if (slot == 23) {
            const uint8_t iret[] = {0x51, 0x41, 0x53, 0x50, 0xB8, 0x17, 0x00, 0x00, 0x00, 0x0F, 0x05};
            std::memcpy(stub, iret, sizeof iret);
        } else {
            const uint8_t normal[] = {0x51, 0x41, 0x53, 0xB8, static_cast<uint8_t>(slot), 0x00, 0x00, 0x00,
                                      0x0F, 0x05, 0x41, 0x5B, 0x59, 0xC3};
            std::memcpy(stub, normal, sizeof normal);
        }
    }
    return page;
}

// --- walking the tables ------------------------------------------------------------------

/// How the built tables refer to one frame.
struct References {
    unsigned from_parent = 0;  ///< entries of a higher-level table: it is a page table...
    unsigned level = 0;        ///< ...of this level (1-3)
    unsigned read_only = 0;    ///< L1 entries mapping it without RW
    unsigned writable = 0;     ///< L1 entries mapping it with RW
    unsigned total() const { return from_parent + read_only + writable; }
};
using Census = std::map<uint64_t, References>;  // by raw MFN

inline bool is_page_table_pfn(const StartOfDayLayout& layout, uint64_t pfn) {
    const uint64_t first = layout.pfn_of(layout.page_tables_va);
    return pfn >= first && pfn < first + layout.page_table_frames();
}

inline void check_table_entry(uint64_t entry) {
    const uint64_t required = hv::pte::kPresent | hv::pte::kWritable | hv::pte::kUser;
    CHECK((entry & required) == required);
    CHECK((entry & (kWriteThrough | kCacheDisable | kPageSizeOrPat | kGlobal)) == 0);  // refused above L1
    CHECK((entry >> 52) == 0);
}

inline void check_leaf_entry(uint64_t entry, bool writable) {
    const uint64_t required = hv::pte::kPresent | hv::pte::kUser | kGuestKernel;
    CHECK((entry & required) == required);
    CHECK(hv::pte::writable(entry) == writable);
    CHECK((entry & (kWriteThrough | kCacheDisable | kPageSizeOrPat | kGlobal | kGrantTable)) == 0);
}

/// Walk every table reachable from the L4, outside the hypervisor's slots: an entry is
/// present exactly when it covers part of [virt_base, virt_end), and every page there
/// maps its PFN's frame. Returns what refers to each frame.
inline Census walk_page_tables(const Machine& machine, const StartOfDay& built) {
    const StartOfDayLayout& layout = built.layout;
    const auto covers_region = [&](uint64_t va, uint64_t size) {
        return va < layout.virt_end && layout.virt_base <= va + (size - 1);
    };
    struct Table { Mfn mfn; unsigned level; uint64_t va; };
    std::vector<Table> to_visit{{built.l4_mfn, 4, 0}};
    Census census;
    while (!to_visit.empty()) {
        const Table table = to_visit.back();
        to_visit.pop_back();
        const uint64_t entry_span = uint64_t{1} << (12 + 9 * (table.level - 1));
        for (uint64_t i = 0; i < 512; ++i) {
            const uint64_t entry = machine.memory.read_u64(table.mfn, i * 8);
            const uint64_t va = canonical(table.va + i * entry_span);
            CAPTURE(table.level);
            CAPTURE(va);
            if (table.level == 4 && i >= 256 && i <= 271) {
                CHECK(entry == kHypervisorSlots[i - 256]);
                continue;
            }
            if (!covers_region(va, entry_span)) {
                CHECK(entry == 0);
                continue;
            }
            REQUIRE(hv::pte::present(entry));
            const Mfn target = hv::pte::mfn(entry);
            REQUIRE(machine.table.owned_by(target, kDomain));
            References& references = census[target.raw()];
            if (table.level == 1) {
                const uint64_t pfn = layout.pfn_of(va);
                const bool writable = !is_page_table_pfn(layout, pfn);
                CHECK(target == built.first_mfn + pfn);
                check_leaf_entry(entry, writable);
                (writable ? references.writable : references.read_only) += 1;
                continue;
            }
            check_table_entry(entry);
            references.from_parent += 1;
            CHECK((references.level == 0 || references.level == table.level - 1));
            references.level = table.level - 1;
            to_visit.push_back({target, table.level - 1, va});
        }
    }
    return census;
}

/// The frame table after a build: the domain's frames typed and counted as Xen's
/// validation, pin and CR3 load leave them, and no other frame touched.
inline void check_frame_table(const Machine& machine, const StartOfDay& built, const Census& census) {
    const StartOfDayLayout& layout = built.layout;
    const uint64_t l4_pfn = layout.pfn_of(layout.page_tables_va);
    const uint64_t l3_pfn = l4_pfn + 1, l2_pfn = l3_pfn + layout.l3_count, l1_pfn = l2_pfn + layout.l2_count;
    for (uint64_t pfn = 0; pfn < layout.nr_pages; ++pfn) {
        CAPTURE(pfn);
        const FrameInfo& info = machine.table[built.first_mfn + pfn];
        const auto found = census.find((built.first_mfn + pfn).raw());
        const References references = found == census.end() ? References{} : found->second;
        const bool root = pfn == l4_pfn;
        // The console ring is also held by the hypervisor (its backend): one more general
        // and one more Writable type reference, for good.
        const unsigned held = built.layout.pfn_of(built.layout.console_va) == pfn ? 1 : 0;
        CHECK(info.owner == kDomain.raw());
        CHECK((info.flags & hv::kFrameAllocated) != 0);
        CHECK(((info.flags & hv::kFramePinned) != 0) == root);
        // One reference for the allocation, one per entry that maps or links the
        // frame, and for the L4 one for the pin and one for CR3.
        CHECK(info.ref_count == 1 + references.total() + (root ? 2 : 0) + held);
        if (is_page_table_pfn(layout, pfn)) {
            const FrameType type = root ? FrameType::L4 : pfn < l2_pfn ? FrameType::L3
                                                        : pfn < l1_pfn ? FrameType::L2 : FrameType::L1;
            CHECK(info.type == type);
            CHECK((info.flags & hv::kFrameValidated) != 0);
            CHECK(info.type_count == (root ? 2 : 1));
            CHECK(info.ref_count == (root ? 4 : 3));  // + its parent's entry + its read-only mapping
            CHECK(references.read_only == 1);
            if (!root) CHECK(references.level == static_cast<unsigned>(type));
        } else if (pfn < layout.region_pages()) {
            CHECK(info.type == FrameType::Writable);
            CHECK(info.type_count == 1 + held);
            CHECK(info.ref_count == 2 + held);
            CHECK(references.writable == 1);
        } else {
            CHECK(info.type == FrameType::None);
            CHECK(info.type_count == 0);
            CHECK(info.ref_count == 1);
        }
    }
    const FrameInfo& shared = machine.table[built.shared_info_mfn];
    CHECK(shared.owner == kDomain.raw());
    // shared_info: the allocation and the hypervisor's own Writable reference, for good.
    CHECK(shared.ref_count == 2);
    CHECK(shared.type == FrameType::Writable);
    CHECK(shared.type_count == 1);
    uint64_t others_touched = 0;
    for (uint64_t mfn = 0; mfn < kMachineFrames; ++mfn) {
        const bool domains = mfn >= built.first_mfn.raw() && mfn < built.first_mfn.raw() + layout.nr_pages;
        if (domains || Mfn(mfn) == built.shared_info_mfn) continue;
        const FrameInfo& info = machine.table[Mfn(mfn)];
        if (info.owner != hv::kDomIdInvalid.raw() || info.ref_count != 0 || info.type_count != 0 || info.flags != 0)
            ++others_touched;
    }
    CHECK(others_touched == 0);
}

/// The kernel's region as loaded: zero, the segments' file bytes, and the hypercall page.
inline std::vector<uint8_t> expected_kernel_region(const Kernel& kernel) {
    std::vector<uint8_t> region(kernel.image.region_bytes(), 0);
    const uint64_t virt_base = kernel.image.virt_base.raw();
    for (const hv::loader::KernelSegment& segment : kernel.image.segments())
        std::memcpy(region.data() + (segment.va.raw() - virt_base), kernel.file.data() + segment.file_offset,
                    segment.file_size);
    if (kernel.image.hypercall_page.has_value()) {
        const std::array<uint8_t, 4096> page = xen_hypercall_page();
        std::memcpy(region.data() + (kernel.image.hypercall_page->raw() - virt_base), page.data(), page.size());
    }
    return region;
}

/// Every frame of the domain holds what the builder wrote there, and zero elsewhere:
/// the kernel, the p2m list, start_info, the tables (checked by the walk) and nothing
/// else; the xenstore and console rings, the stack, the padding and the unmapped frames
/// are zero (they were machine memory's fill before).
inline void check_domain_memory(const Machine& machine, const Kernel& kernel, const StartOfDay& built) {
    const StartOfDayLayout& layout = built.layout;
    const std::vector<uint8_t> kernel_region = expected_kernel_region(kernel);
    for (uint64_t pfn = 0; pfn < layout.nr_pages; ++pfn) {
        CAPTURE(pfn);
        const uint64_t va = layout.virt_base + pfn * kPage;
        const std::span<const uint8_t> page = machine.memory.frame(built.first_mfn + pfn);
        if (va < layout.p2m_va) {
            CHECK(std::memcmp(page.data(), kernel_region.data() + pfn * kPage, kPage) == 0);
        } else if (va < layout.start_info_va) {
            uint64_t wrong = 0;
            for (uint64_t word = 0; word < kPage / 8; ++word) {
                const uint64_t index = (va - layout.p2m_va) / 8 + word;
                uint64_t value;
                std::memcpy(&value, page.data() + word * 8, 8);
                if (value != (index < layout.nr_pages ? (built.first_mfn + index).raw() : 0)) ++wrong;
            }
            CHECK(wrong == 0);
        } else if (va == layout.start_info_va) {
            CHECK(all_bytes_are(page.subspan(sizeof(abi::StartInfo)), 0));
        } else if (!is_page_table_pfn(layout, pfn)) {
            CHECK(all_bytes_are(page, 0));
        }
    }
}

/// Everything a failed build must leave as it found it.
struct Snapshot {
    explicit Snapshot(const Machine& machine)
        : free_count(machine.allocator.free_count()), frames(machine.infos), memory(machine.memory.bytes()) {}
    size_t free_count;
    std::vector<FrameInfo> frames;
    std::vector<uint8_t> memory;
};

inline void check_unchanged(const Machine& machine, const Snapshot& before) {
    CHECK(machine.allocator.free_count() == before.free_count);
    CHECK(std::memcmp(machine.infos.data(), before.frames.data(), before.frames.size() * sizeof(FrameInfo)) == 0);
    CHECK(machine.memory.bytes() == before.memory);
    CHECK(machine.memory.m2p_writes.empty());
}

inline abi::Errno build_error(Machine& machine, const Kernel& kernel, const DomainRequest& request) {
    auto built = build_start_of_day(request, kernel.image, kernel.file, machine.allocator, machine.table, machine.memory);
    REQUIRE(built.is_error());
    return built.error_code();
}

}  // namespace builder_test
