// SPDX-License-Identifier: MIT
// Tests of making event-channel ports: alloc_unbound, bind_interdomain, bind_virq, bind_ipi, and running out.
#include <doctest/doctest.h>

#include "tests/event/event_fixture.hpp"

using namespace event_test;

TEST_CASE_FIXTURE(EventFixture, "event alloc_unbound gives the lowest free port, never 0 and never a reserved one") {
    CHECK(unbound(guest, kOther) == Port(3));
    CHECK(unbound(guest, kOther) == Port(4));
    CHECK_DONE(as(guest).close(Port(3)));
    CHECK(unbound(guest, kOther) == Port(3));
    const auto status = value(as(guest).status(kSelf, Port(3)));
    CHECK(status.state == State::Unbound);
    CHECK(status.remote_domain == kOther);
    CHECK(status.vcpu == VcpuId(0));
}

TEST_CASE_FIXTURE(EventFixture, "event alloc_unbound records DOMID_SELF as the caller's ID, and any other ID as given") {
    const Port self_port = value(as(guest).alloc_unbound(kSelf, kSelf));
    CHECK(value(as(guest).status(kSelf, self_port)).remote_domain == kGuest);
    // Xen does not check that the remote domain exists (it may be created later).
    const Port later = value(as(guest).alloc_unbound(kGuest, kNoSuchDomain));
    CHECK(value(as(guest).status(kSelf, later)).remote_domain == kNoSuchDomain);
}

TEST_CASE_FIXTURE(EventFixture, "event alloc_unbound in another domain's table needs privilege") {
    const Observed before = observe(other);
    CHECK_ERRNO(as(guest).alloc_unbound(kOther, kGuest), Errno::Perm);
    CHECK(observe(other) == before);
    // The control domain may; DOMID_SELF as the remote still means the caller, not the owner.
    const Port port = value(as(control).alloc_unbound(kOther, kSelf));
    CHECK(other.events.channel(port).state == PortState::Unbound);
    CHECK(other.events.channel(port).remote_domain == kControl);
    // A guest naming its own ID instead of DOMID_SELF is acting on itself.
    CHECK_DONE(as(guest).alloc_unbound(kGuest, kOther));
}

TEST_CASE_FIXTURE(EventFixture, "event alloc_unbound in a domain that does not exist is -ESRCH") {
    CHECK_ERRNO(as(guest).alloc_unbound(kNoSuchDomain, kSelf), Errno::Srch);
    CHECK_ERRNO(as(control).alloc_unbound(kNoSuchDomain, kSelf), Errno::Srch);
    for (uint16_t reserved : {abi::kDomidIo, abi::kDomidXen, abi::kDomidCow, abi::kDomidInvalid, abi::kDomidIdle})
        CHECK_ERRNO(as(control).alloc_unbound(DomId(reserved), kSelf), Errno::Srch);
}

TEST_CASE_FIXTURE(EventFixture, "event ports run out at 1024: the next allocation is -ENOSPC and changes nothing") {
    for (uint32_t expected = 3; expected < hv::event::kPortCount; ++expected) REQUIRE(unbound(guest, kOther) == Port(expected));
    const Observed full = observe(guest);
    CHECK_ERRNO(as(guest).alloc_unbound(kSelf, kOther), Errno::NoSpc);
    CHECK_ERRNO(as(guest).bind_ipi(VcpuId(0)), Errno::NoSpc);
    CHECK_ERRNO(as(guest).bind_virq(abi::Virq::Timer, VcpuId(0)), Errno::NoSpc);
    const Port remote = unbound(other, kGuest);
    CHECK_ERRNO(as(guest).bind_interdomain(kOther, remote), Errno::NoSpc);
    CHECK(observe(guest) == full);
    CHECK(other.events.channel(remote).state == PortState::Unbound);
    CHECK_DONE(as(guest).close(Port(700)));  // one free port is enough again
    CHECK(unbound(guest, kOther) == Port(700));
}

TEST_CASE_FIXTURE(EventFixture, "event alloc_unbound reports a full table before missing privilege, as Xen does") {
    for (uint32_t n = 3; n < hv::event::kPortCount; ++n) REQUIRE(unbound(other, kGuest).raw() == n);
    CHECK_ERRNO(as(guest).alloc_unbound(kOther, kGuest), Errno::NoSpc);
}

