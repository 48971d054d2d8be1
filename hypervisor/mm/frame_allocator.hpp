// SPDX-License-Identifier: MIT
// The machine frame allocator: one bit per frame, set when the frame is free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "lib/error_or.hpp"
#include "mm/frame.hpp"

namespace hv {

/// Tracks which machine frames are free. Frames enter it only through add_free_range
/// (RAM from the memory map, minus what boot reserved); allocation takes the lowest free
/// frame, so builds are reproducible from boot to boot.
class FrameAllocator {
public:
    /// @param bitmap storage for one bit per frame, covering frames [0, bitmap.size()*64).
    explicit FrameAllocator(std::span<uint64_t> bitmap);

    /// Mark [first, end) free. Frames beyond the bitmap are ignored.
    void add_free_range(Mfn first, Mfn end);
    /// Take [first, end) out of the free set (the image, boot modules...).
    void reserve_range(Mfn first, Mfn end);

    /// @retval Errno::NoMem when no frame is free.
    lib::ErrorOr<Mfn> allocate();
    /// The lowest run of `count` contiguous free frames.
    /// @retval Errno::NoMem when no run is long enough.
    lib::ErrorOr<Mfn> allocate_contiguous(size_t count);
    /// Give a frame back. @pre the frame is allocated (a double free panics).
    void free(Mfn mfn);

    bool is_free(Mfn mfn) const;
    size_t free_count() const { return free_count_; }
    Mfn limit() const { return Mfn(bitmap_.size() * 64); }

private:
    void set_free(uint64_t frame, bool free);

    std::span<uint64_t> bitmap_;
    size_t free_count_ = 0;
    uint64_t search_hint_ = 0;  // no free frame below this word
};

}  // namespace hv
