// SPDX-License-Identifier: MIT
// Test-only BuildMemory: a byte buffer standing for a run of machine frames, and a log of set_m2p.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "loader/domain_builder.hpp"

namespace fakes {

/// Machine frames [first, first + count) as one buffer. Every byte starts as kFill, not
/// zero, so that a test can tell what the builder cleared from what it never touched.
/// Asking for a frame outside the buffer fails the test (the image would write to
/// some other frame's memory).
class BuildMemory final : public hv::loader::BuildMemory {
public:
    static constexpr uint8_t kFill = 0xA5;

    /// One set_m2p call.
    struct M2pWrite {
        hv::Mfn mfn;
        uint64_t gfn;
    };

    BuildMemory(hv::Mfn first, uint64_t count) : first_(first), bytes_(count * hv::kPageSize, kFill) {}

    std::span<uint8_t> frames(hv::Mfn first, uint64_t count) override {
        REQUIRE_MESSAGE(covers(first, count), "the builder asked for frames outside machine memory");
        return {bytes_.data() + (first.raw() - first_.raw()) * hv::kPageSize, count * hv::kPageSize};
    }

    void set_m2p(hv::Mfn mfn, uint64_t gfn) override { m2p_writes.push_back({mfn, gfn}); }

    bool covers(hv::Mfn first, uint64_t count) const {
        uint64_t frames_held = bytes_.size() / hv::kPageSize;
        return first >= first_ && first.raw() - first_.raw() <= frames_held &&
               count <= frames_held - (first.raw() - first_.raw());
    }

    /// The 4096 bytes of one frame, read-only.
    std::span<const uint8_t> frame(hv::Mfn mfn) const {
        REQUIRE_MESSAGE(covers(mfn, 1), "a test read a frame outside machine memory");
        return {bytes_.data() + (mfn.raw() - first_.raw()) * hv::kPageSize, hv::kPageSize};
    }

    /// The 8-byte little-endian word at `offset` in frame `mfn` (a page-table entry).
    uint64_t read_u64(hv::Mfn mfn, uint64_t offset) const {
        uint64_t value;
        std::memcpy(&value, frame(mfn).data() + offset, sizeof value);
        return value;
    }

    /// Everything, for before/after comparisons.
    const std::vector<uint8_t>& bytes() const { return bytes_; }

    std::vector<M2pWrite> m2p_writes;

private:
    hv::Mfn first_;
    std::vector<uint8_t> bytes_;
};

}  // namespace fakes
