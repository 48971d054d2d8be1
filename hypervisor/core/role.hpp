// SPDX-License-Identifier: MIT
// Domain roles: what a domain may do beyond running its own kernel.
#pragma once

#include <cstdint>

namespace hv {

/// Privileges come from roles, given on the module line (`role=`), never from a domain's
/// ID (DESIGN.md, "Domains").
enum class Role : uint8_t {
    Control = 1 << 0,   ///< `control`: may manage other domains (Xen's control domain)
    XenStore = 1 << 1,  ///< `xenstore`: runs the XenStore daemon
    Backend = 1 << 2,   ///< `backend`: serves other domains' block frontends
    Console = 1 << 3,   ///< `console`: serves other domains' consoles
};

/// A set of roles, as a bitmask of Role values.
struct Roles {
    uint8_t bits = 0;

    constexpr bool has(Role role) const { return (bits & static_cast<uint8_t>(role)) != 0; }
    constexpr void add(Role role) { bits = static_cast<uint8_t>(bits | static_cast<uint8_t>(role)); }
    constexpr bool empty() const { return bits == 0; }
};

}  // namespace hv
