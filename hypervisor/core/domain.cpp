// SPDX-License-Identifier: MIT
// The domain table: fixed slots, no allocation.
#include "core/domain.hpp"

#include "lib/assert.hpp"
#include "lib/string.hpp"

namespace hv {
namespace {

Domain domains[kMaxDomains] = {};
Domain* current = nullptr;

}  // namespace

Domain* allocate_domain(DomId id, const char* name, Roles roles) {
    for (Domain& slot : domains) {
        if (slot.state != DomainState::Unused) continue;
        slot = Domain{};
        slot.id = id;
        lib::copy_string(slot.name, sizeof slot.name, name, lib::string_length(name, sizeof slot.name));
        slot.roles = roles;
        slot.state = DomainState::Running;
        slot.console = GuestLineBuffer(id.raw());
        return &slot;
    }
    return nullptr;
}

void free_domain(Domain& domain) { domain.state = DomainState::Unused; }

Domain* find_domain(DomId id) {
    for (Domain& slot : domains)
        if (slot.state != DomainState::Unused && slot.id == id) return &slot;
    return nullptr;
}

Domain* domain_at(size_t index) { return index < kMaxDomains ? &domains[index] : nullptr; }

Domain& current_domain() {
    ASSERT(current != nullptr);
    return *current;
}

void set_current_domain(Domain& domain) { current = &domain; }

}  // namespace hv
