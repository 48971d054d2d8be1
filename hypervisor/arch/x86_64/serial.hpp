// SPDX-License-Identifier: MIT
// The 16550 UART on COM1: the hypervisor's console.
#pragma once

namespace arch {

/// Program COM1 for 115200 baud, 8 data bits, no parity, one stop bit, FIFOs on.
void serial_init();
/// Write one byte, waiting for room in the transmitter.
void serial_put(char c);
/// A received byte, or -1 when none is waiting.
int serial_try_get();

}  // namespace arch
