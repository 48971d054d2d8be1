// SPDX-License-Identifier: MIT
// The round-robin scheduler and the end of a domain's life. One CPU: "switching" is
// saving the frame at the top of the hypervisor stack into the old vCPU and loading the
// new vCPU's registers (and CR3) in its place; entry.S then returns into whichever guest
// that frame describes.
#include "core/scheduler.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/debug_exit.hpp"
#include "arch/x86_64/descriptors.hpp"
#include "arch/x86_64/deliver.hpp"
#include "arch/x86_64/guest_mode.hpp"
#include "arch/x86_64/segments.hpp"
#include "arch/x86_64/tlb.hpp"
#include "core/printk.hpp"
#include "mm/frame.hpp"
#include "core/clock.hpp"
#include "core/console_service.hpp"
#include "mm/machine_memory.hpp"

extern "C" [[noreturn]] void return_to_guest();

namespace hv {
namespace {

bool reschedule_requested = false;
unsigned refused_domains = 0;

const char* reason_name(abi::ShutdownReason reason) {
    switch (reason) {
    case abi::ShutdownReason::Poweroff: return "poweroff";
    case abi::ShutdownReason::Reboot: return "reboot";
    case abi::ShutdownReason::Suspend: return "suspend";
    case abi::ShutdownReason::Crash: return "crash";
    case abi::ShutdownReason::Watchdog: return "watchdog";
    case abi::ShutdownReason::SoftReset: return "soft_reset";
    }
    return "unknown";
}

bool runnable(const Domain& domain) { return domain.is_alive() && !domain.vcpu.blocked; }

/// The next runnable domain after `after` (round robin), or nullptr.
Domain* next_runnable(const Domain* after) {
    size_t start = 0;
    for (size_t i = 0; i < kMaxDomains; ++i)
        if (domain_at(i) == after) start = i + 1;
    for (size_t n = 0; n < kMaxDomains; ++n) {
        Domain* candidate = domain_at((start + n) % kMaxDomains);
        if (runnable(*candidate)) return candidate;
    }
    return nullptr;
}

bool any_alive() {
    for (size_t i = 0; i < kMaxDomains; ++i)
        if (domain_at(i)->is_alive()) return true;
    return false;
}

/// Every live vCPU is blocked: halt until an interrupt (a timer) makes one runnable.
/// The timer interrupt arrives here in ring 0 and only runs the due timers.
Domain* idle_until_runnable(const Domain* after) {
    for (;;) {
        if (Domain* next = next_runnable(after)) return next;
        if (!any_alive()) return nullptr;
        // Keep a tick while idle: serial input and console rings are polled on timer ticks.
        arm_time_slice();
        asm volatile("sti; hlt; cli" ::: "memory");
    }
}

bool audit_each_mmu_call = false;

/// The MMU audit over every domain: counts that do not add up are a hypervisor bug, so
/// the run ends with the panic status.
void audit_all_domains(bool quiet) {
    Mfn bases[2 * kMaxDomains];
    Mfn gdt_frames[GuestGdt::kMaxFrames * kMaxDomains];
    Mfn writable[3 * kMaxDomains];
    size_t count = 0, gdt_count = 0, writable_count = 0;
    for (size_t i = 0; i < kMaxDomains; ++i) {
        const Domain& d = *domain_at(i);
        if (d.state == DomainState::Unused) continue;
        if (d.vcpu.kernel_l4.raw() != 0) bases[count++] = d.vcpu.kernel_l4;
        if (d.vcpu.user_l4.raw() != 0) bases[count++] = d.vcpu.user_l4;
        for (Mfn frame : d.vcpu.pv.gdt.frames_in_use()) gdt_frames[gdt_count++] = frame;
        writable[writable_count++] = d.shared_info_mfn;
        writable[writable_count++] = d.console_mfn;
        if (d.vcpu.pv.vcpu_info_mfn.raw() != 0) writable[writable_count++] = d.vcpu.pv.vcpu_info_mfn;
    }
    const AuditResult result =
        audit_machine_memory({{bases, count}, {gdt_frames, gdt_count}, {writable, writable_count}});
    if (result.problems != 0) lib::panic("audit: {} problems in {} frames", result.problems, result.frames_checked);
    if (!quiet) log_info("audit: ok ({} frames)\n", result.frames_checked);
}

/// Debug builds audit once more when the run ends.
void audit_at_exit() {
#if XENOLITH_MMU_AUDIT
    audit_all_domains(false);
#endif
}

/// Every domain has ended: sum up and leave QEMU with the status that says how.
[[noreturn]] void finish_run() {
    audit_at_exit();
    unsigned poweroff = 0, crashed = 0, other = 0;
    for (size_t i = 0; i < kMaxDomains; ++i) {
        const Domain& d = *domain_at(i);
        if (d.state == DomainState::Crashed ||
            (d.state == DomainState::Shutdown && d.shutdown_reason == abi::ShutdownReason::Crash)) ++crashed;
        else if (d.state == DomainState::Shutdown && d.shutdown_reason == abi::ShutdownReason::Poweroff) ++poweroff;
        else if (d.state == DomainState::Shutdown) ++other;
    }
    // A module that never became a domain counts as a crash: the run did not do what
    // its boot line asked.
    crashed += refused_domains;
    arch::ExitStatus status = crashed ? arch::ExitStatus::DomainCrashed
                              : other ? arch::ExitStatus::OtherShutdown
                                      : arch::ExitStatus::AllPoweredOff;
    log_info("all domains have ended: {} powered off, {} crashed or refused, {} other; exit status {}\n",
             poweroff, crashed, other, static_cast<uint32_t>(status));
    arch::leave_qemu(status);
}

/// Put the CPU in `next`'s context. The previous vCPU's registers were saved already, its
/// data segments are saved here (they are only in the CPU while it runs).
void switch_to(Domain* previous, Domain& next) {
    if (previous != nullptr) arch::save_segments(*previous);
    set_current_domain(next);
    arch::guest_frame() = next.vcpu.regs;
    const Mfn base = next.vcpu.pv.user_mode ? next.vcpu.user_l4 : next.vcpu.kernel_l4;
    arch::switch_address_space(maddr_of(base).raw());
    arch::load_guest_gdt(next.vcpu.pv.gdt.frames_in_use());
    const bool segments_loaded = arch::load_segments(next);  // after the GDT they come from
    arch::load_debug_registers(next);
    arch::fpu_prepare(next);
    if (!segments_loaded) arch::deliver_failsafe(next, arch::guest_frame(), next.vcpu.pv.selectors);
}

}  // namespace

void request_reschedule() { reschedule_requested = true; }

void timer_interrupt() { run_due_timers(); }

void kick_vcpu(Domain& domain) { wake_vcpu(domain); }

void notify_event(Domain& domain, bool upcall) {
    // A masked port only wakes a poller (Xen's evtchn_check_pollers); the guest looks again.
    if (upcall || domain.vcpu.polling) wake_vcpu(domain);
}

void wake_vcpu(Domain& domain) {
    if (!domain.vcpu.blocked) return;
    domain.vcpu.blocked = false;
    domain.vcpu.polling = false;
    cancel_domain_timer(domain, TimerKind::PollTimeout);
}

void block_current(Domain& domain) {
    domain.vcpu.blocked = true;
    request_reschedule();
}

void record_refused_domain() { ++refused_domains; }

void set_audit_after_mmu_calls(bool enabled) { audit_each_mmu_call = enabled; }

void audit_after_mmu_call() {
    if (audit_each_mmu_call) audit_all_domains(true);
}

void audit_after_mmu_call_now() { audit_all_domains(false); }

void schedule_if_needed() {
    Domain& current = current_domain();
    if (runnable(current) && !reschedule_requested) return;
    reschedule_requested = false;
    if (current.is_alive()) current.vcpu.regs = arch::guest_frame();
    vcpu_switched_out(current);
    Domain* next = idle_until_runnable(&current);
    if (next == nullptr) finish_run();
    if (next != &current) switch_to(&current, *next);
    vcpu_switched_in(*next);
    arm_time_slice();
}

void run_domains() {
    Domain* first = next_runnable(nullptr);
    if (first == nullptr) {
        log_error("no domain to run\n");
        finish_run();
    }
    switch_to(nullptr, *first);
    vcpu_switched_in(*first);
    arm_time_slice();
    return_to_guest();
}

/// A domain that has ended keeps no timers.
void stop_timers(Domain& domain) {
    for (TimerKind kind : {TimerKind::SingleShot, TimerKind::Periodic, TimerKind::PollTimeout})
        cancel_domain_timer(domain, kind);
}

void shutdown_domain(Domain& domain, abi::ShutdownReason reason) {
    if (!domain.is_alive()) return;  // the first ending stands (a crashed domain cannot power off)
    stop_timers(domain);
    drain_domain_console(domain);
    domain.console.flush(console_sink());
    domain.state = DomainState::Shutdown;
    domain.shutdown_reason = reason;
    log_info("domain d{} ({}) shut down: {}\n", domain.id, domain.name, reason_name(reason));
}

void crash_domain(Domain& domain, const char* why) {
    if (!domain.is_alive()) return;
    stop_timers(domain);
    drain_domain_console(domain);
    domain.console.flush(console_sink());
    domain.state = DomainState::Crashed;
    log_error("domain d{} crashed: {}\n", domain.id, why);
}

}  // namespace hv
