// SPDX-License-Identifier: MIT
// Boot test: a GDT of the guest's own (set_gdt, update_descriptor), each answer as Xen 4.17 gives it.
//
// The guest takes four free frames of its start-of-day region: two become GDT pages
// (filled while writable, then mapped read-only: Xen takes no frame as a descriptor page
// while a writable mapping of it exists), one stays a plain writable frame, one is a
// scratch page for the descriptors Xen must refuse. Each GDT page holds, at entry 2, a
// DPL-0 data segment whose limit is the frame's MFN: `lsl` of selector 0x13 then says
// which frame the CPU reads the GDT from, and loading %ds with it shows that the DPL was
// raised to 3 (and the CPU wrote the Accessed bit through the hypervisor's mapping).
// The hostile cases follow XEN-PV-ABI.md 5: too many entries, an unreadable list, a frame
// mapped writable, a page table, a frame that is not the guest's, call gates into the
// hypervisor, LDT/TSS/interrupt/trap gates anywhere in the page. A last check yields
// many times and re-reads the limit, so that with a second domain beside it (gdt.toml,
// Xenolith only) every domain switch must bring back this domain's GDT.
// One line per check, "gdt: <name>: <result> ok|UNEXPECTED", then "gdt: N checks, M unexpected".
#include "abi/segments.hpp"
#include "apps/app.hpp"
#include "apps/tests/checks.hpp"
#include "apps/tests/scratch_frame.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "mm/mm.hpp"
#include "mm/mmu.hpp"
#include "mm/page_table.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"

