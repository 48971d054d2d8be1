// SPDX-License-Identifier: MIT
// What printk wrote during a host test (tests/fakes/console.cpp).
#pragma once

#include <string>

namespace fakes {
extern std::string console_output;
}
