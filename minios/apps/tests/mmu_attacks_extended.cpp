// SPDX-License-Identifier: MIT
// MMU attacks through mmuext_op (pin, unpin, new base pointer, LDT, unknown commands) and update_va_mapping.
//
// do_mmuext_op (xen/arch/x86/mm.c): pinning takes a type reference, so a frame that is
// mapped writable, is another table type, is not the domain's, or does not validate
// cannot be pinned (-EINVAL; a validation failure passes its own error up, e.g. -EBUSY);
// pinning twice or unpinning an unpinned table is -EINVAL. NEW_BASEPTR validates the
// frame as an L4 (-EINVAL). SET_LDT wants a page-aligned guest address and at most 8192
// entries (-EINVAL). Unknown commands are -ENOSYS; MARK_SUPER is -EOPNOTSUPP.
// update_va_mapping (__do_update_va_mapping) finds the L1 through the tables in use:
// -EINVAL when there is none or the address is the hypervisor's, else as mmu_update.
#include "abi/memory.hpp"
#include "apps/tests/mmu_attacks.hpp"
#include "arch/x86_64/hypercall.hpp"

namespace minios::attacks {
namespace {

using Command = abi::MmuextCommand;

/// Mmuext command 14 has never been assigned.
constexpr auto kUnassignedCommand = static_cast<Command>(14);
/// SET_LDT's limit on entries (Xen: ents > 8192 is refused).
constexpr uint64_t kMaxLdtEntries = 8192;
/// An address inside the hypervisor's range (its direct map).
constexpr uint64_t kHypervisorVa = 0xFFFF'8300'0000'0000;
/// An address no L2 or L1 covers: the start-of-day region is far below it.
constexpr uint64_t kUnmappedVa = 0x0000'4000'0000'0000;
constexpr uint64_t kReadOnly = kPresent | kAccessed;

void try_pinning(const Target& target) {
    expect_result("pin-frame-mapped-writable-as-l1", "mmuext_op(pin_l1_table)",
                  mmuext(Command::PinL1Table, target.windows[0].own_mfn), kInval);
    expect_result("unpin-an-unpinned-l1", "mmuext_op(unpin_table)", mmuext(Command::UnpinTable, target.l1), kInval);
    if (expect_step("mmuext_op(pin_l1_table) of the L1 in use", mmuext(Command::PinL1Table, target.l1))) {
        expect_result("pin-an-l1-twice", "mmuext_op(pin_l1_table)", mmuext(Command::PinL1Table, target.l1), kInval);
        expect_step("mmuext_op(unpin_table) of that L1", mmuext(Command::UnpinTable, target.l1));
    } else {
        skip_attack("pin-an-l1-twice", "the first pin failed");
    }
    if (target.scratch_ready)
        expect_result("pin-l1-that-maps-the-l4-writable", "mmuext_op(pin_l1_table)",
                      mmuext(Command::PinL1Table, target.scratch.bad_l1), kBusy);
    else
        skip_attack("pin-l1-that-maps-the-l4-writable", "the scratch frames are not ready");
    expect_result("pin-hypervisor-frame-as-l4", "mmuext_op(pin_l4_table)",
                  mmuext(Command::PinL4Table, target.hypervisor_mfn), kInval);
    // shared_info is the domain's, but the hypervisor writes into it (event bits, time,
    // CR2): it must never become a page table, or those writes would be PTEs.
    expect_result("pin-shared-info-as-l1", "mmuext_op(pin_l1_table)",
                  mmuext(Command::PinL1Table, target.shared_info_mfn), kInval);
    abi::FrameNumber extent = target.shared_info_mfn;
    abi::MemoryReservation give_back{{reinterpret_cast<uint64_t>(&extent)}, 1, 0, 0, abi::kDomidSelf, {}};
    // Xen counts the extent done (it drops the guest's allocation reference) but keeps
    // the frame; what matters is the pin above and that the hypervisor stays safe.
    expect_result("decrease-reservation-of-shared-info (1 extent)", "memory_op(decrease_reservation)",
                  raw_hypercall(abi::Hypercall::MemoryOp, static_cast<uint64_t>(abi::MemoryOp::DecreaseReservation),
                                reinterpret_cast<uint64_t>(&give_back)),
                  1);
    // Allowed by Xen: the builder pinned the L4 (Xen's dom0 builder and libxenguest
    // both do); unpinning it drops only the pin, CR3 still holds the table.
    if (expect_result("unpin-the-l4-in-use (allowed)", "mmuext_op(unpin_table)",
                      mmuext(Command::UnpinTable, target.l4), kOk))
        expect_step("mmuext_op(pin_l4_table) pinning it again", mmuext(Command::PinL4Table, target.l4));
}

void try_new_baseptr(const Target& target) {
    if (target.scratch_ready)
        expect_result("new-baseptr-to-a-garbage-frame", "mmuext_op(new_baseptr)",
                      mmuext(Command::NewBaseptr, target.scratch.garbage), kInval);
    else
        skip_attack("new-baseptr-to-a-garbage-frame", "the scratch frames are not ready");
    expect_result("new-baseptr-to-an-l1", "mmuext_op(new_baseptr)", mmuext(Command::NewBaseptr, target.l1), kInval);
    expect_result("new-baseptr-to-hypervisor-frame", "mmuext_op(new_baseptr)",
                  mmuext(Command::NewBaseptr, target.hypervisor_mfn), kInval);
    if (target.m2p_mfn != 0)
        expect_result("new-baseptr-to-m2p-frame-of-domid-xen", "mmuext_op(new_baseptr)",
                      mmuext(Command::NewBaseptr, target.m2p_mfn), kInval);
    else
        skip_attack("new-baseptr-to-m2p-frame-of-domid-xen", "no M2P frame known");
}

void try_ldt_and_unknown(const Target& target) {
    const uint64_t va = target.windows[0].va;
    expect_result("set-ldt-misaligned", "mmuext_op(set_ldt)", mmuext(Command::SetLdt, va + 8, 1), kInval);
    expect_result("set-ldt-too-many-entries", "mmuext_op(set_ldt)",
                  mmuext(Command::SetLdt, va, kMaxLdtEntries + 1), kInval);
    expect_result("set-ldt-in-hypervisor-range", "mmuext_op(set_ldt)", mmuext(Command::SetLdt, kHypervisorVa, 1),
                  kInval);
    expect_result("mmuext-command-14", "mmuext_op(14)", mmuext(kUnassignedCommand, 0), kNoSys);
    expect_result("mark-super", "mmuext_op(mark_super)",
                  mmuext(Command::MarkSuper, target.windows[0].own_mfn), kOpNotSupp);
}

}  // namespace

void attack_extended_ops(const Target& target) {
    try_pinning(target);
    try_new_baseptr(target);
    try_ldt_and_unknown(target);
}

void attack_va_mappings(const Target& target) {
    const Window& window = target.windows[0];
    const uint64_t data = entry_for(target.scratch.data_a, kReadOnly);
    expect_result("update-va-mapping-in-hypervisor-range", "update_va_mapping",
                  update_va_mapping(kHypervisorVa, data, abi::kUvmfInvlpg), kInval);
    expect_result("update-va-mapping-where-no-l1-is", "update_va_mapping",
                  update_va_mapping(kUnmappedVa, data, abi::kUvmfInvlpg), kInval);
    expect_result("update-va-mapping-of-own-l1-writable", "update_va_mapping",
                  update_va_mapping(window.va, entry_for(target.l1, kReadOnly | kWritable), abi::kUvmfInvlpg), kBusy);
    expect_result("update-va-mapping-for-a-domain-that-does-not-exist", "update_va_mapping_otherdomain(0x7fef)",
                  update_va_mapping_otherdomain(window.va, data, abi::kUvmfInvlpg, kNoSuchDomain), kSrch);
    check("the window is unchanged after all attacks", window.current() == window.original);
}

}  // namespace minios::attacks
