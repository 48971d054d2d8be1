// SPDX-License-Identifier: MIT
// Tests of word splitting and of the hypervisor's command-line options.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "boot/command_line.hpp"

using hv::LogLevel;
using hv::boot::HypervisorOptions;
using hv::boot::Text;
using hv::boot::WordReader;

namespace {

HypervisorOptions parse(const char* command_line) {
    return hv::boot::parse_hypervisor_options(Text::from_c_string(command_line));
}

std::string str(Text text) { return std::string(text.data, text.length); }

std::vector<std::string> words_of(const char* text) {
    std::vector<std::string> words;
    WordReader reader(Text::from_c_string(text));
    Text word;
    while (reader.next(word)) words.push_back(str(word));
    return words;
}

std::vector<std::string> ignored_words(const HypervisorOptions& options) {
    std::vector<std::string> words;
    for (const auto& ignored : options.ignored.list()) words.push_back(ignored.word.text);
    return words;
}

}  // namespace

TEST_CASE("words are split at runs of spaces and tabs") {
    CHECK(words_of("  a \t bb   ccc ") == std::vector<std::string>{"a", "bb", "ccc"});
    CHECK(words_of("").empty());
    CHECK(words_of(" \t ").empty());
}

TEST_CASE("the rest of a text skips leading spaces and keeps the rest verbatim") {
    WordReader reader(Text::from_c_string("first   second  third  "));
    Text word;
    REQUIRE(reader.next(word));
    CHECK(str(reader.rest()) == "second  third  ");
}

TEST_CASE("Text compares whole words, not prefixes") {
    Text word = Text::from_c_string("loglvl");
    CHECK(word.equals("loglvl"));
    CHECK_FALSE(word.equals("loglv"));
    CHECK_FALSE(word.equals("loglvl2"));
    CHECK(word.starts_with("log"));
    CHECK_FALSE(word.starts_with("loglvl="));
}

TEST_CASE("an empty command line gives the defaults: info for both log levels") {
    HypervisorOptions options = parse("");
    CHECK(options.log_level == LogLevel::Info);
    CHECK(options.guest_log_level == LogLevel::Info);
    CHECK_FALSE(options.no_reboot);
    CHECK_FALSE(options.debug_audit);
    CHECK(options.ignored.count == 0);
}

TEST_CASE("loglvl= takes Xen's level words, all meaning debug") {
    CHECK(parse("loglvl=error").log_level == LogLevel::Error);
    CHECK(parse("loglvl=warning").log_level == LogLevel::Warning);
    CHECK(parse("loglvl=info").log_level == LogLevel::Info);
    CHECK(parse("loglvl=debug").log_level == LogLevel::Debug);
    CHECK(parse("loglvl=all").log_level == LogLevel::Debug);
}

TEST_CASE("guest_loglvl= takes the same words and leaves loglvl alone") {
    HypervisorOptions options = parse("guest_loglvl=error");
    CHECK(options.guest_log_level == LogLevel::Error);
    CHECK(options.log_level == LogLevel::Info);
    CHECK(parse("guest_loglvl=all").guest_log_level == LogLevel::Debug);
}

TEST_CASE("Xen's loglvl=<level>/<rate-limited level> form sets the first level") {
    CHECK(parse("loglvl=all/warning").log_level == LogLevel::Debug);
    HypervisorOptions bad = parse("loglvl=all/loud");
    CHECK(bad.log_level == LogLevel::Info);
    CHECK(ignored_words(bad) == std::vector<std::string>{"loglvl=all/loud"});
}

TEST_CASE("a bad log level is ignored with its reason, and the default stays") {
    HypervisorOptions options = parse("loglvl=verbose guest_loglvl=");
    CHECK(options.log_level == LogLevel::Info);
    CHECK(options.guest_log_level == LogLevel::Info);
    REQUIRE(options.ignored.count == 2);
    CHECK(std::string(options.ignored.words[0].word.text) == "loglvl=verbose");
    CHECK(std::string(options.ignored.words[0].reason) == "bad log level");
    CHECK(std::string(options.ignored.words[1].word.text) == "guest_loglvl=");
}

