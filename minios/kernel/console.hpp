// SPDX-License-Identifier: MIT
// minios' console: text to the hypervisor through console_io (CONSOLEIO_write).
#pragma once

#include "lib/format.hpp"

namespace minios {

/// Write bytes to the console; returns the hypercall's result (0, or -errno).
long console_write(const char* text, unsigned long length);

lib::Sink& console_sink();

template <typename... Args>
void printk(const char* fmt, const Args&... args) {
    lib::format_to(console_sink(), fmt, args...);
}

}  // namespace minios
