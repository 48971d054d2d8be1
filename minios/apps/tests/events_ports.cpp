// SPDX-License-Identifier: MIT
// The events test's port checks: IPI delivery, masking (per port and per vCPU), a loopback
// interdomain channel, and what EVTCHNOP_status says. Deliveries are counted by handlers.
#include "abi/event_channel.hpp"
#include "apps/tests/events.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/sched.hpp"
#include "kernel/time.hpp"

namespace minios::events_test {
namespace {

using abi::EventChannelState;

void count_delivery(Port, void* context) { ++*static_cast<unsigned*>(context); }

/// Any hypercall: Xen delivers a pending, unmasked upcall on its way back.
void give_xen_a_chance() { (void)port_status(timer_port()); }

bool is_state(const lib::ErrorOr<abi::EventChannelStatus>& status, EventChannelState state) {
    return !status.is_error() && status.value().status == static_cast<uint32_t>(state);
}

const char* state_name(const lib::ErrorOr<abi::EventChannelStatus>& status) {
    return status.is_error() ? abi::errno_name(status.error_code()) : port_state_name(status.value().status);
}

/// An IPI port with a counting handler, closed when the scope ends.
class CountedIpi {
public:
    CountedIpi() : port_(bind_ipi(0)) {
        if (!port_.is_error()) (void)set_event_handler(port_.value(), count_delivery, &deliveries_);
    }
    ~CountedIpi() {
        if (port_.is_error()) return;
        clear_event_handler(port_.value());
        (void)close_port(port_.value());
    }
    CountedIpi(const CountedIpi&) = delete;
    CountedIpi& operator=(const CountedIpi&) = delete;

