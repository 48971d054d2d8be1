// SPDX-License-Identifier: MIT
// One domain's event channels: its port table, its VIRQ bindings, and the shared_info page
// their pending and mask bits live in. The operations on them are in event_channel.hpp.
#pragma once

#include <cstdint>

#include "abi/event_channel.hpp"
#include "abi/shared_info.hpp"
#include "event/port.hpp"
#include "lib/error_or.hpp"

namespace hv::event {

/// Ports 0..1023: libxl's default max_evtchn_port is 1023 (the 2-level ABI has room for
/// 4096). A port at or past this number is invalid in every operation.
inline constexpr uint32_t kPortCount = 1024;
/// Xen allocates its per-port records a page at a time: 64 of them per 4 KiB bucket on
/// x86-64 (EVTCHNS_PER_BUCKET: a struct evtchn rounds up to 64 bytes). A port whose bucket
/// has not been allocated yet is invalid (-EINVAL); a free port inside one is "closed".
/// Buckets are added only when every port below is in use, and never given back.
inline constexpr uint32_t kPortsPerBucket = 64;
/// vCPUs the 2-level ABI reaches: those whose vcpu_info lives in shared_info.
inline constexpr uint32_t kMaxVcpus = abi::kLegacyMaxVcpus;

/// What a port is (Xen's ECS_*).
enum class PortState : uint8_t {
    Free,         // ECS_FREE
    Reserved,     // ECS_RESERVED: port 0, and ports the builder keeps back (xenstore)
    Unbound,      // ECS_UNBOUND: waiting for `remote_domain` to bind_interdomain to it
    Interdomain,  // ECS_INTERDOMAIN: connected to `remote_port` of `remote_domain`
    Virq,         // ECS_VIRQ: raised by the hypervisor for `virq`
    Ipi,          // ECS_IPI: raised by the domain itself, to `notify_vcpu`
    /// Connected to a backend inside the hypervisor (the console port, until a service
    /// domain with the console role exists). Xen has no such state: its PV shim keeps
    /// the console port reserved and catches EVTCHNOP_send on it before the port table is
    /// looked at (pv_shim_event_channel_op). Here the table says it, so that every
    /// operation treats the port alike. To the guest it is an interdomain port whose
    /// other end is DOMID_XEN (see EventChannels::status).
    Hypervisor,
};

/// One port's record (Xen's struct evtchn).
struct Channel {
    Port remote_port{};      ///< Interdomain: the port at the other end
    VcpuId notify_vcpu{};    ///< whose upcall a raise sets (Xen's notify_vcpu_id); 0 when free
    abi::Virq virq{};        ///< Virq: which one
    DomId remote_domain{};   ///< Unbound: who may bind to it; Interdomain: the other end's domain;
                             ///< Hypervisor: DOMID_XEN
    PortState state = PortState::Free;
};

/// Per-vCPU VIRQs (VIRQ_TIMER, _DEBUG, _XENOPROF, _XENPMU) are bound on each vCPU; every
/// other one is global: bound on vCPU 0, its port movable with bind_vcpu.
bool is_global(abi::Virq virq);

class EventChannels;

/// The event-channel state of one domain. All zero until the domain builder attaches it
/// (so that the domain table stays in .bss); from then on port 0 is reserved.
class DomainEvents {
public:
    /// Open a fresh table: whose it is, where its bits live, how many vCPUs it may notify.
    /// Port 0 becomes Reserved and the first bucket of ports valid.
    /// @pre never attached before; 1 <= vcpu_count <= kMaxVcpus
    void attach(DomId self, abi::SharedInfo& shared_info, uint32_t vcpu_count);
    /// Keep a free port out of use (Reserved), as the builder does for the xenstore and
    /// console ports until their backends exist. @pre attached
    /// @retval NoSpc port >= kPortCount @retval Busy the port is not free
    lib::ErrorOr<void> reserve(Port port);
    /// Connect a free port to a backend inside the hypervisor (PortState::Hypervisor),
    /// its events going to vCPU 0, as the builder does for the console port.
    /// @pre attached @retval NoSpc port >= kPortCount @retval Busy the port is not free
    lib::ErrorOr<void> bind_to_hypervisor(Port port);
    /// The hypervisor's backend rings `port` (its end of the channel): raised on the port's
    /// notify vCPU if the port is still bound to the hypervisor; nothing if the guest has
    /// closed it (the number may belong to another binding by now). @pre attached
    Notify raise_from_hypervisor(Port port);

    /// Raise `virq` on `vcpu` (a per-vCPU VIRQ) or on the domain (a global one: `vcpu` is
    /// ignored and the port's notify vCPU is used); nothing if it is not bound. Xen's
    /// send_guest_vcpu_virq / send_guest_global_virq. @pre virq < NR_VIRQS, vcpu exists.
    Notify raise_virq(abi::Virq virq, VcpuId vcpu);

    /// VCPUOP_register_vcpu_info moved `vcpu`'s vcpu_info out of shared_info: raise into
    /// `info` from now on. @pre vcpu < vcpu_count(); `info` stays mapped for good.
    void set_vcpu_info(VcpuId vcpu, abi::VcpuInfo& info);

    DomId id() const { return self_; }
    uint32_t vcpu_count() const { return vcpu_count_; }
    abi::SharedInfo& shared_info() const;
    /// Xen's port_is_valid: below kPortCount and inside an allocated bucket.
    bool is_valid(Port port) const { return port.raw() < valid_ports_; }
    /// @pre is_valid(port)
    const Channel& channel(Port port) const;
    /// The port bound to `virq` for `vcpu` (vCPU 0 for a global VIRQ), or 0.
    Port virq_port(abi::Virq virq, VcpuId vcpu) const;

private:
    friend class EventChannels;  // the EVTCHNOP operations change the table; nothing else does

    Channel& mutable_channel(Port port);
    /// The lowest free port (Xen's get_free_port). Like Xen, finding one may add the next
    /// bucket of valid ports, which stays even if the operation then fails.
    /// @retval NoSpc every port up to kPortCount - 1 is in use.
    lib::ErrorOr<Port> find_free_port();
    /// Raise `port` on `vcpu` (a bound port's notify vCPU, or a per-vCPU VIRQ's vCPU).
    Notify raise(Port port, VcpuId vcpu);
    /// Give a port back (Xen's evtchn_free): its pending bit cleared, notify vCPU 0.
    void free(Port port);
    abi::VcpuInfo& vcpu_info(VcpuId vcpu) const;
    Port& virq_slot(abi::Virq virq, VcpuId vcpu);

    DomId self_{};
    uint32_t vcpu_count_ = 0;
    uint32_t valid_ports_ = 0;  ///< Xen's valid_evtchns
    abi::SharedInfo* shared_info_ = nullptr;
    abi::VcpuInfo* registered_vcpu_info_[kMaxVcpus] = {};  ///< set_vcpu_info's; null = shared_info's
    Channel channels_[kPortCount];
    Port virq_ports_[kMaxVcpus][abi::kNrVirqs] = {};  ///< Xen's per-vCPU virq_to_evtchn; 0 = unbound
};

}  // namespace hv::event
