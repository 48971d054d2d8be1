// SPDX-License-Identifier: MIT
// The hypervisor's command line (`loglvl=debug noreboot ...`) and the word tools it shares with module strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/printk.hpp"
#include "core/smap_policy.hpp"

namespace hv::boot {

/// A run of characters inside someone else's string (a command line, a module string).
/// It does not own them and is not NUL-terminated by itself.
struct Text {
    const char* data = "";
    size_t length = 0;

    /// The whole of a NUL-terminated string.
    static Text from_c_string(const char* text);

    bool empty() const { return length == 0; }
    /// Exactly the characters of `literal`, no more, no fewer.
    bool equals(const char* literal) const;
    bool starts_with(const char* prefix) const;
    /// The text without its first `count` characters (empty if it has fewer).
    Text drop_front(size_t count) const;
    /// The part before the first `separator`, and in `rest` the part after it.
    /// @retval false (and the whole text, an empty rest) when `separator` is absent.
    bool split_at(char separator, Text& before, Text& rest) const;
};

/// Hands out the words of a text one by one; words are separated by spaces or tabs.
class WordReader {
public:
    explicit WordReader(Text text) : text_(text) {}

    /// Store the next word in `word`. @retval false at the end of the text.
    bool next(Text& word);
    /// Everything not yet read, leading spaces skipped, the rest verbatim (inner and
    /// trailing spacing kept).
    Text rest() const;

private:
    Text text_;
    size_t position_ = 0;
};

/// A short copy of a word for a message, truncated to kCapacity-1 characters and always
/// NUL-terminated (a word's storage may be gone by the time the message is printed).
struct WordCopy {
    static constexpr size_t kCapacity = 48;
    char text[kCapacity] = {};

    void assign(Text word);
};

/// A word that a parser skipped, and why ("unknown option", "bad value").
struct IgnoredWord {
    WordCopy word;
    const char* reason = "";  ///< static text
};

/// The words a parser skipped, for the caller to report ("ignoring unknown option `foo`");
/// parsers print nothing themselves. Beyond kCapacity words only a count is kept.
struct IgnoredWords {
    static constexpr size_t kCapacity = 8;
    IgnoredWord words[kCapacity];
    size_t count = 0;
    size_t dropped = 0;  ///< skipped words that did not fit

    void add(Text word, const char* reason);
    std::span<const IgnoredWord> list() const { return {words, count}; }
};

/// What the hypervisor's command line asks for. Words are Xen's where Xen has them
/// (docs/misc/xen-command-line.pandoc), so that a GRUB entry written for Xen boots here.
/// A deliberate failure, to test the crash reports (boot tests use it; `selftest=`).
enum class SelfTest : uint8_t {
    None,
    PageFault,  ///< `selftest=page-fault`: a write to an unmapped hypervisor address
    Panic,      ///< `selftest=panic`: a failed check
};

struct HypervisorOptions {
    LogLevel log_level = LogLevel::Info;        ///< `loglvl=error|warning|info|debug|all`
    /// `guest_loglvl=` (same words): accepted so that Xen command lines work; guest lines
    /// are always printed (they carry no level).
    LogLevel guest_log_level = LogLevel::Info;
    /// `noreboot`: accepted for Xen command lines; Xenolith never reboots (a panic leaves
    /// QEMU with the panic status).
    bool no_reboot = false;
    bool debug_audit = false;                   ///< `debug-audit`: run the MMU audit after every MMU hypercall
    SelfTest self_test = SelfTest::None;        ///< `selftest=page-fault|panic`
    /// `smap=<boolean>` (Xen's words: 1/on/true/yes/enable, 0/off/false/no/disable): on
    /// whenever the CPU has SMAP, or never. Without it, a boot-time probe decides.
    SmapSetting smap = SmapSetting::Probe;
    IgnoredWords ignored;                       ///< unknown words and words with a bad value
};

/// Parse the hypervisor's cooked command line (the loader's path word already dropped,
/// see multiboot.hpp). Never fails: what it does not understand goes to `ignored`.
/// Accepted and without effect: `console=com1` (the only console), `com1=...` (the serial
/// port is always 115200 8n1).
HypervisorOptions parse_hypervisor_options(Text command_line);

}  // namespace hv::boot
