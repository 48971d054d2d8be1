// SPDX-License-Identifier: MIT
// Boot test of serial input (tests/boot/console.toml): echo each line typed at the serial
// port as `console-input: got "..."`, and power off after the line "quit".
//
// Xen delivers serial input in two ways, and this guest takes whichever its role gets:
// the control domain (SIF_PRIVILEGED) reads the hypervisor's console with CONSOLEIO_read
// and is told of new bytes by VIRQ_CONSOLE; any other domain finds them in the `in` half
// of its console ring (start_info.console.domU), where its console backend puts them.
// Bytes arrive in whatever pieces the backend polls them in, so lines are assembled here
// (Enter is \r from a terminal, \n from a pipe). Between reads it yields, or, with `wait=poll`
// on its command line (control domain only), blocks in SCHEDOP_poll on VIRQ_CONSOLE's port
// as a real console driver waits. Every wait is bounded: with no input for kQuietLimitNs,
// the guest says what it was waiting for and fails.
#include "abi/io_console.hpp"
#include "abi/layout.hpp"
#include "apps/app.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/events.hpp"
#include "kernel/time.hpp"
#include "lib/string.hpp"

namespace minios {
namespace {

constexpr uint64_t kQuietLimitNs = 60 * kNsPerSecond;  // TCG under a parallel ctest is slow
constexpr size_t kLineCapacity = 80;

inline void barrier() { asm volatile("" ::: "memory"); }  // x86 keeps loads and stores in order (TSO)

abi::ConsoleInterface& console_ring(const abi::StartInfo& info) {
    // minios is linked at 0 (VIRT_BASE 0): the ring's PFN, from the M2P, is its page number.
    const auto* m2p = reinterpret_cast<const uint64_t*>(abi::kMachToPhysVirtStart);
    return *reinterpret_cast<abi::ConsoleInterface*>(m2p[info.console.domU.mfn] * 4096);
}

/// CONSOLEIO_read: the bytes waiting for the control domain, or -errno.
int64_t read_console_io(char* buffer, size_t capacity) {
    return raw_hypercall(abi::Hypercall::ConsoleIo, static_cast<uint64_t>(abi::ConsoleIoCommand::Read), capacity,
                         reinterpret_cast<uint64_t>(buffer));
}

/// The consumer side of the ring's `in` half (xen/include/public/io/console.h).
size_t read_ring(abi::ConsoleInterface& ring, char* buffer, size_t capacity) {
    const uint32_t prod = static_cast<volatile abi::ConsoleRingIndex&>(ring.in_prod);
    barrier();  // the bytes are read after the index that covers them
    uint32_t cons = ring.in_cons;
    if (prod - cons > abi::kConsoleInSize) return 0;  // a broken ring: read nothing
    size_t n = 0;
    while (cons != prod && n < capacity) buffer[n++] = ring.in[cons++ & (abi::kConsoleInSize - 1)];
    barrier();  // the slots are free only once read
    static_cast<volatile abi::ConsoleRingIndex&>(ring.in_cons) = cons;
    return n;
}

/// The line as printable text: a control byte shows as \xNN, so a test can see it leak.
const char* escaped(const char* line, size_t length) {
    static char text[4 * kLineCapacity + 1];
    constexpr char kHex[] = "0123456789abcdef";
    size_t out = 0;
    for (size_t i = 0; i < length; ++i) {
        const auto byte = static_cast<unsigned char>(line[i]);
        if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\') {
            text[out++] = static_cast<char>(byte);
            continue;
        }
        text[out++] = '\\';
        text[out++] = 'x';
        text[out++] = kHex[byte >> 4];
        text[out++] = kHex[byte & 0xf];
    }
    text[out] = '\0';
    return text;
}

struct Input {
    bool control;                // read console_io (else the console ring)
    bool block;                  // wait in SCHEDOP_poll (else yield)
    abi::ConsoleInterface* ring;
    Port virq_port;              // VIRQ_CONSOLE's port (control domain only)
    bool virq_checked;           // its first raise has been seen (and cleared)
};

/// Bytes typed since the last call (0 if none).
lib::ErrorOr<size_t> read_input(Input& input, char* buffer, size_t capacity) {
    if (!input.control) return read_ring(*input.ring, buffer, capacity);
    // Later raises are only wake-ups: clear before reading, so that a byte that comes
    // after the read leaves the port pending and the next poll returns at once.
    if (input.virq_checked) clear_port_pending(input.virq_port);
    const auto n = static_cast<size_t>(TRY(to_result(read_console_io(buffer, capacity))));
    if (n > 0 && !input.virq_checked) {
        // The hypervisor raises VIRQ_CONSOLE when it queues a byte, before the byte can
        // be read, and nothing has cleared it yet: it must be pending now.
        input.virq_checked = true;
        if (!port_pending(input.virq_port)) return lib::error(abi::Errno::Io, "input arrived without VIRQ_CONSOLE");
        clear_port_pending(input.virq_port);
        printk("console-input: VIRQ_CONSOLE came with the input\n");
    }
    return n;
}

/// Let the hypervisor run until input may have come: yield, or block in SCHEDOP_poll on
/// VIRQ_CONSOLE's port until it is raised or `deadline` (system time) passes.
void wait_for_input(const Input& input, uint64_t deadline) {
    if (!input.block) {
        (void)sched_op(abi::SchedOp::Yield);  // the hypervisor polls the UART on its timer tick
        return;
    }
    uint32_t port = input.virq_port.raw();
    abi::SchedPoll poll{{reinterpret_cast<uint64_t>(&port)}, 1, 0, deadline};
    (void)sched_op(abi::SchedOp::Poll, &poll);  // returns at once if the port is pending
}

lib::ErrorOr<Input> set_up(const abi::StartInfo& info) {
    TRY(init_events(info));  // events stay masked: this guest polls
    const bool control = (info.flags & abi::kSifPrivileged) != 0;
    const bool block = lib::equal(reinterpret_cast<const char*>(info.cmd_line), "wait=poll");
    if (block && !control) return lib::error(abi::Errno::Inval, "wait=poll needs the control role (VIRQ_CONSOLE)");
    Input input{control, block, &console_ring(info), Port(0), false};
    if (input.control) {
        input.virq_port = TRY(bind_virq(abi::Virq::Console));
        printk("console-input: ready (control domain: console_io read, VIRQ_CONSOLE on port {}, {})\n",
               input.virq_port, block ? "blocking in SCHEDOP_poll" : "yielding");
        return input;
    }
    char byte;
    auto refused = to_result(read_console_io(&byte, 1));
    printk("console-input: console_io read without the control role: {}\n",
           refused.is_error() ? abi::errno_name(refused.error_code()) : "allowed");
    printk("console-input: ready (console ring input at in_cons {})\n", input.ring->in_cons);
    return input;
}

/// Echo lines until "quit" (true); false on an error or a silence past the limit.
bool echo_lines(Input& input) {
    char line[kLineCapacity + 1];  // and its terminating NUL
    size_t length = 0;
    uint64_t give_up = monotonic_ns() + kQuietLimitNs;
    for (;;) {
        char chunk[64];
        auto n = read_input(input, chunk, sizeof chunk);
        if (n.is_error()) {
            report_failure("reading input failed", n.error());
            return false;
        }
        if (n.value() == 0) {
            if (monotonic_ns() > give_up) {
                printk("console-input: no input for {} s (line so far: \"{}\")\n", kQuietLimitNs / kNsPerSecond,
                       escaped(line, length));
                return false;
            }
            wait_for_input(input, give_up);
            continue;
        }
        give_up = monotonic_ns() + kQuietLimitNs;
        for (size_t i = 0; i < n.value(); ++i) {
            if (chunk[i] != '\r' && chunk[i] != '\n') {
                if (length == kLineCapacity) {
                    printk("console-input: line longer than {} bytes: \"{}\"\n", kLineCapacity, escaped(line, length));
                    return false;
                }
                line[length++] = chunk[i];
                continue;
            }
            if (length == 0) continue;  // the \n of a \r\n
            line[length] = '\0';
            printk("console-input: got \"{}\"\n", escaped(line, length));
            if (lib::equal(line, "quit")) return true;
            length = 0;
        }
    }
}

}  // namespace

const char* app_name() { return "console-input"; }

int app_main(const abi::StartInfo& info) {
    auto input = set_up(info);
    if (input.is_error()) return report_failure("set up failed", input.error());
    if (!echo_lines(input.value())) return 1;
    printk("console-input: quit\n");
    return 0;
}

}  // namespace minios
