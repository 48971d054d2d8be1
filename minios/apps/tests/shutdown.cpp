// SPDX-License-Identifier: MIT
// Boot test: shut down with the reason named on the command line (poweroff, reboot,
// suspend, crash, watchdog, soft_reset, or a number), so that the tests can check how
// the hypervisor reports each one and what exit status the run gets.
#include "apps/app.hpp"
#include "kernel/console.hpp"
#include "kernel/shutdown.hpp"
#include "lib/string.hpp"

namespace minios {
namespace {

struct NamedReason { const char* name; uint32_t reason; };

constexpr NamedReason kReasons[] = {
    {"poweroff", 0}, {"reboot", 1}, {"suspend", 2}, {"crash", 3}, {"watchdog", 4}, {"soft_reset", 5}, {"unknown-9", 9},
};

}  // namespace

const char* app_name() { return "shutdown"; }

int app_main(const abi::StartInfo& info) {
    const char* line = reinterpret_cast<const char*>(info.cmd_line);
    for (const NamedReason& named : kReasons) {
        if (!lib::equal(line, named.name)) continue;
        printk("shutdown: asking for reason {} ({})\n", named.reason, named.name);
        shutdown(static_cast<abi::ShutdownReason>(named.reason));
    }
    printk("shutdown: unknown reason `{}`\n", line);
    return 1;
}

}  // namespace minios
