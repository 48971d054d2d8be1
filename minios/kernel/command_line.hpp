// SPDX-License-Identifier: MIT
// Reading `key=value` options from the guest's command line (start_info.cmd_line).
#pragma once

#include <cstdint>

namespace minios {

/// Where the value of `key` (for example "role=") starts in `line`, or nullptr. A key
/// counts only at the start of a word.
const char* find_option(const char* line, const char* key);
/// The decimal number after `key`, or `fallback` if there is none.
uint64_t number_option(const char* line, const char* key, uint64_t fallback);
/// Is the value after `key` exactly the word `word`?
bool option_is(const char* line, const char* key, const char* word);

}  // namespace minios
