// SPDX-License-Identifier: MIT
// The shared part of the ABI conformance tests: Xen's public headers beside ours, and the check macros.
#pragma once
//
// Almost everything here is a static_assert, so a mismatch stops the build; the few
// TEST_CASEs repeat the table-driven checks at run time (for readable output) and move
// bytes between Xen's structs and ours to show that the layouts really agree.
//
// Xen's headers compile as C++ (they sit in a system include directory, so their GNU
// extensions — anonymous unions, zero-length arrays — raise no warnings). What matters
// is the interface version: without __XEN_TOOLS__ (or __XEN_INTERFACE_VERSION__) they
// silently describe the *legacy* ABI (other hypercall numbers, no vcpu_time_info.flags,
// a 28-byte dom0_vga_console_info). __XEN_TOOLS__ selects the latest version and also
// exposes the toolstack-only memory_op numbers.

#include <cerrno>  // before xs_wire.h, which declares its xsd_errors table only if EINVAL exists
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include <doctest/doctest.h>

#include "abi/callback.hpp"
#include "abi/elfnote.hpp"
#include "abi/errno.hpp"
#include "abi/event_channel.hpp"
#include "abi/features.hpp"
#include "abi/grant_table.hpp"
#include "abi/hypercall.hpp"
#include "abi/io_console.hpp"
#include "abi/io_xs_wire.hpp"
#include "abi/layout.hpp"
#include "abi/memory.hpp"
#include "abi/physdev.hpp"
#include "abi/sched.hpp"
#include "abi/segments.hpp"
#include "abi/shared_info.hpp"
#include "abi/start_info.hpp"
#include "abi/vcpu.hpp"
#include "abi/version.hpp"
#include "abi/xen.hpp"

#ifndef __XEN_TOOLS__
#define __XEN_TOOLS__ 1
#endif
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
extern "C" {
#include <xen/xen.h>
#include <xen/callback.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>
}
#pragma GCC diagnostic pop

static_assert(__XEN_INTERFACE_VERSION__ == 0x00040e00, "Xen headers must describe interface 4.14+, not the legacy ABI");
static_assert(__HYPERVISOR_sched_op == 29 && __HYPERVISOR_event_channel_op == 32, "legacy hypercall numbering selected");

namespace {

/// An enum's number, or the number itself.
template <typename T>
constexpr auto raw(T value) {
    if constexpr (std::is_enum_v<T>) {
        return static_cast<std::underlying_type_t<T>>(value);
    } else {
        return value;
    }
}

constexpr bool same_text(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

}  // namespace

/// Our constant (or enumerator) has Xen's value.
#define CHECK_CONSTANT(ours, xens) \
    static_assert(std::cmp_equal(raw(ours), raw(xens)), #ours " differs from " #xens)

/// Our struct has Xen's size and alignment.
#define CHECK_STRUCT(ours, xens)                                        \
    static_assert(sizeof(ours) == sizeof(xens), #ours ": size differs"); \
    static_assert(alignof(ours) == alignof(xens), #ours ": alignment differs")

/// A field (possibly nested, a.b.c) is at Xen's offset and has Xen's size.
#define CHECK_FIELD(ours, xens, field)                                                          \
    static_assert(offsetof(ours, field) == offsetof(xens, field), #ours "." #field ": offset differs"); \
    static_assert(sizeof(std::declval<ours&>().field) == sizeof(std::declval<xens&>().field),   \
                  #ours "." #field ": size differs")
