// SPDX-License-Identifier: MIT
// What the debug keys print: domains and their vCPU registers (then VIRQ_DEBUG to every
// guest, as Xen does), event channels, the run queue and timers, memory, and an MMU audit.
#include "arch/x86_64/crash_dump.hpp"
#include "core/debug_keys.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"
#include "event/two_level.hpp"
#include "mm/machine_memory.hpp"

namespace hv {
namespace {

const char* state_name(const Domain& domain) {
    switch (domain.state) {
    case DomainState::Running: return domain.vcpu.blocked ? "blocked" : "runnable";
    case DomainState::Shutdown: return "shut down";
    case DomainState::Crashed: return "crashed";
    case DomainState::Unused: break;
    }
    return "unused";
}

template <typename Visit>
void for_each_domain(Visit visit) {
    for (size_t i = 0; i < kMaxDomains; ++i)
        if (domain_at(i)->state != DomainState::Unused) visit(*domain_at(i));
}

void dump_domains() {
    for_each_domain([](Domain& d) {
        log_info("d{} ({}): {}, {} pages, roles {:#x}, {} mode\n", d.id, d.name, state_name(d), d.nr_pages,
                 d.roles.bits, d.vcpu.pv.user_mode ? "user" : "kernel");
        // The running domain's live registers are in the hypervisor's frame, not saved yet.
        arch::print_registers(&d == &current_domain() ? arch::guest_frame() : d.vcpu.regs, 0);
    });
}

/// Then, as Xen's domain dump (its key 'q', keyhandler.c dump_domains) ends: raise
/// VIRQ_DEBUG on every vCPU of every domain, so that each guest may dump its own state.
/// A vCPU without it bound gets nothing (its port reads 0).
void notify_guests_of_dump() {
    for_each_domain([](Domain& d) {
        if (!d.is_alive()) return;
        for (uint32_t v = 0; v < d.events.vcpu_count(); ++v) {
            const Port port = d.events.virq_port(abi::Virq::Debug, VcpuId(v));
            log_info("notifying guest d{}:{} (virq {}, port {})\n", d.id, v, static_cast<uint32_t>(abi::Virq::Debug),
                     port.raw());
            const event::Notify notify = d.events.raise_virq(abi::Virq::Debug, VcpuId(v));
            if (notify.delivery != event::Delivery::None) notify_event(d, notify.kicks());
        }
    });
}

/// One port as Xen's 'e' key shows it: what it is bound to, its vCPU, its two bits.
void dump_port(const Domain& d, uint32_t p) {
    const event::Channel& channel = d.events.channel(Port(p));
    const abi::SharedInfo& shared = d.events.shared_info();
    const unsigned pending = event::is_pending(shared, Port(p)) ? 1 : 0;
    const unsigned masked = event::is_masked(shared, Port(p)) ? 1 : 0;
    const uint32_t vcpu = channel.notify_vcpu.raw();
    switch (channel.state) {
    case event::PortState::Free: return;
    case event::PortState::Reserved: log_info("  port {}: reserved\n", p); return;
    case event::PortState::Unbound:
        log_info("  port {}: unbound for d{}, vcpu {}, pending {}, masked {}\n", p, channel.remote_domain, vcpu,
                 pending, masked);
        return;
    case event::PortState::Interdomain:
        log_info("  port {}: interdomain to d{} port {}, vcpu {}, pending {}, masked {}\n", p, channel.remote_domain,
                 channel.remote_port.raw(), vcpu, pending, masked);
        return;
    case event::PortState::Virq:
        log_info("  port {}: virq {}, vcpu {}, pending {}, masked {}\n", p, static_cast<uint32_t>(channel.virq), vcpu,
                 pending, masked);
        return;
    case event::PortState::Ipi:
        log_info("  port {}: ipi, vcpu {}, pending {}, masked {}\n", p, vcpu, pending, masked);
        return;
    case event::PortState::Hypervisor:
        log_info("  port {}: bound to the hypervisor (console backend), vcpu {}, pending {}, masked {}\n", p, vcpu,
                 pending, masked);
        return;
    }
}

void dump_events() {
    for_each_domain([](Domain& d) {
        unsigned bound = 0;
        for (uint32_t p = 1; p < event::kPortCount && d.events.is_valid(Port(p)); ++p)
            if (d.events.channel(Port(p)).state != event::PortState::Free) ++bound;
        log_info("d{}: {} ports in use (reserved or bound)\n", d.id, bound);
        for (uint32_t p = 1; p < event::kPortCount && d.events.is_valid(Port(p)); ++p) dump_port(d, p);
    });
}

}  // namespace

void run_debug_key(char key) {
    switch (key) {
    case 'h':
        log_info("debug keys: d domains and registers, e event channels, q run queue, m memory, a audit\n");
        break;
    case 'd':
        dump_domains();
        notify_guests_of_dump();
        break;
    case 'e': dump_events(); break;
    case 'q':
        log_info("running d{}\n", current_domain().id);
        for_each_domain([](Domain& d) { log_info("  d{}: {}\n", d.id, state_name(d)); });
        break;
    case 'm':
        log_info("memory: {} of {} frames free\n", frame_allocator().free_count(), machine_frame_count());
        break;
    case 'a': audit_after_mmu_call_now(); break;
    default: {
        // A byte that does not print (a Ctrl-A or two that were no switch) is shown by its number.
        const auto byte = static_cast<unsigned char>(key);
        if (byte < 0x20 || byte >= 0x7f) log_info("debug key {:#04x} does nothing (h for help)\n", unsigned{byte});
        else log_info("debug key `{}` does nothing (h for help)\n", key);
        break;
    }
    }
}

}  // namespace hv
