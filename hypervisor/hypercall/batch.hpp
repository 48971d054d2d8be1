// SPDX-License-Identifier: MIT
// The batch protocol shared by mmu_update and mmuext_op: (requests, count, *done,
// foreigndom), a "preempted" bit in count, and the done count kept in the guest's *done
// across continuations (Xen's MMU_UPDATE_PREEMPTED / MMUEXT preemption).
#pragma once

#include <cstdint>

#include "hypercall/hypercall.hpp"

namespace hv {

/// Walks a guest array of fixed-size requests and knows when to stop for a while.
class Batch {
public:
    /// Bit 31 of count: set only by the hypervisor, on a continuation.
    static constexpr uint64_t kPreempted = uint64_t{1} << 31;
    /// A batch is cut after this many requests and continued, so that no hypercall keeps
    /// the CPU for long (the cut is by count, which also makes it testable). Inside a
    /// multicall too: the multicall keeps the rest in the guest's entry.
    static constexpr uint64_t kRequestsPerSlice = 256;

    /// Decode (requests, count, done) and, on a continuation, read back the done so far.
    static lib::ErrorOr<Batch> start(const HypercallArgs& args, uint64_t request_size);

    bool has_next() const { return index_ < count_; }
    bool should_yield() const { return index_ > 0 && index_ % kRequestsPerSlice == 0; }
    GuestVaddr next_request() const { return GuestVaddr(requests_ + index_ * request_size_); }
    void complete_one() { ++index_; ++done_; }

    /// Save the progress in *done and ask to be called again for the rest.
    lib::Error continue_later(const HypercallArgs& args);
    /// Write the number of completed requests to *done (if the guest gave a pointer).
    lib::ErrorOr<void> report_done();

private:
    uint64_t requests_ = 0;
    uint64_t request_size_ = 0;
    uint64_t count_ = 0;
    uint64_t done_pointer_ = 0;
    uint64_t index_ = 0;
    uint32_t done_ = 0;
};

/// The foreigndom argument: DOMID_SELF or the caller's own ID; acting on another domain's
/// page tables needs the control role (not supported yet, so refused).
lib::ErrorOr<void> check_foreign_domain(const Domain& caller, uint64_t foreign);

}  // namespace hv