TEST_CASE_FIXTURE(EventFixture, "event ports past the last 64-port bucket are invalid until every port below is in use") {
    CHECK_ERRNO(as(guest).status(kSelf, Port(64)), Errno::Inval);
    CHECK_DONE(as(guest).status(kSelf, Port(63)));  // free but inside bucket 0: "closed"
    for (uint32_t n = 3; n < 64; ++n) REQUIRE(unbound(guest, kOther).raw() == n);
    CHECK_ERRNO(as(guest).status(kSelf, Port(64)), Errno::Inval);
    CHECK(unbound(guest, kOther) == Port(64));
    CHECK(value(as(guest).status(kSelf, Port(127))).state == State::Closed);
    CHECK_ERRNO(as(guest).status(kSelf, Port(128)), Errno::Inval);
    // The bucket stays when its ports are freed again.
    CHECK_DONE(as(guest).close(Port(64)));
    CHECK(value(as(guest).status(kSelf, Port(127))).state == State::Closed);
}

TEST_CASE_FIXTURE(EventFixture, "event bind_interdomain connects both ends to each other and raises the new local port") {
    const Port remote = unbound(other, kGuest);
    const auto bound = value(as(guest).bind_interdomain(kOther, remote));
    CHECK(bound.port == Port(3));
    const auto local_end = value(as(guest).status(kSelf, bound.port));
    CHECK(local_end.state == State::Interdomain);
    CHECK(local_end.remote_domain == kOther);
    CHECK(local_end.remote_port == remote);
    const auto remote_end = value(as(other).status(kSelf, remote));
    CHECK(remote_end.state == State::Interdomain);
    CHECK(remote_end.remote_domain == kGuest);
    CHECK(remote_end.remote_port == bound.port);
    // Events sent while the remote port was unbound were dropped: the local port is
    // marked pending at once, and the caller's vCPU 0 gets an upcall.
    CHECK(pending(guest, bound.port));
    CHECK_FALSE(pending(other, remote));
    CHECK(bound.notify.kicks());
    CHECK(bound.notify.domain == kGuest);
    CHECK(bound.notify.vcpu == VcpuId(0));
    CHECK(bound.notify.port == bound.port);
}

TEST_CASE_FIXTURE(EventFixture, "event bind_interdomain keeps the notify vCPU the remote port had while unbound") {
    const Port remote = unbound(guest, kOther);
    CHECK_DONE(as(guest).bind_vcpu(remote, VcpuId(1)));
    CHECK_DONE(as(other).bind_interdomain(kGuest, remote));
    CHECK(guest.events.channel(remote).notify_vcpu == VcpuId(1));
}

TEST_CASE_FIXTURE(EventFixture, "event bind_interdomain refuses every remote port that is not unbound for the caller") {
    const Port for_someone_else = unbound(other, kControl);
    const Port free_port{40};
    const Port ipi = value(as(other).bind_ipi(VcpuId(0)));
    const Port virq = value(as(other).bind_virq(abi::Virq::Console, VcpuId(0)));
    const auto [connected, connected_remote] = connect(control, other);
    (void)connected;
    const Observed guest_before = observe(guest), other_before = observe(other);
    for (const Port port : {for_someone_else, free_port, ipi, virq, connected_remote, Port(0), Port(1), Port(2),
                            Port(64), Port(1024), Port(4096), Port(0xffffffff)}) {
        CAPTURE(port.raw());
        CHECK_ERRNO(as(guest).bind_interdomain(kOther, port), Errno::Inval);
    }
    CHECK(observe(guest) == guest_before);
    CHECK(observe(other) == other_before);
}

TEST_CASE_FIXTURE(EventFixture, "event bind_interdomain to a domain that does not exist is -ESRCH") {
    CHECK_ERRNO(as(guest).bind_interdomain(kNoSuchDomain, Port(3)), Errno::Srch);
    CHECK_ERRNO(as(guest).bind_interdomain(DomId(abi::kDomidXen), Port(3)), Errno::Srch);
}

TEST_CASE_FIXTURE(EventFixture, "event bind_interdomain with DOMID_SELF makes a loopback channel") {
    const Port first = unbound(guest, kSelf);
    const Port second = value(as(guest).bind_interdomain(kSelf, first)).port;
    CHECK(guest.events.channel(first).remote_port == second);
    CHECK(guest.events.channel(second).remote_port == first);
    CHECK(guest.events.channel(first).remote_domain == kGuest);
    CHECK(value(as(guest).send(first)).port == second);
    CHECK(value(as(guest).send(second)).port == first);
}

