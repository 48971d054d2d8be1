// SPDX-License-Identifier: MIT
// Building bounce frames (see bounce_frame.hpp; Xen: x86_64/entry.S create_bounce_frame,
// and domain.c load_segments for the failsafe frame).
#include "core/bounce_frame.hpp"

#include "abi/layout.hpp"
#include "abi/segments.hpp"

namespace hv {
namespace {

constexpr uint64_t kRflagsTf = 1 << 8, kRflagsIf = 1 << 9, kRflagsIopl = 3 << 12, kRflagsNt = 1 << 14,
                   kRflagsRf = 1 << 16, kRflagsVm = 1 << 17, kRflagsAc = 1 << 18;

constexpr bool canonical(uint64_t address) {
    return address < (uint64_t{1} << 47) || address >= 0xffff'8000'0000'0000;
}

}  // namespace

BounceFrame make_bounce_frame(const arch::CpuUserRegs& interrupted, bool from_user_mode, uint64_t kernel_sp,
                              uint8_t saved_upcall_mask, const Bounce& bounce) {
    BounceFrame frame{};
    frame.stack_base = (from_user_mode ? kernel_sp : interrupted.rsp) & ~uint64_t{15};
    // A kernel-mode context shows CS with RPL 0; a user context keeps its own CS.
    const uint64_t cs = from_user_mode ? interrupted.cs : (interrupted.cs & ~uint64_t{3});
    // IF mirrors the event mask (1 = masked = "interrupts off"); IOPL shows as 0.
    uint64_t rflags = interrupted.rflags & ~(kRflagsIf | kRflagsIopl);
    if (!saved_upcall_mask) rflags |= kRflagsIf;
    unsigned n = 0;
    frame.words[n++] = interrupted.rcx;
    frame.words[n++] = interrupted.r11;
    if (bounce.has_error_code) frame.words[n++] = bounce.error_code;
    if (bounce.segments != nullptr) {
        frame.words[n++] = bounce.segments->ds;
        frame.words[n++] = bounce.segments->es;
        frame.words[n++] = bounce.segments->fs;
        frame.words[n++] = bounce.segments->gs;
    }
    frame.words[n++] = interrupted.rip;
    frame.words[n++] = (cs & 0xffff) | (uint64_t{saved_upcall_mask} << 32);
    frame.words[n++] = rflags;
    frame.words[n++] = interrupted.rsp;
    frame.words[n++] = interrupted.ss & 0xffff;
    frame.count = n;
    frame.frame_address = frame.stack_base - n * sizeof(uint64_t);
    return frame;
}

void enter_handler(arch::CpuUserRegs& regs, const BounceFrame& frame, uint64_t handler) {
    regs.rip = handler;
    regs.cs = abi::kFlatKernelCs;
    regs.ss = abi::kFlatKernelSs;
    regs.rsp = frame.frame_address;
    regs.rflags = (regs.rflags & ~(kRflagsTf | kRflagsNt | kRflagsRf | kRflagsVm | kRflagsAc | kRflagsIopl)) | kRflagsIf;
}

bool bounce_stack_ok(const BounceFrame& frame) {
    const uint64_t low = frame.frame_address, high = frame.stack_base;
    if (!canonical(low) || !canonical(high - 1) || low > high) return false;
    // Anywhere in the hypervisor's reserved range (including just above its end, where
    // the frame would run into it) is refused.
    return !(high > abi::kHypervisorVirtStart && low < abi::kHypervisorVirtEnd + 64);
}

}  // namespace hv
