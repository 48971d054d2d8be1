// SPDX-License-Identifier: MIT
// The bounce frame: how an exception, an event, a syscall or a failsafe callback reaches a
// PV guest's own handler, as Xen's create_bounce_frame and load_segments build it
// (XEN-PV-ABI.md 4.1 and 4.2).
#pragma once

#include <cstdint>

#include "arch/x86_64/frame.hpp"
#include "core/pv_state.hpp"

namespace hv {

/// What to deliver.
struct Bounce {
    uint64_t handler;        ///< the guest's entry point
    bool has_error_code;
    uint32_t error_code;
    bool mask_events;        ///< set evtchn_upcall_mask on entry
    /// The failsafe callback's frame also carries the DS, ES, FS and GS selectors the
    /// hypervisor failed to reload (between R11 and RIP); null for every other frame.
    const DataSegments* segments = nullptr;
};

/// The frame, lowest address first, and where it goes.
struct BounceFrame {
    uint64_t words[11];
    unsigned count;          ///< 7, 8 with an error code, 11 with the data segments
    uint64_t stack_base;     ///< the 16-aligned address the frame ends at
    uint64_t frame_address;  ///< stack_base - count * 8: the handler's RSP
};

/// Build the frame for `bounce` interrupting `interrupted`. From guest kernel mode the
/// frame goes on the current stack; from user mode on `kernel_sp` (the caller switches
/// to kernel mode). CS of a kernel-mode context loses its RPL (0xe030), which is how the
/// guest tells kernel from user; the saved event mask rides in CS bits 32-39 and IF in
/// RFLAGS mirrors it (XEN-PV-ABI.md 4.1).
BounceFrame make_bounce_frame(const arch::CpuUserRegs& interrupted, bool from_user_mode, uint64_t kernel_sp,
                              uint8_t saved_upcall_mask, const Bounce& bounce);

/// The registers at the handler's first instruction: RIP the handler, CS/SS the flat
/// kernel selectors, RSP the frame; TF, NT, RF, VM, AC cleared, IF set, IOPL 0.
void enter_handler(arch::CpuUserRegs& regs, const BounceFrame& frame, uint64_t handler);

/// Is the frame's stack acceptable? Xen crashes the domain for a frame inside its own
/// range (XEN-PV-ABI.md 4.1) or on a non-canonical stack.
bool bounce_stack_ok(const BounceFrame& frame);

}  // namespace hv
