// SPDX-License-Identifier: MIT
// Which vCPU runs: round robin over the running domains, one CPU.
#pragma once

#include "abi/sched.hpp"
#include "core/domain.hpp"

namespace hv {

/// Start the first domain (never returns: the CPU is the guests' from here on).
[[noreturn]] void run_domains();

/// The local APIC timer fired: time slices and guest timers.
void timer_interrupt();

/// An event became pending for the domain's vCPU: make it runnable if it was blocked.
void kick_vcpu(Domain& domain);
/// A port of the domain became pending (`upcall`: and raised the upcall): wake it if it
/// blocks, or if it polls (a poll wakes even for a masked port).
void notify_event(Domain& domain, bool upcall);
/// Make a blocked vCPU runnable (an event, or its poll timeout).
void wake_vcpu(Domain& domain);
/// SCHEDOP_block / SCHEDOP_poll: the current vCPU waits; another runs (or the CPU idles).
void block_current(Domain& domain);

/// Ask for the next vCPU at the next exit to guest (SCHEDOP_yield).
void request_reschedule();
/// If the current domain stopped or asked to yield, switch the saved-register frame to
/// the next running domain; if none is left, end the run (see finish_run).
void schedule_if_needed();

/// SCHEDOP_shutdown: the domain stops with `reason`.
void shutdown_domain(Domain& domain, abi::ShutdownReason reason);
/// A boot module that did not become a domain (a bad image): the run cannot end well.
void record_refused_domain();

/// With `debug-audit`: run the MMU audit after every MMU hypercall (a failure panics).
void set_audit_after_mmu_calls(bool enabled);
void audit_after_mmu_call();
/// Audit now and print the result (debug key `a`).
void audit_after_mmu_call_now();

/// Kill a domain for something it did; `why` is printed on the hypervisor's crash line.
void crash_domain(Domain& domain, const char* why);

}  // namespace hv
