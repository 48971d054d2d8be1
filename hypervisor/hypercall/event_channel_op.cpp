// SPDX-License-Identifier: MIT
// event_channel_op (hypercall 32): copy the EVTCHNOP argument in, call event/, copy the answer out,
// and kick the vCPUs a raise names. The rules themselves are in event/event_channel.hpp.
#include "abi/event_channel.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "core/console_service.hpp"
#include "core/scheduler.hpp"
#include "event/event_channel.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {
namespace {

/// The event code's view of the domain table.
class DomainTableEvents final : public event::EventDomains {
public:
    event::DomainEvents* find(DomId id) override {
        Domain* domain = find_domain(id);
        return domain != nullptr ? &domain->events : nullptr;
    }
};

/// A raise made a port pending: wake the vCPU if it blocks on events (an upcall) or polls
/// (Xen's vcpu_kick and evtchn_check_pollers). A send on a port bound to the hypervisor
/// runs its backend instead; the console port is the only such port.
void deliver(const event::Notify& notify) {
    if (notify.delivery == event::Delivery::None) return;
    Domain* target = find_domain(notify.domain);
    if (target == nullptr) return;
    if (notify.delivery == event::Delivery::Hypervisor) console_port_notified(*target);
    else notify_event(*target, notify.kicks());
}

// As Xen: once the operation has succeeded, a fault copying the answer out is -EFAULT and
// the operation stays done ("cleaning up here would be a mess", event_channel.c).

HypercallResult alloc_unbound(event::EventChannels& channels, GuestVaddr arg) {
    abi::EventChannelAllocUnbound request;
    TRY(arch::copy_from_guest(request, arg));
    request.port = TRY(channels.alloc_unbound(DomId(request.dom), DomId(request.remote_dom))).raw();
    TRY(arch::copy_to_guest(arg, request));
    return uint64_t{0};
}

HypercallResult bind_interdomain(event::EventChannels& channels, GuestVaddr arg) {
    abi::EventChannelBindInterdomain request;
    TRY(arch::copy_from_guest(request, arg));
    const event::Bound bound = TRY(channels.bind_interdomain(DomId(request.remote_dom), Port(request.remote_port)));
    deliver(bound.notify);
    request.local_port = bound.port.raw();
    TRY(arch::copy_to_guest(arg, request));
    return uint64_t{0};
}

HypercallResult bind_virq(event::EventChannels& channels, GuestVaddr arg) {
    abi::EventChannelBindVirq request;
    TRY(arch::copy_from_guest(request, arg));
    request.port = TRY(channels.bind_virq(static_cast<abi::Virq>(request.virq), VcpuId(request.vcpu))).raw();
    TRY(arch::copy_to_guest(arg, request));
    return uint64_t{0};
}

HypercallResult bind_ipi(event::EventChannels& channels, GuestVaddr arg) {
    abi::EventChannelBindIpi request;
    TRY(arch::copy_from_guest(request, arg));
    request.port = TRY(channels.bind_ipi(VcpuId(request.vcpu))).raw();
    TRY(arch::copy_to_guest(arg, request));
    return uint64_t{0};
}

/// EVTCHNOP_bind_pirq. XEN-DIFF: no physical IRQ is ever given to a guest here, so every
/// pirq is refused with -EPERM; Xen answers -EINVAL instead for a pirq at or past the
/// domain's nr_pirqs, a number that depends on the machine's interrupt controllers.
HypercallResult bind_pirq(GuestVaddr arg) {
    abi::EventChannelBindPirq request;
    TRY(arch::copy_from_guest(request, arg));
    return lib::error(abi::Errno::Perm, "no physical IRQs are passed to guests");
}

HypercallResult close(event::EventChannels& channels, GuestVaddr arg) {
    abi::EventChannelClose request;
    TRY(arch::copy_from_guest(request, arg));
    TRY(channels.close(Port(request.port)));
    return uint64_t{0};
}

HypercallResult send(event::EventChannels& channels, GuestVaddr arg) {
    abi::EventChannelSend request;
    TRY(arch::copy_from_guest(request, arg));
    deliver(TRY(channels.send(Port(request.port))));
    return uint64_t{0};
}

/// Only the fields Xen writes change; the rest of the guest's struct goes back as it came.
void encode_status(const event::PortStatus& status, abi::EventChannelStatus& answer) {
    answer.status = static_cast<uint32_t>(status.state);
    answer.vcpu = status.vcpu.raw();
    switch (status.state) {
    case abi::EventChannelState::Unbound:
        answer.u.unbound.dom = status.remote_domain.raw();
        break;
    case abi::EventChannelState::Interdomain:
        answer.u.interdomain.dom = status.remote_domain.raw();
        answer.u.interdomain.port = status.remote_port.raw();
        break;
    case abi::EventChannelState::Virq:
        answer.u.virq = static_cast<uint32_t>(status.virq);
        break;
    default:
        break;
    }
}

HypercallResult status(event::EventChannels& channels, GuestVaddr arg) {
    abi::EventChannelStatus request;
    TRY(arch::copy_from_guest(request, arg));
    encode_status(TRY(channels.status(DomId(request.dom), Port(request.port))), request);
    TRY(arch::copy_to_guest(arg, request));
    return uint64_t{0};
}

HypercallResult bind_vcpu(event::EventChannels& channels, GuestVaddr arg) {
    abi::EventChannelBindVcpu request;
    TRY(arch::copy_from_guest(request, arg));
    TRY(channels.bind_vcpu(Port(request.port), VcpuId(request.vcpu)));
    return uint64_t{0};
}

HypercallResult unmask(event::EventChannels& channels, GuestVaddr arg) {
    abi::EventChannelUnmask request;
    TRY(arch::copy_from_guest(request, arg));
    deliver(TRY(channels.unmask(Port(request.port))));
    return uint64_t{0};
}

HypercallResult reset(event::EventChannels& channels, GuestVaddr arg) {
    abi::EventChannelReset request;
    TRY(arch::copy_from_guest(request, arg));
    TRY(channels.reset(DomId(request.dom)));
    return uint64_t{0};
}

/// EVTCHNOP_set_priority, as Xen answers it for a domain on the 2-level ABI: an invalid
/// port is -EINVAL, any other has no priority to set (-ENOSYS).
HypercallResult set_priority(const Domain& caller, GuestVaddr arg) {
    abi::EventChannelSetPriority request;
    TRY(arch::copy_from_guest(request, arg));
    if (!caller.events.is_valid(Port(request.port))) return lib::error(abi::Errno::Inval, "invalid port");
    return lib::error(abi::Errno::NoSys, "the 2-level ABI has no priorities");
}

}  // namespace

