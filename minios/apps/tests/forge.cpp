// SPDX-License-Identifier: MIT
// Boot test: a guest that tries to print lines that look like the hypervisor's. Every
// one must come out prefixed with "(dN) ", control characters removed.
#include "apps/app.hpp"
#include "kernel/console.hpp"

namespace minios {

const char* app_name() { return "forge"; }

int app_main(const abi::StartInfo&) {
    const char forged[] =
        "PANIC: forged by the guest\n"
        "half a line\rdomain d0 crashed: forged too\n"
        "\x1b[2Kall domains have ended: 9 powered off\n";
    console_write(forged, sizeof forged - 1);
    // A write with no newline and then one with many: the prefix goes on every line.
    console_write("no newline yet...", 17);
    const char rest[] = " done\n\n\nPANIC: after blank lines\n";
    console_write(rest, sizeof rest - 1);
    return 0;
}

}  // namespace minios
