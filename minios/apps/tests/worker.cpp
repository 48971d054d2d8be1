// SPDX-License-Identifier: MIT
// Boot test: a domain with a little work to do, next to a spinner (see spinner.cpp).
#include "apps/app.hpp"
#include "kernel/console.hpp"

namespace minios {

const char* app_name() { return "worker"; }

int app_main(const abi::StartInfo&) {
    for (int step = 1; step <= 3; ++step) {
        volatile uint64_t work = 0;
        for (uint64_t i = 0; i < 2'000'000; ++i) work = work + i;
        printk("worker: step {} done\n", step);
    }
    printk("worker: done\n");
    return 0;
}

}  // namespace minios
