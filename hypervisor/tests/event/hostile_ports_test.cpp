// SPDX-License-Identifier: MIT
// Tests that try to break event channels with hostile numbers: ports, other domains' ports, floods.
#include <doctest/doctest.h>

#include "tests/event/event_fixture.hpp"

using namespace event_test;

namespace {

/// Numbers no operation may accept as a port: 0 (reserved forever), "negative" ones as a
/// guest's int, past max_evtchn_port, past the 2-level ABI's 4096, and the largest.
constexpr uint32_t kHostilePorts[] = {0, 0x80000000u, 0xfffffffeu, 0xffffffffu, 1024, 1025, 2047, 4095, 4096, 65536};

}  // namespace

TEST_CASE_FIXTURE(EventFixture, "every event operation refuses hostile port numbers with -EINVAL and changes nothing") {
    connect(guest, other);
    const Observed guest_before = observe(guest), other_before = observe(other);
    for (const uint32_t number : kHostilePorts) {
        const Port port{number};
        CAPTURE(number);
        CHECK_ERRNO(as(guest).close(port), Errno::Inval);
        CHECK_ERRNO(as(guest).send(port), Errno::Inval);
        CHECK_ERRNO(as(guest).bind_vcpu(port, VcpuId(0)), Errno::Inval);
        CHECK_ERRNO(as(guest).bind_interdomain(kOther, port), Errno::Inval);
        CHECK_ERRNO(as(control).bind_interdomain(kGuest, port), Errno::Inval);
        if (number != 0) {  // port 0 is valid, reserved: status says closed and unmask does nothing
            CHECK_ERRNO(as(guest).status(kSelf, port), Errno::Inval);
            CHECK_ERRNO(as(guest).unmask(port), Errno::Inval);
            CHECK_ERRNO(as(control).status(kGuest, port), Errno::Inval);
        }
    }
    CHECK(observe(guest) == guest_before);
    CHECK(observe(other) == other_before);
}

TEST_CASE_FIXTURE(EventFixture, "event operations on port numbers only another domain uses never reach that domain") {
    // The other domain has ports 3..9 in use, none of them for the guest; the guest has none.
    connect(other, control);
    for (int n = 0; n < 6; ++n) unbound(other, kControl);
    const Observed before = observe(other);
    for (uint32_t number = 3; number < 10; ++number) {
        const Port port{number};
        CAPTURE(number);
        CHECK_ERRNO(as(guest).close(port), Errno::Inval);
        CHECK_ERRNO(as(guest).send(port), Errno::Inval);
        CHECK_ERRNO(as(guest).bind_vcpu(port, VcpuId(1)), Errno::Inval);
        CHECK(value(as(guest).unmask(port)).delivery == Delivery::None);
        CHECK(value(as(guest).status(kSelf, port)).state == State::Closed);
        CHECK_ERRNO(as(guest).status(kOther, port), Errno::Perm);
        CHECK_ERRNO(as(guest).bind_interdomain(kOther, port), Errno::Inval);  // unbound for d0, not d1
    }
    CHECK(observe(other) == before);
}

TEST_CASE_FIXTURE(EventFixture, "a guest flooding an event channel raises one event and asks for one kick") {
    const auto [local, remote] = connect(guest, other);
    int kicks = 0;
    for (int n = 0; n < 10000; ++n) kicks += value(as(guest).send(local)).kicks() ? 1 : 0;
    CHECK(kicks == 1);
    CHECK(pending(other, remote));
    CHECK(other.shared.vcpu_info[0].evtchn_pending_sel == uint64_t{1} << (remote.raw() / 64));
    // Nothing else in the other domain moved: one pending bit, one selector bit, one flag.
    size_t pending_bits = 0;
    for (const uint64_t word : other.shared.evtchn_pending) pending_bits += static_cast<size_t>(__builtin_popcountll(word));
    CHECK(pending_bits == 1);
}

TEST_CASE_FIXTURE(EventFixture, "event ports are per domain: the same number in two domains is two channels") {
    const Port in_guest = value(as(guest).bind_ipi(VcpuId(0)));
    const Port in_other = value(as(other).bind_ipi(VcpuId(0)));
    CHECK(in_guest == in_other);
    CHECK_DONE(as(guest).send(in_guest));
    CHECK(pending(guest, in_guest));
    CHECK_FALSE(pending(other, in_other));
    CHECK_DONE(as(guest).close(in_guest));
    CHECK(other.events.channel(in_other).state == PortState::Ipi);
}
