// SPDX-License-Identifier: MIT
// The C memory and string routines the compiler may call, for images that link no libc.
#pragma once

#include <cstddef>

namespace lib {

size_t string_length(const char* text, size_t max);
bool starts_with(const char* text, const char* prefix);
bool equal(const char* a, const char* b);
/// Copy at most capacity-1 bytes and always NUL-terminate; returns the copied length.
size_t copy_string(char* destination, size_t capacity, const char* source, size_t source_length);

}  // namespace lib
