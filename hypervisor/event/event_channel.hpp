// SPDX-License-Identifier: MIT
// Event channels: Xen's EVTCHNOP operations on typed arguments, over every domain's port table.
//
// Theory of operation. An event channel is a one-bit doorbell. Each domain has a table of
// ports (domain_events.hpp); a port is Free, Reserved, Unbound (waiting for a named
// domain to connect), Interdomain (connected to a port of another domain, or of itself),
// Virq (rung by the hypervisor: timer, console...), Ipi (rung by the domain, to one of
// its own vCPUs) or Hypervisor (connected to a backend inside the hypervisor: the console
// port, which the hypervisor serves until a console service domain exists). Ringing a port ("raising" it) sets its bit in the domain's shared_info
// and, unless the guest masked it or already knows, asks for an upcall on the port's
// notify vCPU (two_level.hpp). Sending on an Interdomain port raises the *other* end;
// sending on a Hypervisor port raises nothing and asks the hypercall layer to run the
// backend (Delivery::Hypervisor), and the backend rings the port with raise_from_hypervisor.
//
// Invariants. Port 0 is Reserved forever. The two ends of an interdomain channel always
// name each other (remote_domain, remote_port); closing one end frees it and turns the
// other end Unbound for the closer, so that the closer can bind to it again. A VIRQ is
// bound to at most one port per vCPU, and a Virq port is in virq_ports_ exactly once.
// A freed port has its pending bit cleared; nothing else clears a pending bit: the guest
// owns pending, mask, pending_sel and upcall_pending once they are set.
//
// Validate, then commit: every operation checks every argument, in Xen's order (so that
// a guest gets Xen's errno when several are wrong), before it changes anything. The one
// exception is Xen's own: finding a free port may add a bucket of valid ports, which
// stays (domain_events.hpp).
//
// Locks: one CPU, and every operation runs to completion inside a hypercall, so none yet.
// With several CPUs each table gets a lock, and an operation on two domains takes the
// lower-numbered domain's first (Xen's rule in evtchn_bind_interdomain and evtchn_close).
//
// What the guest observes: the EVTCHNOP results (and -errno values) of Xen 4.17 with the
// 2-level ABI and libxl's default of 1024 ports; the bits of shared_info; upcalls. What
// it cannot: how ports are stored. The hypercall layer (hypercall/event_channel_op.cpp)
// copies arguments in and out and kicks the vCPUs a Notify names.
#pragma once

#include "event/domain_events.hpp"

namespace hv::event {

/// How the operations find other domains' tables: the domain table in the image, a fake
/// in the host tests. A seam, so that interdomain channels can be tested on the host.
class EventDomains {
public:
    /// The event channels of domain `id` (which may be the caller's own), or nullptr.
    virtual DomainEvents* find(DomId id) = 0;

protected:
    ~EventDomains() = default;
};

/// EVTCHNOP_status's answer; which fields count depends on `state`.
struct PortStatus {
    abi::EventChannelState state = abi::EventChannelState::Closed;
    VcpuId vcpu{};          ///< the notify vCPU
    DomId remote_domain{};  ///< Unbound, Interdomain
    Port remote_port{};     ///< Interdomain
    abi::Virq virq{};       ///< Virq
};

/// EVTCHNOP_bind_interdomain's answer: the new local port, which is raised at once.
struct Bound {
    Port port;
    Notify notify;
};

/// The EVTCHNOP operations, as one calling domain makes them. Built per hypercall:
///     EventChannels channels(domains, caller.events, caller.has_role(Role::Control));
/// Arguments are the guest's values, typed but not yet checked; DomIds may be DOMID_SELF.
/// `privileged` lets the caller act on other domains' tables (Xen's XSM_TARGET check).
class EventChannels {
public:
    EventChannels(EventDomains& domains, DomainEvents& caller, bool privileged)
        : domains_(domains), caller_(caller), privileged_(privileged) {}

