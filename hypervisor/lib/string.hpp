// SPDX-License-Identifier: MIT
// String helpers that work the same in the images and on the host (memcpy and friends
// for the images are in memory.cpp).
#pragma once

#include <cstddef>

namespace lib {

size_t string_length(const char* text, size_t max);
bool starts_with(const char* text, const char* prefix);
bool equal(const char* a, const char* b);
/// Copy at most capacity-1 bytes and always NUL-terminate; returns the copied length.
size_t copy_string(char* destination, size_t capacity, const char* source, size_t source_length);

}  // namespace lib
