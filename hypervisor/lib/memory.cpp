// SPDX-License-Identifier: MIT
// memcpy, memmove, memset, memcmp: the compiler emits calls to these even in freestanding
// code; only the kernel images link this file (the host uses its libc).
#include <cstddef>
#include <cstdint>

extern "C" {

void* memcpy(void* destination, const void* source, size_t length) {
    auto* d = static_cast<unsigned char*>(destination);
    const auto* s = static_cast<const unsigned char*>(source);
    // rep movsb is fast on every CPU with ERMS and short to read.
    asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(length) : : "memory");
    return destination;
}

void* memset(void* destination, int value, size_t length) {
    auto* d = static_cast<unsigned char*>(destination);
    asm volatile("rep stosb" : "+D"(d), "+c"(length) : "a"(value) : "memory");
    return destination;
}

void* memmove(void* destination, const void* source, size_t length) {
    auto* d = static_cast<unsigned char*>(destination);
    const auto* s = static_cast<const unsigned char*>(source);
    if (d <= s || d >= s + length) return memcpy(destination, source, length);
    for (size_t i = length; i > 0; --i) d[i - 1] = s[i - 1];
    return destination;
}

int memcmp(const void* a, const void* b, size_t length) {
    const auto* x = static_cast<const unsigned char*>(a);
    const auto* y = static_cast<const unsigned char*>(b);
    for (size_t i = 0; i < length; ++i)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char* text) {
    size_t n = 0;
    while (text[n] != '\0') ++n;
    return n;
}

}  // extern "C"
