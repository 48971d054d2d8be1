// SPDX-License-Identifier: MIT
// Making ports: alloc_unbound, bind_interdomain, bind_virq, bind_ipi (Xen's event_channel.c).
#include "abi/xen.hpp"
#include "event/event_channel.hpp"

namespace hv::event {

lib::ErrorOr<DomainEvents*> EventChannels::find_domain(DomId dom) {
    if (dom.raw() == abi::kDomidSelf) return &caller_;
    DomainEvents* found = domains_.find(dom);
    if (found == nullptr) return lib::error(abi::Errno::Srch, "no such domain");
    return found;
}

lib::ErrorOr<VcpuId> EventChannels::check_vcpu(VcpuId vcpu) const {
    if (vcpu.raw() >= caller_.vcpu_count()) return lib::error(abi::Errno::NoEnt, "no such vCPU");
    return vcpu;
}

lib::ErrorOr<Port> EventChannels::alloc_unbound(DomId dom, DomId remote_dom) {
    DomainEvents& owner = *TRY(find_domain(dom));
    const Port port = TRY(owner.find_free_port());
    if (!may_act_on(owner)) return lib::error(abi::Errno::Perm, "another domain's port needs privilege");

    Channel& unbound = owner.mutable_channel(port);
    unbound.state = PortState::Unbound;
    // DOMID_SELF means the *caller*, even when it allocates in another domain's table.
    unbound.remote_domain = remote_dom.raw() == abi::kDomidSelf ? caller_.id() : remote_dom;
    return port;
}

lib::ErrorOr<Bound> EventChannels::bind_interdomain(DomId remote_dom, Port remote_port) {
    DomainEvents& remote = *TRY(find_domain(remote_dom));
    const Port local_port = TRY(caller_.find_free_port());
    if (!remote.is_valid(remote_port)) return lib::error(abi::Errno::Inval, "invalid remote port");
    Channel& remote_end = remote.mutable_channel(remote_port);
    if (remote_end.state != PortState::Unbound || remote_end.remote_domain != caller_.id())
        return lib::error(abi::Errno::Inval, "the remote port is not unbound for the caller");

    Channel& local_end = caller_.mutable_channel(local_port);
    local_end.state = PortState::Interdomain;
    local_end.remote_domain = remote.id();
    local_end.remote_port = remote_port;
    remote_end.state = PortState::Interdomain;  // keeps the notify vCPU it had while unbound
    remote_end.remote_domain = caller_.id();
    remote_end.remote_port = local_port;
    // Whatever was sent to the remote port while it was unbound was dropped: tell the
    // caller conservatively that something may have happened.
    return Bound{local_port, caller_.raise(local_port, local_end.notify_vcpu)};
}

lib::ErrorOr<Port> EventChannels::bind_virq(abi::Virq virq, VcpuId vcpu) {
    if (static_cast<uint32_t>(virq) >= abi::kNrVirqs) return lib::error(abi::Errno::Inval, "no such VIRQ");
    if (is_global(virq) && vcpu.raw() != 0) return lib::error(abi::Errno::Inval, "a global VIRQ binds on vCPU 0");
    TRY(check_vcpu(vcpu));
    Port& binding = caller_.virq_slot(virq, vcpu);
    if (binding.raw() != 0) return lib::error(abi::Errno::Exist, "VIRQ already bound on this vCPU");
    const Port port = TRY(caller_.find_free_port());

    Channel& virq_channel = caller_.mutable_channel(port);
    virq_channel.state = PortState::Virq;
    virq_channel.virq = virq;
    virq_channel.notify_vcpu = vcpu;
    binding = port;
    return port;
}

lib::ErrorOr<Port> EventChannels::bind_ipi(VcpuId vcpu) {
    TRY(check_vcpu(vcpu));
    const Port port = TRY(caller_.find_free_port());

    Channel& ipi = caller_.mutable_channel(port);
    ipi.state = PortState::Ipi;
    ipi.notify_vcpu = vcpu;
    return port;
}

}  // namespace hv::event
