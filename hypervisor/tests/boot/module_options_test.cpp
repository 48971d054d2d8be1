// SPDX-License-Identifier: MIT
// Tests of module strings `[OPTIONS --] [GUEST ARGS]`: the split at `--`, each option, and the refusals.
#include <doctest/doctest.h>

#include <string>

#include "boot/module_options.hpp"
#include "tests/boot/check_error.hpp"

using abi::Errno;
using hv::boot::ModuleOptions;
using hv::boot::Role;
using hv::boot::Text;
using hv::boot::WordCopy;

namespace {

ModuleOptions parse_ok(const char* text) {
    WordCopy offending;
    auto result = hv::boot::parse_module_options(text, offending);
    INFO("module string: ", text, " offending word: ", offending.text);
    REQUIRE_FALSE(result.is_error());
    return result.value();
}

// The parse fails; returns the word it blamed.
std::string offending_word(const char* text, Errno code, const char* reason) {
    WordCopy offending;
    auto result = hv::boot::parse_module_options(text, offending);
    CHECK_ERROR(result, code, reason);
    return offending.text;
}

uint64_t size_of(const char* text) {
    auto result = hv::boot::parse_size(Text::from_c_string(text));
    REQUIRE_FALSE(result.is_error());
    return result.value();
}

constexpr uint64_t kMiB = 1024 * 1024;

}  // namespace

TEST_CASE("DESIGN.md's dom0 string configures name, roles and memory, with an empty guest command line") {
    ModuleOptions options = parse_ok("name=dom0 role=control,xenstore,backend mem=32M --");
    CHECK(std::string(options.name) == "dom0");
    CHECK(options.roles.has(Role::Control));
    CHECK(options.roles.has(Role::XenStore));
    CHECK(options.roles.has(Role::Backend));
    CHECK_FALSE(options.roles.has(Role::Console));
    CHECK(options.memory_bytes == 32 * kMiB);
    CHECK(options.vcpus == 0);
    CHECK(options.has_separator);
    CHECK(std::string(options.guest_command_line).empty());
    CHECK_FALSE(options.is_data_module());
    CHECK(options.ignored.count == 0);
}

TEST_CASE("DESIGN.md's disk string is a data module bound to its domain") {
    ModuleOptions options = parse_ok("disk-of=student --");
    CHECK(options.is_data_module());
    CHECK(std::string(options.disk_of) == "student");
    CHECK(std::string(options.name).empty());
}

TEST_CASE("DESIGN.md's student string passes the words after -- to the guest") {
    ModuleOptions options = parse_ok("name=student mem=64M -- loglevel=debug");
    CHECK(std::string(options.name) == "student");
    CHECK(options.memory_bytes == 64 * kMiB);
    CHECK(options.roles.empty());
    CHECK(std::string(options.guest_command_line) == "loglevel=debug");
}

TEST_CASE("without --, the whole string is the guest's command line and the domain takes defaults") {
    ModuleOptions options = parse_ok("some-arg");
    CHECK_FALSE(options.has_separator);
    CHECK(std::string(options.guest_command_line) == "some-arg");
    CHECK(std::string(options.name).empty());
    CHECK(options.memory_bytes == 0);
    // Words that look like options are the guest's too when there is no `--`.
    ModuleOptions lookalike = parse_ok("name=x mem=0 console=hvc0");
    CHECK(std::string(lookalike.name).empty());
    CHECK(std::string(lookalike.guest_command_line) == "name=x mem=0 console=hvc0");
}

TEST_CASE("an empty module string gives defaults and an empty guest command line") {
    ModuleOptions options = parse_ok("");
    CHECK_FALSE(options.has_separator);
    CHECK(std::string(options.guest_command_line).empty());
}

TEST_CASE("the guest command line keeps its inner and trailing spacing, leading spaces skipped") {
    ModuleOptions options = parse_ok("name=a --    x   y  z ");
    CHECK(std::string(options.guest_command_line) == "x   y  z ");
    CHECK(std::string(parse_ok("   spaced  out ").guest_command_line) == "spaced  out ");
}

