// SPDX-License-Identifier: MIT
// Writable page tables: direct writes to an entry of the lab L1, emulated by the hypervisor.
//
// With VMASST_TYPE_writable_pagetables enabled, a guest kernel's write to one of its own
// in-use L1 tables through a read-only mapping faults, and the hypervisor decodes the
// instruction, validates the new entry as mmu_update would, stores it, and resumes the
// guest after the instruction (XEN-PV-ABI.md 3.5; Xen: pv/ro-page-fault.c). The writes
// here are inline assembly, so that the instructions are exactly the ones named: a
// 64-bit MOV, a 32-bit MOV into the low half of an entry, and LOCK CMPXCHG, which
// either stores (ZF set) or loads the entry into RAX (ZF clear; the CPU faults on the
// write cycle either way). Every entry written is valid: an entry the hypervisor refused
// would leave the write unemulated, and this guest installs no trap handler: it would crash.
#include "apps/tests/mmu_features.hpp"

namespace minios::features {
namespace {

/// The entry the direct writes go to, and the page it maps.
constexpr unsigned kPtwrEntry = 5;
const mm::Vaddr kPtwrPage = Lab::page_address(kPtwrEntry);
/// The flags Xen stores for the entries written here (XEN-PV-ABI.md 3.3): USER and bit 52
/// added to a kernel entry.
constexpr uint64_t kUser = uint64_t{1} << 2;
constexpr uint64_t kGuestKernel = uint64_t{1} << 52;
constexpr uint64_t kStoredWritable = kPresent | kWritable | kUser | kAccessed | kDirty | kGuestKernel;
constexpr uint64_t kStoredReadOnly = kPresent | kUser | kAccessed | kDirty | kGuestKernel;

void store_64(volatile uint64_t* entry, uint64_t value) {
    asm volatile("movq %[value], (%[entry])" : : [value] "r"(value), [entry] "r"(entry) : "memory");
}

void store_32(volatile uint32_t* half, uint32_t value) {
    asm volatile("movl %[value], (%[half])" : : [value] "r"(value), [half] "r"(half) : "memory");
}

/// LOCK CMPXCHG: true (ZF) if *entry held `expected` and now holds `desired`; otherwise
/// `expected` receives what *entry holds.
bool compare_exchange(volatile uint64_t* entry, uint64_t& expected, uint64_t desired) {
    bool swapped;
    asm volatile("lock cmpxchgq %[desired], (%[entry])"
                 : "+a"(expected), "=@ccz"(swapped)
                 : [desired] "r"(desired), [entry] "r"(entry)
                 : "memory");
    return swapped;
}

volatile uint64_t* ptwr_entry(const Lab& lab) { return &lab.l1.words()[kPtwrEntry]; }

/// What each data frame holds for these checks: a different word at every offset.
uint64_t pattern(const Frame& frame, unsigned word) { return (frame.mfn.raw() << 32) ^ (word * 0x9E37'79B9u); }

void fill(const Frame& frame) {
    for (unsigned word = 0; word < mm::kPageSize / 8; ++word) frame.words()[word] = pattern(frame, word);
}

/// Whether the page at kPtwrPage shows `frame`'s words.
bool window_shows(const Frame& frame) {
    const auto* words = mm::pointer_to<volatile const uint64_t>(kPtwrPage);
    for (unsigned word = 0; word < mm::kPageSize / 8; ++word)
        if (words[word] != pattern(frame, word)) return false;
    return true;
}

/// Whether the entry maps `frame` with exactly the `stored` flags.
bool entry_is(uint64_t entry, const Frame& frame, uint64_t stored) { return entry == page_entry(frame, stored); }

void store_a_whole_entry(const Lab& lab) {
    const Frame& frame = lab.data[0];
    store_64(ptwr_entry(lab), page_entry(frame, kPresent | kWritable | kAccessed | kDirty));
    const uint64_t entry = lab.entry(kPtwrEntry);
    const bool shows = window_shows(frame);
    // A write through the new mapping lands in the frame.
    mm::pointer_to<volatile uint64_t>(kPtwrPage)[1] = 0x5EED;
    const bool lands = frame.words()[1] == 0x5EED;
    frame.words()[1] = pattern(frame, 1);
    report("ptwr-64-bit-mov", entry_is(entry, frame, kStoredWritable) && shows && lands,
           "entry flags {:#x}, the page shows the data frame: {}, a write through it lands: {}", entry & kFlagsMask,
           shows, lands);
}

/// Frames below 4 GiB have their whole frame number in the low half of an entry, so a
/// 32-bit store can move the mapping to another frame (and drop RW on the way).
void store_the_low_half(const Lab& lab) {
    const Frame& frame = lab.data[1];
    const uint64_t wanted = page_entry(frame, kPresent | kAccessed | kDirty);
    if ((lab.entry(kPtwrEntry) >> 32) != ((wanted | kGuestKernel) >> 32)) {
        report("ptwr-32-bit-mov-low-half", false, "not run: the frames differ above bit 31 of the entry");
        return;
    }
    store_32(reinterpret_cast<volatile uint32_t*>(ptwr_entry(lab)), static_cast<uint32_t>(wanted));
    flush_page(kPtwrPage);  // the old translation was present
    const uint64_t entry = lab.entry(kPtwrEntry);
    const bool shows = window_shows(frame);
    report("ptwr-32-bit-mov-low-half", entry_is(entry, frame, kStoredReadOnly) && shows,
           "entry flags {:#x}, the page shows the other data frame: {}", entry & kFlagsMask, shows);
}

void compare_exchange_entry(const Lab& lab) {
    const Frame& frame = lab.data[0];
    const uint64_t current = lab.entry(kPtwrEntry);
    uint64_t expected = current;
    bool swapped = compare_exchange(ptwr_entry(lab), expected, page_entry(frame, kPresent | kAccessed | kDirty));
    flush_page(kPtwrPage);
    uint64_t entry = lab.entry(kPtwrEntry);
    const bool shows = window_shows(frame);
    report("ptwr-lock-cmpxchg-that-succeeds", swapped && entry_is(entry, frame, kStoredReadOnly) && shows,
           "ZF {}, entry flags {:#x}, the page shows the first data frame: {}", swapped, entry & kFlagsMask, shows);
    // Compare against the old value, now stale: nothing is stored, RAX gets the entry.
    const uint64_t now = entry;
    expected = current;
    swapped = compare_exchange(ptwr_entry(lab), expected, 0);
    entry = lab.entry(kPtwrEntry);
    report("ptwr-lock-cmpxchg-that-fails", !swapped && expected == now && entry == now,
           "ZF {}, RAX holds the entry: {}, entry unchanged: {}", swapped, expected == now, entry == now);
}

}  // namespace

void check_writable_page_tables(const Lab& lab) {
    fill(lab.data[0]);
    fill(lab.data[1]);
    const int64_t enabled = vm_assist(abi::VmAssistCommand::Enable, abi::VmAssistType::WritablePagetables);
    report("vm-assist-enable-writable-pagetables", enabled == 0, "rc {}", result_name(enabled).text);
    if (enabled != 0) return;  // a direct write would fault, and crash the guest
    store_a_whole_entry(lab);
    store_the_low_half(lab);
    compare_exchange_entry(lab);
    const abi::MmuUpdate clear{lab.entry_address(kPtwrEntry), 0};
    step("mmu_update clearing the ptwr entry", mmu_update(&clear, 1, nullptr));
    flush_page(kPtwrPage);
    const int64_t disabled = vm_assist(abi::VmAssistCommand::Disable, abi::VmAssistType::WritablePagetables);
    report("vm-assist-disable-writable-pagetables", disabled == 0, "rc {}", result_name(disabled).text);
}

}  // namespace minios::features
