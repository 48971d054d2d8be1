// SPDX-License-Identifier: MIT
// Command-line options (see command_line.hpp).
#include "kernel/command_line.hpp"

#include "lib/string.hpp"

namespace minios {

namespace {
constexpr uint64_t kLongestWord = 64;
}

const char* find_option(const char* line, const char* key) {
    for (const char* at = line; *at != '\0'; ++at)
        if ((at == line || at[-1] == ' ') && lib::starts_with(at, key)) return at + lib::string_length(key, kLongestWord);
    return nullptr;
}

uint64_t number_option(const char* line, const char* key, uint64_t fallback) {
    const char* value = find_option(line, key);
    if (value == nullptr || *value < '0' || *value > '9') return fallback;
    uint64_t number = 0;
    for (; *value >= '0' && *value <= '9'; ++value) number = number * 10 + static_cast<uint64_t>(*value - '0');
    return number;
}

bool option_is(const char* line, const char* key, const char* word) {
    const char* value = find_option(line, key);
    if (value == nullptr || !lib::starts_with(value, word)) return false;
    const char after = value[lib::string_length(word, kLongestWord)];
    return after == '\0' || after == ' ';
}

}  // namespace minios
