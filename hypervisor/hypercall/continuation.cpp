// SPDX-License-Identifier: MIT
// Continuations: how a long hypercall stops part-way and is made again for the rest
// (Xen's hypercall_create_continuation).
//
// A handler that has done a slice of its work calls continue_later with the arguments
// that describe the rest, and returns the -ERESTART it gets back. Whoever called the
// handler then takes those arguments with continuation_of: the dispatcher writes them into
// the guest's registers and rewinds its RIP onto the SYSCALL, so the guest makes the call
// again; a multicall writes them into the guest's entry and continues itself at that entry.
// Either way the guest never sees -ERESTART, and events can be delivered in between.
#include "hypercall/hypercall.hpp"

namespace hv {
namespace {

// The arguments the running handler asked to be called again with. One CPU runs one
// hypercall at a time, and a continuation is taken before the next handler runs: one slot.
std::optional<HypercallArgs> pending;

}  // namespace

lib::Error continue_later(const HypercallArgs& remaining) {
    pending = remaining;
    return lib::error(abi::Errno::Restart, "continued");
}

std::optional<HypercallArgs> continuation_of(const HypercallResult& result) {
    if (!result.is_error() || result.error_code() != abi::Errno::Restart) return std::nullopt;
    std::optional<HypercallArgs> rest = pending;
    pending.reset();
    return rest;
}

}  // namespace hv
