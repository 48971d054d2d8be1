// SPDX-License-Identifier: MIT
// The bitmap frame allocator (see frame_allocator.hpp).
#include "mm/frame_allocator.hpp"

#include <bit>

namespace hv {

FrameAllocator::FrameAllocator(std::span<uint64_t> bitmap) : bitmap_(bitmap) {
    for (uint64_t& word : bitmap_) word = 0;
}

bool FrameAllocator::is_free(Mfn mfn) const {
    uint64_t frame = mfn.raw();
    if (frame >= limit().raw()) return false;
    return (bitmap_[frame / 64] >> (frame % 64)) & 1;
}

void FrameAllocator::set_free(uint64_t frame, bool free) {
    uint64_t bit = uint64_t{1} << (frame % 64);
    uint64_t& word = bitmap_[frame / 64];
    bool was_free = (word & bit) != 0;
    if (free == was_free) return;
    if (free) { word |= bit; ++free_count_; if (frame / 64 < search_hint_) search_hint_ = frame / 64; }
    else { word &= ~bit; --free_count_; }
}

void FrameAllocator::add_free_range(Mfn first, Mfn end) {
    for (uint64_t f = first.raw(); f < end.raw() && f < limit().raw(); ++f) set_free(f, true);
}

void FrameAllocator::reserve_range(Mfn first, Mfn end) {
    for (uint64_t f = first.raw(); f < end.raw() && f < limit().raw(); ++f) set_free(f, false);
}

lib::ErrorOr<Mfn> FrameAllocator::allocate() {
    for (uint64_t w = search_hint_; w < bitmap_.size(); ++w) {
        if (bitmap_[w] == 0) continue;
        uint64_t frame = w * 64 + static_cast<uint64_t>(std::countr_zero(bitmap_[w]));
        set_free(frame, false);
        search_hint_ = w;
        return Mfn(frame);
    }
    search_hint_ = bitmap_.size();
    return lib::error(abi::Errno::NoMem, "out of machine frames");
}

lib::ErrorOr<Mfn> FrameAllocator::allocate_contiguous(size_t count) {
    if (count == 0) return lib::error(abi::Errno::Inval, "zero frames asked for");
    uint64_t run_start = 0, run_length = 0;
    for (uint64_t f = search_hint_ * 64; f < limit().raw(); ++f) {
        if (!is_free(Mfn(f))) { run_length = 0; continue; }
        if (run_length++ == 0) run_start = f;
        if (run_length == count) {
            for (uint64_t g = run_start; g < run_start + count; ++g) set_free(g, false);
            return Mfn(run_start);
        }
    }
    return lib::error(abi::Errno::NoMem, "no run of free machine frames that long");
}

void FrameAllocator::free(Mfn mfn) {
    ASSERT(mfn.raw() < limit().raw());
    if (is_free(mfn)) lib::panic("frame allocator: double free of mfn {:#x}", mfn);
    set_free(mfn.raw(), true);
}

}  // namespace hv
