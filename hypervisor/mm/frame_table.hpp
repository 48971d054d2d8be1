// SPDX-License-Identifier: MIT
// The frame table: one record per machine frame, Xen's struct page_info in spirit.
//
// Theory of operation (the rules the PV MMU enforces are built on these counts):
// - owner: the domain the frame belongs to, kDomIdXen for the hypervisor's own frames,
//   kDomIdInvalid when free.
// - ref_count: general references. Allocation to a domain holds one; every page-table
//   entry that maps the frame holds one.
// - type and type_count: what the frame is used as. A frame mapped writable anywhere has
//   type Writable; a frame referenced as a page table by a higher-level entry (or pinned,
//   or loaded as a base pointer) has type L1..L4; a GDT/LDT frame has type SegDesc. The
//   type can change only when type_count is zero, which is why a page-table frame can
//   never also be mapped writable: that is the whole of PV memory safety.
// Locks: one CPU for now; the MMU issue adds the per-frame rules for concurrent updates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "mm/frame.hpp"

namespace hv {

/// A frame's use (Xen's PGT_* types).
enum class FrameType : uint8_t {
    None = 0,      // PGT_none
    L1 = 1,        // PGT_l1_page_table
    L2 = 2,        // PGT_l2_page_table
    L3 = 3,        // PGT_l3_page_table
    L4 = 4,        // PGT_l4_page_table
    SegDesc = 5,   // PGT_seg_desc_page
    Writable = 7,  // PGT_writable_page
};

const char* frame_type_name(FrameType type);

/// One machine frame's record. 16 bytes, so the table costs 0.4% of RAM.
struct FrameInfo {
    uint32_t ref_count;
    uint32_t type_count;
    uint16_t owner;          ///< DomId raw value
    FrameType type;
    uint8_t flags;           ///< kFrameAllocated | kFramePinned | kFrameValidated
    /// Linear (same-level) page-table references, Xen's signed linear_pt_count: > 0 this
    /// table holds that many linear entries; < 0 it is the target of that many. A table
    /// is never both, which keeps chains of linear tables one link long.
    int32_t linear_count;
};
static_assert(sizeof(FrameInfo) == 16);

inline constexpr uint8_t kFrameAllocated = 1 << 0;  ///< Xen's PGC_allocated: the owner's reference
inline constexpr uint8_t kFramePinned = 1 << 1;     ///< PGT_pinned: a pin holds one type reference
inline constexpr uint8_t kFrameValidated = 1 << 2;  ///< PGT_validated: contents checked as `type`

/// The table itself: a view over storage the caller provides (mapped at Xen's
/// FRAMETABLE_VIRT_START in the image, a vector in host tests).
class FrameTable {
public:
    FrameTable() = default;
    explicit FrameTable(std::span<FrameInfo> frames);

    bool contains(Mfn mfn) const { return mfn.raw() < frames_.size(); }
    /// @pre contains(mfn): callers check guest-supplied numbers first.
    FrameInfo& operator[](Mfn mfn);
    const FrameInfo& operator[](Mfn mfn) const;
    size_t size() const { return frames_.size(); }

    /// Record a frame as allocated to `owner` (one general reference, no type).
    void assign(Mfn mfn, DomId owner);
    /// Forget a frame's owner and counts (it returns to the allocator).
    void release(Mfn mfn);
    /// Is the frame owned by `domain`?
    bool owned_by(Mfn mfn, DomId domain) const;

private:
    std::span<FrameInfo> frames_;
};

}  // namespace hv
