// SPDX-License-Identifier: MIT
// The PV MMU's operations: what mmu_update, mmuext_op and update_va_mapping do, on typed
// arguments, after the hypercall layer has copied them in.
#pragma once

#include <cstdint>
#include <span>

#include "lib/error_or.hpp"
#include "mm/frame_memory.hpp"
#include "mm/page_types.hpp"

namespace hv {

/// How mmu_update writes an entry (the low bits of its `ptr`).
enum class EntryUpdate : uint8_t {
    Normal,      // MMU_NORMAL_PT_UPDATE
    PreserveAd,  // MMU_PT_UPDATE_PRESERVE_AD: keep the entry's Accessed and Dirty bits
};

/// Where update_va_mapping writes: the L1 entry that maps a virtual address.
struct L1Slot { Mfn table; unsigned index; };

class Mmu {
public:
    Mmu(FrameTable& frames, FrameMemory& memory, std::span<const uint64_t> hypervisor_slots);

    PageTypes& types() { return types_; }

    /// Write `value` into the entry at machine address `entry_address` of a frame the
    /// caller owns. In a page table the new entry is checked, adjusted as Xen adjusts it,
    /// and takes its references before the old one's are given back; in any other frame
    /// the caller could write itself, it is a plain store.
    /// @return whether the TLB may hold a stale translation now.
    /// `page_owner` owns the frames an L1 entry may map: the caller, or for a privileged
    /// caller (update_va_mapping_otherdomain) another domain.
    lib::ErrorOr<bool> update_entry(DomId caller, uint64_t entry_address, uint64_t value, EntryUpdate how,
                                    DomId page_owner);
    lib::ErrorOr<bool> update_entry(DomId caller, uint64_t entry_address, uint64_t value, EntryUpdate how) {
        return update_entry(caller, entry_address, value, how, caller);
    }
    /// MMU_MACHPHYS_UPDATE: M2P[mfn] = gfn, for a frame the caller owns.
    lib::ErrorOr<void> update_machphys(DomId caller, Mfn mfn, uint64_t gfn);

    /// MMUEXT_PIN_L*_TABLE: validate the table and hold it as `type` until unpinned.
    lib::ErrorOr<void> pin(DomId caller, Mfn mfn, FrameType type);
    /// MMUEXT_UNPIN_TABLE.
    lib::ErrorOr<void> unpin(DomId caller, Mfn mfn);
    /// NEW_BASEPTR / NEW_USER_BASEPTR: take `next` as an L4 (Mfn 0 with `allow_none` means
    /// "no table"), then let go of `current`, then store next in it.
    lib::ErrorOr<void> replace_base(DomId caller, Mfn next, Mfn& current, bool allow_none);

    /// set_gdt: take every frame of `next` as a descriptor page (a general and a SegDesc
    /// type reference each, which checks its 512 descriptors), all or none; then let go
    /// of the `current` ones. The caller records `next` in `current`'s place.
    /// @retval Inval a frame is not the caller's, is mapped writable or is a page table,
    ///         or holds a descriptor the rules refuse.
    lib::ErrorOr<void> replace_descriptor_frames(DomId caller, std::span<const Mfn> next,
                                                 std::span<const Mfn> current);
    /// update_descriptor: write one checked descriptor (stored as descriptor_rules::check
    /// returns it) at the 8-byte aligned machine address `address`, in a frame of the
    /// caller's that is a descriptor page or could be mapped writable.
    /// @retval Inval misaligned, refused by the rules, not the caller's frame, or a page table.
    lib::ErrorOr<void> update_descriptor(DomId caller, uint64_t address, uint64_t descriptor);

    /// The L1 entry that maps `va` in the tree under `l4`.
    /// @retval Inval the address is the hypervisor's, or no L1 covers it.
    lib::ErrorOr<L1Slot> find_l1(Mfn l4, uint64_t va);

    /// MMUEXT_CLEAR_PAGE / MMUEXT_COPY_PAGE on frames the caller owns and could write.
    lib::ErrorOr<void> clear_page(DomId caller, Mfn mfn);
    lib::ErrorOr<void> copy_page(DomId caller, Mfn destination, Mfn source);

private:
    lib::ErrorOr<bool> update_table_entry(DomId caller, Mfn table, unsigned index, unsigned level, uint64_t value,
                                          DomId page_owner);

    FrameTable& frames_;
    FrameMemory& memory_;
    PageTypes types_;
};

}  // namespace hv
