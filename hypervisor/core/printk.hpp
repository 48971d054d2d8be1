// SPDX-License-Identifier: MIT
// printk: the hypervisor's own console lines, with log levels. These lines carry no
// prefix; every line a guest writes carries "(dN) " (core/guest_console.hpp), so a guest
// can never print a line that looks like the hypervisor's.
#pragma once

#include "lib/format.hpp"

namespace hv {

/// Xen's loglvl= levels, most severe first.
enum class LogLevel : int { Error = 0, Warning = 1, Info = 2, Debug = 3 };

/// Lines above this level are dropped (command line `loglvl=error|warning|info|debug|all`).
void set_log_level(LogLevel level);
LogLevel log_level();

/// The seam to the hardware: the serial port in the image, a buffer in host tests.
void console_write(const char* text, unsigned long length);

/// The sink printk formats into (writes through console_write).
lib::Sink& console_sink();

template <typename... Args>
void printk(LogLevel level, const char* fmt, const Args&... args) {
    if (static_cast<int>(level) > static_cast<int>(log_level())) return;
    lib::format_to(console_sink(), fmt, args...);
}

template <typename... Args> void log_error(const char* fmt, const Args&... a) { printk(LogLevel::Error, fmt, a...); }
template <typename... Args> void log_warning(const char* fmt, const Args&... a) { printk(LogLevel::Warning, fmt, a...); }
template <typename... Args> void log_info(const char* fmt, const Args&... a) { printk(LogLevel::Info, fmt, a...); }
template <typename... Args> void log_debug(const char* fmt, const Args&... a) { printk(LogLevel::Debug, fmt, a...); }

}  // namespace hv
