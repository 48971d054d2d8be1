// SPDX-License-Identifier: MIT
// The hypervisor drains each guest's console ring (see console_service.hpp). Until a
// service domain takes the console role, this is every guest's console backend.
#include "core/console_service.hpp"

#include "arch/x86_64/paging.hpp"
#include "core/console_ring.hpp"
#include "core/printk.hpp"

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

}  // namespace hv
