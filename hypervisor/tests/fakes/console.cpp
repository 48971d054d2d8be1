// SPDX-License-Identifier: MIT
// Host seam for hv::console_write: everything printk writes is captured for the tests.
#include "tests/fakes/console.hpp"

#include "core/printk.hpp"

namespace fakes {
std::string console_output;
}

namespace hv {
void console_write(const char* text, unsigned long length) { fakes::console_output.append(text, length); }
}  // namespace hv
