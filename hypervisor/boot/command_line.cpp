// SPDX-License-Identifier: MIT
// Word splitting and the hypervisor's command-line options (see command_line.hpp).
#include "boot/command_line.hpp"

#include "lib/string.hpp"

namespace hv::boot {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Xen's level words (xen/drivers/char/console.c); "all" is everything, like debug here.
bool parse_log_level_word(Text word, LogLevel& level) {
    if (word.equals("error")) { level = LogLevel::Error; return true; }
    if (word.equals("warning")) { level = LogLevel::Warning; return true; }
    if (word.equals("info")) { level = LogLevel::Info; return true; }
    if (word.equals("debug") || word.equals("all")) { level = LogLevel::Debug; return true; }
    return false;
}

// Xen writes `loglvl=<level>[/<rate-limited level>]`; we have no rate limiting, so the
// second level is checked and otherwise ignored.
bool parse_log_level(Text value, LogLevel& level) {
    Text first, second;
    if (!value.split_at('/', first, second)) return parse_log_level_word(value, level);
    LogLevel unused;
    return parse_log_level_word(second, unused) && parse_log_level_word(first, level);
}

// `console=` takes a comma-separated list in Xen (`console=com1,vga`); com1 is our only
// console, so every list must name it.
bool names_only_com1(Text value) {
    Text item, rest;
    while (value.split_at(',', item, rest)) {
        if (!item.equals("com1")) return false;
        value = rest;
    }
    return value.equals("com1");
}

// Xen's boolean words (xen/common/kernel.c: parse_bool).
bool parse_boolean(Text value, bool& result) {
    if (value.equals("1") || value.equals("on") || value.equals("true") || value.equals("yes") ||
        value.equals("enable")) {
        result = true;
        return true;
    }
    if (value.equals("0") || value.equals("off") || value.equals("false") || value.equals("no") ||
        value.equals("disable")) {
        result = false;
        return true;
    }
    return false;
}

void apply_option(Text word, HypervisorOptions& options) {
    Text key, value;
    bool has_value = word.split_at('=', key, value);
    if (!has_value) {
        if (word.equals("noreboot")) { options.no_reboot = true; return; }
        if (word.equals("debug-audit")) { options.debug_audit = true; return; }
        options.ignored.add(word, "unknown option");
        return;
    }
    if (key.equals("loglvl")) {
        if (!parse_log_level(value, options.log_level)) options.ignored.add(word, "bad log level");
    } else if (key.equals("guest_loglvl")) {
        if (!parse_log_level(value, options.guest_log_level)) options.ignored.add(word, "bad log level");
    } else if (key.equals("console")) {
        if (!names_only_com1(value)) options.ignored.add(word, "unsupported console (only com1 exists)");
    } else if (key.equals("selftest")) {
        if (value.equals("page-fault")) options.self_test = SelfTest::PageFault;
        else if (value.equals("panic")) options.self_test = SelfTest::Panic;
        else options.ignored.add(word, "unknown self-test (page-fault or panic)");
    } else if (key.equals("smap")) {
        bool on = false;
        if (parse_boolean(value, on)) options.smap = on ? SmapSetting::On : SmapSetting::Off;
        else options.ignored.add(word, "not a boolean (on/off, 1/0, true/false, yes/no, enable/disable)");
    } else if (key.equals("com1")) {
        // Accepted: serial_init always programs 115200 8n1, Xen's usual setting.
    } else {
        options.ignored.add(word, "unknown option");
    }
}

}  // namespace

Text Text::from_c_string(const char* text) {
    return Text{text, lib::string_length(text, SIZE_MAX)};
}

bool Text::equals(const char* literal) const {
    size_t n = lib::string_length(literal, length + 1);
    return n == length && starts_with(literal);
}

bool Text::starts_with(const char* prefix) const {
    for (size_t i = 0; prefix[i] != '\0'; ++i)
        if (i >= length || data[i] != prefix[i]) return false;
    return true;
}

Text Text::drop_front(size_t count) const {
    if (count >= length) return Text{data + length, 0};
    return Text{data + count, length - count};
}

bool Text::split_at(char separator, Text& before, Text& rest) const {
    for (size_t i = 0; i < length; ++i) {
        if (data[i] != separator) continue;
        before = Text{data, i};
        rest = drop_front(i + 1);
        return true;
    }
    before = *this;
    rest = drop_front(length);
    return false;
}

bool WordReader::next(Text& word) {
    while (position_ < text_.length && is_space(text_.data[position_])) ++position_;
    size_t start = position_;
    while (position_ < text_.length && !is_space(text_.data[position_])) ++position_;
    word = Text{text_.data + start, position_ - start};
    return !word.empty();
}

Text WordReader::rest() const {
    size_t start = position_;
    while (start < text_.length && is_space(text_.data[start])) ++start;
    return text_.drop_front(start);
}

void WordCopy::assign(Text word) {
    lib::copy_string(text, kCapacity, word.data, word.length);
}

void IgnoredWords::add(Text word, const char* reason) {
    if (count == kCapacity) { ++dropped; return; }
    words[count].word.assign(word);
    words[count].reason = reason;
    ++count;
}

HypervisorOptions parse_hypervisor_options(Text command_line) {
    HypervisorOptions options;
    WordReader reader(command_line);
    Text word;
    while (reader.next(word)) apply_option(word, options);
    return options;
}

}  // namespace hv::boot
