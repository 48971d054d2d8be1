// SPDX-License-Identifier: MIT
// The MMU's seam to machine memory: a frame's contents, by machine frame number.
#pragma once

#include <cstdint>

#include "mm/frame.hpp"

namespace hv {

/// How the page-type code reads and writes page tables: through the direct map in the
/// image, through a byte buffer in host tests.
class FrameMemory {
public:
    /// The 512 entries of the frame, seen as a page table. @pre the frame exists.
    virtual uint64_t* entries(Mfn mfn) = 0;
    /// Record M2P[mfn] = gfn in the machine-to-phys table guests read.
    virtual void set_m2p(Mfn mfn, uint64_t gfn) = 0;

    uint8_t* bytes(Mfn mfn) { return reinterpret_cast<uint8_t*>(entries(mfn)); }

protected:
    ~FrameMemory() = default;
};

}  // namespace hv
