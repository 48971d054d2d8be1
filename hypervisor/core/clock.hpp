// SPDX-License-Identifier: MIT
// The hypervisor's clock and the guests' timers: system time (ns since boot, from the
// TSC), the time each guest reads in its vcpu_time_info, the wall clock in shared_info,
// and the timer queue behind set_timer_op, VCPUOP timers, SCHEDOP_poll and time slices.
#pragma once

#include <cstdint>

#include "core/domain.hpp"
#include "core/timer_queue.hpp"

namespace hv {

/// Start the clock at boot (after the TSC calibration); reads the wall time from the RTC.
void clock_init();
/// System time now, in ns since boot.
uint64_t now_ns();

/// Give a new domain its clock: vcpu_time_info and the wall clock, and the 100 Hz
/// periodic VIRQ_TIMER Xen starts every PV vCPU with.
void clock_start_domain(Domain& domain);
/// Refresh the domain's vcpu_time_info (when it is about to run).
void publish_domain_time(Domain& domain);

/// The periodic VIRQ_TIMER runs only while its vCPU runs (Xen's sched/core.c): stopped when
/// the vCPU is switched out, and on the way back in one catch-up tick if a period passed.
void vcpu_switched_in(Domain& domain);
void vcpu_switched_out(Domain& domain);
/// VCPUOP_set_periodic_timer / stop_periodic_timer (period 0), for the running vCPU.
void set_periodic_timer(Domain& domain, uint64_t period_ns);

/// Arm, re-arm or cancel one of a domain's timers (deadline in system time).
lib::ErrorOr<void> arm_domain_timer(Domain& domain, TimerKind kind, uint64_t deadline_ns, uint64_t period_ns = 0);
void cancel_domain_timer(Domain& domain, TimerKind kind);
/// Start the running vCPU's time slice.
void arm_time_slice();

/// The timer interrupt: handle every timer that is due, then program the next one.
void run_due_timers();
/// Program the local APIC timer for the earliest deadline.
void program_timer_hardware();

/// The domain's index in the domain table, which names its timers.
uint32_t domain_index(const Domain& domain);

}  // namespace hv
