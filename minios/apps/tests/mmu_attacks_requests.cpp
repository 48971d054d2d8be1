// SPDX-License-Identifier: MIT
// MMU attacks on mmu_update itself: bad commands and targets, foreign domains, a failing batch, the count's bit 31.
//
// do_mmu_update (xen/arch/x86/mm.c) takes the command from the low 3 bits of ptr
// (4-7: -ENOSYS), refuses a ptr into a frame the domain does not own (-EINVAL) and an
// M2P update of such a frame (-EINVAL), and looks the foreign domain up first (-ESRCH).
// A batch stops at the first failure, whose error it returns, with *done = the number
// of requests that took effect before it. Bit 31 of the count is Xen's own marker of a
// continued call: Xen then adds to the *done it finds in guest memory.
#include "apps/tests/mmu_attacks.hpp"

namespace minios::attacks {
namespace {

constexpr uint64_t kReadOnly = kPresent | kAccessed;
/// The bit of mmu_update's count that marks a continuation (MMU_UPDATE_PREEMPTED).
constexpr uint32_t kPreemptedMarker = 1u << 31;

/// Allowed: to a frame that is no page table, mmu_update is a plain store.
void try_plain_stores(const Target& target) {
    abi::MmuUpdate stores[4];
    for (uint64_t i = 0; i < 4; ++i) stores[i] = {entry_address(target.scratch.data_a, i), 0x600D'0000 + i};
    uint32_t done = 0;
    expect_result("plain-stores-into-own-data-frame (allowed)", "mmu_update x4", mmu_update(stores, 4, &done), kOk);
    check("done = 4", done == 4);
}

void try_simple_requests(const Target& target) {
    const Window& window = target.windows[0];
    // ptr + 4: an entry address that is not 8-byte aligned reads as command 4.
    expect_result("mmu-update-command-4 (entry address + 4)", "mmu_update",
                  mmu_update_one(window.entry_address() + 4, entry_for(target.scratch.data_a, kReadOnly)), kNoSys);
    expect_result("store-into-hypervisor-frame", "mmu_update",
                  mmu_update_one(entry_address(target.hypervisor_mfn, 0), 0), kInval);
    const uint64_t machphys = static_cast<uint64_t>(abi::MmuUpdateCommand::MachphysUpdate);
    expect_result("m2p-update-of-hypervisor-frame", "mmu_update(machphys_update)",
                  mmu_update_one(entry_address(target.hypervisor_mfn, 0) | machphys, 0), kInval);
    expect_result("map-frame-of-a-domain-that-does-not-exist", "mmu_update(foreigndom 0x7fef)",
                  mmu_update_one(window.entry_address(), entry_for(target.scratch.data_a, kReadOnly), kNoSuchDomain),
                  kSrch);
    if (window.current() != window.original) check("the refused requests left the window unchanged", false);
}

/// Three requests; the third maps an L1 writable. The first two must stay done.
void try_batch_failing_at_third(const Target& target) {
    const Window* windows = target.windows;
    const abi::MmuUpdate batch[3] = {
        {windows[0].entry_address(), entry_for(target.scratch.data_a, kReadOnly)},
        {windows[1].entry_address(), entry_for(target.scratch.data_b, kReadOnly)},
        {windows[2].entry_address(), entry_for(target.l1, kPresent | kWritable | kAccessed)},
    };
    uint32_t done = 0xDEAD;
    expect_result("batch-whose-third-request-maps-an-l1-writable", "mmu_update x3", mmu_update(batch, 3, &done), kBusy);
    check("done = 2", done == 2);
    check("requests 1 and 2 took effect, 3 did not",
          frame_of(windows[0].current()) == target.scratch.data_a &&
              frame_of(windows[1].current()) == target.scratch.data_b && windows[2].current() == windows[2].original);
    for (int i = 0; i < 2; ++i)
        expect_step("mmu_update restoring a window", mmu_update_one(windows[i].entry_address(), windows[i].original));
    flush_tlb();
}

/// Allowed, and strange: with bit 31 set, Xen strips it and counts on from *done.
void try_count_with_bit_31(const Target& target) {
    const Window& window = target.windows[0];
    const abi::MmuUpdate rewrite{window.entry_address(), window.original};
    uint32_t done = 5;
    expect_result("count-with-bit-31 (allowed: a continuation)", "mmu_update(count 0x80000001)",
                  mmu_update(&rewrite, kPreemptedMarker | 1, &done), kOk);
    check("done = 5 + 1", done == 6);
    check("the window is unchanged", window.current() == window.original);
}

}  // namespace

void attack_mmu_update_requests(const Target& target) {
    try_plain_stores(target);
    try_simple_requests(target);
    try_batch_failing_at_third(target);
    try_count_with_bit_31(target);
}

}  // namespace minios::attacks
