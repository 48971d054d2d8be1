// SPDX-License-Identifier: MIT
// Tests of using event-channel ports: send, close, status, unmask, bind_vcpu, reset, and VIRQ delivery.
#include <doctest/doctest.h>

#include "tests/event/event_fixture.hpp"

using namespace event_test;

TEST_CASE_FIXTURE(EventFixture, "event send on an interdomain port raises the remote end on its notify vCPU") {
    const auto [local, remote] = connect(other, guest);
    CHECK_DONE(as(guest).bind_vcpu(remote, VcpuId(1)));
    const Notify notify = value(as(other).send(local));
    CHECK(notify.kicks());
    CHECK(notify.domain == kGuest);
    CHECK(notify.vcpu == VcpuId(1));
    CHECK(notify.port == remote);
    CHECK(pending(guest, remote));
    CHECK(guest.shared.vcpu_info[1].evtchn_upcall_pending == 1);
    CHECK(guest.shared.vcpu_info[0].evtchn_upcall_pending == 0);
    CHECK_FALSE(pending(other, local));
    // Both directions work, and a second send before the guest looks asks for nothing.
    CHECK(value(as(guest).send(remote)).port == local);
    CHECK(value(as(other).send(local)).delivery == Delivery::None);
}

TEST_CASE_FIXTURE(EventFixture, "event send on an IPI port raises the caller's own port on the IPI's vCPU") {
    const Port ipi = value(as(guest).bind_ipi(VcpuId(1)));
    const Notify notify = value(as(guest).send(ipi));
    CHECK(notify.kicks());
    CHECK(notify.domain == kGuest);
    CHECK(notify.vcpu == VcpuId(1));
    CHECK(pending(guest, ipi));
}

TEST_CASE_FIXTURE(EventFixture, "event send on an unbound port is dropped silently and returns 0") {
    const Port port = unbound(guest, kOther);
    const Observed before = observe(guest);
    const Notify notify = value(as(guest).send(port));
    CHECK(notify.delivery == Delivery::None);
    CHECK(observe(guest) == before);
}

TEST_CASE_FIXTURE(EventFixture, "event send on a VIRQ, free or reserved port is -EINVAL") {
    const Port virq = value(as(guest).bind_virq(abi::Virq::Timer, VcpuId(0)));
    const Observed before = observe(guest);
    for (const Port port : {virq, Port(0), Port(1), Port(2), Port(50)}) {
        CAPTURE(port.raw());
        CHECK_ERRNO(as(guest).send(port), Errno::Inval);
    }
    CHECK(observe(guest) == before);
}

TEST_CASE_FIXTURE(EventFixture, "event send on a masked interdomain port leaves it pending without an upcall") {
    const auto [local, remote] = connect(other, guest);
    mask(guest, remote);
    const Notify notify = value(as(other).send(local));
    CHECK(notify.delivery == Delivery::Pending);
    CHECK_FALSE(notify.kicks());
    CHECK(guest.shared.vcpu_info[0].evtchn_upcall_pending == 0);
    const Notify unmasked = value(as(guest).unmask(remote));
    CHECK(unmasked.kicks());
    CHECK(unmasked.port == remote);
    CHECK(guest.shared.vcpu_info[0].evtchn_upcall_pending == 1);
}

TEST_CASE_FIXTURE(EventFixture, "event close of an interdomain port leaves the other end unbound for the closer") {
    const auto [local, remote] = connect(guest, other);
    CHECK_DONE(as(guest).send(local));  // pending at the remote end
    CHECK_DONE(as(other).send(remote));  // and at the local end
    CHECK_DONE(as(guest).close(local));
    CHECK(value(as(guest).status(kSelf, local)).state == State::Closed);
    CHECK_FALSE(pending(guest, local));  // a freed port forgets its event
    const auto remote_end = value(as(other).status(kSelf, remote));
    CHECK(remote_end.state == State::Unbound);
    CHECK(remote_end.remote_domain == kGuest);
    CHECK(pending(other, remote));  // the surviving end keeps its own
    CHECK(value(as(other).send(remote)).delivery == Delivery::None);  // now dropped
    // The closer may bind to it again; nobody else may.
    CHECK_ERRNO(as(control).bind_interdomain(kOther, remote), Errno::Inval);
    CHECK(value(as(guest).bind_interdomain(kOther, remote)).port == local);
}

