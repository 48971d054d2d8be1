// SPDX-License-Identifier: MIT
// SCHEDOP_shutdown, and lib::panic_message for minios (a panic crashes the domain).
#include "kernel/shutdown.hpp"

#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "lib/assert.hpp"

namespace minios {

void shutdown(abi::ShutdownReason reason) {
    abi::SchedShutdown request{static_cast<uint32_t>(reason)};
    for (;;) {
        // Returns only if the hypervisor refused (it should not): try again, and again.
        raw_hypercall(abi::Hypercall::SchedOp, static_cast<uint64_t>(abi::SchedOp::Shutdown),
                      reinterpret_cast<uint64_t>(&request));
    }
}

}  // namespace minios

namespace lib {

[[noreturn]] void panic_message(const char* text) {
    minios::printk("minios panic: {}\n", text);
    minios::shutdown(abi::ShutdownReason::Crash);
}

}  // namespace lib
