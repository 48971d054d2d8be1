// SPDX-License-Identifier: MIT
// The PV MMU's operations (see mmu.hpp), following xen/arch/x86/mm.c: mod_l*_entry,
// do_mmu_update's MMU_MACHPHYS_UPDATE, and do_mmuext_op's pin/unpin/baseptr/page ops.
#include "mm/mmu.hpp"

#include "abi/layout.hpp"
#include "mm/descriptor_rules.hpp"
#include "mm/pte.hpp"
#include "mm/pte_rules.hpp"

namespace hv {
namespace {

// PageTypes answers a Writable type conflict with -EBUSY, as get_page_from_l1e does for a
// mapping. Everywhere else Xen calls get_page_type() itself and fails with -EINVAL
// (do_mmu_update's plain store, MMUEXT_CLEAR_PAGE, MMUEXT_COPY_PAGE).
lib::ErrorOr<void> as_get_page_type_error(lib::ErrorOr<void> result) {
    if (result.is_error() && result.error_code() == abi::Errno::Busy)
        return lib::error(abi::Errno::Inval, result.error().reason);
    return result;
}

}  // namespace

Mmu::Mmu(FrameTable& frames, FrameMemory& memory, std::span<const uint64_t> hypervisor_slots)
    : frames_(frames), memory_(memory), types_(frames, memory, hypervisor_slots) {}

lib::ErrorOr<bool> Mmu::update_entry(DomId caller, uint64_t entry_address, uint64_t value, EntryUpdate how,
                                     DomId page_owner) {
    const Mfn mfn(entry_address >> kPageShift);
    const unsigned index = static_cast<unsigned>((entry_address & (kPageSize - 1)) / sizeof(uint64_t));
    if (!frames_.owned_by(mfn, caller)) return lib::error(abi::Errno::Inval, "mmu_update of a frame that is not the domain's");
    const FrameInfo& info = frames_[mfn];
    if (is_page_table(info.type) && info.type_count > 0) {
        if (how == EntryUpdate::PreserveAd) {
            // update_intpte: the old A and D bits are added, never taken away.
            value |= memory_.entries(mfn)[index] & (pte::kAccessed | pte::kDirty);
        }
        return update_table_entry(caller, mfn, index, level_of(info.type), value, page_owner);
    }
    // Not a page table: a plain store, allowed where the guest could map the frame writable.
    TRY(as_get_page_type_error(types_.get_type(mfn, FrameType::Writable, caller)));
    memory_.entries(mfn)[index] = value;
    types_.put_type(mfn);
    return false;
}

lib::ErrorOr<bool> Mmu::update_table_entry(DomId caller, Mfn table, unsigned index, unsigned level, uint64_t value,
                                           DomId page_owner) {
    if (level == 4 && pte_rules::is_hypervisor_l4_slot(index))
        return lib::error(abi::Errno::Inval, "L4 slots 256-271 belong to the hypervisor");
    uint64_t& slot = memory_.entries(table)[index];
    const uint64_t old = slot;
    if (pte::present(value)) {
        TRY(pte_rules::check_flags(value, level));
        value = pte_rules::adjust(value, level);
        // Same frame, same writability: only flags change, the references stay.
        const bool same_references = pte::present(old) && pte::mfn(old) == pte::mfn(value) &&
                                     pte::writable(old) == pte::writable(value);
        if (!same_references) TRY(types_.get_entry(value, level, table, level == 1 ? page_owner : caller));
        slot = value;
        if (!same_references && pte::present(old)) types_.put_entry(old, level, table);
        return true;
    }
    slot = value;
    if (pte::present(old)) types_.put_entry(old, level, table);
    return pte::present(old);
}

lib::ErrorOr<void> Mmu::update_machphys(DomId caller, Mfn mfn, uint64_t gfn) {
    if (!frames_.owned_by(mfn, caller)) return lib::error(abi::Errno::Inval, "M2P update of a frame that is not the domain's");
    memory_.set_m2p(mfn, gfn);
    return {};
}

lib::ErrorOr<void> Mmu::pin(DomId caller, Mfn mfn, FrameType type) {
    TRY(types_.get_page_and_type(mfn, type, caller));
    FrameInfo& info = frames_[mfn];
    if (info.flags & kFramePinned) {
        types_.put_page_and_type(mfn);
        return lib::error(abi::Errno::Inval, "table is already pinned");
    }
    info.flags |= kFramePinned;
    return {};
}

lib::ErrorOr<void> Mmu::unpin(DomId caller, Mfn mfn) {
    if (!frames_.owned_by(mfn, caller)) return lib::error(abi::Errno::Inval, "unpin of a frame that is not the domain's");
    FrameInfo& info = frames_[mfn];
    if (!(info.flags & kFramePinned)) return lib::error(abi::Errno::Inval, "table is not pinned");
    info.flags &= static_cast<uint8_t>(~kFramePinned);
    types_.put_page_and_type(mfn);
    return {};
}

lib::ErrorOr<void> Mmu::replace_base(DomId caller, Mfn next, Mfn& current, bool allow_none) {
    const bool none = next.raw() == 0 && allow_none;
    if (!none) TRY(types_.get_page_and_type(next, FrameType::L4, caller));
    if (current.raw() != 0) types_.put_page_and_type(current);
    current = none ? Mfn(0) : next;
    return {};
}

lib::ErrorOr<void> Mmu::replace_descriptor_frames(DomId caller, std::span<const Mfn> next,
                                                  std::span<const Mfn> current) {
    // Xen's pv_set_gdt: every new frame first, so that a refusal leaves the old GDT as it was.
    for (size_t taken = 0; taken < next.size(); ++taken) {
        auto typed = as_get_page_type_error(types_.get_page_and_type(next[taken], FrameType::SegDesc, caller));
        if (typed.is_error()) {
            for (size_t i = 0; i < taken; ++i) types_.put_page_and_type(next[i]);
            return typed;
        }
    }
    for (const Mfn old : current) types_.put_page_and_type(old);
    return {};
}

lib::ErrorOr<void> Mmu::update_descriptor(DomId caller, uint64_t address, uint64_t descriptor) {
    // Xen's do_update_descriptor: the address and the descriptor first, then the frame.
    if (address % sizeof(uint64_t) != 0)
        return lib::error(abi::Errno::Inval, "descriptor address is not 8-byte aligned");
    const uint64_t stored = TRY(descriptor_rules::check(descriptor));
    const Mfn mfn(address >> kPageShift);
    TRY(types_.get_page(mfn, caller));
    // A descriptor page keeps its type; any other frame must be one the guest could map
    // writable (so never a page table).
    const FrameInfo& info = frames_[mfn];
    const bool descriptor_page = info.type == FrameType::SegDesc && info.type_count > 0;
    const FrameType type = descriptor_page ? FrameType::SegDesc : FrameType::Writable;
    auto typed = as_get_page_type_error(types_.get_type(mfn, type, caller));
    if (typed.is_error()) {
        types_.put_page(mfn);
        return typed;
    }
    memory_.entries(mfn)[(address & (kPageSize - 1)) / sizeof(uint64_t)] = stored;
    types_.put_page_and_type(mfn);
    return {};
}

lib::ErrorOr<L1Slot> Mmu::find_l1(Mfn l4, uint64_t va) {
    const bool canonical = va < (uint64_t{1} << 47) || va >= abi::kHypervisorVirtEnd;
    if (!canonical) return lib::error(abi::Errno::Inval, "address is not the guest's (non-canonical or hypervisor range)");
    Mfn table = l4;
    for (unsigned level = 4; level > 1; --level) {
        const uint64_t entry = memory_.entries(table)[pte::index(va, level)];
        if (!pte::present(entry) || (entry & pte::kPageSizeFlag))
            return lib::error(abi::Errno::Inval, "no L1 table covers the address");
        table = pte::mfn(entry);
    }
    return L1Slot{table, pte::index(va, 1)};
}

lib::ErrorOr<void> Mmu::clear_page(DomId caller, Mfn mfn) {
    TRY(as_get_page_type_error(types_.get_page_and_type(mfn, FrameType::Writable, caller)));
    __builtin_memset(memory_.bytes(mfn), 0, kPageSize);
    types_.put_page_and_type(mfn);
    return {};
}

lib::ErrorOr<void> Mmu::copy_page(DomId caller, Mfn destination, Mfn source) {
    TRY(types_.get_page(source, caller));
    auto writable = as_get_page_type_error(types_.get_page_and_type(destination, FrameType::Writable, caller));
    if (writable.is_error()) { types_.put_page(source); return writable; }
    __builtin_memcpy(memory_.bytes(destination), memory_.bytes(source), kPageSize);
    types_.put_page_and_type(destination);
    types_.put_page(source);
    return {};
}

}  // namespace hv
