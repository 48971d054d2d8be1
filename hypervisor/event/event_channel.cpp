// SPDX-License-Identifier: MIT
// Using and dropping ports: close, send, status, unmask, bind_vcpu, reset (Xen's event_channel.c).
#include "event/event_channel.hpp"

#include "event/two_level.hpp"
#include "lib/assert.hpp"

namespace hv::event {
namespace {

abi::EventChannelState status_of(PortState state) {
    switch (state) {
    case PortState::Free:
    case PortState::Reserved: return abi::EventChannelState::Closed;
    case PortState::Unbound: return abi::EventChannelState::Unbound;
    case PortState::Interdomain:
    case PortState::Hypervisor: return abi::EventChannelState::Interdomain;
    case PortState::Virq: return abi::EventChannelState::Virq;
    case PortState::Ipi: return abi::EventChannelState::Ipi;
    }
    return abi::EventChannelState::Closed;
}

}  // namespace

void EventChannels::unbind_virq(DomainEvents& owner, const Channel& virq_channel) {
    // A global VIRQ stays bound on vCPU 0 even after bind_vcpu moved its notify vCPU.
    const VcpuId bound_on = is_global(virq_channel.virq) ? VcpuId(0) : virq_channel.notify_vcpu;
    owner.virq_slot(virq_channel.virq, bound_on) = Port(0);
}

lib::ErrorOr<void> EventChannels::close_port(DomainEvents& owner, Port port) {
    if (!owner.is_valid(port)) return lib::error(abi::Errno::Inval, "invalid port");
    const Channel& closing = owner.channel(port);
    switch (closing.state) {
    case PortState::Free:
    case PortState::Reserved:
        return lib::error(abi::Errno::Inval, "the port is not in use");
    case PortState::Unbound:
    case PortState::Ipi:
        break;
    case PortState::Hypervisor:
        // As for an interdomain port, the closer's end becomes free. The other end, the
        // hypervisor's backend, simply stops ringing it (raise_from_hypervisor checks the
        // state); it keeps reading the ring on its tick, which is all Xen's xenconsoled
        // would do with a ring whose port went away.
        break;
    case PortState::Virq:
        unbind_virq(owner, closing);
        break;
    case PortState::Interdomain: {
        // The other end goes back to waiting for the closer, who may bind to it again.
        DomainEvents* remote = domains_.find(closing.remote_domain);
        ASSERT(remote != nullptr);
        Channel& other_end = remote->mutable_channel(closing.remote_port);
        ASSERT(other_end.state == PortState::Interdomain && other_end.remote_domain == owner.id());
        other_end.state = PortState::Unbound;
        other_end.remote_domain = owner.id();
        other_end.remote_port = Port(0);
        break;
    }
    }
    owner.free(port);
    return {};
}

lib::ErrorOr<void> EventChannels::close(Port port) { return close_port(caller_, port); }

lib::ErrorOr<Notify> EventChannels::send(Port port) {
    if (!caller_.is_valid(port)) return lib::error(abi::Errno::Inval, "invalid port");
    const Channel& sending = caller_.channel(port);
    switch (sending.state) {
    case PortState::Interdomain: {
        DomainEvents* remote = domains_.find(sending.remote_domain);
        ASSERT(remote != nullptr);
        const Channel& other_end = remote->channel(sending.remote_port);
        return remote->raise(sending.remote_port, other_end.notify_vcpu);
    }
    case PortState::Ipi:
        return caller_.raise(port, sending.notify_vcpu);
    case PortState::Hypervisor:
        // No guest bit to set: the hypercall layer tells the backend (as Xen's PV shim
        // runs its console backend on a send to the console port, and returns 0).
        return Notify{Delivery::Hypervisor, caller_.id(), sending.notify_vcpu, port};
    case PortState::Unbound:
        return Notify{};  // nobody listens yet: dropped, and the send still succeeds
    default:
        return lib::error(abi::Errno::Inval, "only interdomain, hypervisor, IPI and unbound ports can send");
    }
}

lib::ErrorOr<PortStatus> EventChannels::status(DomId dom, Port port) {
    const DomainEvents& owner = *TRY(find_domain(dom));
    if (!owner.is_valid(port)) return lib::error(abi::Errno::Inval, "invalid port");
    if (!may_act_on(owner)) return lib::error(abi::Errno::Perm, "another domain's port needs privilege");

    const Channel& queried = owner.channel(port);
    PortStatus status;
    status.state = status_of(queried.state);
    status.vcpu = queried.notify_vcpu;
    status.remote_domain = queried.remote_domain;
    status.remote_port = queried.remote_port;
    status.virq = queried.virq;
    return status;
}

lib::ErrorOr<Notify> EventChannels::unmask(Port port) {
    if (!caller_.is_valid(port)) return lib::error(abi::Errno::Inval, "invalid port");
    const Channel& unmasking = caller_.channel(port);
    // Xen's evtchn_usable: a free or reserved port's mask bit is left as it is.
    if (unmasking.state == PortState::Free || unmasking.state == PortState::Reserved) return Notify{};
    const Delivery delivery =
        event::unmask(caller_.shared_info(), caller_.vcpu_info(unmasking.notify_vcpu), port);
    return Notify{delivery, caller_.id(), unmasking.notify_vcpu, port};
}

lib::ErrorOr<void> EventChannels::bind_vcpu(Port port, VcpuId vcpu) {
    TRY(check_vcpu(vcpu));
    if (!caller_.is_valid(port)) return lib::error(abi::Errno::Inval, "invalid port");
    Channel& moving = caller_.mutable_channel(port);
    const bool movable = moving.state == PortState::Unbound || moving.state == PortState::Interdomain ||
                         moving.state == PortState::Hypervisor ||
                         (moving.state == PortState::Virq && is_global(moving.virq));
    if (!movable) return lib::error(abi::Errno::Inval, "only unbound, interdomain and global VIRQ ports move");
    moving.notify_vcpu = vcpu;
    return {};
}

lib::ErrorOr<void> EventChannels::reset(DomId dom) {
    DomainEvents& owner = *TRY(find_domain(dom));
    if (!may_act_on(owner)) return lib::error(abi::Errno::Perm, "another domain's ports need privilege");
    if (&owner != &caller_) return lib::error(abi::Errno::Inval, "the domain is not paused by its controller");
    // Port 0 and the reserved ports refuse to close, and stay; every other one goes.
    for (uint32_t number = 1; owner.is_valid(Port(number)); ++number) (void)close_port(owner, Port(number));
    return {};
}

}  // namespace hv::event
