// SPDX-License-Identifier: MIT
// Boot test: a domain that never gives the CPU back (no hypercall while it spins), for a
// long while. A fair scheduler still runs the other domains: they finish first.
#include "apps/app.hpp"
#include "kernel/console.hpp"

namespace minios {

const char* app_name() { return "spinner"; }

int app_main(const abi::StartInfo&) {
    printk("spinner: spinning\n");
    // About two seconds of TCG time; only a time slice ending can let anyone else run.
    volatile uint64_t counter = 0;
    for (uint64_t i = 0; i < 600'000'000; ++i) counter = counter + 1;
    printk("spinner: done after {} iterations\n", counter);
    return 0;
}

}  // namespace minios
