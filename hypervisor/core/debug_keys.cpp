// SPDX-License-Identifier: MIT
// Serial input routing and debug keys (see debug_keys.hpp; Xen: drivers/char/console.c
// switch_serial_input, common/keyhandler.c).
#include "core/debug_keys.hpp"

#include "abi/event_channel.hpp"
#include "arch/x86_64/serial.hpp"
#include "core/console_service.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"
#include "mm/machine_memory.hpp"

namespace hv {
namespace {

constexpr char kSwitchKey = 0x01;          // Ctrl-A
constexpr unsigned kSwitchPresses = 3;     // three in a row switch the focus
constexpr int kHypervisorFocus = -1;

int focus = 0;                 // a domain-table index, or kHypervisorFocus
unsigned switch_presses = 0;
char control_input[256];       // CONSOLEIO_read's buffer
size_t control_input_length = 0;

const char* focus_name() {
    static char name[48];
    if (focus == kHypervisorFocus) return "the hypervisor (debug keys; h for help)";
    Domain* domain = domain_at(static_cast<size_t>(focus));
    lib::FixedBuffer text(name, sizeof name);
    lib::format_to(text, "d{} ({})", domain->id, domain->name);
    return name;
}

/// The next live domain after the focus, then the hypervisor, round and round.
void switch_focus() {
    for (size_t step = 0; step <= kMaxDomains; ++step) {
        focus = focus + 1 >= static_cast<int>(kMaxDomains) ? kHypervisorFocus : focus + 1;
        if (focus == kHypervisorFocus || domain_at(static_cast<size_t>(focus))->is_alive()) break;
    }
    log_info("console: input goes to {}\n", focus_name());
}

void send_to_domain(Domain& domain, char byte) {
    if (domain.has_role(Role::Control)) {
        if (control_input_length < sizeof control_input) control_input[control_input_length++] = byte;
        const event::Notify notify = domain.events.raise_virq(abi::Virq::Console, VcpuId(0));
        if (notify.delivery != event::Delivery::None) notify_event(domain, notify.kicks());
        return;
    }
    // Other guests read their console ring's input half, told by an event on their
    // console port. A full ring drops the byte, as xenconsoled stops reading the tty.
    (void)send_console_input(domain, &byte, 1);
}

/// One byte of input for whoever has the focus.
void route_byte(char byte) {
    if (focus == kHypervisorFocus) {
        run_debug_key(byte);
        return;
    }
    Domain* domain = domain_at(static_cast<size_t>(focus));
    if (domain != nullptr && domain->is_alive()) send_to_domain(*domain, byte);
}

}  // namespace

void handle_input_byte(char byte) {
    if (byte == kSwitchKey) {
        if (++switch_presses == kSwitchPresses) {
            switch_presses = 0;
            switch_focus();
        }
        return;
    }
    // Fewer than three Ctrl-A were no switch: they are input too, held back until now
    // (Xen's serial_rx replays them the same way).
    for (; switch_presses != 0; --switch_presses) route_byte(kSwitchKey);
    route_byte(byte);
}

void poll_serial_input() {
    for (int byte = arch::serial_try_get(); byte >= 0; byte = arch::serial_try_get())
        handle_input_byte(static_cast<char>(byte));
}

size_t read_console_input(char* buffer, size_t capacity) {
    const size_t n = control_input_length < capacity ? control_input_length : capacity;
    for (size_t i = 0; i < n; ++i) buffer[i] = control_input[i];
    for (size_t i = n; i < control_input_length; ++i) control_input[i - n] = control_input[i];
    control_input_length -= n;
    return n;
}

}  // namespace hv
