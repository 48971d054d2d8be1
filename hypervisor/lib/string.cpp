// SPDX-License-Identifier: MIT
// Byte and string helpers; memcpy and friends for freestanding images (see memory.cpp).
#include "lib/string.hpp"

namespace lib {

size_t string_length(const char* text, size_t max) {
    size_t n = 0;
    while (n < max && text[n] != '\0') ++n;
    return n;
}

bool starts_with(const char* text, const char* prefix) {
    for (; *prefix != '\0'; ++text, ++prefix)
        if (*text != *prefix) return false;
    return true;
}

bool equal(const char* a, const char* b) {
    for (; *a != '\0' && *a == *b; ++a, ++b) {}
    return *a == *b;
}

size_t copy_string(char* destination, size_t capacity, const char* source, size_t source_length) {
    if (capacity == 0) return 0;
    size_t n = source_length < capacity - 1 ? source_length : capacity - 1;
    for (size_t i = 0; i < n; ++i) destination[i] = source[i];
    destination[n] = '\0';
    return n;
}

}  // namespace lib
