// SPDX-License-Identifier: MIT
// Time: the clocks from vcpu_time_info and shared_info, and the timer list behind VIRQ_TIMER.
//
// Theory of operation (XEN-PV-ABI.md 7; Xen's side is xen/arch/x86/time.c).
// Xen publishes, per vCPU, a system time in ns and the TSC value it was taken at, with
// the factor that turns TSC ticks into ns. Reading it is a seqlock: Xen makes version
// odd, writes, makes it even; a reader that sees an odd or changed version retries.
// Between updates the clock is system_time + scale(rdtsc - tsc_timestamp).
//
// Timers are a list ordered by deadline. Its head is handed to Xen with set_timer_op
// (absolute ns; a deadline already past fires at once), which raises VIRQ_TIMER once;
// Xen also raises VIRQ_TIMER every 10 ms until the periodic timer is stopped. Either
// way the handler runs every timer whose deadline has passed *by our own clock*, so no
// timer runs early even if an event does, then programs the next head.
//
// Invariants: the list changes only with events masked (handlers run masked, so the
// VIRQ_TIMER handler never sees it half-changed); `programmed` is what Xen holds.
#include "kernel/time.hpp"

#include "arch/x86_64/hypercall.hpp"
#include "kernel/event_channel.hpp"

namespace minios {
namespace {

Port virq_timer_port;
Timer* timers = nullptr;  // ordered by deadline, then by arming order
TimerCounters counters;
uint64_t last_reading = 0;

uint64_t read_tsc() {
    uint32_t low = 0;
    uint32_t high = 0;
    // LFENCE keeps RDTSC from running ahead of the version read before it.
    asm volatile("lfence; rdtsc" : "=a"(low), "=d"(high) : : "memory");
    return (uint64_t{high} << 32) | low;
}

uint32_t load_version(const uint32_t& version) { return __atomic_load_n(&version, __ATOMIC_ACQUIRE); }

/// Hand the list's head to Xen (set_timer_op), or cancel the one-shot if it is empty.
void program_one_shot() {
    const uint64_t deadline = timers == nullptr ? 0 : timers->deadline;
    if (deadline == counters.programmed) return;
    counters.programmed = deadline;
    // set_timer_op never fails: a deadline in the past fires at once, an absurd one in 100 ms.
    (void)set_timer_op(deadline);
}

void run_expired_timers() {
    for (;;) {
        Timer* timer = timers;
        if (timer == nullptr) break;
        const uint64_t now = monotonic_ns();
        if (timer->deadline > now) break;
        timers = timer->next;
        timer->next = nullptr;
        timer->armed = false;
        ++counters.timers_run;
        timer->callback(*timer, now);
    }
    program_one_shot();
}

void handle_timer_virq(Port, void*) {
    ++counters.virqs;
    // Xen's one-shot is spent once it fires; a tick before its deadline is the periodic one.
    if (counters.programmed != 0 && monotonic_ns() < counters.programmed) ++counters.before_deadline;
    else counters.programmed = 0;
    run_expired_timers();
}

void unlink(Timer& timer) {
    for (Timer** link = &timers; *link != nullptr; link = &(*link)->next) {
        if (*link != &timer) continue;
        *link = timer.next;
        break;
    }
    timer.next = nullptr;
    timer.armed = false;
}

}  // namespace

abi::VcpuTimeInfo read_time_info() {
    const abi::VcpuTimeInfo& live = this_vcpu_info().time;
    abi::VcpuTimeInfo copy{};
    // BEGIN LAB events: copy vcpu_time_info under the version protocol
    for (;;) {
        copy.version = load_version(live.version);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        copy.tsc_timestamp = __atomic_load_n(&live.tsc_timestamp, __ATOMIC_RELAXED);
        copy.system_time = __atomic_load_n(&live.system_time, __ATOMIC_RELAXED);
        copy.tsc_to_system_mul = __atomic_load_n(&live.tsc_to_system_mul, __ATOMIC_RELAXED);
        copy.tsc_shift = __atomic_load_n(&live.tsc_shift, __ATOMIC_RELAXED);
        copy.flags = __atomic_load_n(&live.flags, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((copy.version & 1) == 0 && load_version(live.version) == copy.version) return copy;
    }
    // END LAB
}

uint64_t monotonic_ns() {
    const abi::VcpuTimeInfo& live = this_vcpu_info().time;
    uint64_t now = 0;
    // BEGIN LAB events: system time now: the time info and the TSC read in one version window
    for (;;) {
        const uint32_t version = load_version(live.version);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        const uint64_t stamp = __atomic_load_n(&live.tsc_timestamp, __ATOMIC_RELAXED);
        const uint64_t system_time = __atomic_load_n(&live.system_time, __ATOMIC_RELAXED);
        const uint32_t mul = __atomic_load_n(&live.tsc_to_system_mul, __ATOMIC_RELAXED);
        const int8_t shift = __atomic_load_n(&live.tsc_shift, __ATOMIC_RELAXED);
        const uint64_t tsc = read_tsc();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((version & 1) != 0 || load_version(live.version) != version) continue;
        // A TSC behind the stamp (another CPU's, before a migration) counts as no time.
        now = system_time + (tsc > stamp ? scale_tsc_delta(tsc - stamp, mul, shift) : 0);
        break;
    }
    // END LAB
    // Xen's updates may step the extrapolation back by a little: never report that.
    uint64_t last = __atomic_load_n(&last_reading, __ATOMIC_RELAXED);
    while (now > last && !__atomic_compare_exchange_n(&last_reading, &last, now, false, __ATOMIC_SEQ_CST,
                                                     __ATOMIC_RELAXED)) {
    }
    return now > last ? now : last;
}

WallClock wall_clock() {
    const abi::SharedInfo& page = shared_info();
    uint32_t version = 0;
    uint64_t seconds = 0;
    uint32_t nanoseconds = 0;
    for (;;) {
        version = load_version(page.wc_version);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        seconds = (uint64_t{__atomic_load_n(&page.wc_sec_hi, __ATOMIC_RELAXED)} << 32) |
                  __atomic_load_n(&page.wc_sec, __ATOMIC_RELAXED);
        nanoseconds = __atomic_load_n(&page.wc_nsec, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((version & 1) == 0 && load_version(page.wc_version) == version) break;
    }
    const uint64_t since_base = nanoseconds + monotonic_ns();
    return {seconds + since_base / kNsPerSecond, static_cast<uint32_t>(since_base % kNsPerSecond), version};
}

lib::ErrorOr<void> init_time() {
    virq_timer_port = TRY(bind_virq(abi::Virq::Timer));
    return set_event_handler(virq_timer_port, handle_timer_virq);
}

Port timer_port() { return virq_timer_port; }

void start_timer(Timer& timer, uint64_t deadline, TimerCallback callback, void* context) {
    EventsMasked masked;
    // BEGIN LAB events: insert a timer in deadline order and program the earliest
    if (timer.armed) unlink(timer);
    // set_timer_op(0) cancels; any deadline from 1 on is in the past and fires at once.
    timer.deadline = deadline == 0 ? 1 : deadline;
    timer.callback = callback;
    timer.context = context;
    Timer** link = &timers;
    while (*link != nullptr && (*link)->deadline <= timer.deadline) link = &(*link)->next;
    timer.next = *link;
    *link = &timer;
    timer.armed = true;
    program_one_shot();
    // END LAB
}

void stop_timer(Timer& timer) {
    EventsMasked masked;
    if (!timer.armed) return;
    unlink(timer);
    program_one_shot();
}

lib::ErrorOr<void> stop_periodic_timer() {
    TRY(vcpu_op(abi::VcpuOp::StopPeriodicTimer, 0));
    return {};
}

TimerCounters timer_counters() {
    EventsMasked masked;
    return counters;
}

}  // namespace minios