TEST_CASE("the last of two loglvl= words wins, as on Xen's command line") {
    CHECK(parse("loglvl=error loglvl=debug").log_level == LogLevel::Debug);
}

TEST_CASE("noreboot and debug-audit switch their flags on") {
    HypervisorOptions options = parse("noreboot debug-audit");
    CHECK(options.no_reboot);
    CHECK(options.debug_audit);
    CHECK(options.ignored.count == 0);
}

TEST_CASE("without smap= the probe decides; smap= takes Xen's boolean words") {
    CHECK(parse("").smap == hv::SmapSetting::Probe);
    for (const char* on : {"smap=1", "smap=on", "smap=true", "smap=yes", "smap=enable"}) {
        CAPTURE(on);
        CHECK(parse(on).smap == hv::SmapSetting::On);
    }
    for (const char* off : {"smap=0", "smap=off", "smap=false", "smap=no", "smap=disable"}) {
        CAPTURE(off);
        CHECK(parse(off).smap == hv::SmapSetting::Off);
    }
    CHECK(parse("smap=off smap=on").smap == hv::SmapSetting::On);  // the last word wins
}

TEST_CASE("smap= with a word that is not a boolean is reported and changes nothing") {
    HypervisorOptions options = parse("smap=hvm smap=ON smap");
    CHECK(options.smap == hv::SmapSetting::Probe);
    CHECK(ignored_words(options) == std::vector<std::string>{"smap=hvm", "smap=ON", "smap"});
    CHECK(std::string(options.ignored.words[0].reason) ==
          "not a boolean (on/off, 1/0, true/false, yes/no, enable/disable)");
}

TEST_CASE("console=com1 and com1=115200,8n1 are accepted without complaint") {
    HypervisorOptions options = parse("console=com1 com1=115200,8n1");
    CHECK(options.ignored.count == 0);
}

TEST_CASE("a console other than com1 is reported, even inside a list") {
    HypervisorOptions options = parse("console=vga console=com1,vga console=com1,com1");
    CHECK(ignored_words(options) == std::vector<std::string>{"console=vga", "console=com1,vga"});
    CHECK(std::string(options.ignored.words[0].reason) == "unsupported console (only com1 exists)");
}

TEST_CASE("unknown words are collected in order for boot_main to report") {
    HypervisorOptions options = parse("dom0_mem=512M noreboot foo loglvl=debug x=");
    CHECK(ignored_words(options) == std::vector<std::string>{"dom0_mem=512M", "foo", "x="});
    CHECK(std::string(options.ignored.words[1].reason) == "unknown option");
    CHECK(options.no_reboot);
    CHECK(options.log_level == LogLevel::Debug);
}

TEST_CASE("beyond eight unknown words only a count is kept") {
    HypervisorOptions options = parse("a b c d e f g h i j noreboot");
    CHECK(options.ignored.count == 8);
    CHECK(options.ignored.dropped == 2);
    CHECK(std::string(options.ignored.words[7].word.text) == "h");
    CHECK(options.no_reboot);
}

TEST_CASE("a long unknown word is kept truncated to 47 characters") {
    std::string long_word(100, 'z');
    HypervisorOptions options = parse(long_word.c_str());
    REQUIRE(options.ignored.count == 1);
    CHECK(std::string(options.ignored.words[0].word.text) == std::string(47, 'z'));
}

TEST_CASE("option words are case-sensitive, as in Xen") {
    HypervisorOptions options = parse("NOREBOOT loglvl=DEBUG");
    CHECK_FALSE(options.no_reboot);
    CHECK(options.log_level == LogLevel::Info);
    CHECK(options.ignored.count == 2);
}
