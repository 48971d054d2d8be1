// SPDX-License-Identifier: MIT
// ASSERT and panic: the one place that knows whether we run on the host or on bare metal.
#pragma once

#include "lib/format.hpp"

namespace lib {

/// Stop everything with a message that names the check and the values.
/// On bare metal it is defined by the image that links lib (the hypervisor prints a
/// crash report and leaves QEMU; minios crashes its domain); on the host it aborts.
[[noreturn]] void panic_message(const char* text);

template <typename... Args>
[[noreturn]] void panic(const char* fmt, const Args&... args) {
    char text[256];
    FixedBuffer buffer(text, sizeof text);
    format_to(buffer, fmt, args...);
    panic_message(buffer.c_str());
}

}  // namespace lib

#define ASSERT_STRINGIFY_(x) #x
#define ASSERT_LINE_(x) ASSERT_STRINGIFY_(x)

/// A check on our own invariants. Never use it on a value a guest controls.
#define ASSERT(condition)                                                                     \
    do {                                                                                      \
        if (!(condition)) [[unlikely]]                                                        \
            ::lib::panic_message("assertion failed: " #condition " at " __FILE__ ":" ASSERT_LINE_(__LINE__)); \
    } while (0)

#if __STDC_HOSTED__
#define LIB_HOSTED 1
#else
#define LIB_HOSTED 0
#endif
