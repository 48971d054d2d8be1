// SPDX-License-Identifier: MIT
// Tests of the domain builder: what it returns, start_info, the command line.
#include "tests/loader/domain_builder_fixture.hpp"

using namespace builder_test;


TEST_CASE("build_start_of_day returns the entry, the top of the boot stack, start_info and the L4's frame") {
    Machine machine;
    const Kernel kernel = mini_os();
    const StartOfDay built = build(machine, kernel, request_for(2048));
    // Mini-OS with 8 MiB: p2m 0x5000 (4 pages), start_info 0x9000, xenstore 0xa000,
    // console 0xb000, 5 tables from 0xc000, stack 0x11000, region up to 4 MiB.
    const StartOfDayLayout expected = hv::loader::plan_start_of_day({0, 0x5000}, 2048).value();
    CHECK(built.layout.p2m_va == expected.p2m_va);
    CHECK(built.layout.page_tables_va == expected.page_tables_va);
    CHECK(built.layout.stack_va == expected.stack_va);
    CHECK(built.layout.virt_end == expected.virt_end);
    CHECK(built.first_mfn == Mfn(kFirstFreeMfn));  // the lowest run of free frames
    CHECK(built.l4_mfn == Mfn(kFirstFreeMfn + 0xC));
    CHECK(built.shared_info_mfn == Mfn(kFirstFreeMfn + 2048));  // the next free frame after the run
    CHECK(built.entry == 0x40);
    CHECK(built.stack_top == 0x12000);
    CHECK(built.start_info == 0x9000);
    // The guest can use them: RSP's page is mapped writable, RSI's page is start_info.
    bool writable = false;
    CHECK(translate(machine.memory, built.l4_mfn, built.stack_top - 8, &writable) == built.first_mfn + 0x11);
    CHECK(writable);
    CHECK(translate(machine.memory, built.l4_mfn, built.start_info) == built.first_mfn + 0x9);
}

TEST_CASE("build_start_of_day fills every start_info field as Xen's domU builder does") {
    Machine machine;
    const StartOfDay built = build(machine, mini_os(), request_for(2048));
    const StartOfDayLayout& layout = built.layout;
    const abi::StartInfo info = read_start_info(machine, built);
    char magic[32] = "xen-3.0-x86_64";  // NUL-padded to 32 bytes
    CHECK(std::memcmp(info.magic, magic, sizeof magic) == 0);
    CHECK(info.nr_pages == 2048);
    CHECK(info.shared_info == built.shared_info_mfn.raw() << 12);  // a machine address
    CHECK_FALSE((built.shared_info_mfn >= built.first_mfn && built.shared_info_mfn < built.first_mfn + 2048));
    CHECK(info.flags == (abi::kSifPrivileged | abi::kSifInitdomain));
    CHECK(info.store_mfn == translate(machine.memory, built.l4_mfn, layout.xenstore_va)->raw());
    CHECK(info.store_mfn == kFirstFreeMfn + 0xA);
    CHECK(info.store_evtchn == 1);
    CHECK(info.console.domU.mfn == translate(machine.memory, built.l4_mfn, layout.console_va)->raw());
    CHECK(info.console.domU.mfn == kFirstFreeMfn + 0xB);
    CHECK(info.console.domU.evtchn == 2);
    CHECK(info.pt_base == 0xC000);
    CHECK(translate(machine.memory, built.l4_mfn, info.pt_base) == built.l4_mfn);
    CHECK(info.nr_pt_frames == 5);
    CHECK(info.mfn_list == 0x5000);
    CHECK(info.mod_start == 0);
    CHECK(info.mod_len == 0);
    CHECK(std::string(reinterpret_cast<const char*>(info.cmd_line)) == kCommandLine);
    CHECK(all_bytes_are({reinterpret_cast<const uint8_t*>(info.cmd_line) + std::strlen(kCommandLine),
                         sizeof info.cmd_line - std::strlen(kCommandLine)}, 0));
    CHECK(info.first_p2m_pfn == 0);
    CHECK(info.nr_p2m_frames == 0);
}

TEST_CASE("start_info.flags are the request's") {
    for (uint32_t flags : {0u, abi::kSifPrivileged, abi::kSifPrivileged | abi::kSifInitdomain}) {
        CAPTURE(flags);
        Machine machine;
        const StartOfDay built = build(machine, mini_os(), request_for(2048, kCommandLine, flags));
        CHECK(read_start_info(machine, built).flags == flags);
    }
}

TEST_CASE("the command line is copied whole up to 1023 bytes and truncated to 1023 bytes and a NUL beyond") {
    const auto command_line_of = [](const char* line) {
        Machine machine;
        const StartOfDay built = build(machine, mini_os(), request_for(2048, line));
        const abi::StartInfo info = read_start_info(machine, built);
        const char* text = reinterpret_cast<const char*>(info.cmd_line);
        REQUIRE(std::memchr(text, 0, sizeof info.cmd_line) != nullptr);  // always terminated
        return std::string(text);
    };
    std::string line;
    for (size_t i = 0; i < 2000; ++i) line.push_back(static_cast<char>('a' + i % 26));
    CHECK(command_line_of(line.substr(0, 1023).c_str()) == line.substr(0, 1023));
    CHECK(command_line_of(line.substr(0, 1024).c_str()) == line.substr(0, 1023));
    CHECK(command_line_of(line.c_str()) == line.substr(0, 1023));
    CHECK(command_line_of("") == "");
    CHECK(command_line_of(nullptr) == "");
}

