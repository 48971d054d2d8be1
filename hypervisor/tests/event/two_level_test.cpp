// SPDX-License-Identifier: MIT
// Tests of the 2-level event bits: raise, mask, pending_sel, upcall_pending, unmask (XEN-PV-ABI.md §6).
#include <doctest/doctest.h>

#include "event/two_level.hpp"
#include "tests/event/event_fixture.hpp"

using namespace event_test;
using hv::event::set_pending;
using hv::event::unmask;

namespace {

constexpr Port kPort{5};             // word 0, bit 5
constexpr Port kSameWord{9};         // word 0, bit 9
constexpr Port kOtherWord{64 + 3};   // word 1, bit 3

/// A zeroed shared_info page and the vCPU whose upcalls a test watches.
struct Page {
    abi::SharedInfo shared{};
    abi::VcpuInfo& vcpu = shared.vcpu_info[0];
    bool pending(Port port) const { return hv::event::is_pending(shared, port); }
    void mask(Port port) { shared.evtchn_mask[port.raw() / 64] |= uint64_t{1} << (port.raw() % 64); }
    void unmask_by_hand(Port port) { shared.evtchn_mask[port.raw() / 64] &= ~(uint64_t{1} << (port.raw() % 64)); }
};

}  // namespace

TEST_CASE("an event raised on an unmasked port sets pending, pending_sel and upcall_pending and asks for a kick") {
    Page page;
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::Upcall);
    CHECK(page.shared.evtchn_pending[0] == uint64_t{1} << 5);
    CHECK(page.vcpu.evtchn_pending_sel == 1);
    CHECK(page.vcpu.evtchn_upcall_pending == 1);
    CHECK(page.vcpu.evtchn_upcall_mask == 0);  // the upcall mask is the guest's alone
    CHECK(page.shared.evtchn_mask[0] == 0);
}

TEST_CASE("the 2-level event bitmaps put port p at bit p % 64 of word p / 64, and pending_sel bit p / 64") {
    Page page;
    const Port port{2 * 64 + 7};
    CHECK(set_pending(page.shared, page.vcpu, port) == Delivery::Upcall);
    CHECK(page.shared.evtchn_pending[2] == uint64_t{1} << 7);
    CHECK(page.vcpu.evtchn_pending_sel == uint64_t{1} << 2);
    const Port last{4095};
    page.vcpu = abi::VcpuInfo{};
    CHECK(set_pending(page.shared, page.vcpu, last) == Delivery::Upcall);
    CHECK(page.shared.evtchn_pending[63] == uint64_t{1} << 63);
    CHECK(page.vcpu.evtchn_pending_sel == uint64_t{1} << 63);
}

TEST_CASE("an event raised on a masked port stays pending with no upcall, and clearing the mask by hand delivers nothing") {
    Page page;
    page.mask(kPort);
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::Pending);
    CHECK(page.pending(kPort));
    CHECK(page.vcpu.evtchn_pending_sel == 0);
    CHECK(page.vcpu.evtchn_upcall_pending == 0);
    // The guest clears the mask bit itself: the hypervisor never sees it, so nothing happens
    // (and a second raise finds the port already pending).
    page.unmask_by_hand(kPort);
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::None);
    CHECK(page.vcpu.evtchn_upcall_pending == 0);
}

TEST_CASE("an event masked, raised, then unmasked with EVTCHNOP_unmask is delivered at the unmask") {
    Page page;
    page.mask(kPort);
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::Pending);
    CHECK(unmask(page.shared, page.vcpu, kPort) == Delivery::Upcall);
    CHECK(page.shared.evtchn_mask[0] == 0);
    CHECK(page.pending(kPort));
    CHECK(page.vcpu.evtchn_pending_sel == 1);
    CHECK(page.vcpu.evtchn_upcall_pending == 1);
}

TEST_CASE("an event on a port that is already pending changes nothing and asks for nothing") {
    Page page;
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::Upcall);
    // Even after the guest acknowledged the upcall and the selector, the pending bit it has
    // not cleared yet means "already told".
    page.vcpu.evtchn_upcall_pending = 0;
    page.vcpu.evtchn_pending_sel = 0;
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::None);
    CHECK(page.vcpu.evtchn_upcall_pending == 0);
    CHECK(page.vcpu.evtchn_pending_sel == 0);
}

