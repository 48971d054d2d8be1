// SPDX-License-Identifier: MIT
// The frame table's bookkeeping (see frame_table.hpp for the model).
#include "mm/frame_table.hpp"

#include "lib/assert.hpp"

namespace hv {

const char* frame_type_name(FrameType type) {
    switch (type) {
    case FrameType::None: return "none";
    case FrameType::L1: return "l1";
    case FrameType::L2: return "l2";
    case FrameType::L3: return "l3";
    case FrameType::L4: return "l4";
    case FrameType::SegDesc: return "seg_desc";
    case FrameType::Writable: return "writable";
    }
    return "?";
}

FrameTable::FrameTable(std::span<FrameInfo> frames) : frames_(frames) {
    for (FrameInfo& frame : frames_) frame = FrameInfo{0, 0, kDomIdInvalid.raw(), FrameType::None, 0, 0};
}

FrameInfo& FrameTable::operator[](Mfn mfn) {
    ASSERT(contains(mfn));
    return frames_[mfn.raw()];
}

const FrameInfo& FrameTable::operator[](Mfn mfn) const {
    ASSERT(contains(mfn));
    return frames_[mfn.raw()];
}

void FrameTable::assign(Mfn mfn, DomId owner) {
    FrameInfo& frame = (*this)[mfn];
    if (frame.flags & kFrameAllocated) lib::panic("frame table: mfn {:#x} assigned twice", mfn);
    frame = FrameInfo{1, 0, owner.raw(), FrameType::None, kFrameAllocated, 0};
}

void FrameTable::release(Mfn mfn) {
    (*this)[mfn] = FrameInfo{0, 0, kDomIdInvalid.raw(), FrameType::None, 0, 0};
}

bool FrameTable::owned_by(Mfn mfn, DomId domain) const {
    return contains(mfn) && ((*this)[mfn].flags & kFrameAllocated) && (*this)[mfn].owner == domain.raw();
}

}  // namespace hv
