// SPDX-License-Identifier: MIT
// Tests of the domain builder: the p2m, page tables, frame table, shared_info, the kernel's bytes, the hypercall page, and failures that change nothing.
#include "tests/loader/domain_builder_fixture.hpp"

using namespace builder_test;

TEST_CASE("the p2m list gives every PFN its frame and set_m2p records the inverse") {
    for (const Shape& shape : every_shape()) {
        CAPTURE(shape.name);
        Machine machine;
        const StartOfDay built = build(machine, shape.kernel, request_for(shape.nr_pages));
        const std::vector<uint64_t> p2m = read_p2m(machine, built, read_start_info(machine, built));
        REQUIRE(p2m.size() == shape.nr_pages);
        uint64_t wrong = 0;
        for (uint64_t pfn = 0; pfn < p2m.size(); ++pfn) {
            if (p2m[pfn] != kFirstFreeMfn + pfn) ++wrong;
            // The pages the region maps agree with the list.
            if (pfn < built.layout.region_pages() &&
                translate(machine.memory, built.l4_mfn, built.layout.virt_base + pfn * kPage) != Mfn(p2m[pfn]))
                ++wrong;
        }
        CHECK(wrong == 0);
        // One write per page, plus shared_info's, which is not in the p2m: INVALID_M2P_ENTRY.
        REQUIRE(machine.memory.m2p_writes.size() == shape.nr_pages + 1);
        std::vector<bool> seen(shape.nr_pages, false);
        for (const fakes::BuildMemory::M2pWrite& write : machine.memory.m2p_writes) {
            CAPTURE(write.mfn);
            if (write.mfn == built.shared_info_mfn) {
                CHECK(write.gfn == ~uint64_t{0});
                continue;
            }
            REQUIRE(write.gfn < shape.nr_pages);
            CHECK(p2m[write.gfn] == write.mfn.raw());
            CHECK_FALSE(seen[write.gfn]);
            seen[write.gfn] = true;
        }
    }
}

TEST_CASE("the page tables map every page of the region to its PFN's frame and nothing else") {
    // Writable everywhere except the page-table frames; USER at every level; bit 52 in
    // L1s; no entry beyond virt_end; slots 256-271 the hypervisor's; no other slot used.
    for (const Shape& shape : every_shape()) {
        CAPTURE(shape.name);
        Machine machine;
        const StartOfDay built = build(machine, shape.kernel, request_for(shape.nr_pages));
        const Census census = walk_page_tables(machine, built);
        uint64_t mapped = 0, tables = 0;
        for (const auto& [mfn, references] : census) {
            mapped += references.read_only + references.writable;
            tables += references.from_parent != 0;
        }
        CHECK(mapped == built.layout.region_pages());
        CHECK(tables + 1 == built.layout.page_table_frames());  // every table but the L4 has a parent
    }
}

TEST_CASE("the L4 holds the hypervisor's slots 256-271 and no other slot above 255 for a low kernel") {
    Machine machine;
    const StartOfDay built = build(machine, mini_os(), request_for(2048));
    for (uint64_t slot = 256; slot < 512; ++slot) {
        CAPTURE(slot);
        const uint64_t entry = machine.memory.read_u64(built.l4_mfn, slot * 8);
        CHECK(entry == (slot <= 271 ? kHypervisorSlots[slot - 256] : 0));
    }
    CHECK(hv::pte::present(machine.memory.read_u64(built.l4_mfn, 0)));
}

TEST_CASE("the frame table holds the types and counts that Xen's validation and L4 pin leave") {
    // Tables typed L1-L4, validated, one type reference from their parent (the L4: pin
    // and CR3); writable-mapped frames typed Writable; ref_count = 1 + references.
    for (const Shape& shape : every_shape()) {
        CAPTURE(shape.name);
        Machine machine;
        const StartOfDay built = build(machine, shape.kernel, request_for(shape.nr_pages));
        check_frame_table(machine, built, walk_page_tables(machine, built));
        CHECK(machine.allocator.free_count() == kMachineFrames - kFirstFreeMfn - shape.nr_pages - 1);
    }
}