TEST_CASE("an event in a word whose pending_sel bit is still set makes no new upcall") {
    Page page;
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::Upcall);
    page.vcpu.evtchn_upcall_pending = 0;  // the guest took the upcall but has not scanned yet
    CHECK(set_pending(page.shared, page.vcpu, kSameWord) == Delivery::Pending);
    CHECK(page.vcpu.evtchn_upcall_pending == 0);
    CHECK(page.pending(kSameWord));
    CHECK(set_pending(page.shared, page.vcpu, kOtherWord) == Delivery::Upcall);  // a new word is news
    CHECK(page.vcpu.evtchn_pending_sel == 0b11);
}

TEST_CASE("an event raised while upcall_pending is already set marks pending_sel but asks for no kick") {
    Page page;
    page.vcpu.evtchn_upcall_pending = 1;
    CHECK(set_pending(page.shared, page.vcpu, kOtherWord) == Delivery::Pending);
    CHECK(page.vcpu.evtchn_pending_sel == 0b10);
    CHECK(page.vcpu.evtchn_upcall_pending == 1);
}

TEST_CASE("event delivery tests and sets only bit 0 of upcall_pending") {
    Page page;
    page.vcpu.evtchn_upcall_pending = 2;  // a guest's stray write: bit 0 is still clear
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::Upcall);
    CHECK(page.vcpu.evtchn_upcall_pending == 3);
}

TEST_CASE("event delivery and unmask never clear pending, pending_sel or upcall_pending") {
    Page page;
    page.mask(kOtherWord);
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::Upcall);
    CHECK(set_pending(page.shared, page.vcpu, kOtherWord) == Delivery::Pending);
    CHECK(unmask(page.shared, page.vcpu, kOtherWord) == Delivery::None);  // upcall already pending
    CHECK(unmask(page.shared, page.vcpu, kPort) == Delivery::None);       // was not masked
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::None);
    CHECK(page.pending(kPort));
    CHECK(page.pending(kOtherWord));
    CHECK(page.vcpu.evtchn_pending_sel == 0b11);
    CHECK(page.vcpu.evtchn_upcall_pending == 1);
}

TEST_CASE("event unmask re-raises only a port that was masked, is pending, and whose pending_sel bit is clear") {
    SUBCASE("not masked: nothing, even when pending") {
        Page page;
        page.shared.evtchn_pending[0] = uint64_t{1} << kPort.raw();
        CHECK(unmask(page.shared, page.vcpu, kPort) == Delivery::None);
        CHECK(page.vcpu.evtchn_pending_sel == 0);
        CHECK(page.vcpu.evtchn_upcall_pending == 0);
    }
    SUBCASE("masked but not pending: the mask is cleared, nothing raised") {
        Page page;
        page.mask(kPort);
        CHECK(unmask(page.shared, page.vcpu, kPort) == Delivery::None);
        CHECK(page.shared.evtchn_mask[0] == 0);
        CHECK(page.vcpu.evtchn_pending_sel == 0);
    }
    SUBCASE("masked and pending, pending_sel bit already set: no new upcall") {
        Page page;
        page.mask(kPort);
        page.shared.evtchn_pending[0] = uint64_t{1} << kPort.raw();
        page.vcpu.evtchn_pending_sel = 1;
        CHECK(unmask(page.shared, page.vcpu, kPort) == Delivery::None);
        CHECK(page.vcpu.evtchn_upcall_pending == 0);
    }
    SUBCASE("masked and pending, upcall already pending: pending_sel set, no kick") {
        Page page;
        page.mask(kPort);
        page.shared.evtchn_pending[0] = uint64_t{1} << kPort.raw();
        page.vcpu.evtchn_upcall_pending = 1;
        CHECK(unmask(page.shared, page.vcpu, kPort) == Delivery::None);
        CHECK(page.vcpu.evtchn_pending_sel == 1);
    }
    SUBCASE("masked, pending, selector clear: the upcall") {
        Page page;
        page.mask(kPort);
        page.shared.evtchn_pending[0] = uint64_t{1} << kPort.raw();
        CHECK(unmask(page.shared, page.vcpu, kPort) == Delivery::Upcall);
        CHECK(page.vcpu.evtchn_pending_sel == 1);
        CHECK(page.vcpu.evtchn_upcall_pending == 1);
    }
}

TEST_CASE("event clear_pending clears the port's own pending bit and nothing else") {
    Page page;
    CHECK(set_pending(page.shared, page.vcpu, kPort) == Delivery::Upcall);
    CHECK(set_pending(page.shared, page.vcpu, kSameWord) == Delivery::Pending);
    hv::event::clear_pending(page.shared, kPort);
    CHECK_FALSE(page.pending(kPort));
    CHECK(page.pending(kSameWord));
    CHECK(page.vcpu.evtchn_pending_sel == 1);
    CHECK(page.vcpu.evtchn_upcall_pending == 1);
}
