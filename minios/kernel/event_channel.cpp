// SPDX-License-Identifier: MIT
// The EVTCHNOP commands with minios' types: each fills Xen's struct, makes one hypercall,
// and returns the port Xen wrote back (xen/include/public/event_channel.h).
#include "kernel/event_channel.hpp"

#include "arch/x86_64/hypercall.hpp"

namespace minios {

lib::ErrorOr<Port> bind_virq(abi::Virq virq, uint32_t vcpu) {
    abi::EventChannelBindVirq bind{};
    bind.virq = static_cast<uint32_t>(virq);
    bind.vcpu = vcpu;
    TRY(event_channel_op(abi::EventChannelOp::BindVirq, &bind));
    return Port(bind.port);
}

lib::ErrorOr<Port> bind_ipi(uint32_t vcpu) {
    abi::EventChannelBindIpi bind{};
    bind.vcpu = vcpu;
    TRY(event_channel_op(abi::EventChannelOp::BindIpi, &bind));
    return Port(bind.port);
}

lib::ErrorOr<Port> alloc_unbound(abi::DomainId remote, abi::DomainId owner) {
    abi::EventChannelAllocUnbound alloc{};
    alloc.dom = owner;
    alloc.remote_dom = remote;
    TRY(event_channel_op(abi::EventChannelOp::AllocUnbound, &alloc));
    return Port(alloc.port);
}

lib::ErrorOr<Port> bind_interdomain(abi::DomainId remote, Port remote_port) {
    abi::EventChannelBindInterdomain bind{};
    bind.remote_dom = remote;
    bind.remote_port = remote_port.raw();
    TRY(event_channel_op(abi::EventChannelOp::BindInterdomain, &bind));
    return Port(bind.local_port);
}

lib::ErrorOr<void> send_event(Port port) {
    abi::EventChannelSend send{port.raw()};
    return event_channel_op(abi::EventChannelOp::Send, &send);
}

lib::ErrorOr<void> unmask_port_hypercall(Port port) {
    abi::EventChannelUnmask unmask{port.raw()};
    return event_channel_op(abi::EventChannelOp::Unmask, &unmask);
}

lib::ErrorOr<void> close_port(Port port) {
    abi::EventChannelClose close{port.raw()};
    return event_channel_op(abi::EventChannelOp::Close, &close);
}

lib::ErrorOr<abi::EventChannelStatus> port_status(Port port, abi::DomainId owner) {
    abi::EventChannelStatus status{};
    status.dom = owner;
    status.port = port.raw();
    TRY(event_channel_op(abi::EventChannelOp::Status, &status));
    return status;
}

const char* port_state_name(uint32_t state) {
    switch (static_cast<abi::EventChannelState>(state)) {
        case abi::EventChannelState::Closed: return "closed";
        case abi::EventChannelState::Unbound: return "unbound";
        case abi::EventChannelState::Interdomain: return "interdomain";
        case abi::EventChannelState::Pirq: return "pirq";
        case abi::EventChannelState::Virq: return "virq";
        case abi::EventChannelState::Ipi: return "ipi";
    }
    return "unknown";
}

}  // namespace minios
