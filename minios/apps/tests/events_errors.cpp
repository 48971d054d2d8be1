// SPDX-License-Identifier: MIT
// The events test's error checks: each bad EVTCHNOP argument gets the errno Xen 4.17 gives
// (xen/common/event_channel.c; XEN-PV-ABI.md 6, 10), one line each.
#include "abi/event_channel.hpp"
#include "apps/tests/events.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/time.hpp"

namespace minios::events_test {
namespace {

using abi::Errno;

/// Beyond the 2-level ABI's 4096 ports: invalid for every domain.
constexpr Port kBeyondPorts{4096};
/// A domain ID below DOMID_FIRST_RESERVED that no test boots.
constexpr abi::DomainId kNoSuchDomain = 12345;
/// No vCPU of any test domain has this ID.
constexpr uint32_t kNoSuchVcpu = 1000;
/// No EVTCHNOP has this number.
constexpr uint32_t kNoSuchCommand = 99;
/// A non-canonical address: copying from it faults in Xen, which answers -EFAULT.
constexpr uint64_t kNonCanonical = 0x0000'8000'0000'0000;

void check_port_errors() {
    check_error("send-beyond-ports", "send(4096)", send_event(kBeyondPorts), Errno::Inval);
    check_error("send-virq-port", "send(VIRQ_TIMER's port)", send_event(timer_port()), Errno::Inval);
    check_error("close-reserved", "close(0)", close_port(Port(0)), Errno::Inval);
    check_error("close-beyond-ports", "close(4096)", close_port(kBeyondPorts), Errno::Inval);
    check_error("unmask-beyond-ports", "unmask(4096)", unmask_port_hypercall(kBeyondPorts), Errno::Inval);
    check_error("status-beyond-ports", "status(4096)", port_status(kBeyondPorts), Errno::Inval);
    check_error("status-no-domain", "status(d12345, port 1)", port_status(Port(1), kNoSuchDomain), Errno::Srch);

    auto ipi = bind_ipi(0);
    if (ipi.is_error()) {
        check(false, "send-closed-port", "bind_ipi(vcpu 0) -> {}", result_name(ipi));
        return;
    }
    check_error("bind-interdomain-not-unbound", "bind_interdomain(DOMID_SELF, an IPI port)",
                bind_interdomain(abi::kDomidSelf, ipi.value()), Errno::Inval);
    (void)close_port(ipi.value());
    check_error("send-closed-port", "send(a port just closed)", send_event(ipi.value()), Errno::Inval);
    check_error("close-closed-port", "close(a port just closed)", close_port(ipi.value()), Errno::Inval);
}

void check_bind_errors() {
    check_error("bind-virq-beyond", "bind_virq(24)", bind_virq(static_cast<abi::Virq>(abi::kNrVirqs)), Errno::Inval);
    check_error("bind-virq-again", "bind_virq(VIRQ_TIMER) a second time", bind_virq(abi::Virq::Timer), Errno::Exist);
    check_error("bind-virq-global-vcpu", "bind_virq(VIRQ_DOM_EXC, vcpu 1)", bind_virq(abi::Virq::DomExc, 1),
                Errno::Inval);
    check_error("bind-virq-no-vcpu", "bind_virq(VIRQ_DEBUG, vcpu 1000)", bind_virq(abi::Virq::Debug, kNoSuchVcpu),
                Errno::NoEnt);
    check_error("bind-ipi-no-vcpu", "bind_ipi(vcpu 1000)", bind_ipi(kNoSuchVcpu), Errno::NoEnt);
    check_error("alloc-unbound-no-domain", "alloc_unbound(dom d12345)", alloc_unbound(abi::kDomidSelf, kNoSuchDomain),
                Errno::Srch);
    check_error("bind-interdomain-no-domain", "bind_interdomain(d12345, port 1)",
                bind_interdomain(kNoSuchDomain, Port(1)), Errno::Srch);
    check_error("bind-interdomain-beyond-ports", "bind_interdomain(DOMID_SELF, 4096)",
                bind_interdomain(abi::kDomidSelf, kBeyondPorts), Errno::Inval);

    // Xen checks the remote domain only when it binds, not when the port is allocated.
    auto for_nobody = alloc_unbound(kNoSuchDomain);
    check(!for_nobody.is_error(), "alloc-unbound-unknown-remote", "alloc_unbound(remote d12345) -> {} (Xen: success)",
          result_name(for_nobody));
    if (!for_nobody.is_error()) (void)close_port(for_nobody.value());
}

void check_call_errors() {
    abi::EventChannelSend send{1};
    check_error("unknown-command", "event_channel_op(99)",
                hypercall(abi::Hypercall::EventChannelOp, kNoSuchCommand, reinterpret_cast<uint64_t>(&send)),
                Errno::NoSys);
    check_error("bad-pointer", "event_channel_op(send, non-canonical pointer)",
                hypercall(abi::Hypercall::EventChannelOp, static_cast<uint32_t>(abi::EventChannelOp::Send),
                          kNonCanonical),
                Errno::Fault);
}

}  // namespace

void run_error_checks() {
    check_port_errors();
    check_bind_errors();
    check_call_errors();
}

}  // namespace minios::events_test
