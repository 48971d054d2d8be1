// SPDX-License-Identifier: MIT
// Tests of the MSR, control-register and I/O rules for PV guests (core/privileged_policy.hpp).
#include <doctest/doctest.h>

#include <cstdint>

#include "core/privileged_policy.hpp"

using hv::GuestMsr;
using hv::MsrWriteAction;

TEST_CASE("the MSRs Xen lets a PV guest reach are known by their numbers, and no others") {
    CHECK(hv::classify_msr(0xc0000100) == GuestMsr::FsBase);
    CHECK(hv::classify_msr(0xc0000101) == GuestMsr::GsBase);
    CHECK(hv::classify_msr(0xc0000102) == GuestMsr::ShadowGsBase);
    CHECK(hv::classify_msr(0xc0000080) == GuestMsr::Efer);
    CHECK(hv::classify_msr(0x277) == GuestMsr::Pat);
    CHECK(hv::classify_msr(0x1b) == GuestMsr::ApicBase);
    CHECK(hv::classify_msr(0x10) == GuestMsr::Tsc);
    CHECK(hv::classify_msr(0x1a0) == GuestMsr::MiscEnable);
    CHECK(hv::classify_msr(0x40000000) == GuestMsr::HypercallPage);
    for (uint32_t index : {0x0u, 0x3au, 0x48u, 0xc0000081u, 0xc0000082u, 0xc0000084u, 0xc0000103u, 0x40000001u,
                           0x40000200u, 0xffffffffu})
        CHECK(hv::classify_msr(index) == GuestMsr::Unknown);
}

TEST_CASE("EFER reads the host's known bits without SVME") {
    constexpr uint64_t kLongModeNx = 0xd01;  // SCE, LME, LMA, NXE
    CHECK(hv::guest_efer(kLongModeNx) == kLongModeNx);
    CHECK(hv::guest_efer(kLongModeNx | 0x1000) == kLongModeNx);    // SVME hidden
    CHECK(hv::guest_efer(kLongModeNx | 0x2000) == kLongModeNx);    // LMSLE: not a known bit
    CHECK(hv::guest_efer(kLongModeNx | 0x4000) == 0x4d01);         // FFXSE shown
}

TEST_CASE("MISC_ENABLE reads without perfmon and MONITOR, with BTS, PEBS and xTPR unavailable") {
    CHECK(hv::guest_misc_enable(0) == 0x801800);
    CHECK(hv::guest_misc_enable(0x40081 | 0x1) == 0x801801);  // fast strings kept; perfmon, MONITOR gone
}

TEST_CASE("PAT reads Xen's fixed value and APIC_BASE the enabled default, BSP on vCPU 0") {
    CHECK(hv::kXenPat == 0x0000050100070406);
    CHECK(hv::guest_apic_base(0) == 0xfee00900);
    CHECK(hv::guest_apic_base(1) == 0xfee00800);
}

TEST_CASE("the segment-base MSRs take canonical addresses only") {
    CHECK(hv::msr_write_action(GuestMsr::FsBase, 0x00007fffffffffff) == MsrWriteAction::SetFsBase);
    CHECK(hv::msr_write_action(GuestMsr::GsBase, 0xffff800000000000) == MsrWriteAction::SetGsBase);
    CHECK(hv::msr_write_action(GuestMsr::ShadowGsBase, 0) == MsrWriteAction::SetShadowGsBase);
    CHECK(hv::msr_write_action(GuestMsr::FsBase, 0x0000800000000000) == MsrWriteAction::Refuse);
    CHECK(hv::msr_write_action(GuestMsr::GsBase, 0xffff7fffffffffff) == MsrWriteAction::Refuse);
    CHECK(hv::msr_write_action(GuestMsr::ShadowGsBase, 0x8000000000000000) == MsrWriteAction::Refuse);
}

TEST_CASE("EFER and MISC_ENABLE writes are accepted and dropped") {
    CHECK(hv::msr_write_action(GuestMsr::Efer, 0xd01) == MsrWriteAction::Ignore);
    CHECK(hv::msr_write_action(GuestMsr::Efer, 0) == MsrWriteAction::Ignore);
    CHECK(hv::msr_write_action(GuestMsr::MiscEnable, 0x1234) == MsrWriteAction::Ignore);
}

TEST_CASE("the hypercall-page MSR takes a page address, without a page index") {
    CHECK(hv::msr_write_action(GuestMsr::HypercallPage, 0x1234000) == MsrWriteAction::FillHypercallPage);
    CHECK(hv::msr_write_action(GuestMsr::HypercallPage, 0x1234001) == MsrWriteAction::Refuse);
    CHECK(hv::msr_write_action(GuestMsr::HypercallPage, 0x1234800) == MsrWriteAction::Refuse);
}

TEST_CASE("writes to PAT, APIC_BASE, the TSC and unknown MSRs are #GP") {
    CHECK(hv::msr_write_action(GuestMsr::Pat, hv::kXenPat) == MsrWriteAction::Refuse);
    CHECK(hv::msr_write_action(GuestMsr::ApicBase, 0xfee00900) == MsrWriteAction::Refuse);
    CHECK(hv::msr_write_action(GuestMsr::Tsc, 0) == MsrWriteAction::Refuse);
    CHECK(hv::msr_write_action(GuestMsr::Unknown, 0) == MsrWriteAction::Refuse);
}

