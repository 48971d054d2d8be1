// SPDX-License-Identifier: MIT
// Boot test (Xenolith, two domains): a domain's data segment selectors are its own across
// domain switches, and the failsafe callback tells it when one could not be reloaded.
//
// The hypervisor never touches DS, ES, FS or GS while a domain runs: a guest loads them
// itself, from Xen's flat selectors or its own GDT. A domain switch must therefore save
// them and load the next domain's, as Xen's save_segments and load_segments do. Loading
// can fail: a domain may have made a descriptor not-present since it loaded the
// selector (its CPU keeps the old copy and runs on). Then Xen loads null instead and
// enters the guest at its failsafe callback, with a frame that holds the four selectors
// it tried (XEN-PV-ABI.md 4.2).
//
// The command line picks the role:
//   keeper     loads DS, ES, FS and GS (FS and GS with bases from its own GDT), checks
//              after each of 1,000 yields that they are still there, then makes the FS
//              descriptor not-present and yields until the failsafe callback comes.
//   neighbour  loads null into all four before each of 1,200 yields and checks them
//              after it; it outlives the keeper's yields, so every one of those is a switch.
//   crasher    leaves a not-present FS selector loaded and spins on a non-canonical stack:
//              when it is switched back in, the failsafe frame cannot be written, and
//              that crashes this domain only.
//   no-failsafe  the same with a good stack but no failsafe callback: crashed too.
// One line per check, "segments [<role>]: <name>: <result> ok|UNEXPECTED".
#include "abi/segments.hpp"
#include "apps/app.hpp"
#include "apps/tests/checks.hpp"
#include "apps/tests/scratch_frame.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "kernel/events.hpp"
#include "kernel/shutdown.hpp"
#include "lib/string.hpp"