namespace minios {
namespace {

checks::Tally tally{"gdt"};

using tests::Frame;
using tests::map;
using tests::take_frame;

// Descriptors (SDM Vol. 3A 3.4.5; call gate 5.8.3.1). Ring-0 ones, not yet accessed.
constexpr uint64_t kCode64Ring0 = 0x00af'9a00'0000'ffff;
constexpr uint64_t kDataRing0 = 0x00cf'9200'0000'ffff;
constexpr uint64_t kDataRing3 = 0x00cf'f200'0000'ffff;
constexpr uint64_t kTssNotPresent = 0x0000'0900'0000'0067;
constexpr uint64_t kTss = 0x0000'8900'0000'0067;
constexpr uint64_t kLdt = 0x0000'8200'0000'0fff;
constexpr uint64_t kInterruptGate = 0x0000'ee00'e033'1000;
constexpr uint64_t kTrapGate = 0x0000'ef00'e033'1000;
constexpr uint64_t call_gate(uint16_t selector, unsigned dpl) {
    return 0x0000'8c00'0000'1000 | (uint64_t{selector} << 16) | (uint64_t{dpl} << 45);
}
/// Data, DPL 0, byte-granular `limit` (bits 15:0 and 51:48), 32-bit, not accessed.
constexpr uint64_t data_with_limit(uint32_t limit) {
    return 0x0040'9200'0000'0000 | (limit & 0xffff) | (uint64_t{(limit >> 16) & 0xf} << 48);
}
constexpr uint64_t kAccessed = uint64_t{1} << 40;
constexpr uint64_t kMfnBeyondRam = (uint64_t{1} << 40) - 2;  // below INVALID_MFN, far above any RAM
constexpr uint16_t kLimitSelector = (2 << 3) | 3;                       // entry 2, RPL 3
constexpr uint16_t kSecondPageSelector = ((512 + 2) << 3) | 3;         // entry 514
constexpr uint16_t kCallGateSelector = (4 << 3) | 3;

int64_t set_gdt(const uint64_t* frames, uint64_t entries) {
    return raw_hypercall(abi::Hypercall::SetGdt, reinterpret_cast<uint64_t>(frames), entries);
}
int64_t update_descriptor(uint64_t maddr, uint64_t descriptor) {
    return raw_hypercall(abi::Hypercall::UpdateDescriptor, maddr, descriptor);
}

using checks::result_name;

template <typename... Args>
void report(const char* name, bool holds, const char* format, const Args&... args) {
    tally.report(name, holds, format, args...);
}
void expect_rc(const char* name, int64_t rax, int64_t expected) { tally.expect_rc(name, rax, expected); }
constexpr int64_t kInval = -static_cast<int64_t>(abi::Errno::Inval);

/// `lsl`: the limit of the segment `selector` names, if the CPU lets ring 3 see it.
bool segment_limit(uint16_t selector, uint32_t& limit) {
    bool visible = false;
    asm volatile("lsl %k[selector], %k[limit]\n\tsetz %[visible]"
                 : [limit] "=r"(limit), [visible] "=qm"(visible) : [selector] "r"(uint32_t{selector}) : "cc");
    return visible;
}
bool shows_limit(uint16_t selector, uint32_t expected) {
    uint32_t limit = 0;
    return segment_limit(selector, limit) && limit == expected;
}
/// `lar`: is the descriptor visible at CPL 3 (DPL >= 3 for a gate)?
bool access_visible(uint16_t selector) {
    uint32_t rights = 0;
    bool visible = false;
    asm volatile("lar %k[selector], %k[rights]\n\tsetz %[visible]"
                 : [rights] "=r"(rights), [visible] "=qm"(visible) : [selector] "r"(uint32_t{selector}) : "cc");
    return visible;
}
void load_ds(uint16_t selector) { asm volatile("movw %w0, %%ds" : : "r"(selector) : "memory"); }

/// mmu_update's `ptr` for the L1 entry that maps the frame.
lib::ErrorOr<uint64_t> l1_entry_address(const Frame& frame) {
    const mm::Mfn l1 = mm::pte::frame(TRY(mm::read_current_entry(frame.va(), 2)));
    return mm::maddr_of(l1).raw() + mm::pte::index(frame.va(), 1) * sizeof(uint64_t);
}
/// Write descriptors into a frame while it is writable, then map it read-only.
lib::ErrorOr<void> fill(const Frame& frame, uint64_t entry2) {
    TRY(map(frame, true));
    uint64_t* words = mm::pointer_to<uint64_t>(frame.va());
    __builtin_memset(words, 0, mm::kPageSize);
    words[1] = kCode64Ring0;
    words[2] = entry2;
    words[3] = kDataRing3;
    words[4] = call_gate(abi::kFlatKernelCs, 3);  // entries 4-5: a 16-byte gate, upper half 0
    words[6] = kTssNotPresent;
    return map(frame, false);
}
lib::ErrorOr<void> poke(const Frame& frame, unsigned index, uint64_t value) {
    TRY(map(frame, true));
    mm::pointer_to<uint64_t>(frame.va())[index] = value;
    return map(frame, false);
}

struct Lab {
    Frame gdt, second, plain, scratch;
    uint64_t l4_slot_300;  ///< the machine address of an L4 entry minios never uses
};

lib::ErrorOr<Lab> set_up(const abi::StartInfo& info) {
    TRY(mm::init_memory(info));
    const mm::Mfn l4 = TRY(mm::mfn_of(mm::start_of_day_pfn(mm::Vaddr(info.pt_base))));
    Lab lab{TRY(take_frame()), TRY(take_frame()), TRY(take_frame()), TRY(take_frame()),
            mm::maddr_of(l4).raw() + 300 * sizeof(uint64_t)};
    TRY(fill(lab.gdt, data_with_limit(lab.gdt.limit())));
    TRY(fill(lab.second, data_with_limit(lab.second.limit())));
    TRY(fill(lab.scratch, 0));
    return lab;
}

void check_installed_gdt(const Lab& lab) {
    const uint64_t list[] = {lab.gdt.mfn.raw()};
    expect_rc("set-gdt-one-frame-8-entries", set_gdt(list, 8), 0);
    report("dpl-raised-in-the-guest-page", lab.gdt.read(1) == 0x00af'fa00'0000'ffff && (lab.gdt.read(2) >> 45 & 3) == 3,
           "ring-0 code reads {:#x}, the ring-0 data segment has DPL {}", lab.gdt.read(1), lab.gdt.read(2) >> 45 & 3);
    const bool unchanged = lab.gdt.read(3) == kDataRing3 && lab.gdt.read(6) == kTssNotPresent;
    report("dpl-3-and-not-present-descriptors-unchanged", unchanged,
           "entry 3 {:#x}, entry 6 {:#x}", lab.gdt.read(3), lab.gdt.read(6));
    const bool gate = lab.gdt.read(4) == 0x0000'8c00'e033'1000 && lab.gdt.read(5) == 0;
    report("call-gate-to-flat-kernel-cs-stored-with-dpl-0", gate,
           "entry 4 {:#x}, invisible to lar at CPL 3: {}", lab.gdt.read(4), !access_visible(kCallGateSelector));
    const bool limit_seen = shows_limit(kLimitSelector, lab.gdt.limit());
    const bool not_accessed = (lab.gdt.read(2) & kAccessed) == 0;
    load_ds(kLimitSelector);  // a DPL-0 data segment would #GP here
    load_ds(abi::kFlatKernelDs);
    const bool accessed = (lab.gdt.read(2) & kAccessed) != 0;
    report("load-ds-from-the-guest-gdt", limit_seen && not_accessed && accessed,
           "lsl 0x13 gives the frame's limit: {}, the CPU set the Accessed bit: {}", limit_seen,
           not_accessed && accessed);
    uint32_t limit = 0;
    report("selector-in-a-page-past-the-frames", !segment_limit(kSecondPageSelector, limit),
           "lsl 0x1013 finds no descriptor: {}", !segment_limit(kSecondPageSelector, limit));
}

void check_update_descriptor(const Lab& lab) {
    int64_t rc = update_descriptor(lab.gdt.maddr(7), kDataRing0);
    report("update-descriptor-raises-dpl", rc == 0 && lab.gdt.read(7) == kDataRing3, "rc {}, entry 7 reads {:#x}",
           result_name(rc).text, lab.gdt.read(7));
    rc = update_descriptor(lab.gdt.maddr(8), call_gate(0x0010, 0));
    report("update-descriptor-call-gate-to-a-guest-selector", rc == 0 && lab.gdt.read(8) == 0x0000'8c00'0013'1000,
           "rc {}, entry 8 reads {:#x}", result_name(rc).text, lab.gdt.read(8));
    rc = update_descriptor(lab.plain.maddr(5), kDataRing0);
    report("update-descriptor-into-a-writable-frame", rc == 0 && lab.plain.read(5) == kDataRing3,
           "rc {}, the word reads {:#x}", result_name(rc).text, lab.plain.read(5));
    const uint64_t entry9 = lab.gdt.maddr(9);
    expect_rc("update-descriptor-misaligned", update_descriptor(entry9 + 4, 0), kInval);
    expect_rc("update-descriptor-tss", update_descriptor(entry9, kTss), kInval);
    expect_rc("update-descriptor-ldt", update_descriptor(entry9, kLdt), kInval);
    expect_rc("update-descriptor-interrupt-gate", update_descriptor(entry9, kInterruptGate), kInval);
    expect_rc("update-descriptor-trap-gate", update_descriptor(entry9, kTrapGate), kInval);
    expect_rc("update-descriptor-call-gate-to-0xe008", update_descriptor(entry9, call_gate(0xe008, 3)), kInval);
    expect_rc("update-descriptor-call-gate-to-0xe030", update_descriptor(entry9, call_gate(0xe030, 3)), kInval);
    expect_rc("update-descriptor-call-gate-reserved-bits", update_descriptor(entry9, call_gate(0xe033, 3) | 1ull << 32),
              kInval);
    report("refused-descriptors-not-written", lab.gdt.read(9) == 0, "entry 9 reads {:#x}", lab.gdt.read(9));
    expect_rc("update-descriptor-into-a-page-table", update_descriptor(lab.l4_slot_300, 0), kInval);
    expect_rc("update-descriptor-mfn-0", update_descriptor(0x8, 0), kInval);
    expect_rc("update-descriptor-mfn-beyond-ram", update_descriptor(kMfnBeyondRam << 12, 0), kInval);
}

/// set_gdt with a one-frame list that holds `mfn`.
int64_t set_gdt_frame(uint64_t mfn, uint64_t entries = 8) {
    const uint64_t list[] = {mfn};
    return set_gdt(list, entries);
}

/// The scratch page refused with one bad descriptor in its last entry.
void check_refused_in_last_entry(const Lab& lab, const char* name, uint64_t descriptor) {
    if (poke(lab.scratch, 511, descriptor).is_error()) report(name, false, "the scratch page cannot be written");
    else expect_rc(name, set_gdt_frame(lab.scratch.mfn.raw()), kInval);
}

void check_set_gdt_refusals(const Lab& lab) {
    expect_rc("set-gdt-7169-entries", set_gdt_frame(lab.gdt.mfn.raw(), 7169), kInval);
    expect_rc("set-gdt-unreadable-frame-list", set_gdt(reinterpret_cast<const uint64_t*>(0xffff'8300'0000'0000), 8),
              -static_cast<int64_t>(abi::Errno::Fault));
    expect_rc("set-gdt-writable-mapped-frame", set_gdt_frame(lab.plain.mfn.raw()), kInval);
    expect_rc("set-gdt-a-page-table", set_gdt_frame(lab.l4_slot_300 >> 12), kInval);
    expect_rc("set-gdt-mfn-0", set_gdt_frame(0), kInval);
    expect_rc("set-gdt-mfn-beyond-ram", set_gdt_frame(kMfnBeyondRam), kInval);
    // A call gate to the hypervisor's ring-0 code, past `entries`: all 512 are checked,
    // and the DPL-0 segment before it is rewritten all the same.
    const bool poked =
        !poke(lab.scratch, 0, kDataRing0).is_error() && !poke(lab.scratch, 300, call_gate(0xe008, 3)).is_error();
    const int64_t rc = set_gdt_frame(lab.scratch.mfn.raw());
    report("set-gdt-call-gate-to-ring-0-in-entry-300", poked && rc == kInval && lab.scratch.read(0) == kDataRing3,
           "rc {}, entry 0 reads {:#x}", result_name(rc).text, lab.scratch.read(0));
    if (poke(lab.scratch, 300, 0).is_error()) report("scratch-page-rewritable", false, "no");
    check_refused_in_last_entry(lab, "set-gdt-ldt-descriptor", kLdt);
    check_refused_in_last_entry(lab, "set-gdt-tss-descriptor", kTss);
    check_refused_in_last_entry(lab, "set-gdt-interrupt-gate", kInterruptGate);
    check_refused_in_last_entry(lab, "set-gdt-trap-gate", kTrapGate);
    const uint64_t good_then_bad[] = {lab.gdt.mfn.raw(), lab.scratch.mfn.raw()};
    expect_rc("set-gdt-second-frame-refused", set_gdt(good_then_bad, 1024), kInval);
    const bool retyped = !map(lab.scratch, true).is_error() && !map(lab.scratch, false).is_error();
    report("refused-frame-keeps-no-type", retyped, "it can be mapped writable again: {}", retyped);
    report("refusals-keep-the-old-gdt", shows_limit(kLimitSelector, lab.gdt.limit()),
           "lsl 0x13 still gives the first frame's limit: {}", shows_limit(kLimitSelector, lab.gdt.limit()));
}

void check_page_types(const Lab& lab) {
    auto entry_address = l1_entry_address(lab.gdt);
    const uint64_t writable = mm::kernel_page_entry(lab.gdt.mfn, true);
    abi::MmuUpdate request{entry_address.is_error() ? 0 : entry_address.value(), writable};
    int64_t rc = raw_hypercall(abi::Hypercall::MmuUpdate, reinterpret_cast<uint64_t>(&request), 1, 0, abi::kDomidSelf);
    expect_rc("map-the-gdt-frame-writable-by-mmu-update", rc, -static_cast<int64_t>(abi::Errno::Busy));
    rc = raw_hypercall(abi::Hypercall::UpdateVaMapping, lab.gdt.va().raw(), writable, abi::kUvmfInvlpg);
    expect_rc("map-the-gdt-frame-writable-by-update-va-mapping", rc, -static_cast<int64_t>(abi::Errno::Busy));
    request = abi::MmuUpdate{lab.gdt.maddr(10), kDataRing3};
    rc = raw_hypercall(abi::Hypercall::MmuUpdate, reinterpret_cast<uint64_t>(&request), 1, 0, abi::kDomidSelf);
    expect_rc("mmu-update-store-into-the-gdt-frame", rc, kInval);
}

void check_replacing(const Lab& lab) {
    const uint64_t both[] = {lab.gdt.mfn.raw(), lab.second.mfn.raw()};
    int64_t rc = set_gdt(both, 1024);
    const bool pages =
        shows_limit(kLimitSelector, lab.gdt.limit()) && shows_limit(kSecondPageSelector, lab.second.limit());
    report("set-gdt-two-frames", rc == 0 && pages, "rc {}, lsl 0x13 and 0x1013 give each frame's limit: {}",
           result_name(rc).text, pages);
    rc = set_gdt_frame(lab.second.mfn.raw());
    const bool released = !map(lab.gdt, true).is_error() && !map(lab.gdt, false).is_error();
    report("set-gdt-releases-the-old-frames", rc == 0 && shows_limit(kLimitSelector, lab.second.limit()) && released,
           "rc {}, the old frame can be mapped writable: {}", result_name(rc).text, released);
    rc = set_gdt_frame(lab.gdt.mfn.raw(), (uint64_t{1} << 32) | 8);
    report("set-gdt-entries-is-an-unsigned-int", rc == 0 && shows_limit(kLimitSelector, lab.gdt.limit()),
           "rc {} for 2^32 + 8 entries", result_name(rc).text);
    rc = set_gdt(nullptr, 0);
    uint32_t limit = 0;
    report("set-gdt-no-entries", rc == 0 && !segment_limit(kLimitSelector, limit), "rc {}, lsl 0x13 finds nothing: {}",
           result_name(rc).text, !segment_limit(kLimitSelector, limit));
}

/// With another domain beside this one, every yield is a domain switch and back.
void check_switches(const Lab& lab) {
    int64_t rc = set_gdt_frame(lab.second.mfn.raw());
    int seen = 0;
    constexpr int kYields = 50;
    for (int i = 0; i < kYields; ++i) {
        raw_hypercall(abi::Hypercall::SchedOp, static_cast<uint64_t>(abi::SchedOp::Yield));
        if (shows_limit(kLimitSelector, lab.second.limit())) ++seen;
    }
    report("own-gdt-after-each-yield", rc == 0 && seen == kYields, "rc {}, {} of {} yields", result_name(rc).text, seen,
           kYields);
}

}  // namespace

const char* app_name() { return "gdt"; }

int app_main(const abi::StartInfo& info) {
    auto lab = set_up(info);
    if (lab.is_error()) return report_failure("set up failed", lab.error());
    check_installed_gdt(lab.value());
    check_update_descriptor(lab.value());
    check_set_gdt_refusals(lab.value());
    check_page_types(lab.value());
    check_replacing(lab.value());
    check_switches(lab.value());  // and leaves that GDT in place: the exit audit counts it
    return tally.finish();
}

}  // namespace minios