TEST_CASE("shared_info is an extra zeroed frame with events masked in all 32 vcpu_infos") {
    Machine machine;
    const StartOfDay built = build(machine, mini_os(), request_for(2048));
    const std::span<const uint8_t> page = machine.memory.frame(built.shared_info_mfn);
    uint64_t wrong = 0;
    for (uint64_t offset = 0; offset < kPage; ++offset) {
        // vcpu_info[i] is 64 bytes at i * 64; evtchn_upcall_mask is its byte 1.
        const uint8_t expected = offset < 32 * 64 && offset % 64 == 1 ? 1 : 0;
        if (page[offset] != expected) ++wrong;
    }
    CHECK(wrong == 0);
    // The guest maps it itself (it is not in the region); the hypervisor holds it Writable,
    // so that it can never become a page table or a descriptor page.
    CHECK(machine.table[built.shared_info_mfn].type == FrameType::Writable);
}

TEST_CASE("the kernel is loaded at its virtual addresses with its BSS and every unwritten page zero") {
    SUBCASE("Mini-OS's bytes, by hand") {
        Machine machine;
        const StartOfDay built = build(machine, mini_os(), request_for(2048));
        const std::vector<uint8_t> region = read_guest(machine.memory, built.l4_mfn, 0, 0x5000);
        CHECK(region[0x0000] == 0x90);
        CHECK(region[0x1234] == 0xAB);
        CHECK(region[0x1FFF] == 0x90);
        CHECK(all_bytes_are({region.data() + 0x3000, 0x2000}, 0));  // BSS
    }
    SUBCASE("every kernel shape, page by page") {
        for (const Shape& shape : every_shape()) {
            CAPTURE(shape.name);
            Machine machine;
            const StartOfDay built = build(machine, shape.kernel, request_for(shape.nr_pages));
            check_domain_memory(machine, shape.kernel, built);
        }
    }
    SUBCASE("a kernel without HYPERCALL_PAGE keeps its own bytes") {
        Machine machine;
        const Kernel kernel = kernel_from(kernel_with_notes(minimal_notes()));
        REQUIRE_FALSE(kernel.image.hypercall_page.has_value());
        const StartOfDay built = build(machine, kernel, request_for(2048));
        check_domain_memory(machine, kernel, built);
        CHECK(all_bytes_are(read_guest(machine.memory, built.l4_mfn, 0x100000, 0x2000), 0x11));
    }
}

TEST_CASE("the builder fills the kernel's HYPERCALL_PAGE after loading the kernel") {
    Machine machine;
    const StartOfDay built = build(machine, mini_os(), request_for(2048));
    const std::vector<uint8_t> page = read_guest(machine.memory, built.l4_mfn, 0x2000, kPage);
    const std::array<uint8_t, 4096> expected = xen_hypercall_page();
    CHECK(std::memcmp(page.data(), expected.data(), kPage) == 0);
    CHECK(page[0x2E0] == 0x51);  // the iret stub
    CHECK(page[0x2E3] == 0x50);
}

TEST_CASE("write_hypercall_page writes Xen's stub in every slot, the iret stub in slot 23, and int3 elsewhere") {
    std::array<uint8_t, 4096> page;
    page.fill(0x5A);
    hv::loader::write_hypercall_page(page);
    for (uint64_t slot = 0; slot < 128; ++slot) {
        CAPTURE(slot);
        const uint8_t* stub = page.data() + slot * 32;
        if (slot == 23) {
            const uint8_t iret[] = {0x51, 0x41, 0x53, 0x50, 0xB8, 0x17, 0x00, 0x00, 0x00, 0x0F, 0x05};
            CHECK(std::memcmp(stub, iret, sizeof iret) == 0);
            CHECK(all_bytes_are({stub + sizeof iret, 32 - sizeof iret}, 0xCC));
            continue;
        }
        const uint8_t normal[] = {0x51, 0x41, 0x53, 0xB8, static_cast<uint8_t>(slot), 0x00, 0x00, 0x00,
                                  0x0F, 0x05, 0x41, 0x5B, 0x59, 0xC3};
        CHECK(std::memcmp(stub, normal, sizeof normal) == 0);
        CHECK(all_bytes_are({stub + sizeof normal, 32 - sizeof normal}, 0xCC));
    }
    CHECK(page[127 * 32 + 4] == 0x7F);  // the last slot's number
}

