// SPDX-License-Identifier: MIT
// The events boot test's parts: one `events: <name>: ... ok|UNEXPECTED` line per check.
#pragma once

#include <cstdint>

#include "abi/errno.hpp"
#include "kernel/console.hpp"
#include "kernel/events.hpp"
#include "lib/error_or.hpp"

namespace minios::events_test {

/// Count one check (and, if !ok, one unexpected result).
void count_check(bool ok);

/// Print `events: <name>: <details> ok` (or UNEXPECTED) and count it.
template <typename... Args>
bool check(bool ok, const char* name, const char* details, const Args&... args) {
    count_check(ok);
    printk("events: {}: ", name);
    printk(details, args...);
    printk(" {}\n", ok ? "ok" : "UNEXPECTED");
    return ok;
}

/// A call's result in words: "success", or the errno's name ("EINVAL").
template <typename T>
const char* result_name(const lib::ErrorOr<T>& result) {
    return result.is_error() ? abi::errno_name(result.error_code()) : "success";
}

/// Check that `call` failed with `expected`, as Xen 4.17 answers it.
template <typename T>
bool check_error(const char* name, const char* call, const lib::ErrorOr<T>& result, abi::Errno expected) {
    const bool ok = result.is_error() && result.error_code() == expected;
    return check(ok, name, "{} -> {} (Xen: {})", call, result_name(result), abi::errno_name(expected));
}

/// Checks of event delivery, masking, IPIs, loopback channels and status (events_ports.cpp).
void run_port_checks();
/// Checks of the clocks, VIRQ_TIMER and timers (events_time.cpp).
void run_time_checks();
/// Error codes for bad arguments (events_errors.cpp).
void run_error_checks();
/// Threads: sleeping, yielding, waiting for events, loopback ping-pong (events_threads.cpp).
void run_thread_checks();

/// One side of a ping-pong over a connected port (events_threads.cpp). The pinger waits
/// for the ponger's hello, then sends and waits for the answer `rounds` times; the
/// ponger says hello, then answers `rounds` times.
/// Each returns the rounds it completed (fewer only if a send failed).
/// @pre watch_port(port), and for the ponger no stale signal on its port
uint32_t run_pinger(Port port, uint32_t rounds);
uint32_t run_ponger(Port port, uint32_t rounds);

/// Whether the command line asks for a ping-pong role (`role=ping` or `role=pong`).
bool pingpong_requested(const char* command_line);
/// The `role=ping` / `role=pong` modes between two domains (events_pingpong.cpp).
/// Returns the application's status.
int run_pingpong(const char* command_line);

}  // namespace minios::events_test
