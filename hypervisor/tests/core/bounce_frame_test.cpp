// SPDX-License-Identifier: MIT
// Tests of the frames a PV guest's handlers receive (core/bounce_frame.hpp), word by word
// against XEN-PV-ABI.md 4.1 and 4.2.
#include <doctest/doctest.h>

#include <cstdint>

#include "abi/layout.hpp"
#include "abi/segments.hpp"
#include "core/bounce_frame.hpp"

namespace {

constexpr uint64_t kIf = 1 << 9, kTf = 1 << 8, kAc = 1 << 18, kIopl3 = 3 << 12, kDf = 1 << 10;

/// A guest kernel interrupted at a recognisable place.
arch::CpuUserRegs interrupted_kernel() {
    arch::CpuUserRegs regs{};
    regs.rcx = 0x1111;
    regs.r11 = 0x2222;
    regs.rip = 0x40'1234;
    regs.cs = abi::kFlatKernelCs | 3;  // the hardware sees RPL 3
    regs.rflags = kIf | kDf | kTf | kAc | kIopl3 | 0x2;
    regs.rsp = 0x8'0000 + 0x38;  // not 16-aligned
    regs.ss = abi::kFlatKernelSs;
    return regs;
}

}  // namespace

TEST_CASE("an exception frame from kernel mode: aligned stack, RPL 0 in CS, the mask in CS and IF") {
    const arch::CpuUserRegs regs = interrupted_kernel();
    const hv::BounceFrame frame = hv::make_bounce_frame(regs, false, 0, 1, hv::Bounce{0x5000, true, 0x1b, true});
    CHECK(frame.stack_base == 0x8'0030);
    REQUIRE(frame.count == 8);
    CHECK(frame.frame_address == 0x8'0030 - 64);
    CHECK(frame.words[0] == 0x1111);
    CHECK(frame.words[1] == 0x2222);
    CHECK(frame.words[2] == 0x1b);                                        // error code
    CHECK(frame.words[3] == 0x40'1234);                                   // RIP
    CHECK(frame.words[4] == (0xe030 | (uint64_t{1} << 32)));            // RPL 0, mask 1
    CHECK((frame.words[5] & kIf) == 0);                                   // masked: IF shows clear
    CHECK((frame.words[5] & kIopl3) == 0);
    CHECK((frame.words[5] & kDf) != 0);                                   // the rest as interrupted
    CHECK(frame.words[6] == 0x8'0038);
    CHECK(frame.words[7] == abi::kFlatKernelSs);
}

TEST_CASE("an event frame from user mode goes on kernel_sp and keeps the user CS") {
    arch::CpuUserRegs regs = interrupted_kernel();
    regs.cs = abi::kFlatUserCs64;
    const hv::BounceFrame frame = hv::make_bounce_frame(regs, true, 0x9'0008, 0, hv::Bounce{0x5000, false, 0, true});
    CHECK(frame.stack_base == 0x9'0000);
    REQUIRE(frame.count == 7);
    CHECK(frame.words[2] == 0x40'1234);
    CHECK(frame.words[3] == abi::kFlatUserCs64);
    CHECK((frame.words[4] & kIf) != 0);  // events were unmasked
}

TEST_CASE("the failsafe frame: RCX, R11, DS, ES, FS, GS, then the interrupt frame (88 bytes)") {
    const arch::CpuUserRegs regs = interrupted_kernel();
    const hv::DataSegments segments{0xe02b, 0x23, 0x33, 0x43};
    hv::Bounce failsafe{0x6000, false, 0, false};
    failsafe.segments = &segments;
    const hv::BounceFrame frame = hv::make_bounce_frame(regs, false, 0, 0, failsafe);
    REQUIRE(frame.count == 11);
    CHECK(frame.frame_address == frame.stack_base - 88);
    const uint64_t expected[] = {0x1111, 0x2222, 0xe02b, 0x23, 0x33, 0x43, 0x40'1234, 0xe030,
                                 frame.words[8], 0x8'0038, abi::kFlatKernelSs};
    for (unsigned i = 0; i < 11; ++i) CHECK(frame.words[i] == expected[i]);
    CHECK((frame.words[8] & kIf) != 0);
}

TEST_CASE("the handler starts on the frame with the flat kernel selectors and TF, AC, IOPL clear") {
    arch::CpuUserRegs regs = interrupted_kernel();
    const hv::BounceFrame frame = hv::make_bounce_frame(regs, false, 0, 0, hv::Bounce{0x5000, false, 0, false});
    hv::enter_handler(regs, frame, 0x5000);
    CHECK(regs.rip == 0x5000);
    CHECK(regs.rsp == frame.frame_address);
    CHECK(regs.cs == abi::kFlatKernelCs);
    CHECK(regs.ss == abi::kFlatKernelSs);
    CHECK((regs.rflags & (kTf | kAc | kIopl3)) == 0);
    CHECK((regs.rflags & kIf) != 0);
}

TEST_CASE("a frame in or against the hypervisor's range, or on a non-canonical stack, is refused") {
    arch::CpuUserRegs regs = interrupted_kernel();
    const auto frame_at = [&](uint64_t rsp) {
        regs.rsp = rsp;
        return hv::make_bounce_frame(regs, false, 0, 0, hv::Bounce{0x5000, false, 0, false});
    };
    CHECK(hv::bounce_stack_ok(frame_at(0x8'0000)));
    CHECK_FALSE(hv::bounce_stack_ok(frame_at(abi::kHypervisorVirtStart + 0x1000)));
    CHECK_FALSE(hv::bounce_stack_ok(frame_at(abi::kHypervisorVirtEnd + 0x20)));  // runs into its end
    CHECK(hv::bounce_stack_ok(frame_at(abi::kHypervisorVirtEnd + 0x1000)));
    CHECK(hv::bounce_stack_ok(frame_at(0x0000'8000'0000'0000)));  // the frame ends just below the hole
    CHECK_FALSE(hv::bounce_stack_ok(frame_at(0x0000'8000'0000'1000)));  // in the non-canonical hole
    CHECK_FALSE(hv::bounce_stack_ok(frame_at(0x20)));                            // wraps below 0
}