TEST_CASE_FIXTURE(EventFixture, "event close frees the port: closed, not pending, notify vCPU 0, and reused first") {
    const Port ipi = value(as(guest).bind_ipi(VcpuId(1)));
    CHECK_DONE(as(guest).send(ipi));
    CHECK_DONE(as(guest).close(ipi));
    const auto status = value(as(guest).status(kSelf, ipi));
    CHECK(status.state == State::Closed);
    CHECK(status.vcpu == VcpuId(0));
    CHECK_FALSE(pending(guest, ipi));
    CHECK(guest.shared.vcpu_info[1].evtchn_upcall_pending == 1);  // the guest's to clear
    CHECK(unbound(guest, kOther) == ipi);
    CHECK_ERRNO(as(guest).close(ipi + 1), Errno::Inval);  // never used
}

TEST_CASE_FIXTURE(EventFixture, "event close of a VIRQ port unbinds the VIRQ, so that it can be bound again") {
    const Port timer = value(as(guest).bind_virq(abi::Virq::Timer, VcpuId(1)));
    const Port console = value(as(guest).bind_virq(abi::Virq::Console, VcpuId(0)));
    CHECK_DONE(as(guest).bind_vcpu(console, VcpuId(1)));  // a global VIRQ stays bound on vCPU 0
    CHECK_DONE(as(guest).close(timer));
    CHECK_DONE(as(guest).close(console));
    CHECK(guest.events.virq_port(abi::Virq::Timer, VcpuId(1)) == Port(0));
    CHECK(guest.events.virq_port(abi::Virq::Console, VcpuId(0)) == Port(0));
    CHECK(guest.events.raise_virq(abi::Virq::Timer, VcpuId(1)).delivery == Delivery::None);
    CHECK_DONE(as(guest).bind_virq(abi::Virq::Timer, VcpuId(1)));
    CHECK_DONE(as(guest).bind_virq(abi::Virq::Console, VcpuId(0)));
}

TEST_CASE_FIXTURE(EventFixture, "event close of a free, reserved or invalid port is -EINVAL and changes nothing") {
    connect(guest, other);
    const Observed guest_before = observe(guest), other_before = observe(other);
    for (const Port port : {Port(0), Port(1), Port(2), Port(30), Port(64), Port(1023), Port(1024), Port(4096),
                            Port(0xffffffff)}) {
        CAPTURE(port.raw());
        CHECK_ERRNO(as(guest).close(port), Errno::Inval);
    }
    CHECK(observe(guest) == guest_before);
    CHECK(observe(other) == other_before);
}

TEST_CASE_FIXTURE(EventFixture, "event status reports each kind of port as Xen does") {
    const auto [local, remote] = connect(guest, other);
    const Port ipi = value(as(guest).bind_ipi(VcpuId(1)));
    const Port virq = value(as(guest).bind_virq(abi::Virq::Debug, VcpuId(1)));
    const Port waiting = unbound(guest, kControl);
    CHECK(value(as(guest).status(kSelf, Port(0))).state == State::Closed);
    CHECK(value(as(guest).status(kSelf, Port(1))).state == State::Closed);  // reserved
    CHECK(value(as(guest).status(kSelf, Port(40))).state == State::Closed);  // free
    const auto interdomain = value(as(guest).status(kGuest, local));
    CHECK(interdomain.state == State::Interdomain);
    CHECK(interdomain.remote_domain == kOther);
    CHECK(interdomain.remote_port == remote);
    const auto ipi_status = value(as(guest).status(kSelf, ipi));
    CHECK(ipi_status.state == State::Ipi);
    CHECK(ipi_status.vcpu == VcpuId(1));
    const auto virq_status = value(as(guest).status(kSelf, virq));
    CHECK(virq_status.state == State::Virq);
    CHECK(virq_status.virq == abi::Virq::Debug);
    CHECK(virq_status.vcpu == VcpuId(1));
    const auto unbound_status = value(as(guest).status(kSelf, waiting));
    CHECK(unbound_status.state == State::Unbound);
    CHECK(unbound_status.remote_domain == kControl);
}