TEST_CASE("only the first -- splits; later ones belong to the guest verbatim") {
    ModuleOptions options = parse_ok("name=a -- b -- c  --");
    CHECK(std::string(options.guest_command_line) == "b -- c  --");
}

TEST_CASE("-- as the only word gives defaults and an empty guest command line") {
    ModuleOptions options = parse_ok("--");
    CHECK(options.has_separator);
    CHECK(std::string(options.guest_command_line).empty());
}

TEST_CASE("-- glued to another word is not a separator") {
    ModuleOptions options = parse_ok("name=a --x");
    CHECK_FALSE(options.has_separator);
    CHECK(std::string(options.guest_command_line) == "name=a --x");
    ModuleOptions tab = parse_ok("name=a\t--\tquiet");
    CHECK(tab.has_separator);
    CHECK(std::string(tab.name) == "a");
    CHECK(std::string(tab.guest_command_line) == "quiet");
}

TEST_CASE("vcpus= takes 1 to 32 and refuses 0, 33 and non-numbers") {
    CHECK(parse_ok("vcpus=1 --").vcpus == 1);
    CHECK(parse_ok("vcpus=32 --").vcpus == 32);
    CHECK(offending_word("vcpus=0 --", Errno::Inval, "vcpus= must be between 1 and 32") == "vcpus=0");
    CHECK(offending_word("vcpus=33 --", Errno::Inval, "vcpus= must be between 1 and 32") == "vcpus=33");
    CHECK(offending_word("vcpus=two --", Errno::Inval, "expected a number") == "vcpus=two");
    CHECK(offending_word("vcpus= --", Errno::Inval, "expected a number") == "vcpus=");
    CHECK(offending_word("vcpus=99999999999999999999 --", Errno::Range, "number too large") ==
          "vcpus=99999999999999999999");
}

TEST_CASE("role= takes every role, in any order, and console") {
    ModuleOptions options = parse_ok("role=console,backend --");
    CHECK(options.roles.has(Role::Console));
    CHECK(options.roles.has(Role::Backend));
    CHECK_FALSE(options.roles.has(Role::Control));
    CHECK(options.roles.bits == (static_cast<uint8_t>(Role::Console) | static_cast<uint8_t>(Role::Backend)));
}

TEST_CASE("an unknown or empty role is refused, naming the option word") {
    const char* reason = "unknown role (control, xenstore, backend, console)";
    CHECK(offending_word("name=a role=control,root --", Errno::Inval, reason) == "role=control,root");
    CHECK(offending_word("role= --", Errno::Inval, reason) == "role=");
    CHECK(offending_word("role=control, --", Errno::Inval, reason) == "role=control,");
    CHECK(offending_word("role=Control --", Errno::Inval, reason) == "role=Control");
}

TEST_CASE("a name holds letters, digits, - and _ up to 31 characters") {
    CHECK(std::string(parse_ok("name=Dom-0_a --").name) == "Dom-0_a");
    std::string longest = "name=" + std::string(31, 'n') + " --";
    CHECK(std::string(parse_ok(longest.c_str()).name) == std::string(31, 'n'));
}

TEST_CASE("bad names are refused, naming the option word") {
    CHECK(offending_word("name= --", Errno::Inval, "empty domain name") == "name=");
    CHECK(offending_word("name=a.b --", Errno::Inval, "domain name may hold only letters, digits, '-' and '_'") ==
          "name=a.b");
    CHECK(offending_word("name=a=b --", Errno::Inval, "domain name may hold only letters, digits, '-' and '_'") ==
          "name=a=b");
    std::string too_long = "name=" + std::string(32, 'n') + " --";
    CHECK(offending_word(too_long.c_str(), Errno::Inval, "domain name longer than 31 characters") ==
          "name=" + std::string(32, 'n'));
    CHECK(offending_word("disk-of=stu/dent --", Errno::Inval,
                         "domain name may hold only letters, digits, '-' and '_'") == "disk-of=stu/dent");
}