TEST_CASE("canonical addresses are those whose bits 63:47 are all equal") {
    CHECK(hv::is_canonical(0));
    CHECK(hv::is_canonical(0x00007fffffffffff));
    CHECK_FALSE(hv::is_canonical(0x0000800000000000));
    CHECK_FALSE(hv::is_canonical(0xffff7fffffffffff));
    CHECK(hv::is_canonical(0xffff800000000000));
    CHECK(hv::is_canonical(~uint64_t{0}));
}

TEST_CASE("CR0 reads the host's with the guest's virtual TS") {
    constexpr uint64_t kHost = 0x80050033;  // PG AM WP NE ET MP PE
    CHECK(hv::guest_cr0(kHost, false) == kHost);
    CHECK(hv::guest_cr0(kHost, true) == (kHost | hv::kCr0Ts));
    CHECK(hv::guest_cr0(kHost | hv::kCr0Ts, false) == kHost);  // the host's own lazy-FPU TS does not show
}

TEST_CASE("a CR0 write may change TS and nothing else") {
    constexpr uint64_t kHost = 0x80050033;
    CHECK(hv::cr0_write_ts(kHost, kHost | hv::kCr0Ts).value() == true);
    CHECK(hv::cr0_write_ts(kHost | hv::kCr0Ts, kHost).value() == false);
    CHECK(hv::cr0_write_ts(kHost, kHost).value() == false);
    CHECK(hv::cr0_write_ts(kHost, kHost & ~uint64_t{0x10000}).error_code() == abi::Errno::Perm);  // WP off
    CHECK(hv::cr0_write_ts(kHost, kHost & ~uint64_t{0x80000000}).is_error());                     // PG off
    CHECK(hv::cr0_write_ts(kHost, kHost | 0x40000000).is_error());                                // CD on
}

TEST_CASE("CR4 shows the guest PAE, MCE, OSFXSR and OSXMMEXCPT only") {
    constexpr uint64_t kPae = 0x20, kMce = 0x40, kPge = 0x80, kOsfxsr = 0x200, kOsxmmexcpt = 0x400;
    constexpr uint64_t kFsgsbase = 0x10000, kOsxsave = 0x40000, kSmep = 0x100000;
    const uint64_t host = kPae | kMce | kPge | kOsfxsr | kOsxmmexcpt | kFsgsbase | kOsxsave | kSmep;
    CHECK(hv::guest_cr4(host) == (kPae | kMce | kOsfxsr | kOsxmmexcpt));
    CHECK(hv::guest_cr4(kPae | kPge) == kPae);
}

TEST_CASE("the virtual IOPL covers kernel mode from 1 (0 with architectural IOPL) and user mode at 3") {
    for (uint8_t iopl = 0; iopl <= 3; ++iopl) {
        CAPTURE(iopl);
        CHECK(hv::iopl_allows({iopl, false, false}) == (iopl >= 1));
        CHECK(hv::iopl_allows({iopl, false, true}));
        CHECK(hv::iopl_allows({iopl, true, false}) == (iopl == 3));
        CHECK(hv::iopl_allows({iopl, true, true}) == (iopl == 3));
    }
}

TEST_CASE("the I/O bitmap grants a port whose bits are all clear") {
    constexpr uint32_t kAllPorts = 65536;
    CHECK(hv::io_bitmap_allows(kAllPorts, 0x80, 1, 0x0000));
    CHECK_FALSE(hv::io_bitmap_allows(kAllPorts, 0x80, 1, 0x0001));  // bit 0 of byte 0x10: port 0x80
    CHECK(hv::io_bitmap_allows(kAllPorts, 0x81, 1, 0x0001));        // port 0x81 is bit 1
    CHECK_FALSE(hv::io_bitmap_allows(kAllPorts, 0x84, 4, 0x0080));   // ports 0x84-0x87 include bit 7
    CHECK_FALSE(hv::io_bitmap_allows(kAllPorts, 0x87, 2, 0x0100));   // 0x87-0x88 reach into the next byte
    CHECK(hv::io_bitmap_allows(kAllPorts, 0x87, 2, 0xfe7f));
    CHECK_FALSE(hv::io_bitmap_allows(kAllPorts, 0x80, 1, 0xffff));   // unreadable bytes deny
}

TEST_CASE("the I/O bitmap covers ports strictly below its limit minus the width") {
    // Xen: consulted only when nr_ports > port + width.
    CHECK(hv::io_bitmap_allows(0x82, 0x80, 1, 0));
    CHECK_FALSE(hv::io_bitmap_allows(0x81, 0x80, 1, 0));
    CHECK_FALSE(hv::io_bitmap_allows(0, 0, 1, 0));
    CHECK_FALSE(hv::io_bitmap_allows(65536, 0xfffe, 2, 0));
}

TEST_CASE("a port the domain has no rights to reads all ones, merged into RAX as IN does") {
    CHECK(hv::unowned_port_value(1) == 0xff);
    CHECK(hv::unowned_port_value(2) == 0xffff);
    CHECK(hv::unowned_port_value(4) == 0xffffffff);
    constexpr uint64_t kRax = 0x1122334455667788;
    CHECK(hv::merge_port_read(kRax, 1, 0xff) == 0x11223344556677ff);
    CHECK(hv::merge_port_read(kRax, 2, 0xffff) == 0x112233445566ffff);
    CHECK(hv::merge_port_read(kRax, 4, 0xffffffff) == 0x00000000ffffffff);  // EAX zero-extends
    CHECK(hv::merge_port_read(kRax, 1, 0x1ab) == 0x11223344556677ab);       // only the width is taken
}