TEST_CASE_FIXTURE(EventFixture, "event status of another domain's port needs privilege, after the domain and port checks") {
    const Port port = unbound(other, kGuest);
    CHECK_ERRNO(as(guest).status(kOther, port), Errno::Perm);
    CHECK_ERRNO(as(guest).status(kOther, Port(4096)), Errno::Inval);
    CHECK_ERRNO(as(guest).status(kNoSuchDomain, port), Errno::Srch);
    const auto seen = value(as(control).status(kOther, port));
    CHECK(seen.state == State::Unbound);
    CHECK(seen.remote_domain == kGuest);
}

TEST_CASE_FIXTURE(EventFixture, "event unmask of a free or reserved port succeeds and leaves its mask bit set") {
    for (const Port port : {Port(0), Port(1), Port(33)}) {
        mask(guest, port);
        guest.shared.evtchn_pending[0] |= uint64_t{1} << port.raw();
        CHECK(value(as(guest).unmask(port)).delivery == Delivery::None);
        CHECK(masked(guest, port));
    }
    CHECK(guest.shared.vcpu_info[0].evtchn_upcall_pending == 0);
}

TEST_CASE_FIXTURE(EventFixture, "event unmask goes to the port's notify vCPU") {
    const Port ipi = value(as(guest).bind_ipi(VcpuId(1)));
    mask(guest, ipi);
    CHECK(value(as(guest).send(ipi)).delivery == Delivery::Pending);
    const Notify notify = value(as(guest).unmask(ipi));
    CHECK(notify.kicks());
    CHECK(notify.vcpu == VcpuId(1));
    CHECK(guest.shared.vcpu_info[1].evtchn_upcall_pending == 1);
    CHECK(guest.shared.vcpu_info[0].evtchn_upcall_pending == 0);
}

TEST_CASE_FIXTURE(EventFixture, "event bind_vcpu moves unbound, interdomain and global VIRQ ports and refuses the rest") {
    const Port waiting = unbound(guest, kOther);
    const Port connected = connect(guest, other).first;
    const Port console = value(as(guest).bind_virq(abi::Virq::Console, VcpuId(0)));
    for (const Port port : {waiting, connected, console}) {
        CHECK_DONE(as(guest).bind_vcpu(port, VcpuId(1)));
        CHECK(value(as(guest).status(kSelf, port)).vcpu == VcpuId(1));
    }
    CHECK(guest.events.raise_virq(abi::Virq::Console, VcpuId(0)).vcpu == VcpuId(1));

    const Port timer = value(as(guest).bind_virq(abi::Virq::Timer, VcpuId(0)));
    const Port ipi = value(as(guest).bind_ipi(VcpuId(0)));
    const Observed before = observe(guest);
    for (const Port port : {timer, ipi, Port(0), Port(1), Port(50), Port(64), Port(4096)}) {
        CAPTURE(port.raw());
        CHECK_ERRNO(as(guest).bind_vcpu(port, VcpuId(1)), Errno::Inval);
    }
    CHECK(observe(guest) == before);
}

