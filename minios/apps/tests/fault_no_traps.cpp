// SPDX-License-Identifier: MIT
// Boot test: a page fault before the kernel has a trap table. The hypervisor must crash
// this domain with a dump of its state, and carry on.
#include "apps/app.hpp"
#include "kernel/console.hpp"

namespace minios {

const char* app_name() { return "fault-no-traps"; }

int app_main(const abi::StartInfo&) {
    // Far above the start-of-day region and below the hypervisor's range: not mapped.
    constexpr uint64_t kUnmapped = 0x0000'4000'0000'0000;
    printk("fault-no-traps: writing to {:#x}\n", kUnmapped);
    *reinterpret_cast<volatile uint64_t*>(kUnmapped) = 0x5a;
    printk("fault-no-traps: still running, which is wrong\n");
    return 1;
}

}  // namespace minios
