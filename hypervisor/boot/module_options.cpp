// SPDX-License-Identifier: MIT
// Parsing a boot module's `[OPTIONS --] [GUEST ARGS]` string (see module_options.hpp).
#include "boot/module_options.hpp"

#include "lib/string.hpp"

namespace hv::boot {

namespace {

using lib::ErrorOr;

constexpr const char* kSeparator = "--";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_name_character(char c) { return is_letter(c) || is_digit(c) || c == '-' || c == '_'; }

// How far a size suffix shifts the number: Xen's parse_size_and_unit.
bool suffix_shift(char suffix, unsigned& shift) {
    switch (suffix) {
    case 'B': case 'b': shift = 0; return true;
    case 'K': case 'k': shift = 10; return true;
    case 'M': case 'm': shift = 20; return true;
    case 'G': case 'g': shift = 30; return true;
    case 'T': case 't': shift = 40; return true;
    default: return false;
    }
}

// Decimal digits only: refuses the empty text, signs, spaces, and values above 2^64-1.
ErrorOr<uint64_t> parse_decimal(Text digits) {
    if (digits.empty()) return lib::error(abi::Errno::Inval, "expected a number");
    uint64_t value = 0;
    for (size_t i = 0; i < digits.length; ++i) {
        char c = digits.data[i];
        if (!is_digit(c)) return lib::error(abi::Errno::Inval, "expected a number");
        uint64_t digit = static_cast<uint64_t>(c - '0');
        if (value > (UINT64_MAX - digit) / 10) return lib::error(abi::Errno::Range, "number too large");
        value = value * 10 + digit;
    }
    return value;
}

ErrorOr<void> copy_name(Text value, char (&name)[ModuleOptions::kNameCapacity]) {
    if (value.empty()) return lib::error(abi::Errno::Inval, "empty domain name");
    if (value.length >= ModuleOptions::kNameCapacity)
        return lib::error(abi::Errno::Inval, "domain name longer than 31 characters");
    for (size_t i = 0; i < value.length; ++i)
        if (!is_name_character(value.data[i]))
            return lib::error(abi::Errno::Inval, "domain name may hold only letters, digits, '-' and '_'");
    lib::copy_string(name, ModuleOptions::kNameCapacity, value.data, value.length);
    return {};
}

ErrorOr<Role> parse_role(Text word) {
    if (word.equals("control")) return Role::Control;
    if (word.equals("xenstore")) return Role::XenStore;
    if (word.equals("backend")) return Role::Backend;
    if (word.equals("console")) return Role::Console;
    return lib::error(abi::Errno::Inval, "unknown role (control, xenstore, backend, console)");
}

ErrorOr<Roles> parse_roles(Text list) {
    Roles roles;
    Text item, rest;
    bool more = true;
    while (more) {
        more = list.split_at(',', item, rest);
        roles.add(TRY(parse_role(item)));
        list = rest;
    }
    return roles;
}

ErrorOr<uint64_t> parse_memory(Text value) {
    uint64_t bytes = TRY(parse_size(value));
    if (bytes == 0) return lib::error(abi::Errno::Inval, "mem= must not be 0");
    return bytes;
}

ErrorOr<uint32_t> parse_vcpus(Text value) {
    uint64_t count = TRY(parse_decimal(value));
    if (count == 0 || count > ModuleOptions::kMaxVcpus)
        return lib::error(abi::Errno::Inval, "vcpus= must be between 1 and 32");
    return static_cast<uint32_t>(count);
}

// One option word. Unknown words are collected, not refused: a newer module string must
// still boot on an older hypervisor, as with Xen's command line.
ErrorOr<void> apply_option(Text word, ModuleOptions& options) {
    Text key, value;
    if (!word.split_at('=', key, value)) {
        options.ignored.add(word, "unknown option");
        return {};
    }
    if (key.equals("name")) return copy_name(value, options.name);
    if (key.equals("disk-of")) return copy_name(value, options.disk_of);
    if (key.equals("role")) { options.roles = TRY(parse_roles(value)); return {}; }
    if (key.equals("mem")) { options.memory_bytes = TRY(parse_memory(value)); return {}; }
    if (key.equals("vcpus")) { options.vcpus = TRY(parse_vcpus(value)); return {}; }
    options.ignored.add(word, "unknown option");
    return {};
}

// A data module is a disk, not a domain: it takes no domain options.
ErrorOr<void> check_data_module(const ModuleOptions& options) {
    if (!options.is_data_module()) return {};
    if (options.name[0] != '\0' || !options.roles.empty() || options.memory_bytes != 0 || options.vcpus != 0)
        return lib::error(abi::Errno::Inval, "disk-of= marks a data module; it takes no name=, role=, mem= or vcpus=");
    return {};
}

// Is there a standalone `--` word? Decides whether the leading words are options at all.
bool has_separator_word(Text text) {
    WordReader reader(text);
    Text word;
    while (reader.next(word))
        if (word.equals(kSeparator)) return true;
    return false;
}

}  // namespace

ErrorOr<uint64_t> parse_size(Text text) {
    if (text.empty()) return lib::error(abi::Errno::Inval, "expected a size");
    size_t digits = 0;
    while (digits < text.length && is_digit(text.data[digits])) ++digits;
    unsigned shift = 10;  // no suffix: KiB, as Xen's dom0_mem=
    if (digits + 1 == text.length) {
        if (!suffix_shift(text.data[digits], shift)) return lib::error(abi::Errno::Inval, "unknown size suffix (B, K, M, G, T)");
    } else if (digits != text.length) {
        return lib::error(abi::Errno::Inval, "expected a number with one optional suffix (B, K, M, G, T)");
    }
    uint64_t value = TRY(parse_decimal(Text{text.data, digits}));
    if (value > (UINT64_MAX >> shift)) return lib::error(abi::Errno::Range, "size does not fit in 64 bits");
    return value << shift;
}

ErrorOr<ModuleOptions> parse_module_options(const char* module_string, WordCopy& offending_word) {
    Text whole = Text::from_c_string(module_string);
    ModuleOptions options;
    options.has_separator = has_separator_word(whole);
    WordReader reader(whole);
    if (options.has_separator) {
        Text word;
        while (reader.next(word) && !word.equals(kSeparator)) {
            auto applied = apply_option(word, options);
            if (applied.is_error()) {
                offending_word.assign(word);
                return applied.error();
            }
        }
    }
    // rest() ends where the string ends, at its NUL: a suffix is a C string too.
    options.guest_command_line = reader.rest().data;
    auto checked = check_data_module(options);
    if (checked.is_error()) {
        offending_word.assign(whole);
        return checked.error();
    }
    return options;
}

}  // namespace hv::boot