TEST_CASE_FIXTURE(EventFixture, "event bind_vcpu to a vCPU the domain does not have is -ENOENT, checked before the port") {
    const Port waiting = unbound(guest, kOther);
    CHECK_ERRNO(as(guest).bind_vcpu(waiting, VcpuId(kGuestVcpus)), Errno::NoEnt);
    CHECK_ERRNO(as(guest).bind_vcpu(Port(4096), VcpuId(0xffffffff)), Errno::NoEnt);
    CHECK(value(as(guest).status(kSelf, waiting)).vcpu == VcpuId(0));
}

TEST_CASE_FIXTURE(EventFixture, "event reset closes every port but the reserved ones, and the other ends become unbound") {
    const auto [local, remote] = connect(guest, other);
    const Port ipi = value(as(guest).bind_ipi(VcpuId(1)));
    CHECK_DONE(as(guest).bind_virq(abi::Virq::Timer, VcpuId(0)));
    for (int n = 0; n < 70; ++n) unbound(guest, kOther);  // into the second bucket
    CHECK_DONE(as(guest).send(ipi));
    CHECK_DONE(as(guest).reset(kSelf));
    for (uint32_t number = 3; guest.events.is_valid(Port(number)); ++number)
        REQUIRE(guest.events.channel(Port(number)).state == PortState::Free);
    CHECK(guest.events.channel(Port(1)).state == PortState::Reserved);
    CHECK(guest.events.channel(Port(2)).state == PortState::Reserved);
    CHECK(guest.events.channel(Port(0)).state == PortState::Reserved);
    CHECK_FALSE(pending(guest, ipi));
    CHECK(guest.events.virq_port(abi::Virq::Timer, VcpuId(0)) == Port(0));
    CHECK(other.events.channel(remote).state == PortState::Unbound);
    CHECK(other.events.channel(remote).remote_domain == kGuest);
    CHECK(unbound(guest, kOther) == local);
}

TEST_CASE_FIXTURE(EventFixture, "event reset of another domain is -EPERM without privilege and -EINVAL with it") {
    connect(other, guest);
    const Observed before = observe(other);
    CHECK_ERRNO(as(guest).reset(kOther), Errno::Perm);
    CHECK_ERRNO(as(control).reset(kOther), Errno::Inval);  // Xen: only a domain its controller paused
    CHECK_ERRNO(as(guest).reset(kNoSuchDomain), Errno::Srch);
    CHECK(observe(other) == before);
    CHECK_DONE(as(guest).reset(kGuest));  // its own ID is itself
}

TEST_CASE_FIXTURE(EventFixture, "event raise_virq raises a bound per-vCPU VIRQ on that vCPU and ignores an unbound one") {
    CHECK(guest.events.raise_virq(abi::Virq::Timer, VcpuId(1)).delivery == Delivery::None);
    const Port timer = value(as(guest).bind_virq(abi::Virq::Timer, VcpuId(1)));
    const Observed before = observe(guest);
    CHECK(guest.events.raise_virq(abi::Virq::Timer, VcpuId(0)).delivery == Delivery::None);  // bound on vCPU 1 only
    CHECK(observe(guest) == before);
    const Notify notify = guest.events.raise_virq(abi::Virq::Timer, VcpuId(1));
    CHECK(notify.kicks());
    CHECK(notify.domain == kGuest);
    CHECK(notify.vcpu == VcpuId(1));
    CHECK(notify.port == timer);
    CHECK(pending(guest, timer));
    CHECK(guest.events.raise_virq(abi::Virq::Timer, VcpuId(1)).delivery == Delivery::None);  // a flood is one event
}

TEST_CASE_FIXTURE(EventFixture, "event raise_virq sends a global VIRQ to the vCPU bind_vcpu chose") {
    const Port console = value(as(guest).bind_virq(abi::Virq::Console, VcpuId(0)));
    CHECK_DONE(as(guest).bind_vcpu(console, VcpuId(1)));
    const Notify notify = guest.events.raise_virq(abi::Virq::Console, VcpuId(0));
    CHECK(notify.vcpu == VcpuId(1));
    CHECK(guest.shared.vcpu_info[1].evtchn_upcall_pending == 1);
}
