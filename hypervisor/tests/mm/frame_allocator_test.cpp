// SPDX-License-Identifier: MIT
// Tests of the bitmap frame allocator.
#include <doctest/doctest.h>

#include <vector>

#include "mm/frame_allocator.hpp"

using hv::FrameAllocator;
using hv::Mfn;

TEST_CASE("a new allocator has no free frames until RAM is added") {
    std::vector<uint64_t> bitmap(4);
    FrameAllocator allocator(bitmap);
    CHECK(allocator.free_count() == 0);
    auto frame = allocator.allocate();
    REQUIRE(frame.is_error());
    CHECK(frame.error_code() == abi::Errno::NoMem);
}

TEST_CASE("allocation takes the lowest free frame and free gives it back") {
    std::vector<uint64_t> bitmap(4);
    FrameAllocator allocator(bitmap);
    allocator.add_free_range(Mfn(70), Mfn(80));
    CHECK(allocator.free_count() == 10);
    CHECK(allocator.allocate().value() == Mfn(70));
    CHECK(allocator.allocate().value() == Mfn(71));
    allocator.free(Mfn(70));
    CHECK(allocator.allocate().value() == Mfn(70));
    CHECK(allocator.free_count() == 8);
}

TEST_CASE("reserved ranges are never handed out") {
    std::vector<uint64_t> bitmap(4);
    FrameAllocator allocator(bitmap);
    allocator.add_free_range(Mfn(0), Mfn(256));
    allocator.reserve_range(Mfn(0), Mfn(200));
    for (int i = 0; i < 56; ++i) CHECK(allocator.allocate().value().raw() >= 200);
    CHECK(allocator.allocate().is_error());
}

TEST_CASE("ranges beyond the bitmap are ignored") {
    std::vector<uint64_t> bitmap(1);
    FrameAllocator allocator(bitmap);
    allocator.add_free_range(Mfn(60), Mfn(1000));
    CHECK(allocator.free_count() == 4);
    CHECK(!allocator.is_free(Mfn(64)));
}

TEST_CASE("a contiguous run skips holes and leaves nothing behind when it cannot be found") {
    std::vector<uint64_t> bitmap(4);
    FrameAllocator allocator(bitmap);
    allocator.add_free_range(Mfn(10), Mfn(20));
    allocator.add_free_range(Mfn(30), Mfn(60));
    CHECK(allocator.allocate_contiguous(15).value() == Mfn(30));
    CHECK(allocator.free_count() == 25);
    CHECK(allocator.allocate_contiguous(16).is_error());
    CHECK(allocator.free_count() == 25);
    CHECK(allocator.allocate_contiguous(0).error_code() == abi::Errno::Inval);
}