    /// A new Unbound port in `dom` that `remote_dom` may bind to (DOMID_SELF: the caller).
    /// @retval Srch no domain `dom` @retval NoSpc no free port @retval Perm `dom` is another
    /// domain and the caller is not privileged (checked after NoSpc, as Xen does)
    lib::ErrorOr<Port> alloc_unbound(DomId dom, DomId remote_dom);
    /// Connect a new local port to `remote_port` of `remote_dom`, which must be Unbound for
    /// the caller; the local port is raised at once (notifications sent to the remote port
    /// while it was unbound were dropped). @retval Srch @retval NoSpc @retval Inval
    lib::ErrorOr<Bound> bind_interdomain(DomId remote_dom, Port remote_port);
    /// A port for `virq` on `vcpu` (0 for a global VIRQ). @retval Inval virq >= NR_VIRQS, or
    /// a global one with vcpu != 0 @retval NoEnt no such vCPU @retval Exist already bound
    /// @retval NoSpc
    lib::ErrorOr<Port> bind_virq(abi::Virq virq, VcpuId vcpu);
    /// A port the caller raises on its own `vcpu` with send. @retval NoEnt @retval NoSpc
    lib::ErrorOr<Port> bind_ipi(VcpuId vcpu);
    /// Free a port; an Interdomain one leaves its other end Unbound for the caller; a
    /// Hypervisor one is cut off from its backend. @retval Inval invalid, free or reserved port
    lib::ErrorOr<void> close(Port port);
    /// Ring a port: Interdomain raises the remote end, Ipi the caller's own; Hypervisor
    /// raises nothing and answers Delivery::Hypervisor (the backend must run); Unbound drops
    /// the event and succeeds. @retval Inval invalid port, or a free, reserved or Virq one
    lib::ErrorOr<Notify> send(Port port);
    /// What `port` of `dom` is. A Hypervisor port reads as Interdomain to DOMID_XEN, port
    /// 0: on Xen a domU's console port is Unbound for dom0 until xenconsoled binds it, then
    /// Interdomain to dom0's port; here the backend is always connected, and it is Xen
    /// itself, which has no port numbers of its own. @retval Srch @retval Inval invalid
    /// port @retval Perm another domain's port and the caller is not privileged
    lib::ErrorOr<PortStatus> status(DomId dom, Port port);
    /// Clear the port's mask bit, and re-raise the upcall if it is pending (a free or
    /// reserved port is left alone). @retval Inval invalid port
    lib::ErrorOr<Notify> unmask(Port port);
    /// Send the port's events to `vcpu` from now on. @retval NoEnt no such vCPU
    /// @retval Inval invalid port, or one that is not Unbound, Interdomain (or Hypervisor,
    /// which acts as one) or a global Virq
    lib::ErrorOr<void> bind_vcpu(Port port, VcpuId vcpu);
    /// Close every port of `dom` but the reserved ones (a Hypervisor port closes too, as
    /// Xen closes a domU's interdomain console port). @retval Srch @retval Perm another
    /// domain without privilege @retval Inval another domain (Xen requires the control
    /// domain to have paused it first, and nothing here pauses domains)
    lib::ErrorOr<void> reset(DomId dom);

private:
    /// DOMID_SELF or a domain ID -> that domain's table (Xen's rcu_lock_domain_by_any_id).
    lib::ErrorOr<DomainEvents*> find_domain(DomId dom);
    lib::ErrorOr<VcpuId> check_vcpu(VcpuId vcpu) const;
    bool may_act_on(const DomainEvents& target) const { return &target == &caller_ || privileged_; }
    /// Xen's evtchn_close on any domain's table.
    lib::ErrorOr<void> close_port(DomainEvents& owner, Port port);
    void unbind_virq(DomainEvents& owner, const Channel& virq_channel);

    EventDomains& domains_;
    DomainEvents& caller_;
    bool privileged_;
};

}  // namespace hv::event
