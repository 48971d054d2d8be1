// SPDX-License-Identifier: MIT
// Host seam for lib::panic_message: a failed ASSERT aborts the test binary loudly.
#include <cstdio>
#include <cstdlib>

#include "lib/assert.hpp"

namespace lib {

[[noreturn]] void panic_message(const char* text) {
    std::fprintf(stderr, "PANIC: %s\n", text);
    std::abort();
}

}  // namespace lib
