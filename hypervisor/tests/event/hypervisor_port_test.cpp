// SPDX-License-Identifier: MIT
// Tests of a port bound to the hypervisor (PortState::Hypervisor): the console port, as the builder binds it.
#include <doctest/doctest.h>

#include "tests/event/event_fixture.hpp"

using namespace event_test;

namespace {

inline constexpr Port kConsolePort{2};
inline constexpr DomId kConsoleGuest{3};

/// The three domains of EventFixture, plus a guest with two vCPUs built as the builder
/// builds one: port 1 (xenstore) reserved, port 2 (console) bound to the hypervisor.
struct ConsoleFixture : EventFixture {
    FakeDomain& console_guest = domains.add(kConsoleGuest, kGuestVcpus);

    ConsoleFixture() {
        REQUIRE_FALSE(console_guest.events.reserve(Port(1)).is_error());
        REQUIRE_FALSE(console_guest.events.bind_to_hypervisor(kConsolePort).is_error());
    }
};

}  // namespace

TEST_CASE_FIXTURE(ConsoleFixture, "event binding a port to the hypervisor needs a free port below max_evtchn_port") {
    CHECK(console_guest.events.channel(kConsolePort).state == PortState::Hypervisor);
    CHECK(console_guest.events.channel(kConsolePort).notify_vcpu == VcpuId(0));
    CHECK_ERRNO(console_guest.events.bind_to_hypervisor(kConsolePort), Errno::Busy);
    CHECK_ERRNO(console_guest.events.bind_to_hypervisor(Port(1)), Errno::Busy);
    CHECK_ERRNO(console_guest.events.bind_to_hypervisor(Port(1024)), Errno::NoSpc);
    // A port past the first bucket makes its bucket valid, as reserve does.
    CHECK_DONE(console_guest.events.bind_to_hypervisor(Port(100)));
    CHECK(console_guest.events.is_valid(Port(127)));
}

TEST_CASE_FIXTURE(ConsoleFixture, "event send on a hypervisor port asks for the backend, raises nothing, and succeeds") {
    const Observed before = observe(console_guest);
    const Notify notify = value(as(console_guest).send(kConsolePort));
    CHECK(notify.delivery == Delivery::Hypervisor);
    CHECK_FALSE(notify.kicks());
    CHECK(notify.domain == kConsoleGuest);
    CHECK(notify.port == kConsolePort);
    CHECK(observe(console_guest) == before);
    // Every send reaches the backend: nothing pending to coalesce on.
    CHECK(value(as(console_guest).send(kConsolePort)).delivery == Delivery::Hypervisor);
}

TEST_CASE_FIXTURE(ConsoleFixture, "event status of a hypervisor port is interdomain to DOMID_XEN, port 0") {
    const auto status = value(as(console_guest).status(kSelf, kConsolePort));
    CHECK(status.state == State::Interdomain);
    CHECK(status.remote_domain == DomId(abi::kDomidXen));
    CHECK(status.remote_port == Port(0));
    CHECK(status.vcpu == VcpuId(0));
    // The control domain reads the same; another guest may not.
    CHECK(value(as(control).status(kConsoleGuest, kConsolePort)).state == State::Interdomain);
    CHECK_ERRNO(as(guest).status(kConsoleGuest, kConsolePort), Errno::Perm);
}

