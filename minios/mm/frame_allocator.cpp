// SPDX-License-Identifier: MIT
// A bitmap frame allocator: bit n of the map is set while pfn n is free. The allocator
// knows nothing of machine frames or mappings; it only hands out pfns once each.
#include "mm/frame_allocator.hpp"

#include <bit>

namespace minios::mm {
namespace {

constexpr uint64_t kBitsPerWord = 64;

uint64_t free_map[kMaxTrackedFrames / kBitsPerWord];
uint64_t free_count = 0;
/// The pfns the allocator was given: only these may ever be freed.
uint64_t pool_start = 0;
uint64_t pool_end = 0;
/// No free frame lies in a word below this one: the search starts here.
uint64_t first_candidate_word = 0;

bool is_free(uint64_t pfn) { return (free_map[pfn / kBitsPerWord] >> (pfn % kBitsPerWord)) & 1; }
void flip(uint64_t pfn) { free_map[pfn / kBitsPerWord] ^= uint64_t{1} << (pfn % kBitsPerWord); }

}  // namespace

void init_frame_allocator(Pfn first, Pfn end) {
    ASSERT(first <= end);
    const uint64_t last = end.raw() < kMaxTrackedFrames ? end.raw() : kMaxTrackedFrames;
    pool_start = first.raw() < last ? first.raw() : last;
    pool_end = last;
    for (uint64_t pfn = pool_start; pfn < pool_end; ++pfn) flip(pfn);
    free_count = pool_end - pool_start;
    first_candidate_word = first.raw() / kBitsPerWord;
}

lib::ErrorOr<Pfn> allocate_frame() {
    // BEGIN LAB memory: find a free frame in the bitmap and take it
    for (uint64_t word = first_candidate_word; word < kMaxTrackedFrames / kBitsPerWord; ++word) {
        if (free_map[word] == 0) continue;
        first_candidate_word = word;
        const uint64_t pfn = word * kBitsPerWord + static_cast<uint64_t>(std::countr_zero(free_map[word]));
        flip(pfn);
        --free_count;
        return Pfn(pfn);
    }
    return lib::error(abi::Errno::NoMem, "no free frame");
    // END LAB
}

lib::ErrorOr<void> free_frame(Pfn pfn) {
    // BEGIN LAB memory: give a frame back, refusing a double free
    if (pfn.raw() < pool_start || pfn.raw() >= pool_end)
        return lib::error(abi::Errno::Inval, "pfn was never the allocator's");
    if (is_free(pfn.raw())) return lib::error(abi::Errno::Inval, "frame is already free");
    flip(pfn.raw());
    ++free_count;
    if (pfn.raw() / kBitsPerWord < first_candidate_word) first_candidate_word = pfn.raw() / kBitsPerWord;
    return {};
    // END LAB
}

uint64_t free_frame_count() { return free_count; }

}  // namespace minios::mm
