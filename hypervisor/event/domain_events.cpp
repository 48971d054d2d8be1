// SPDX-License-Identifier: MIT
// One domain's port table: finding a free port, freeing one, raising one, VIRQ delivery.
#include "event/domain_events.hpp"

#include "abi/xen.hpp"
#include "event/two_level.hpp"
#include "lib/assert.hpp"

namespace hv::event {

bool is_global(abi::Virq virq) {
    switch (virq) {
    case abi::Virq::Timer:
    case abi::Virq::Debug:
    case abi::Virq::Xenoprof:
    case abi::Virq::Xenpmu:
        return false;
    default:
        return true;  // including VIRQ_ARCH_*: x86's arch_virq_is_global says so
    }
}

void DomainEvents::attach(DomId self, abi::SharedInfo& shared_info, uint32_t vcpu_count) {
    ASSERT(vcpu_count >= 1 && vcpu_count <= kMaxVcpus);
    ASSERT(shared_info_ == nullptr);
    self_ = self;
    shared_info_ = &shared_info;
    vcpu_count_ = vcpu_count;
    valid_ports_ = kPortsPerBucket;
    channels_[0].state = PortState::Reserved;  // never usable (Xen's evtchn_init)
}

lib::ErrorOr<void> DomainEvents::reserve(Port port) {
    ASSERT(shared_info_ != nullptr);
    if (port.raw() >= kPortCount) return lib::error(abi::Errno::NoSpc, "port past max_evtchn_port");
    while (!is_valid(port)) valid_ports_ += kPortsPerBucket;
    Channel& reserved = mutable_channel(port);
    if (reserved.state != PortState::Free) return lib::error(abi::Errno::Busy, "port already in use");
    reserved.state = PortState::Reserved;
    return {};
}

lib::ErrorOr<void> DomainEvents::bind_to_hypervisor(Port port) {
    TRY(reserve(port));  // the same checks, and the bucket made valid
    Channel& bound = mutable_channel(port);
    bound.state = PortState::Hypervisor;
    bound.remote_domain = DomId(abi::kDomidXen);
    return {};
}

Notify DomainEvents::raise_from_hypervisor(Port port) {
    ASSERT(shared_info_ != nullptr);
    if (!is_valid(port) || channel(port).state != PortState::Hypervisor) return Notify{};
    return raise(port, channel(port).notify_vcpu);
}

abi::SharedInfo& DomainEvents::shared_info() const {
    ASSERT(shared_info_ != nullptr);  // attach() comes first, in the builder
    return *shared_info_;
}

const Channel& DomainEvents::channel(Port port) const {
    ASSERT(is_valid(port));
    return channels_[port.raw()];
}

Channel& DomainEvents::mutable_channel(Port port) {
    ASSERT(is_valid(port));
    return channels_[port.raw()];
}

Port DomainEvents::virq_port(abi::Virq virq, VcpuId vcpu) const {
    ASSERT(static_cast<uint32_t>(virq) < abi::kNrVirqs && vcpu.raw() < kMaxVcpus);
    return virq_ports_[vcpu.raw()][static_cast<uint32_t>(virq)];
}

Port& DomainEvents::virq_slot(abi::Virq virq, VcpuId vcpu) {
    ASSERT(static_cast<uint32_t>(virq) < abi::kNrVirqs && vcpu.raw() < kMaxVcpus);
    return virq_ports_[vcpu.raw()][static_cast<uint32_t>(virq)];
}

lib::ErrorOr<Port> DomainEvents::find_free_port() {
    for (uint32_t number = 0; number < valid_ports_; ++number)
        if (channels_[number].state == PortState::Free) return Port(number);
    if (valid_ports_ >= kPortCount) return lib::error(abi::Errno::NoSpc, "every event-channel port is in use");
    const Port first_of_new_bucket(valid_ports_);
    valid_ports_ += kPortsPerBucket;
    return first_of_new_bucket;
}

void DomainEvents::set_vcpu_info(VcpuId vcpu, abi::VcpuInfo& info) {
    ASSERT(vcpu.raw() < vcpu_count_);
    registered_vcpu_info_[vcpu.raw()] = &info;
}

abi::VcpuInfo& DomainEvents::vcpu_info(VcpuId vcpu) const {
    ASSERT(vcpu.raw() < vcpu_count_);
    if (abi::VcpuInfo* registered = registered_vcpu_info_[vcpu.raw()]) return *registered;
    return shared_info().vcpu_info[vcpu.raw()];
}

Notify DomainEvents::raise(Port port, VcpuId vcpu) {
    const Delivery delivery = set_pending(shared_info(), vcpu_info(vcpu), port);
    return Notify{delivery, self_, vcpu, port};
}

void DomainEvents::free(Port port) {
    clear_pending(shared_info(), port);
    mutable_channel(port) = Channel{};
}

Notify DomainEvents::raise_virq(abi::Virq virq, VcpuId vcpu) {
    ASSERT(static_cast<uint32_t>(virq) < abi::kNrVirqs);
    if (is_global(virq)) {
        const Port port = virq_port(virq, VcpuId(0));
        if (port.raw() == 0) return Notify{};
        return raise(port, channel(port).notify_vcpu);
    }
    ASSERT(vcpu.raw() < vcpu_count_);
    const Port port = virq_port(virq, vcpu);
    if (port.raw() == 0) return Notify{};
    return raise(port, vcpu);
}

}  // namespace hv::event