    bool ok() const { return !port_.is_error(); }
    Port port() const { return port_.value(); }
    unsigned deliveries() const { return deliveries_; }
    lib::ErrorOr<void> send() { return send_event(port()); }

private:
    lib::ErrorOr<Port> port_;
    unsigned deliveries_ = 0;
};

bool bound(const CountedIpi& ipi, const char* name) {
    if (ipi.ok()) return true;
    check(false, name, "bind_ipi(vcpu 0) failed");
    return false;
}

void check_ipi() {
    CountedIpi ipi;
    if (!bound(ipi, "ipi")) return;
    auto sent = ipi.send();
    const unsigned on_return = ipi.deliveries();  // the upcall runs on the way out of send
    auto status = port_status(ipi.port());
    const bool to_vcpu0 = !status.is_error() && status.value().vcpu == 0;
    check(!sent.is_error() && on_return == 1 && is_state(status, EventChannelState::Ipi) && to_vcpu0, "ipi",
          "bind_ipi -> port {}; send -> {}, handler ran {} time(s) before send returned; status {}", ipi.port(),
          result_name(sent), on_return, state_name(status));
}

void check_masked_port() {
    CountedIpi ipi;
    if (!bound(ipi, "masked-port")) return;
    mask_port(ipi.port());
    (void)ipi.send();
    (void)ipi.send();
    give_xen_a_chance();
    const unsigned while_masked = ipi.deliveries();
    const bool pending = port_pending(ipi.port());
    unmask_port(ipi.port());
    check(while_masked == 0 && pending && ipi.deliveries() == 1 && !port_pending(ipi.port()), "masked-port",
          "masked, sent twice: {} deliveries, pending {}; unmask_port (guest side, re-raises): {} delivery",
          while_masked, pending, ipi.deliveries());
}

void check_unmask_hypercall() {
    CountedIpi ipi;
    if (!bound(ipi, "unmask-hypercall")) return;
    mask_port(ipi.port());
    (void)ipi.send();
    give_xen_a_chance();
    const unsigned while_masked = ipi.deliveries();
    auto unmasked = unmask_port_hypercall(ipi.port());
    check(while_masked == 0 && !unmasked.is_error() && ipi.deliveries() == 1 && !port_masked(ipi.port()),
          "unmask-hypercall", "masked, sent: {} deliveries; EVTCHNOP_unmask -> {}, {} delivery before it returned",
          while_masked, result_name(unmasked), ipi.deliveries());
}

/// Clearing a mask bit by hand re-raises nothing (XEN-PV-ABI.md 6): the port stays
/// pending, and a second send finds it pending and stops there too.
void check_hand_unmask() {
    CountedIpi ipi;
    if (!bound(ipi, "hand-unmask")) return;
    mask_port(ipi.port());
    (void)ipi.send();
    clear_port_mask_bit(ipi.port());
    give_xen_a_chance();
    (void)ipi.send();
    give_xen_a_chance();
    const unsigned stranded = ipi.deliveries();
    const bool pending = port_pending(ipi.port());
    unmask_port(ipi.port());
    check(stranded == 0 && pending && ipi.deliveries() == 1, "hand-unmask",
          "mask bit cleared by hand, sent again: {} deliveries, still pending {}; unmask_port: {} delivery", stranded,
          pending, ipi.deliveries());
}

/// evtchn_upcall_mask holds every upcall back; unmasking delivers nothing until a
/// hypercall, which unmask_events makes when evtchn_upcall_pending is set.
void check_events_masked() {
    CountedIpi ipi;
    if (!bound(ipi, "events-masked")) return;
    mask_events();
    (void)ipi.send();
    const unsigned while_masked = ipi.deliveries();
    const unsigned upcall_pending = this_vcpu_info().evtchn_upcall_pending;
    const uint64_t forced_before = event_counters().forced_upcalls;
    unmask_events();
    const uint64_t forced = event_counters().forced_upcalls - forced_before;
    check(while_masked == 0 && upcall_pending == 1 && ipi.deliveries() == 1 && forced == 1, "events-masked",
          "evtchn_upcall_mask 1, sent: {} deliveries, evtchn_upcall_pending {}; unmask_events made {} hypercall, "
          "{} delivery",
          while_masked, upcall_pending, forced, ipi.deliveries());
}

/// SCHEDOP_block with an event pending unmasks and returns at once, after the upcall.
void check_block_pending() {
    CountedIpi ipi;
    if (!bound(ipi, "block-pending")) return;
    mask_events();
    (void)ipi.send();
    const unsigned before_block = ipi.deliveries();
    block_vcpu();
    const unsigned after_block = ipi.deliveries();
    unmask_events();
    check(before_block == 0 && after_block == 1, "block-pending",
          "events masked, sent: {} deliveries; SCHEDOP_block returned with {} delivery", before_block, after_block);
}

void check_status() {
    auto timer = port_status(timer_port());
    const bool virq0 = is_state(timer, EventChannelState::Virq) && timer.value().u.virq == 0 && timer.value().vcpu == 0;
    auto reserved = port_status(Port(0));
    check(virq0 && is_state(reserved, EventChannelState::Closed), "status",
          "port {} (VIRQ_TIMER): {} virq {} vcpu {}; port 0 (reserved): {}", timer_port(), state_name(timer),
          timer.is_error() ? 0 : timer.value().u.virq, timer.is_error() ? 0 : timer.value().vcpu,
          state_name(reserved));
}

/// A domain may connect to its own unbound port (event_channel.h: "<remote_dom> may be
/// DOMID_SELF, allowing loopback connections"); each end then raises the other.
void check_loopback() {
    auto unbound = alloc_unbound(abi::kDomidSelf);
    if (unbound.is_error()) {
        check(false, "loopback-bind", "alloc_unbound(DOMID_SELF) -> {}", result_name(unbound));
        return;
    }
    const Port a = unbound.value();
    auto a_unbound = port_status(a);
    const abi::DomainId self = a_unbound.is_error() ? abi::kDomidInvalid : a_unbound.value().u.unbound.dom;
    unsigned a_deliveries = 0;
    unsigned b_deliveries = 0;
    lib::ErrorOr<Port> bound_port = lib::error(abi::Errno::Inval);
    bool pending_at_bind = false;
    {
        EventsMasked masked;  // see the pending bit Xen sets at bind before a handler takes it
        bound_port = bind_interdomain(abi::kDomidSelf, a);
        if (!bound_port.is_error()) {
            pending_at_bind = port_pending(bound_port.value());
            (void)set_event_handler(bound_port.value(), count_delivery, &b_deliveries);
        }
        (void)set_event_handler(a, count_delivery, &a_deliveries);
    }
    if (bound_port.is_error()) {
        check(false, "loopback-bind", "bind_interdomain(DOMID_SELF, {}) -> {}", a, result_name(bound_port));
        (void)close_port(a);
        return;
    }
    const Port b = bound_port.value();
    auto a_status = port_status(a);
    auto b_status = port_status(b);
    const bool linked = is_state(a_status, EventChannelState::Interdomain) &&
                        is_state(b_status, EventChannelState::Interdomain) &&
                        a_status.value().u.interdomain.port == b.raw() &&
                        b_status.value().u.interdomain.port == a.raw() && a_status.value().u.interdomain.dom == self;
    check(is_state(a_unbound, EventChannelState::Unbound) && self < abi::kDomidFirstReserved && pending_at_bind &&
              b_deliveries == 1 && linked,
          "loopback-bind",
          "alloc_unbound(DOMID_SELF) -> port {} {} for d{}; bind_interdomain -> port {}, pending at once {}; "
          "status {} <-> {}",
          a, state_name(a_unbound), self, b, pending_at_bind, state_name(a_status), state_name(b_status));

    auto to_b = send_event(a);
    auto to_a = send_event(b);
    check(!to_b.is_error() && !to_a.is_error() && b_deliveries == 2 && a_deliveries == 1, "loopback-send",
          "send({}) raised port {}; send({}) raised port {}", a, b_deliveries == 2 ? b.raw() : 0, b,
          a_deliveries == 1 ? a.raw() : 0);

    auto closed_b = close_port(b);
    clear_event_handler(b);
    auto a_after = port_status(a);
    auto dropped = send_event(a);
    give_xen_a_chance();
    const bool nothing = a_deliveries == 1 && b_deliveries == 2;
    clear_event_handler(a);
    auto closed_a = close_port(a);
    auto a_closed = port_status(a);
    check(!closed_b.is_error() && is_state(a_after, EventChannelState::Unbound) && !dropped.is_error() && nothing &&
              !closed_a.is_error() && is_state(a_closed, EventChannelState::Closed),
          "loopback-close",
          "close({}) -> {}: port {} is {} again, send on it -> {} and raises nothing; close({}) -> {}: {}", b,
          result_name(closed_b), a, state_name(a_after), result_name(dropped), a, result_name(closed_a),
          state_name(a_closed));
}

}  // namespace

void run_port_checks() {
    check_ipi();
    check_masked_port();
    check_unmask_hypercall();
    check_hand_unmask();
    check_events_masked();
    check_block_pending();
    check_status();
    check_loopback();
}

}  // namespace minios::events_test
