// SPDX-License-Identifier: MIT
// The hypervisor drains each guest's console ring and feeds it input (see
// console_service.hpp). Until a service domain takes the console role, this is every
// guest's console backend, at the other end of its console port (event/ PortState::Hypervisor).
#include "core/console_service.hpp"

#include "arch/x86_64/paging.hpp"
#include "core/console_ring.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"
#include "loader/domain_builder.hpp"

namespace hv {

void drain_domain_console(Domain& domain) {
    if (domain.console_mfn.raw() == 0) return;
    drain_console_output(*arch::frame_to_virt<abi::ConsoleInterface>(domain.console_mfn), domain.console, console_sink());
}

void serve_console_rings() {
    for (size_t i = 0; i < kMaxDomains; ++i) {
        Domain& domain = *domain_at(i);
        if (domain.is_alive()) drain_domain_console(domain);
    }
}

void console_port_notified(Domain& domain) { drain_domain_console(domain); }

uint32_t send_console_input(Domain& domain, const char* bytes, uint32_t length) {
    if (domain.console_mfn.raw() == 0) return 0;
    const uint32_t stored =
        feed_console_input(*arch::frame_to_virt<abi::ConsoleInterface>(domain.console_mfn), bytes, length);
    if (stored == 0) return 0;
    // Nothing if the guest closed its console port: it reads the ring when it likes.
    const event::Notify notify = domain.events.raise_from_hypervisor(Port(loader::kConsolePort));
    if (notify.delivery != event::Delivery::None) notify_event(domain, notify.kicks());
    return stored;
}

}  // namespace hv
