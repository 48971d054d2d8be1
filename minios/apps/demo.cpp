// SPDX-License-Identifier: MIT
// The demo `make run` boots: the start-of-day page, then what the hypervisor says of itself.
#include "apps/app.hpp"
#include "kernel/console.hpp"
#include "kernel/xen_info.hpp"

namespace minios {

const char* app_name() { return "demo"; }

int app_main(const abi::StartInfo&) {
    int failures = print_xen_info();
    printk("demo: {} hypervisor queries failed\n", failures);
    return failures == 0 ? 0 : 1;
}

}  // namespace minios