TEST_CASE_FIXTURE(EventFixture, "event bind_virq binds a per-vCPU VIRQ on each vCPU and a global one on vCPU 0") {
    const Port timer0 = value(as(guest).bind_virq(abi::Virq::Timer, VcpuId(0)));
    const Port timer1 = value(as(guest).bind_virq(abi::Virq::Timer, VcpuId(1)));
    const Port console = value(as(guest).bind_virq(abi::Virq::Console, VcpuId(0)));
    CHECK(timer0 != timer1);
    const auto status = value(as(guest).status(kSelf, timer1));
    CHECK(status.state == State::Virq);
    CHECK(status.virq == abi::Virq::Timer);
    CHECK(status.vcpu == VcpuId(1));
    CHECK(guest.events.virq_port(abi::Virq::Timer, VcpuId(1)) == timer1);
    CHECK(guest.events.virq_port(abi::Virq::Console, VcpuId(0)) == console);
    // Unassigned numbers below NR_VIRQS are global VIRQs like any other, as in Xen.
    CHECK_DONE(as(guest).bind_virq(static_cast<abi::Virq>(5), VcpuId(0)));
}

TEST_CASE_FIXTURE(EventFixture, "event bind_virq knows which VIRQs are per-vCPU: timer, debug, xenoprof, xenpmu") {
    for (uint32_t number = 0; number < abi::kNrVirqs; ++number) {
        CAPTURE(number);
        const auto virq = static_cast<abi::Virq>(number);
        const bool per_vcpu = number == 0 || number == 1 || number == 7 || number == 13;
        CHECK(hv::event::is_global(virq) == !per_vcpu);
        if (per_vcpu) CHECK_DONE(as(guest).bind_virq(virq, VcpuId(1)));
        else CHECK_ERRNO(as(guest).bind_virq(virq, VcpuId(1)), Errno::Inval);
    }
}

TEST_CASE_FIXTURE(EventFixture, "event bind_virq refuses a VIRQ number at or past NR_VIRQS") {
    const Observed before = observe(guest);
    for (uint32_t number : {24u, 25u, 31u, 0x80000000u, 0xffffffffu})
        CHECK_ERRNO(as(guest).bind_virq(static_cast<abi::Virq>(number), VcpuId(0)), Errno::Inval);
    CHECK(observe(guest) == before);
}

TEST_CASE_FIXTURE(EventFixture, "event bind_virq checks a global VIRQ's vCPU before whether the vCPU exists") {
    CHECK_ERRNO(as(guest).bind_virq(abi::Virq::Console, VcpuId(99)), Errno::Inval);
    CHECK_ERRNO(as(guest).bind_virq(abi::Virq::Timer, VcpuId(kGuestVcpus)), Errno::NoEnt);
    CHECK_ERRNO(as(guest).bind_virq(abi::Virq::Timer, VcpuId(0xffffffff)), Errno::NoEnt);
    CHECK_ERRNO(as(guest).bind_virq(abi::Virq::Timer, VcpuId(hv::event::kMaxVcpus)), Errno::NoEnt);
}

TEST_CASE_FIXTURE(EventFixture, "event bind_virq twice on the same vCPU is -EEXIST and changes nothing") {
    CHECK_DONE(as(guest).bind_virq(abi::Virq::Timer, VcpuId(0)));
    CHECK_DONE(as(guest).bind_virq(abi::Virq::Debug, VcpuId(0)));
    CHECK_DONE(as(guest).bind_virq(abi::Virq::Console, VcpuId(0)));
    const Observed before = observe(guest);
    CHECK_ERRNO(as(guest).bind_virq(abi::Virq::Timer, VcpuId(0)), Errno::Exist);
    CHECK_ERRNO(as(guest).bind_virq(abi::Virq::Console, VcpuId(0)), Errno::Exist);
    CHECK(observe(guest) == before);
    CHECK_DONE(as(other).bind_virq(abi::Virq::Console, VcpuId(0)));  // each domain has its own
}

TEST_CASE_FIXTURE(EventFixture, "event bind_ipi makes a port that notifies the chosen vCPU") {
    const Port ipi = value(as(guest).bind_ipi(VcpuId(1)));
    const auto status = value(as(guest).status(kSelf, ipi));
    CHECK(status.state == State::Ipi);
    CHECK(status.vcpu == VcpuId(1));
}

TEST_CASE_FIXTURE(EventFixture, "event bind_ipi to a vCPU the domain does not have is -ENOENT") {
    const Observed before = observe(guest);
    for (uint32_t vcpu : {kGuestVcpus, hv::event::kMaxVcpus, 0x80000000u, 0xffffffffu})
        CHECK_ERRNO(as(guest).bind_ipi(VcpuId(vcpu)), Errno::NoEnt);
    CHECK(observe(guest) == before);
}
