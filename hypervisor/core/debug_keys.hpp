// SPDX-License-Identifier: MIT
// Serial input: whose it is (the focus, switched with Ctrl-A three times, as on Xen), and
// the hypervisor's debug keys when the focus is the hypervisor.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/domain.hpp"

namespace hv {

/// Read what arrived on the serial port and route it (called on every timer tick).
void poll_serial_input();

/// Handle one input byte (the serial port's, or a test's).
void handle_input_byte(char byte);

/// CONSOLEIO_read for the domain with the control role: input bytes waiting for it.
size_t read_console_input(char* buffer, size_t capacity);

/// Run one debug key (help, domains and registers, events, run queue, memory, audit).
void run_debug_key(char key);

}  // namespace hv
