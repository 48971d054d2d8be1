// SPDX-License-Identifier: MIT
// The boot-test apps' way of reporting checks: one line per check, `<app>: <name>: <what
// was seen> ok|UNEXPECTED`, counted for the final `<app>: N checks, M unexpected` line.
#pragma once

#include <cstdint>

#include "abi/errno.hpp"
#include "kernel/console.hpp"
#include "lib/format.hpp"

namespace minios::checks {

/// A hypercall's RAX as a person reads it: "0", "3", or "-EINVAL".
struct ResultName { char text[24]; };

inline ResultName result_name(int64_t rax) {
    ResultName name;
    lib::FixedBuffer text(name.text, sizeof name.text);
    if (rax >= 0 || rax < -4095) lib::format_to(text, "{}", rax);
    else lib::format_to(text, "-{}", abi::errno_name(static_cast<abi::Errno>(-rax)));
    return name;
}

/// One app's count of checks run and checks that did not hold.
struct Tally {
    const char* app;
    int run = 0;
    int unexpected = 0;

    /// Print the check's line and count it; returns `holds`.
    template <typename... Args>
    bool report(const char* name, bool holds, const char* format, const Args&... args) {
        char text[192];
        lib::FixedBuffer result(text, sizeof text);
        lib::format_to(result, format, args...);
        ++run;
        if (!holds) ++unexpected;
        printk("{}: {}: {} {}\n", app, name, result.c_str(), holds ? "ok" : "UNEXPECTED");
        return holds;
    }

    /// A hypercall whose expected answer is just an errno (or 0).
    void expect_rc(const char* name, int64_t rax, int64_t expected) {
        report(name, rax == expected, "rc {}", result_name(rax).text);
    }

    /// The summary line; the app's exit status (0: every check held).
    int finish() const {
        printk("{}: {} checks, {} unexpected\n", app, run, unexpected);
        return unexpected == 0 ? 0 : 1;
    }
};

}  // namespace minios::checks
