// SPDX-License-Identifier: MIT
// Page types and reference counts (see page_types.hpp for the model).
#include "mm/page_types.hpp"

#include "lib/assert.hpp"
#include "mm/descriptor_rules.hpp"
#include "mm/pte.hpp"
#include "mm/pte_rules.hpp"

namespace hv {

PageTypes::PageTypes(FrameTable& frames, FrameMemory& memory, std::span<const uint64_t> hypervisor_slots)
    : frames_(frames), memory_(memory), hypervisor_slots_(hypervisor_slots) {}

void PageTypes::Stack::push(Walk walk) {
    if (depth == kMaxDepth) lib::panic("page types: walk deeper than {} tables", kMaxDepth);
    walks[depth++] = walk;
}

bool PageTypes::skipped(unsigned level, unsigned index) const {
    return level == 4 && pte_rules::is_hypervisor_l4_slot(index);
}

lib::ErrorOr<void> PageTypes::get_page(Mfn mfn, DomId owner) {
    // Xen's get_page_from_mfn: any frame that is not the domain's RAM is -EINVAL (an L1
    // entry answers differently, see get_leaf).
    if (!frames_.contains(mfn)) return lib::error(abi::Errno::Inval, "frame is not RAM");
    if (!frames_.owned_by(mfn, owner)) return lib::error(abi::Errno::Inval, "frame is not the domain's");
    FrameInfo& info = frames_[mfn];
    if (info.ref_count == UINT32_MAX) return lib::error(abi::Errno::Inval, "reference count would overflow");
    ++info.ref_count;
    return {};
}

void PageTypes::put_page(Mfn mfn) {
    FrameInfo& info = frames_[mfn];
    if (info.ref_count == 0) lib::panic("page types: mfn {:#x} has no reference to put", mfn);
    --info.ref_count;
}

lib::ErrorOr<void> PageTypes::get_type(Mfn mfn, FrameType type, DomId owner) {
    FrameInfo& info = frames_[mfn];
    if (info.type_count > 0) {
        if (info.type != type) {
            if (type == FrameType::Writable) return lib::error(abi::Errno::Busy, "frame is a page table or descriptor page");
            return lib::error(abi::Errno::Inval, "frame is in use as another type");
        }
        if (is_page_table(type) && !(info.flags & kFrameValidated))
            return lib::error(abi::Errno::Inval, "frame is being validated (a loop of tables)");
        if (info.type_count == UINT32_MAX) return lib::error(abi::Errno::Inval, "type count would overflow");
        ++info.type_count;
        return {};
    }
    info.type = type;
    info.type_count = 1;
    info.flags &= static_cast<uint8_t>(~kFrameValidated);
    if (type == FrameType::SegDesc) return validate_descriptors(mfn);
    if (!is_page_table(type)) {
        info.flags |= kFrameValidated;
        return {};
    }
    return validate(mfn, level_of(type), owner);
}

lib::ErrorOr<void> PageTypes::validate_descriptors(Mfn mfn) {
    // A descriptor page holds no references, so a refusal only has to take the type back
    // (the descriptors check_page already rewrote stay rewritten, as on Xen).
    FrameInfo& info = frames_[mfn];
    auto checked = descriptor_rules::check_page(memory_.entries(mfn));
    if (checked.is_error()) {
        info.type = FrameType::None;
        info.type_count = 0;
        return checked;
    }
    info.flags |= kFrameValidated;
    return {};
}

void PageTypes::put_type(Mfn mfn) {
    Stack releases;
    drop_type(mfn, releases);
    run_releases(releases);
}

lib::ErrorOr<void> PageTypes::get_page_and_type(Mfn mfn, FrameType type, DomId owner) {
    TRY(get_page(mfn, owner));
    auto typed = get_type(mfn, type, owner);
    if (typed.is_error()) put_page(mfn);
    return typed;
}

void PageTypes::put_page_and_type(Mfn mfn) {
    put_type(mfn);
    put_page(mfn);
}

lib::ErrorOr<void> PageTypes::get_leaf(uint64_t entry, DomId owner) {
    const Mfn target = pte::mfn(entry);
    // Xen's get_page_from_l1e, checked against Xen 4.17 by the mmu-attacks boot test: a
    // frame that is not RAM needs I/O-memory rights (-EPERM, but INVALID_MFN, every bit of
    // the frame field, is -EINVAL); a frame of anyone else, the hypervisor included, is
    // "could not pin", -EBUSY (pinning or loading one as a table is get_page's -EINVAL).
    constexpr Mfn kInvalidMfn{(uint64_t{1} << 40) - 1};
    if (target == kInvalidMfn) return lib::error(abi::Errno::Inval, "INVALID_MFN");
    if (!frames_.contains(target))
        return lib::error(abi::Errno::Perm, "frame is not RAM, and the domain has no I/O-memory rights");
    if (get_page(target, owner).is_error()) return lib::error(abi::Errno::Busy, "frame is not the domain's");
    if (!pte::writable(entry)) return {};
    auto typed = get_type(target, FrameType::Writable, owner);
    if (typed.is_error()) put_page(target);
    return typed;
}

lib::ErrorOr<void> PageTypes::get_linear(Mfn holder, Mfn target, uint64_t entry, unsigned level) {
    if (pte::writable(entry)) return lib::error(abi::Errno::Inval, "a linear page-table entry must be read-only");
    FrameInfo& from = frames_[holder];
    FrameInfo& to = frames_[target];
    if (!(to.flags & kFrameValidated) || to.type != table_type(level))
        return lib::error(abi::Errno::Inval, "a linear entry must point at a validated table of its own level");
    if (from.linear_count < 0 || to.linear_count > 0)
        return lib::error(abi::Errno::Inval, "linear tables may not chain (Xen's linear_pt_count rule)");
    ++to.type_count;
    ++from.linear_count;
    --to.linear_count;
    return {};
}

lib::ErrorOr<void> PageTypes::get_entry(uint64_t entry, unsigned level, Mfn table, DomId owner) {
    if (level == 1) return get_leaf(entry, owner);
    const Mfn child = pte::mfn(entry);
    if (child == table) {
        // A self-reference: the table maps itself (read-only) and takes no reference.
        if (pte::writable(entry)) return lib::error(abi::Errno::Inval, "a linear page-table entry must be read-only");
        return {};
    }
    TRY(get_page(child, owner));
    const FrameInfo& info = frames_[child];
    lib::ErrorOr<void> taken = (info.type_count > 0 && info.type == table_type(level))
                                   ? get_linear(table, child, entry, level)
                                   : get_type(child, table_type(level - 1), owner);
    if (taken.is_error()) put_page(child);
    return taken;
}

void PageTypes::put_entry(uint64_t entry, unsigned level, Mfn table) {
    Stack releases;
    drop_entry(entry, level, table, releases);
    run_releases(releases);
}

}  // namespace hv