TEST_CASE_FIXTURE(ConsoleFixture, "event the hypervisor's raise of its port follows the 2-level rules") {
    const Notify first = console_guest.events.raise_from_hypervisor(kConsolePort);
    CHECK(first.delivery == Delivery::Upcall);
    CHECK(first.domain == kConsoleGuest);
    CHECK(first.vcpu == VcpuId(0));
    CHECK(pending(console_guest, kConsolePort));
    CHECK(console_guest.shared.vcpu_info[0].evtchn_pending_sel == 1);
    CHECK(console_guest.shared.vcpu_info[0].evtchn_upcall_pending == 1);
    // Already pending: nothing new.
    CHECK(console_guest.events.raise_from_hypervisor(kConsolePort).delivery == Delivery::None);

    // Masked, then unmasked: pending without an upcall, then the upcall on unmask.
    hv::event::clear_pending(console_guest.shared, kConsolePort);
    console_guest.shared.vcpu_info[0] = abi::VcpuInfo{};
    mask(console_guest, kConsolePort);
    CHECK(console_guest.events.raise_from_hypervisor(kConsolePort).delivery == Delivery::Pending);
    CHECK(console_guest.shared.vcpu_info[0].evtchn_upcall_pending == 0);
    CHECK(value(as(console_guest).unmask(kConsolePort)).kicks());
    CHECK(console_guest.shared.vcpu_info[0].evtchn_upcall_pending == 1);
}

TEST_CASE_FIXTURE(ConsoleFixture, "event a hypervisor port moves to another vCPU like an interdomain one") {
    CHECK_DONE(as(console_guest).bind_vcpu(kConsolePort, VcpuId(1)));
    const Notify notify = console_guest.events.raise_from_hypervisor(kConsolePort);
    CHECK(notify.vcpu == VcpuId(1));
    CHECK(console_guest.shared.vcpu_info[1].evtchn_upcall_pending == 1);
    CHECK(console_guest.shared.vcpu_info[0].evtchn_upcall_pending == 0);
}

TEST_CASE_FIXTURE(ConsoleFixture, "event closing a hypervisor port frees it, and the hypervisor no longer raises it") {
    console_guest.events.raise_from_hypervisor(kConsolePort);
    CHECK_DONE(as(console_guest).close(kConsolePort));
    CHECK(console_guest.events.channel(kConsolePort).state == PortState::Free);
    CHECK_FALSE(pending(console_guest, kConsolePort));
    CHECK_ERRNO(as(console_guest).send(kConsolePort), Errno::Inval);
    CHECK_ERRNO(as(console_guest).close(kConsolePort), Errno::Inval);
    CHECK(value(as(console_guest).status(kSelf, kConsolePort)).state == State::Closed);

    // The number is free for the guest's next binding, which the hypervisor leaves alone.
    const Port ipi = value(as(console_guest).bind_ipi(VcpuId(0)));
    REQUIRE(ipi == kConsolePort);
    const Observed before = observe(console_guest);
    CHECK(console_guest.events.raise_from_hypervisor(kConsolePort).delivery == Delivery::None);
    CHECK(observe(console_guest) == before);
}

TEST_CASE_FIXTURE(ConsoleFixture, "event reset closes a hypervisor port but keeps the reserved ones") {
    CHECK_DONE(as(console_guest).reset(kSelf));
    CHECK(console_guest.events.channel(kConsolePort).state == PortState::Free);
    CHECK(console_guest.events.channel(Port(1)).state == PortState::Reserved);
    CHECK(console_guest.events.raise_from_hypervisor(kConsolePort).delivery == Delivery::None);
}

TEST_CASE_FIXTURE(ConsoleFixture, "event no other domain can bind to a hypervisor port") {
    const Observed before = observe(console_guest);
    CHECK_ERRNO(as(guest).bind_interdomain(kConsoleGuest, kConsolePort), Errno::Inval);
    CHECK_ERRNO(as(control).bind_interdomain(kConsoleGuest, kConsolePort), Errno::Inval);
    CHECK(observe(console_guest) == before);
}

TEST_CASE_FIXTURE(ConsoleFixture, "event the hypervisor's raise of an invalid or unbound port does nothing") {
    const Observed before = observe(console_guest);
    for (const Port port : {Port(0), Port(1), Port(3), Port(500), Port(1024), Port(4096)}) {
        CAPTURE(port.raw());
        CHECK(console_guest.events.raise_from_hypervisor(port).delivery == Delivery::None);
    }
    CHECK(observe(console_guest) == before);
}