TEST_CASE("a second domain gets frames of its own and leaves the first one's alone") {
    Machine machine;
    const Kernel kernel = mini_os();
    const StartOfDay first = build(machine, kernel, request_for(2048));
    const Snapshot before(machine);
    DomainRequest request = request_for(1024);
    request.id = DomId(4);
    const StartOfDay second = build(machine, kernel, request);
    CHECK(second.first_mfn == first.shared_info_mfn + 1);
    const size_t first_frames_bytes = (first.shared_info_mfn.raw() + 1) * sizeof(FrameInfo);
    CHECK(std::memcmp(machine.infos.data(), before.frames.data(), first_frames_bytes) == 0);
    const size_t first_memory_bytes = (first.shared_info_mfn.raw() + 1 - kFirstFreeMfn) * kPage;
    CHECK(std::memcmp(machine.memory.bytes().data(), before.memory.data(), first_memory_bytes) == 0);
    CHECK(machine.table.owned_by(second.l4_mfn, DomId(4)));
    CHECK(machine.table.owned_by(second.shared_info_mfn, DomId(4)));
}

TEST_CASE("without a long enough run of free frames the build fails with NoMem and changes nothing") {
    // 3000 free frames, but no 2048 in a row.
    Machine machine({{kFirstFreeMfn, kFirstFreeMfn + 1500}, {kFirstFreeMfn + 1600, kFirstFreeMfn + 3100}});
    const Snapshot before(machine);
    CHECK(build_error(machine, mini_os(), request_for(2048)) == abi::Errno::NoMem);
    check_unchanged(machine, before);
}

TEST_CASE("when only the shared_info frame is missing the build fails with NoMem and frees every frame") {
    Machine machine({{kFirstFreeMfn, kFirstFreeMfn + 2048}});
    const Snapshot before(machine);
    const Kernel kernel = mini_os();
    CHECK(build_error(machine, kernel, request_for(2048)) == abi::Errno::NoMem);
    check_unchanged(machine, before);
    uint64_t still_taken = 0;
    for (uint64_t mfn = kFirstFreeMfn; mfn < kFirstFreeMfn + 2048; ++mfn) still_taken += !machine.allocator.is_free(Mfn(mfn));
    CHECK(still_taken == 0);
    // The same frames serve again once one more is there.
    machine.allocator.add_free_range(Mfn(kMachineFrames - 1), Mfn(kMachineFrames));
    const StartOfDay built = build(machine, kernel, request_for(2048));
    CHECK(built.first_mfn == Mfn(kFirstFreeMfn));
    CHECK(built.shared_info_mfn == Mfn(kMachineFrames - 1));
}

TEST_CASE("a kernel asking for INIT_P2M is refused with OpNotSupp before anything is allocated") {
    Machine machine;
    const Snapshot before(machine);
    const Kernel kernel = mini_os({number_note(NoteType::InitP2m, 0x4000'0000)});
    REQUIRE(kernel.image.init_p2m.has_value());
    CHECK(build_error(machine, kernel, request_for(2048)) == abi::Errno::OpNotSupp);
    check_unchanged(machine, before);
}

TEST_CASE("a region bigger than mem= is refused with NoMem before anything is allocated") {
    Machine machine;
    const Snapshot before(machine);
    CHECK(build_error(machine, mini_os(), request_for(1023)) == abi::Errno::NoMem);  // the region is 1024 pages
    check_unchanged(machine, before);
    CHECK(build_error(machine, mini_os(), request_for(uint64_t{1} << 61)) == abi::Errno::Inval);
    check_unchanged(machine, before);
}