TEST_CASE("a data module takes no domain options") {
    CHECK(offending_word("disk-of=student mem=32M --", Errno::Inval,
                         "disk-of= marks a data module; it takes no name=, role=, mem= or vcpus=") ==
          "disk-of=student mem=32M --");
}

TEST_CASE("unknown option words before -- are collected, not refused") {
    ModuleOptions options = parse_ok("name=a cpupool=x quiet -- guest words");
    REQUIRE(options.ignored.count == 2);
    CHECK(std::string(options.ignored.words[0].word.text) == "cpupool=x");
    CHECK(std::string(options.ignored.words[1].word.text) == "quiet");
    CHECK(std::string(options.ignored.words[0].reason) == "unknown option");
    CHECK(std::string(options.guest_command_line) == "guest words");
}

TEST_CASE("mem= sizes follow Xen's dom0_mem: suffixes B, K, M, G, T in either case, none meaning KiB") {
    CHECK(size_of("4096B") == 4096);
    CHECK(size_of("4096b") == 4096);
    CHECK(size_of("64") == 64 * 1024);
    CHECK(size_of("64K") == 64 * 1024);
    CHECK(size_of("64k") == 64 * 1024);
    CHECK(size_of("32M") == 32 * kMiB);
    CHECK(size_of("32m") == 32 * kMiB);
    CHECK(size_of("2G") == 2048 * kMiB);
    CHECK(size_of("1T") == 1024 * 1024 * kMiB);
    CHECK(size_of("16777215T") == 0xffffff0000000000ull);
    CHECK(parse_ok("mem=1G --").memory_bytes == 1024 * kMiB);
}

TEST_CASE("mem= refuses 0, non-numbers, unknown or doubled suffixes and trailing characters") {
    CHECK(offending_word("mem=0 --", Errno::Inval, "mem= must not be 0") == "mem=0");
    CHECK(offending_word("mem=0M --", Errno::Inval, "mem= must not be 0") == "mem=0M");
    CHECK(offending_word("mem= --", Errno::Inval, "expected a size") == "mem=");
    CHECK(offending_word("mem=M --", Errno::Inval, "expected a number") == "mem=M");
    CHECK(offending_word("mem=lots --", Errno::Inval, "expected a number with one optional suffix (B, K, M, G, T)") ==
          "mem=lots");
    CHECK(offending_word("mem=32X --", Errno::Inval, "unknown size suffix (B, K, M, G, T)") == "mem=32X");
    CHECK(offending_word("mem=32MB --", Errno::Inval, "expected a number with one optional suffix (B, K, M, G, T)") ==
          "mem=32MB");
    CHECK(offending_word("mem=-1M --", Errno::Inval, "expected a number with one optional suffix (B, K, M, G, T)") ==
          "mem=-1M");
    CHECK(offending_word("mem=0x100M --", Errno::Inval, "expected a number with one optional suffix (B, K, M, G, T)") ==
          "mem=0x100M");
}

TEST_CASE("mem= refuses sizes that overflow 64 bits, in the digits or in the suffix") {
    CHECK(offending_word("mem=18446744073709551616B --", Errno::Range, "number too large") ==
          "mem=18446744073709551616B");
    CHECK(offending_word("mem=16777216T --", Errno::Range, "size does not fit in 64 bits") == "mem=16777216T");
    CHECK(offending_word("mem=18014398509481984 --", Errno::Range, "size does not fit in 64 bits") ==
          "mem=18014398509481984");
    CHECK(size_of("18446744073709551615B") == UINT64_MAX);
}

TEST_CASE("the first bad option stops the parse and is the one named") {
    CHECK(offending_word("mem=0 vcpus=0 --", Errno::Inval, "mem= must not be 0") == "mem=0");
}

TEST_CASE("a bad word after -- is the guest's business, not ours") {
    ModuleOptions options = parse_ok("name=a -- mem=0 vcpus=banana");
    CHECK(std::string(options.guest_command_line) == "mem=0 vcpus=banana");
}
