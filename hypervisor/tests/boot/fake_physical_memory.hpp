// SPDX-License-Identifier: MIT
// A fake physical memory for the boot parsers' tests: a few readable ranges, holes elsewhere.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "boot/multiboot.hpp"

namespace fakes {

class FakePhysicalMemory final : public hv::boot::PhysicalMemory {
public:
    /// Make [base, base + size) readable, zero-filled.
    void add_range(uint64_t base, size_t size) { ranges_.push_back(Range{base, std::vector<uint8_t>(size)}); }

    std::span<const uint8_t> view(uint64_t phys, size_t length) const override {
        for (const Range& range : ranges_) {
            if (phys < range.base || phys - range.base > range.bytes.size()) continue;
            size_t offset = phys - range.base;
            if (length > range.bytes.size() - offset) continue;
            return {range.bytes.data() + offset, length};
        }
        return {};
    }

    void write(uint64_t phys, const void* data, size_t length) {
        for (Range& range : ranges_) {
            if (phys < range.base || phys - range.base + length > range.bytes.size()) continue;
            std::memcpy(range.bytes.data() + (phys - range.base), data, length);
            return;
        }
        FAIL("test bug: writing outside the fake's ranges");
    }
    void write_u32(uint64_t phys, uint32_t value) { write(phys, &value, sizeof value); }
    void write_u64(uint64_t phys, uint64_t value) { write(phys, &value, sizeof value); }
    /// The string and its NUL.
    void write_string(uint64_t phys, const std::string& text) { write(phys, text.c_str(), text.size() + 1); }

private:
    struct Range {
        uint64_t base;
        std::vector<uint8_t> bytes;
    };
    std::vector<Range> ranges_;
};

}  // namespace fakes
