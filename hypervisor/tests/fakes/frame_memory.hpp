// SPDX-License-Identifier: MIT
// Test-only FrameMemory: machine frames [0, count) as a vector of 4096-byte frames, and a record of the M2P.
#pragma once

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "mm/frame_memory.hpp"

namespace fakes {

/// Every frame starts zeroed. Asking for a frame outside [0, count) fails the test (the
/// image would touch some other frame's memory). Each entries() call is counted per frame,
/// so a test can tell whether the MMU walked a table at all.
class FrameMemory final : public hv::FrameMemory {
public:
    /// One set_m2p call.
    struct M2pWrite {
        hv::Mfn mfn;
        uint64_t gfn;
    };

    explicit FrameMemory(uint64_t frame_count) : frames_(frame_count), reads_(frame_count, 0) {}

    uint64_t* entries(hv::Mfn mfn) override {
        REQUIRE_MESSAGE(mfn.raw() < frames_.size(), "the MMU asked for a frame outside machine memory");
        ++reads_[mfn.raw()];
        return frames_[mfn.raw()].data();
    }

    void set_m2p(hv::Mfn mfn, uint64_t gfn) override {
        m2p[mfn.raw()] = gfn;
        m2p_writes.push_back({mfn, gfn});
    }

    /// The entry at `index` of frame `mfn`, read without counting as an access.
    uint64_t& at(hv::Mfn mfn, unsigned index) {
        REQUIRE(mfn.raw() < frames_.size());
        REQUIRE(index < 512);
        return frames_[mfn.raw()][index];
    }

    /// Zero a frame (as a guest clears one before reusing it), without counting as an access.
    void clear(hv::Mfn mfn) {
        REQUIRE(mfn.raw() < frames_.size());
        frames_[mfn.raw()].fill(0);
    }

    /// How many times entries() was asked for this frame since the last forget_reads().
    uint64_t reads(hv::Mfn mfn) const { return reads_[mfn.raw()]; }
    void forget_reads() { reads_.assign(reads_.size(), 0); }

    /// One frame's contents, for before/after comparisons.
    const std::array<uint64_t, 512>& frame(hv::Mfn mfn) const { return frames_[mfn.raw()]; }

    /// M2P[mfn] as the guest would read it (absent: never written).
    std::map<uint64_t, uint64_t> m2p;
    std::vector<M2pWrite> m2p_writes;

private:
    std::vector<std::array<uint64_t, 512>> frames_;
    std::vector<uint64_t> reads_;
};

}  // namespace fakes
