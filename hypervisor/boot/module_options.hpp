// SPDX-License-Identifier: MIT
// A boot module's string, `[OPTIONS --] [GUEST ARGS]`: how to build its domain, and the guest's command line.
#pragma once

#include <cstddef>
#include <cstdint>

#include "boot/command_line.hpp"
#include "core/role.hpp"
#include "lib/error_or.hpp"

namespace hv::boot {

using hv::Role;
using hv::Roles;

/// The parsed module string. Options not given keep the values below; the domain builder
/// chooses the defaults (memory, vcpus).
struct ModuleOptions {
    static constexpr size_t kNameCapacity = 32;  ///< 31 characters and the NUL
    /// vcpu_info slots in shared_info (Xen's XEN_LEGACY_MAX_VCPUS for x86).
    static constexpr uint32_t kMaxVcpus = 32;

    char name[kNameCapacity] = {};     ///< `name=`: letters, digits, '-', '_'; empty if not given
    Roles roles;                       ///< `role=control,xenstore,backend,console`
    uint64_t memory_bytes = 0;         ///< `mem=`; 0 if not given
    uint32_t vcpus = 0;                ///< `vcpus=`, 1..kMaxVcpus; 0 if not given
    char disk_of[kNameCapacity] = {};  ///< `disk-of=`: a data module (a disk) for that domain
    bool has_separator = false;        ///< the string had a `--` word
    /// The guest's command line: the text after the first `--` word (or the whole string
    /// without one), leading spaces skipped, the rest verbatim. It points into the parsed
    /// string, which is NUL-terminated, and so it is too.
    const char* guest_command_line = "";
    IgnoredWords ignored;              ///< option words we do not know

    /// A data module names its domain and is not a domain's kernel.
    bool is_data_module() const { return disk_of[0] != '\0'; }
};

/// Split a module string (its loader path word already dropped, see multiboot.hpp) at its
/// first standalone `--` word and parse the options before it.
///
/// `mem=<n>[B|K|M|G|T]` follows Xen's dom0_mem=/parse_size_and_unit: a number without a
/// suffix counts KiB, `B` means bytes; 0, overflow and trailing characters are refused.
///
/// @pre `module_string` is NUL-terminated and outlives the result (guest_command_line
///      points into it).
/// @retval Inval with a static reason; the word at fault is copied into `offending_word`.
lib::ErrorOr<ModuleOptions> parse_module_options(const char* module_string, WordCopy& offending_word);

/// Parse a size as Xen's parse_size_and_unit does (suffix B/K/M/G/T, either case; none
/// means KiB), but strictly: decimal digits, one optional suffix, nothing after it.
/// @retval Inval for anything else, Range for a size that does not fit in 64 bits.
lib::ErrorOr<uint64_t> parse_size(Text text);

}  // namespace hv::boot
