// SPDX-License-Identifier: MIT
// event_channel_op (hypercall 32): sub-operations, their argument structs, and virtual IRQs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "abi/shared_info.hpp"
#include "abi/xen.hpp"

namespace abi {

/// An event-channel port number, local to one domain.
using EventChannelPort = std::uint32_t;  // evtchn_port_t

/// Ports of the 2-level ABI: one bit each in SharedInfo::evtchn_pending/evtchn_mask.
inline constexpr std::size_t kEvtchn2lNrChannels = kEventChannelWords * kEventChannelWordBits;  // EVTCHN_2L_NR_CHANNELS
static_assert(kEvtchn2lNrChannels == 4096);

/// First argument of event_channel_op (xen/include/public/event_channel.h); the second
/// points at the struct named after each.
enum class EventChannelOp : std::uint32_t {
    BindInterdomain = 0,  // EVTCHNOP_bind_interdomain: EventChannelBindInterdomain
    BindVirq = 1,         // EVTCHNOP_bind_virq: EventChannelBindVirq
    BindPirq = 2,         // EVTCHNOP_bind_pirq: EventChannelBindPirq
    Close = 3,            // EVTCHNOP_close: EventChannelClose
    Send = 4,             // EVTCHNOP_send: EventChannelSend
    Status = 5,           // EVTCHNOP_status: EventChannelStatus
    AllocUnbound = 6,     // EVTCHNOP_alloc_unbound: EventChannelAllocUnbound
    BindIpi = 7,          // EVTCHNOP_bind_ipi: EventChannelBindIpi
    BindVcpu = 8,         // EVTCHNOP_bind_vcpu: EventChannelBindVcpu
    Unmask = 9,           // EVTCHNOP_unmask: EventChannelUnmask
    Reset = 10,           // EVTCHNOP_reset: EventChannelReset
    InitControl = 11,     // EVTCHNOP_init_control: EventChannelInitControl (FIFO ABI)
    ExpandArray = 12,     // EVTCHNOP_expand_array: EventChannelExpandArray (FIFO ABI)
    SetPriority = 13,     // EVTCHNOP_set_priority: EventChannelSetPriority (FIFO ABI)
};

/// Virtual interrupt sources a port can be bound to (xen/include/public/xen.h, VIRQ_*).
/// Per-vCPU: Timer, Debug, Xenoprof, Xenpmu; all others are global (bound on vCPU 0).
enum class Virq : std::uint32_t {
    Timer = 0,       // VIRQ_TIMER: timer expired (periodic 100 Hz from boot, or singleshot)
    Debug = 1,       // VIRQ_DEBUG: dump debug state
    Console = 2,     // VIRQ_CONSOLE: bytes on the emergency console (dom0)
    DomExc = 3,      // VIRQ_DOM_EXC: a domain changed state (dom0)
    Tbuf = 4,        // VIRQ_TBUF: trace buffer records (dom0)
    // 5 is unassigned.
    Debugger = 6,    // VIRQ_DEBUGGER: a domain paused for debugging (dom0)
    Xenoprof = 7,    // VIRQ_XENOPROF: profiling sample
    ConRing = 8,     // VIRQ_CON_RING: bytes in Xen's console ring (dom0)
    PcpuState = 9,   // VIRQ_PCPU_STATE: physical CPU state changed (dom0)
    MemEvent = 10,   // VIRQ_MEM_EVENT: memory event (dom0)
    Argo = 11,       // VIRQ_ARGO: Argo message
    Enomem = 12,     // VIRQ_ENOMEM: Xen is low on heap memory (dom0)
    Xenpmu = 13,     // VIRQ_XENPMU: performance counter interrupt
    Arch0 = 16,      // VIRQ_ARCH_0 (x86: machine check, VIRQ_MCA)
    Arch1 = 17,      // VIRQ_ARCH_1
    Arch2 = 18,      // VIRQ_ARCH_2
    Arch3 = 19,      // VIRQ_ARCH_3
    Arch4 = 20,      // VIRQ_ARCH_4
    Arch5 = 21,      // VIRQ_ARCH_5
    Arch6 = 22,      // VIRQ_ARCH_6
    Arch7 = 23,      // VIRQ_ARCH_7
};
/// Number of VIRQ numbers; bind_virq refuses any virq >= this.
inline constexpr std::uint32_t kNrVirqs = 24;  // NR_VIRQS

/// EVTCHNOP_alloc_unbound: make a port in `dom` that `remote_dom` may bind to.
struct EventChannelAllocUnbound {  // struct evtchn_alloc_unbound
    DomainId dom;           ///< IN: usually kDomidSelf
    DomainId remote_dom;    ///< IN
    EventChannelPort port;  ///< OUT
};
static_assert(sizeof(EventChannelAllocUnbound) == 8);
static_assert(offsetof(EventChannelAllocUnbound, dom) == 0);
static_assert(offsetof(EventChannelAllocUnbound, remote_dom) == 2);
static_assert(offsetof(EventChannelAllocUnbound, port) == 4);

/// EVTCHNOP_bind_interdomain: connect a new local port to an unbound remote port.
struct EventChannelBindInterdomain {  // struct evtchn_bind_interdomain
    DomainId remote_dom;           ///< IN
    std::uint16_t hole0;           ///< padding (implicit in Xen's struct)
    EventChannelPort remote_port;  ///< IN
    EventChannelPort local_port;   ///< OUT
};
static_assert(sizeof(EventChannelBindInterdomain) == 12);
static_assert(offsetof(EventChannelBindInterdomain, remote_dom) == 0);
static_assert(offsetof(EventChannelBindInterdomain, remote_port) == 4);
static_assert(offsetof(EventChannelBindInterdomain, local_port) == 8);

/// EVTCHNOP_bind_virq.
struct EventChannelBindVirq {  // struct evtchn_bind_virq
    std::uint32_t virq;     ///< IN: Virq
    std::uint32_t vcpu;     ///< IN
    EventChannelPort port;  ///< OUT
};
static_assert(sizeof(EventChannelBindVirq) == 12);
static_assert(offsetof(EventChannelBindVirq, virq) == 0);
static_assert(offsetof(EventChannelBindVirq, vcpu) == 4);
static_assert(offsetof(EventChannelBindVirq, port) == 8);

/// EventChannelBindPirq::flags: the physical IRQ may be shared with other domains.
inline constexpr std::uint32_t kBindPirqWillShare = 1;  // BIND_PIRQ__WILL_SHARE

/// EVTCHNOP_bind_pirq.
struct EventChannelBindPirq {  // struct evtchn_bind_pirq
    std::uint32_t pirq;     ///< IN
    std::uint32_t flags;    ///< IN: kBindPirqWillShare
    EventChannelPort port;  ///< OUT
};
static_assert(sizeof(EventChannelBindPirq) == 12);
static_assert(offsetof(EventChannelBindPirq, pirq) == 0);
static_assert(offsetof(EventChannelBindPirq, flags) == 4);
static_assert(offsetof(EventChannelBindPirq, port) == 8);

/// EVTCHNOP_bind_ipi: a port for signalling one of the caller's own vCPUs.
struct EventChannelBindIpi {  // struct evtchn_bind_ipi
    std::uint32_t vcpu;     ///< IN
    EventChannelPort port;  ///< OUT
};
static_assert(sizeof(EventChannelBindIpi) == 8);
static_assert(offsetof(EventChannelBindIpi, vcpu) == 0);
static_assert(offsetof(EventChannelBindIpi, port) == 4);

/// EVTCHNOP_close.
struct EventChannelClose {  // struct evtchn_close
    EventChannelPort port;  ///< IN
};
static_assert(sizeof(EventChannelClose) == 4);
static_assert(offsetof(EventChannelClose, port) == 0);

/// EVTCHNOP_send.
struct EventChannelSend {  // struct evtchn_send
    EventChannelPort port;  ///< IN
};
static_assert(sizeof(EventChannelSend) == 4);
static_assert(offsetof(EventChannelSend, port) == 0);

/// EventChannelStatus::status.
enum class EventChannelState : std::uint32_t {
    Closed = 0,       // EVTCHNSTAT_closed
    Unbound = 1,      // EVTCHNSTAT_unbound
    Interdomain = 2,  // EVTCHNSTAT_interdomain
    Pirq = 3,         // EVTCHNSTAT_pirq
    Virq = 4,         // EVTCHNSTAT_virq
    Ipi = 5,          // EVTCHNSTAT_ipi
};

/// EVTCHNOP_status: what a port is bound to.
struct EventChannelStatus {  // struct evtchn_status
    DomainId dom;           ///< IN
    std::uint16_t hole0;    ///< padding (implicit in Xen's struct)
    EventChannelPort port;  ///< IN
    std::uint32_t status;   ///< OUT: EventChannelState
    std::uint32_t vcpu;     ///< OUT: vCPU the port notifies
    union {
        struct {
            DomainId dom;  ///< who may bind to it
        } unbound;
        struct {
            DomainId dom;
            std::uint16_t hole0;    ///< padding (implicit in Xen's struct)
            EventChannelPort port;  ///< the remote end
        } interdomain;
        std::uint32_t pirq;
        std::uint32_t virq;
    } u;  ///< OUT: which member is valid depends on status
};
static_assert(sizeof(EventChannelStatus) == 24);
static_assert(offsetof(EventChannelStatus, dom) == 0);
static_assert(offsetof(EventChannelStatus, port) == 4);
static_assert(offsetof(EventChannelStatus, status) == 8);
static_assert(offsetof(EventChannelStatus, vcpu) == 12);
static_assert(offsetof(EventChannelStatus, u) == 16);
static_assert(offsetof(EventChannelStatus, u.unbound.dom) == 16);
static_assert(offsetof(EventChannelStatus, u.interdomain.dom) == 16);
static_assert(offsetof(EventChannelStatus, u.interdomain.port) == 20);
static_assert(offsetof(EventChannelStatus, u.pirq) == 16);
static_assert(offsetof(EventChannelStatus, u.virq) == 16);

/// EVTCHNOP_bind_vcpu: notify another vCPU (interdomain, unbound, global VIRQ, PIRQ ports).
struct EventChannelBindVcpu {  // struct evtchn_bind_vcpu
    EventChannelPort port;  ///< IN
    std::uint32_t vcpu;     ///< IN
};
static_assert(sizeof(EventChannelBindVcpu) == 8);
static_assert(offsetof(EventChannelBindVcpu, port) == 0);
static_assert(offsetof(EventChannelBindVcpu, vcpu) == 4);

/// EVTCHNOP_unmask: clear the mask bit and re-raise the upcall if the port is pending.
struct EventChannelUnmask {  // struct evtchn_unmask
    EventChannelPort port;  ///< IN
};
static_assert(sizeof(EventChannelUnmask) == 4);
static_assert(offsetof(EventChannelUnmask, port) == 0);

/// EVTCHNOP_reset: close every port of a domain.
struct EventChannelReset {  // struct evtchn_reset
    DomainId dom;  ///< IN
};
static_assert(sizeof(EventChannelReset) == 2);
static_assert(offsetof(EventChannelReset, dom) == 0);

/// EVTCHNOP_init_control: switch to the FIFO ABI with a control block in a guest frame.
struct EventChannelInitControl {  // struct evtchn_init_control
    std::uint64_t control_gfn;  ///< IN
    std::uint32_t offset;       ///< IN
    std::uint32_t vcpu;         ///< IN
    std::uint8_t link_bits;     ///< OUT
    std::uint8_t _pad[7];
};
static_assert(sizeof(EventChannelInitControl) == 24);
static_assert(offsetof(EventChannelInitControl, control_gfn) == 0);
static_assert(offsetof(EventChannelInitControl, offset) == 8);
static_assert(offsetof(EventChannelInitControl, vcpu) == 12);
static_assert(offsetof(EventChannelInitControl, link_bits) == 16);
static_assert(offsetof(EventChannelInitControl, _pad) == 17);

/// EVTCHNOP_expand_array: add a page of FIFO event words.
struct EventChannelExpandArray {  // struct evtchn_expand_array
    std::uint64_t array_gfn;  ///< IN
};
static_assert(sizeof(EventChannelExpandArray) == 8);
static_assert(offsetof(EventChannelExpandArray, array_gfn) == 0);

/// EVTCHNOP_set_priority (FIFO ABI).
struct EventChannelSetPriority {  // struct evtchn_set_priority
    EventChannelPort port;   ///< IN
    std::uint32_t priority;  ///< IN: 0 (highest) .. 15
};
static_assert(sizeof(EventChannelSetPriority) == 8);
static_assert(offsetof(EventChannelSetPriority, port) == 0);
static_assert(offsetof(EventChannelSetPriority, priority) == 4);

}  // namespace abi
