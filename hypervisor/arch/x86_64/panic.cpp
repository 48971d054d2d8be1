// SPDX-License-Identifier: MIT
// lib::panic_message in the image: print "PANIC: ...", a backtrace, and leave QEMU.
#include "arch/x86_64/crash_dump.hpp"
#include "arch/x86_64/debug_exit.hpp"
#include "core/printk.hpp"
#include "lib/assert.hpp"

namespace lib {

[[noreturn]] void panic_message(const char* text) {
    asm volatile("cli");
    hv::log_error("PANIC: {}\n", text);
    // Start at our caller: its return address, and the frame pointer it saved.
    const auto* frame = static_cast<const uint64_t*>(__builtin_frame_address(0));
    arch::print_backtrace(frame[1], frame[0]);
    arch::leave_qemu(arch::ExitStatus::Panic);
}

}  // namespace lib
