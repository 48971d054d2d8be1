// SPDX-License-Identifier: MIT
// The 2-level event ABI's bits: the three-step raise and the unmask re-raise (Xen's event_2l.c).
//
// Port p is bit p % 64 of word p / 64 of shared_info's evtchn_pending and evtchn_mask;
// bit p / 64 of a vCPU's evtchn_pending_sel says "look at that word". The guest consumes
// top-down (clear upcall_pending, exchange pending_sel with 0, then clear and handle each
// pending & ~mask bit) and the hypervisor produces bottom-up (pending, then pending_sel,
// then upcall_pending), so whichever order the two interleave in, a raised port is never
// lost: a set bit above it means the guest has yet to look. Each step is a locked
// read-modify-write (the guest may run on another CPU), and on x86 a locked instruction
// is also a full barrier, which is all the ordering the protocol needs.
#include "event/two_level.hpp"

#include "abi/event_channel.hpp"
#include "lib/assert.hpp"

namespace hv::event {
namespace {

constexpr uint64_t kWordBits = abi::kEventChannelWordBits;

uint64_t& pending_word(abi::SharedInfo& shared, Port port) { return shared.evtchn_pending[port.raw() / kWordBits]; }
uint64_t& mask_word(abi::SharedInfo& shared, Port port) { return shared.evtchn_mask[port.raw() / kWordBits]; }
uint64_t bit_of(Port port) { return uint64_t{1} << (port.raw() % kWordBits); }
uint64_t selector_bit_of(Port port) { return uint64_t{1} << (port.raw() / kWordBits); }

/// Set `bits` in `word` atomically; were they already set? (Xen's guest_test_and_set_bit)
bool test_and_set(uint64_t& word, uint64_t bits) {
    return (__atomic_fetch_or(&word, bits, __ATOMIC_SEQ_CST) & bits) != 0;
}
bool test_and_clear(uint64_t& word, uint64_t bits) {
    return (__atomic_fetch_and(&word, ~bits, __ATOMIC_SEQ_CST) & bits) != 0;
}
bool test(const uint64_t& word, uint64_t bits) { return (__atomic_load_n(&word, __ATOMIC_SEQ_CST) & bits) != 0; }

/// vcpu_mark_events_pending: set bit 0 of evtchn_upcall_pending; only a vCPU that did not
/// have it set yet needs a kick (one that has it will take the upcall anyway).
Delivery mark_upcall_pending(abi::VcpuInfo& vcpu) {
    constexpr uint8_t kUpcallPending = 1;
    const uint8_t before = __atomic_fetch_or(&vcpu.evtchn_upcall_pending, kUpcallPending, __ATOMIC_SEQ_CST);
    return (before & kUpcallPending) ? Delivery::Pending : Delivery::Upcall;
}

void check_port(Port port) { ASSERT(port.raw() < abi::kEvtchn2lNrChannels); }

}  // namespace

Delivery set_pending(abi::SharedInfo& shared, abi::VcpuInfo& vcpu, Port port) {
    check_port(port);
    // Already pending: the guest has been told, or will find it when it unmasks or scans.
    if (test_and_set(pending_word(shared, port), bit_of(port))) return Delivery::None;
    // Masked: it stays pending, silently. A set pending_sel bit: the guest has yet to scan
    // this word, and that scan will find the port; no new upcall either way.
    if (test(mask_word(shared, port), bit_of(port))) return Delivery::Pending;
    if (test_and_set(vcpu.evtchn_pending_sel, selector_bit_of(port))) return Delivery::Pending;
    return mark_upcall_pending(vcpu);
}

Delivery unmask(abi::SharedInfo& shared, abi::VcpuInfo& vcpu, Port port) {
    check_port(port);
    // The same steps as a raise, entered at the mask: only an unmask that really cleared a
    // mask bit on a pending port tells the vCPU. (A guest clearing the bit by hand gets
    // nothing: the hypervisor never sees that write.)
    if (!test_and_clear(mask_word(shared, port), bit_of(port))) return Delivery::None;
    if (!test(pending_word(shared, port), bit_of(port))) return Delivery::None;
    if (test_and_set(vcpu.evtchn_pending_sel, selector_bit_of(port))) return Delivery::None;
    return mark_upcall_pending(vcpu) == Delivery::Upcall ? Delivery::Upcall : Delivery::None;
}

void clear_pending(abi::SharedInfo& shared, Port port) {
    check_port(port);
    __atomic_fetch_and(&pending_word(shared, port), ~bit_of(port), __ATOMIC_SEQ_CST);
}

bool is_pending(const abi::SharedInfo& shared, Port port) {
    check_port(port);
    return test(shared.evtchn_pending[port.raw() / kWordBits], bit_of(port));
}

bool is_masked(const abi::SharedInfo& shared, Port port) {
    check_port(port);
    return test(shared.evtchn_mask[port.raw() / kWordBits], bit_of(port));
}

}  // namespace hv::event
