// SPDX-License-Identifier: MIT
// The event-channel tests' fixture: fake domains that find each other through the EventDomains seam.
#pragma once

#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "abi/xen.hpp"
#include "event/event_channel.hpp"
#include "event/two_level.hpp"

namespace event_test {

using hv::DomId;
using hv::Port;
using hv::VcpuId;
using hv::event::Delivery;
using hv::event::DomainEvents;
using hv::event::EventChannels;
using hv::event::Notify;
using hv::event::PortState;
using Errno = abi::Errno;
using State = abi::EventChannelState;

inline constexpr DomId kControl{0};  ///< the privileged domain (control role)
inline constexpr DomId kGuest{1};
inline constexpr DomId kOther{2};
inline constexpr DomId kSelf{abi::kDomidSelf};
inline constexpr DomId kNoSuchDomain{9};
inline constexpr uint32_t kGuestVcpus = 2;

/// A domain as the event code sees it: its table and its shared_info page.
struct FakeDomain {
    DomainEvents events;
    abi::SharedInfo shared{};
};

/// Domains by ID, each found by the event code as the image finds them in its table.
class FakeDomains final : public hv::event::EventDomains {
public:
    FakeDomain& add(DomId id, uint32_t vcpus) {
        auto domain = std::make_unique<FakeDomain>();
        domain->events.attach(id, domain->shared, vcpus);
        FakeDomain& added = *domain;
        domains_[id.raw()] = std::move(domain);
        return added;
    }
    DomainEvents* find(DomId id) override {
        auto found = domains_.find(id.raw());
        return found == domains_.end() ? nullptr : &found->second->events;
    }

private:
    std::map<uint16_t, std::unique_ptr<FakeDomain>> domains_;
};

/// Everything a guest can observe of one domain's event state: every port's status as
/// the control domain would read it, the VIRQ bindings, and the shared_info bytes.
struct Observed {
    std::vector<uint8_t> valid;
    std::vector<hv::event::Channel> channels;
    std::vector<uint32_t> virq_ports;
    std::vector<uint8_t> shared;

    bool operator==(const Observed& other) const {
        if (valid != other.valid || virq_ports != other.virq_ports || shared != other.shared) return false;
        for (size_t i = 0; i < channels.size(); ++i) {
            const auto &a = channels[i], &b = other.channels[i];
            if (a.state != b.state || a.notify_vcpu != b.notify_vcpu || a.remote_domain != b.remote_domain ||
                a.remote_port != b.remote_port || a.virq != b.virq)
                return false;
        }
        return true;
    }
};

inline Observed observe(const FakeDomain& domain) {
    Observed seen;
    for (uint32_t number = 0; number < hv::event::kPortCount; ++number) {
        const bool valid = domain.events.is_valid(Port(number));
        seen.valid.push_back(valid);
        seen.channels.push_back(valid ? domain.events.channel(Port(number)) : hv::event::Channel{});
    }
    for (uint32_t vcpu = 0; vcpu < hv::event::kMaxVcpus; ++vcpu)
        for (uint32_t virq = 0; virq < abi::kNrVirqs; ++virq)
            seen.virq_ports.push_back(domain.events.virq_port(static_cast<abi::Virq>(virq), VcpuId(vcpu)).raw());
    const auto* bytes = reinterpret_cast<const uint8_t*>(&domain.shared);
    seen.shared.assign(bytes, bytes + sizeof domain.shared);
    return seen;
}

/// Three domains: the control domain (d0), a guest with two vCPUs (d1), another guest (d2).
/// Like the builder, it reserves the xenstore and console ports (1 and 2) in each.
struct EventFixture {
    FakeDomains domains;
    FakeDomain& control = domains.add(kControl, 1);
    FakeDomain& guest = domains.add(kGuest, kGuestVcpus);
    FakeDomain& other = domains.add(kOther, 1);

    EventFixture() {
        for (FakeDomain* domain : {&control, &guest, &other}) {
            REQUIRE_FALSE(domain->events.reserve(Port(1)).is_error());
            REQUIRE_FALSE(domain->events.reserve(Port(2)).is_error());
        }
    }

    /// The operations as `caller` makes them; the control domain is privileged.
    EventChannels as(FakeDomain& caller) { return EventChannels(domains, caller.events, &caller == &control); }

    /// An Unbound port in `owner` for `remote`, made by `owner` itself.
    Port unbound(FakeDomain& owner, DomId remote) { return value(as(owner).alloc_unbound(kSelf, remote)); }
    /// An interdomain channel: `from`'s port connected to a fresh unbound port of `to`.
    /// Returns {from's port, to's port}; the pending bit bind_interdomain sets is cleared.
    std::pair<Port, Port> connect(FakeDomain& from, FakeDomain& to) {
        const Port remote = unbound(to, from.events.id());
        const Port local = value(as(from).bind_interdomain(to.events.id(), remote)).port;
        hv::event::clear_pending(from.shared, local);
        from.shared.vcpu_info[0] = abi::VcpuInfo{};
        return {local, remote};
    }

    template <typename T>
    static T value(lib::ErrorOr<T> result) {
        REQUIRE_MESSAGE(!result.is_error(), "errno ", static_cast<int>(result.error_code()));
        return result.release_value();
    }
};

inline bool pending(const FakeDomain& domain, Port port) { return hv::event::is_pending(domain.shared, port); }
inline bool masked(const FakeDomain& domain, Port port) { return hv::event::is_masked(domain.shared, port); }
/// The guest sets a mask bit itself (a plain write to its shared_info).
inline void mask(FakeDomain& domain, Port port) { domain.shared.evtchn_mask[port.raw() / 64] |= uint64_t{1} << (port.raw() % 64); }

}  // namespace event_test

/// The operation failed with exactly this errno.
#define CHECK_ERRNO(expression, expected)                    \
    do {                                                     \
        const auto check_result_ = (expression);             \
        REQUIRE(check_result_.is_error());                   \
        CHECK(check_result_.error_code() == (expected));     \
    } while (0)

/// The operation succeeded.
#define CHECK_DONE(expression)                                                                 \
    do {                                                                                       \
        const auto check_result_ = (expression);                                               \
        CHECK_MESSAGE(!check_result_.is_error(), "errno ",                                     \
                      check_result_.is_error() ? static_cast<int>(check_result_.error_code()) : 0); \
    } while (0)