HypercallResult do_event_channel_op(Domain& caller, const HypercallArgs& args) {
    const auto command = static_cast<abi::EventChannelOp>(static_cast<uint32_t>(args.arg1));  // Xen: int cmd
    const GuestVaddr arg(args.arg2);
    DomainTableEvents domains;
    event::EventChannels channels(domains, caller.events, caller.has_role(Role::Control));
    switch (command) {
    case abi::EventChannelOp::AllocUnbound: return alloc_unbound(channels, arg);
    case abi::EventChannelOp::BindInterdomain: return bind_interdomain(channels, arg);
    case abi::EventChannelOp::BindVirq: return bind_virq(channels, arg);
    case abi::EventChannelOp::BindIpi: return bind_ipi(channels, arg);
    case abi::EventChannelOp::BindPirq: return bind_pirq(arg);
    case abi::EventChannelOp::Close: return close(channels, arg);
    case abi::EventChannelOp::Send: return send(channels, arg);
    case abi::EventChannelOp::Status: return status(channels, arg);
    case abi::EventChannelOp::BindVcpu: return bind_vcpu(channels, arg);
    case abi::EventChannelOp::Unmask: return unmask(channels, arg);
    case abi::EventChannelOp::Reset: return reset(channels, arg);
    case abi::EventChannelOp::SetPriority: return set_priority(caller, arg);
    // XEN-DIFF: Xenolith offers only the 2-level ABI; Xen 4.17 also has FIFO event
    // channels. A guest that asks for them (Linux does) falls back to 2-level on any error.
    case abi::EventChannelOp::InitControl:
    case abi::EventChannelOp::ExpandArray:
    default:
        return lib::error(abi::Errno::NoSys, "event_channel_op sub-op not implemented");
    }
}

}  // namespace hv
