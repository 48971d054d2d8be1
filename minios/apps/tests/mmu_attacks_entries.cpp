// SPDX-License-Identifier: MIT
// MMU attacks on single page-table entries through mmu_update: hostile L1 entries, then L2, L3 and L4 entries.
//
// Xen's rules (xen/arch/x86/mm.c): an L1 entry may map only a frame the domain owns
// (get_page_from_l1e: -EBUSY for a frame of another owner or of none, -EPERM for I/O
// memory the domain may not map, -EINVAL for INVALID_MFN), and only read-only if that
// frame is a page table (-EBUSY); disallowed flag bits are -EINVAL, checked before
// anything else; L4 slots 256-271 are the hypervisor's (-EINVAL, mod_l4_entry); a
// recursive entry must be read-only and of the same level (-EINVAL otherwise).
#include "apps/tests/mmu_attacks.hpp"

namespace minios::attacks {
namespace {

/// A hostile value for one entry, and Xen's answer.
struct EntryAttack {
    const char* name;
    uint64_t table;   ///< MFN of the table holding the entry
    uint64_t index;   ///< which entry
    uint64_t value;
    int64_t expected;
};

/// Try it; a refusal must leave the entry as it was.
int64_t run(const EntryAttack& attack) {
    const uint64_t before = table_of(attack.table)[attack.index];
    const int64_t result = mmu_update_one(entry_address(attack.table, attack.index), attack.value);
    expect_result(attack.name, "mmu_update", result, attack.expected);
    if (result != kOk && table_of(attack.table)[attack.index] != before)
        check("a refused update left the entry unchanged", false);
    return result;
}

constexpr uint64_t kReadOnly = kPresent | kAccessed;
constexpr uint64_t kReadWrite = kPresent | kWritable | kAccessed;
/// How a guest links one table into the next level up.
constexpr uint64_t kTableLink = kPresent | kWritable | kUser | kAccessed;
/// An MFN 2^51 bytes up: above the CPU's physical address width, where even dom0's right
/// to map I/O memory ends, but not INVALID_MFN. Xen: I/O space it may not map, -EPERM.
constexpr uint64_t kBeyondAddressWidth = uint64_t{1} << 39;
/// All 40 frame bits set: Xen's INVALID_MFN (PADDR_MASK >> PAGE_SHIFT), answered -EINVAL, not -EPERM.
constexpr uint64_t kAllOnesMfn = (uint64_t{1} << 40) - 1;

/// The address at which the L4 maps itself when entry `slot` points back at it.
uint64_t recursive_l4_va(uint64_t slot) {
    uint64_t va = (slot << 39) | (slot << 30) | (slot << 21) | (slot << 12);
    if (slot >= 256) va |= 0xFFFF'0000'0000'0000;  // canonical: bits 63-48 copy bit 47
    return va;
}

/// Allowed by Xen: an L4 entry that maps the L4 itself read-only (a linear page table).
/// Read the L4 through it, then remove it.
void try_read_only_recursive_l4(const Target& target) {
    const EntryAttack attack{"read-only-recursive-l4 (allowed)", target.l4, target.free_l4_slot,
                             entry_for(target.l4, kPresent | kUser | kAccessed), kOk};
    if (run(attack) != kOk) return;
    const auto* through_itself = reinterpret_cast<const volatile uint64_t*>(recursive_l4_va(target.free_l4_slot));
    check("the L4 read through its recursive entry is the L4",
          through_itself[0] == table_of(target.l4)[0] && frame_of(through_itself[target.free_l4_slot]) == target.l4);
    expect_step("mmu_update removing the recursive entry",
                mmu_update_one(entry_address(target.l4, target.free_l4_slot), 0));
    flush_tlb();
}

/// An L1 entry for the first window that Xen may accept: undone when it is.
void run_on_window(const Target& target, const char* name, uint64_t value, int64_t expected) {
    const Window& window = target.windows[0];
    if (run({name, window.l1_mfn, window.index, value, expected}) != kOk) return;
    expect_step("mmu_update restoring the window", mmu_update_one(window.entry_address(), window.original));
    flush_tlb();
}

/// Xen allows cache attributes in L1 entries only to domains with I/O capabilities
/// (l1_disallow_mask): dom0 on Xen may, an unprivileged domain gets -EINVAL.
void try_cache_disable(const Target& target) {
    run_on_window(target, "cache-disable-bit-at-l1", entry_for(target.scratch.uncached, kReadOnly | kCacheDisable),
                  target.has_io_capabilities ? kOk : kInval);
}

/// Bit 62 is Xen's _PAGE_GNTTAB only in debug builds (asm/page.h: it is 0 under NDEBUG),
/// which refuse it in a guest's L1 entry with -EINVAL. A release build such as Debian's
/// Xen 4.17, the oracle here, treats it as one of the software bits 52-62: allowed.
void try_bit_62(const Target& target) {
    run_on_window(target, "bit-62-at-l1 (allowed by release builds)",
                  entry_for(target.scratch.data_a, kReadOnly | kGrantMapping), kOk);
}

}  // namespace

void attack_l1_entries(const Target& target) {
    const Window& window = target.windows[0];
    const uint64_t l1 = window.l1_mfn, slot = window.index;
    const EntryAttack attacks[] = {
        {"map-hypervisor-frame", l1, slot, entry_for(target.hypervisor_mfn, kReadOnly), kBusy},
        {"writable-mapping-of-own-l1", l1, slot, entry_for(target.l1, kReadWrite), kBusy},
        {"writable-mapping-of-own-l2", l1, slot, entry_for(target.l2, kReadWrite), kBusy},
        {"writable-mapping-of-own-l3", l1, slot, entry_for(target.l3, kReadWrite), kBusy},
        {"writable-mapping-of-own-l4", l1, slot, entry_for(target.l4, kReadWrite), kBusy},
        {"map-frame-beyond-address-width", l1, slot, entry_for(kBeyondAddressWidth, kReadOnly), kPerm},
        {"map-invalid-mfn", l1, slot, entry_for(kAllOnesMfn, kReadOnly), kInval},
    };
    for (const EntryAttack& attack : attacks) run(attack);
    // The M2P's frames belong to DOMID_XEN: another owner, so -EBUSY without naming it.
    if (target.m2p_mfn != 0)
        run({"map-m2p-frame-of-domid-xen", l1, slot, entry_for(target.m2p_mfn, kReadOnly), kBusy});
    else
        skip_attack("map-m2p-frame-of-domid-xen", "no M2P frame known");
    try_cache_disable(target);
    try_bit_62(target);
}

// Each hostile value differs from one Xen accepts in the one thing under attack: the
// same entry without PSE or G links the domain's own next-level table again, and
// without RW the recursive entries are valid linear page tables.
void attack_upper_entries(const Target& target) {
    const uint64_t l4_slot = target.free_l4_slot, l3_slot = target.free_l3_slot, l2_slot = target.free_l2_slot;
    const EntryAttack attacks[] = {
        {"clear-hypervisor-l4-slot-256", target.l4, 256, 0, kInval},
        {"redirect-hypervisor-l4-slot-261", target.l4, 261, entry_for(target.l3, kTableLink), kInval},
        {"fill-hypervisor-l4-slot-271", target.l4, 271, table_of(target.l4)[0], kInval},
        {"writable-recursive-l4", target.l4, l4_slot, entry_for(target.l4, kTableLink), kInval},
        {"writable-recursive-l2", target.l2, l2_slot, entry_for(target.l2, kTableLink), kInval},
        {"l4-entry-pointing-at-an-l1", target.l4, l4_slot, entry_for(target.l1, kTableLink), kInval},
        {"superpage-at-l2", target.l2, l2_slot, entry_for(target.l1, kTableLink | kDirty | kPageSize), kInval},
        {"superpage-at-l3", target.l3, l3_slot, entry_for(target.l2, kTableLink | kDirty | kPageSize), kInval},
        {"global-bit-at-l2", target.l2, l2_slot, entry_for(target.l1, kTableLink | kGlobal), kInval},
        {"global-bit-at-l4", target.l4, l4_slot, entry_for(target.l3, kTableLink | kGlobal), kInval},
    };
    for (const EntryAttack& attack : attacks) run(attack);
    try_read_only_recursive_l4(target);
}

}  // namespace minios::attacks
