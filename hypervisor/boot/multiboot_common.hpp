// SPDX-License-Identifier: MIT
// Pieces shared by the Multiboot 1 and 2 parsers: byte loads, strings, regions, modules (internal to boot/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "boot/command_line.hpp"
#include "boot/multiboot.hpp"

namespace hv::boot::detail {

/// Little-endian loads from bytes the caller has already bounds-checked.
uint32_t load_u32(std::span<const uint8_t> bytes, size_t offset);
uint64_t load_u64(std::span<const uint8_t> bytes, size_t offset);

/// The bytes as characters (the loader's strings are ASCII).
Text as_text(std::span<const uint8_t> bytes);

/// The NUL-terminated string at `phys` in physical memory, without its NUL.
/// @retval Fault if a byte is unreadable, Inval if no NUL within kMaxRawString bytes.
inline constexpr size_t kMaxRawString = 4096;
lib::ErrorOr<Text> read_c_string(const PhysicalMemory& memory, uint64_t phys);

/// The string that starts at `offset` in `bytes` and must end, with its NUL, inside them.
/// @retval Inval with `unterminated` as the reason otherwise.
lib::ErrorOr<Text> string_within(std::span<const uint8_t> bytes, size_t offset, const char* unterminated);

/// Xen's cmdline_cook(): skip leading spaces and, if `drop_path_word`, the first word
/// and the spaces after it.
Text cook(Text raw, bool drop_path_word);

/// Copy `text` into `destination` (NUL-terminated). @retval TooBig with `too_long` as the
/// reason if it does not fit; nothing is truncated.
lib::ErrorOr<void> store_string(Text text, char* destination, size_t capacity, const char* too_long);

/// Keep the loader's name, truncated to fit: it is informational only.
void set_loader_name(BootInfo& info, Text name);

/// Empty every list and string of `info` and set its protocol.
void reset(BootInfo& info, BootProtocol protocol);

/// Append a region of a loader's memory map given with the specifications' type numbers;
/// empty regions are skipped. @retval Inval if it wraps past 2^64, TooBig when full.
lib::ErrorOr<void> add_region(BootInfo& info, uint64_t base, uint64_t length, uint32_t type);

/// Without a memory map: lower memory [0, mem_lower KiB) and upper memory
/// [1 MiB, 1 MiB + mem_upper KiB), both available (Multiboot 0.6.96 section 3.3).
lib::ErrorOr<void> add_basic_regions(BootInfo& info, uint32_t mem_lower_kib, uint32_t mem_upper_kib);

/// Append a module. @retval Inval if end < start, TooBig when full or the string is too long.
lib::ErrorOr<void> add_module(BootInfo& info, uint64_t start, uint64_t end, Text string);

}  // namespace hv::boot::detail
