// SPDX-License-Identifier: MIT
// printk's seam in the image: the serial port (a '\n' becomes "\r\n" for terminals).
#include "arch/x86_64/serial.hpp"
#include "core/printk.hpp"

namespace hv {

void console_write(const char* text, unsigned long length) {
    for (unsigned long i = 0; i < length; ++i) {
        if (text[i] == '\n') arch::serial_put('\r');
        arch::serial_put(text[i]);
    }
}

}  // namespace hv