namespace minios {
namespace {

checks::Tally tally{"segments"};

/// Each segment's selector, read from the CPU.
struct Selectors {
    uint16_t ds, es, fs, gs;
    bool operator==(const Selectors&) const = default;
};

Selectors read_selectors() {
    Selectors s;
    asm volatile("mov %%ds, %0" : "=r"(s.ds));
    asm volatile("mov %%es, %0" : "=r"(s.es));
    asm volatile("mov %%fs, %0" : "=r"(s.fs));
    asm volatile("mov %%gs, %0" : "=r"(s.gs));
    return s;
}

// The keeper's GDT page (SDM Vol. 3A 3.4.5): entry 1 a data segment based at fs_marker,
// entry 2 a flat data segment, entry 3 a data segment based at gs_marker. All DPL 3.
constexpr unsigned kFsEntry = 1, kEsEntry = 2, kGsEntry = 3;
constexpr uint16_t selector_of(unsigned entry) { return static_cast<uint16_t>((entry << 3) | 3); }
constexpr uint64_t kPresent = uint64_t{1} << 47;

/// A present, writable, 4-GiB data segment (DPL 3) whose base is `base` (32 bits).
constexpr uint64_t data_segment(uint32_t base) {
    return 0x00cf'f200'0000'ffff | (uint64_t{base & 0xffff} << 16) | (uint64_t{(base >> 16) & 0xff} << 32) |
           (uint64_t{base >> 24} << 56);
}

volatile uint64_t fs_marker = 0xf5f5'0001;
volatile uint64_t gs_marker = 0x65a5'0002;

uint64_t read_fs_word() {
    uint64_t value;
    asm volatile("mov %%fs:0, %0" : "=r"(value));
    return value;
}

/// RDMSR, emulated for a PV kernel: the user GS base is the inactive one in kernel mode.
uint64_t read_user_gs_base() {
    constexpr uint32_t kShadowGsBase = 0xc000'0102;
    uint32_t low, high;
    asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(kShadowGsBase));
    return (uint64_t{high} << 32) | low;
}

void yield() { raw_hypercall(abi::Hypercall::SchedOp, static_cast<uint64_t>(abi::SchedOp::Yield)); }

/// Build the GDT page, map it read-only and install it (set_gdt wants no writable mapping).
lib::ErrorOr<tests::Frame> install_gdt() {
    const tests::Frame page = TRY(tests::take_frame());
    const auto base_of = [](volatile uint64_t& marker) { return reinterpret_cast<uint64_t>(&marker); };
    if (base_of(fs_marker) > UINT32_MAX || base_of(gs_marker) > UINT32_MAX)
        return lib::error(abi::Errno::Range, "a marker is above 4 GiB, out of a descriptor's reach");
    TRY(tests::map(page, true));
    uint64_t* words = mm::pointer_to<uint64_t>(page.va());
    __builtin_memset(words, 0, mm::kPageSize);
    words[kFsEntry] = data_segment(static_cast<uint32_t>(base_of(fs_marker)));
    words[kEsEntry] = data_segment(0);
    words[kGsEntry] = data_segment(static_cast<uint32_t>(base_of(gs_marker)));
    TRY(tests::map(page, false));
    const uint64_t frames[] = {page.mfn.raw()};
    TRY(to_status(raw_hypercall(abi::Hypercall::SetGdt, reinterpret_cast<uint64_t>(frames), 512)));
    return page;
}

/// Take the FS descriptor away. The CPU keeps the copy it loaded, so this domain runs on
/// until the hypervisor next has to load FS for it.
lib::ErrorOr<void> withdraw_fs_descriptor(const tests::Frame& gdt) {
    const uint64_t not_present = data_segment(static_cast<uint32_t>(reinterpret_cast<uint64_t>(&fs_marker))) & ~kPresent;
    return to_status(raw_hypercall(abi::Hypercall::UpdateDescriptor, gdt.maddr(kFsEntry), not_present));
}

const Selectors kKept{abi::kFlatUserDs32, selector_of(kEsEntry), selector_of(kFsEntry), selector_of(kGsEntry)};

lib::ErrorOr<void> keeper() {
    const tests::Frame gdt = TRY(install_gdt());
    asm volatile("mov %w0, %%ds" : : "r"(kKept.ds));
    asm volatile("mov %w0, %%es" : : "r"(kKept.es));
    asm volatile("mov %w0, %%fs" : : "r"(kKept.fs));
    // The user %gs: Xen loads it and keeps the kernel's GS base active.
    TRY(set_segment_base(abi::SegmentBase::GsUserSelector, kGsEntry << 3));
    tally.report("loaded", read_selectors() == kKept && read_fs_word() == fs_marker &&
                               read_user_gs_base() == reinterpret_cast<uint64_t>(&gs_marker),
                 "DS {:#x} ES {:#x} FS {:#x} GS {:#x}, %fs:0 and the user GS base from the descriptors: {}",
                 read_selectors().ds, read_selectors().es, read_selectors().fs, read_selectors().gs,
                 read_fs_word() == fs_marker && read_user_gs_base() == reinterpret_cast<uint64_t>(&gs_marker));

    constexpr int kYields = 1000;
    int kept = 0;
    for (int i = 0; i < kYields; ++i) {
        yield();
        if (read_selectors() == kKept && read_fs_word() == fs_marker) ++kept;
    }
    const bool gs_base_kept = read_user_gs_base() == reinterpret_cast<uint64_t>(&gs_marker);
    tally.report("after-yields", kept == kYields && gs_base_kept,
                 "{} of {} yields kept the selectors and the FS base, user GS base kept: {}", kept, kYields,
                 gs_base_kept);

    TRY(withdraw_fs_descriptor(gdt));
    // The switch may come with the next yield, or sooner: the time slice may end first.
    constexpr int kMaxWaits = 10;
    int yields = 0;
    while (event_counters().failsafe_callbacks == 0 && yields < kMaxWaits) {
        yield();
        ++yields;
    }
    const EventCounters seen = event_counters();
    const uint16_t* frame = seen.failsafe_selectors;
    const Selectors after = read_selectors();
    const Selectors expected_after{kKept.ds, kKept.es, 0, kKept.gs};
    tally.report("failsafe", seen.failsafe_callbacks == 1 && frame[0] == kKept.ds && frame[1] == kKept.es &&
                                 frame[2] == kKept.fs && frame[3] == kKept.gs && after == expected_after &&
                                 read_fs_word() == fs_marker,
                 "{} callback(s) by the next switch; frame DS {:#x} ES {:#x} FS {:#x} GS {:#x}; now FS {:#x}, "
                 "the others kept: {}, FS base kept: {}",
                 seen.failsafe_callbacks, frame[0], frame[1], frame[2], frame[3], after.fs,
                 after.ds == kKept.ds && after.es == kKept.es && after.gs == kKept.gs, read_fs_word() == fs_marker);
    return {};
}

void neighbour() {
    constexpr int kYields = 1200;
    int kept = 0;
    for (int i = 0; i < kYields; ++i) {
        // Null in all four before every yield, so that the keeper would see them if the
        // hypervisor did not give it its own back.
        const uint16_t null = 0;
        asm volatile("mov %w0, %%ds; mov %w0, %%es; mov %w0, %%fs; mov %w0, %%gs" : : "r"(null));
        yield();
        if (read_selectors() == Selectors{}) ++kept;
    }
    tally.report("after-yields", kept == kYields, "{} of {} yields kept DS, ES, FS and GS null", kept, kYields);
}

[[noreturn]] void crasher() {
    auto gdt = install_gdt();
    if (gdt.is_error()) {
        report_failure("set up failed", gdt.error());
        shutdown(abi::ShutdownReason::Crash);
    }
    asm volatile("mov %w0, %%fs" : : "r"(selector_of(kFsEntry)));
    mask_events();  // no event upcall may use the stack first
    printk("segments [crasher]: FS {:#x} loaded; withdrawing its descriptor and spinning on a non-canonical stack\n",
           read_selectors().fs);
    // The stack goes bad before the descriptor does, so that no switch in between can
    // find a good stack for the failsafe frame: update_descriptor through a bare SYSCALL
    // (the hypercall page's stub would need the stack for its RET), then spin.
    const uint64_t not_present =
        data_segment(static_cast<uint32_t>(reinterpret_cast<uint64_t>(&fs_marker))) & ~kPresent;
    asm volatile(
        "mov %[bad], %%rsp\n\t"
        "syscall\n"
        "1: jmp 1b"
        :
        : [bad] "r"(uint64_t{0x8000'0000'0000'0000}), "a"(static_cast<uint64_t>(abi::Hypercall::UpdateDescriptor)),
          "D"(gdt.value().maddr(kFsEntry)), "S"(not_present)
        : "rcx", "r11", "memory");
    __builtin_unreachable();
}

/// Without a failsafe callback, a refused reload has nowhere to go: the domain is crashed
/// (XEN-DIFF A34; Xen would enter address 0).
lib::ErrorOr<void> without_failsafe() {
    const tests::Frame gdt = TRY(install_gdt());
    abi::CallbackRegister none{};
    none.type = static_cast<uint16_t>(abi::CallbackType::Failsafe);
    TRY(register_callback(none));
    // Said first: the next switch, which may come at any instruction, ends this domain.
    printk("segments [no-failsafe]: no failsafe callback; loading FS {:#x} and withdrawing its descriptor\n",
           selector_of(kFsEntry));
    asm volatile("mov %w0, %%fs" : : "r"(selector_of(kFsEntry)));
    TRY(withdraw_fs_descriptor(gdt));
    for (;;) yield();
}

}  // namespace

const char* app_name() { return "segments"; }

int app_main(const abi::StartInfo& info) {
    if (auto ready = init_events(info); ready.is_error()) return report_failure("set up failed", ready.error());
    const char* role = reinterpret_cast<const char*>(info.cmd_line);
    if (lib::equal(role, "neighbour")) {
        tally.app = "segments [neighbour]";
        neighbour();
    } else if (lib::equal(role, "crasher")) {
        crasher();
    } else if (lib::equal(role, "no-failsafe")) {
        if (auto ended = without_failsafe(); ended.is_error()) return report_failure("set up failed", ended.error());
    } else {
        tally.app = "segments [keeper]";
        if (auto kept = keeper(); kept.is_error()) return report_failure("keeper failed", kept.error());
    }
    return tally.finish();
}

}  // namespace minios
