// SPDX-License-Identifier: MIT
// System time, guest time and timers (see clock.hpp; Xen: arch/x86/time.c, common/timer.c,
// the VIRQ_TIMER timers of common/sched/core.c).
#include "core/clock.hpp"

#include "abi/event_channel.hpp"
#include "abi/shared_info.hpp"
#include "arch/x86_64/apic.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/deliver.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "arch/x86_64/paging.hpp"
#include "arch/x86_64/rtc.hpp"
#include "core/console_service.hpp"
#include "core/debug_keys.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"
#include "core/time.hpp"

namespace hv {
namespace {

constexpr uint64_t kTimeSliceNs = 10'000'000;     // 10 ms
constexpr uint64_t kDefaultTimerPeriodNs = 10'000'000;  // Xen's 100 Hz VIRQ_TIMER from boot
constexpr uint32_t kCpuOwner = 0xffff;                  // the time slice belongs to the CPU

SystemClock clock;
WallTime boot_wall_time;
FixedTimerQueue<kMaxDomains * kTimersPerVcpu + 1> timers;

abi::SharedInfo& shared_info_of(Domain& domain) {
    return *arch::frame_to_virt<abi::SharedInfo>(domain.shared_info_mfn);
}

void send_timer_event(Domain& domain) {
    const event::Notify notify = domain.events.raise_virq(abi::Virq::Timer, VcpuId(0));
    if (notify.delivery != event::Delivery::None) notify_event(domain, notify.kicks());
}

void expire(const ExpiredTimer& timer) {
    if (timer.id.kind == TimerKind::TimeSlice) {
        request_reschedule();
        return;
    }
    Domain* domain = domain_at(timer.id.owner);
    if (domain == nullptr || !domain->is_alive()) return;
    if (timer.id.kind == TimerKind::PollTimeout) {
        wake_vcpu(*domain);
        return;
    }
    if (timer.id.kind == TimerKind::Periodic) {
        // Re-armed by hand from now, so that a period that was missed while it ran is
        // not made up with a burst (only the running vCPU has this timer armed).
        domain->vcpu.pv.periodic_last_event_ns = now_ns();
        (void)timers.arm(timer.id, domain->vcpu.pv.periodic_last_event_ns + domain->vcpu.pv.periodic_period_ns);
    }
    send_timer_event(*domain);
}

}  // namespace

void clock_init() {
    clock = SystemClock(arch::rdtsc(), compute_time_scale(static_cast<uint32_t>(arch::timer_calibration().tsc_khz)));
    const arch::RtcTime rtc = arch::read_rtc();
    boot_wall_time = wall_time_at_boot(WallTime{rtc.seconds_since_epoch, 0}, now_ns());
    log_info("clock: wall time at boot {} s since 1970 (RTC)\n", boot_wall_time.seconds);
}

uint64_t now_ns() { return clock.now(arch::rdtsc()); }

uint32_t domain_index(const Domain& domain) {
    for (size_t i = 0; i < kMaxDomains; ++i)
        if (domain_at(i) == &domain) return static_cast<uint32_t>(i);
    lib::panic("domain_index: d{} is not in the domain table", domain.id);
}

void publish_domain_time(Domain& domain) {
    publish_clock(arch::vcpu_info(domain).time, clock, abi::kPvclockTscStableBit);
}

void clock_start_domain(Domain& domain) {
    publish_wall_clock(shared_info_of(domain), boot_wall_time);
    publish_domain_time(domain);
    domain.vcpu.pv.periodic_period_ns = kDefaultTimerPeriodNs;
    domain.vcpu.pv.periodic_last_event_ns = now_ns();
}

void vcpu_switched_in(Domain& domain) {
    PvState& pv = domain.vcpu.pv;
    domain.vcpu.state_since_ns = now_ns();
    publish_domain_time(domain);
    if (pv.periodic_period_ns == 0) return;
    const uint64_t now = now_ns();
    if (now >= pv.periodic_last_event_ns + pv.periodic_period_ns) {
        send_timer_event(domain);  // one tick for the time it was away, however long
        pv.periodic_last_event_ns = now;
    }
    (void)timers.arm(TimerId{domain_index(domain), TimerKind::Periodic}, pv.periodic_last_event_ns + pv.periodic_period_ns);
    program_timer_hardware();
}

void vcpu_switched_out(Domain& domain) {
    const uint64_t now = now_ns();
    domain.vcpu.ran_ns += now - domain.vcpu.state_since_ns;
    domain.vcpu.state_since_ns = now;
    cancel_domain_timer(domain, TimerKind::Periodic);
}

void set_periodic_timer(Domain& domain, uint64_t period_ns) {
    domain.vcpu.pv.periodic_period_ns = period_ns;
    domain.vcpu.pv.periodic_last_event_ns = now_ns();
    cancel_domain_timer(domain, TimerKind::Periodic);
    if (period_ns != 0) vcpu_switched_in(domain);
}

lib::ErrorOr<void> arm_domain_timer(Domain& domain, TimerKind kind, uint64_t deadline_ns, uint64_t period_ns) {
    const TimerId id{domain_index(domain), kind};
    if (period_ns != 0) TRY(timers.arm_periodic(id, deadline_ns, period_ns));
    else TRY(timers.arm(id, deadline_ns));
    program_timer_hardware();
    return {};
}

void cancel_domain_timer(Domain& domain, TimerKind kind) {
    timers.cancel(TimerId{domain_index(domain), kind});
    program_timer_hardware();
}

void arm_time_slice() {
    (void)timers.arm(TimerId{kCpuOwner, TimerKind::TimeSlice}, now_ns() + kTimeSliceNs);
    program_timer_hardware();
}

void run_due_timers() {
    serve_console_rings();
    poll_serial_input();
    const uint64_t now = now_ns();
    while (auto due = timers.pop_due(now)) expire(*due);
    program_timer_hardware();
}

void program_timer_hardware() {
    const auto next = timers.next_deadline();
    arch::arm_timer_at_tsc(next ? clock.tsc_at(*next) : 0);
}

}  // namespace hv
