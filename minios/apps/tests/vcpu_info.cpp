// SPDX-License-Identifier: MIT
// Boot test: VCPUOP_register_vcpu_info moves vcpu_info into a page of the guest's own, each answer as Xen 4.17 gives it.
//
// The guest takes a free frame of its start-of-day region (mapped writable) and first
// asks for what Xen 4.17.7 refuses: a vcpu_info crossing the page end or misaligned
// (-ENXIO), MFN 0 and an MFN past RAM (not the guest's), one of its own page tables (no
// Writable type), each -EINVAL. Then it registers offset 2056 of the frame (8-byte
// alignment is enough) with rsvd = 1, which Xen 4.17 does not look at, and checks what
// Xen's map_vcpu_info did: the old contents copied (events still masked, the same time
// scale), every selector bit and the upcall marked pending; a second registration is
// -EINVAL. From then on the hypervisor uses the new place only: it rewrites the time
// record there across a SCHEDOP_poll of 1.5 s (Xen's time calibration runs every second,
// and the record changes only then), and an event sent on an IPI port sets the new
// place's selector bit and upcall flag, not the old ones in shared_info.
// minios's own kernel still reads shared_info's vcpu_info, so events stay masked
// throughout (the new place has the mask the old one had: 1) and no upcall ever runs.
// One line per check, "vcpu-info: <name>: <result> ok|UNEXPECTED", then "vcpu-info: N checks, M unexpected".
#include "abi/sched.hpp"
#include "abi/vcpu.hpp"
#include "apps/app.hpp"
#include "apps/tests/checks.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/events.hpp"
#include "kernel/time.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/mm.hpp"
#include "mm/mmu.hpp"
#include "mm/p2m.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"

namespace minios {
namespace {

checks::Tally tally{"vcpu-info"};

constexpr uint32_t kOffset = 2056;                                   // where the vcpu_info goes: 8-aligned only
constexpr uint64_t kMfnBeyondRam = (uint64_t{1} << 40) - 2;          // below INVALID_MFN, far above any RAM
constexpr uint64_t kPollNs = 1'500'000'000;                          // 1.5 s: past Xen's next calibration
constexpr int64_t kInval = -static_cast<int64_t>(abi::Errno::Inval);
constexpr int64_t kNxIo = -static_cast<int64_t>(abi::Errno::NxIo);
constexpr unsigned kBitsPerWord = 64;

using checks::result_name;

template <typename... Args>
void report(const char* name, bool holds, const char* format, const Args&... args) {
    tally.report(name, holds, format, args...);
}
void expect_rc(const char* name, int64_t rax, int64_t expected) { tally.expect_rc(name, rax, expected); }

int64_t register_vcpu_info(uint64_t mfn, uint32_t offset, uint32_t rsvd = 0) {
    abi::VcpuRegisterVcpuInfo request{mfn, offset, rsvd};
    return raw_hypercall(abi::Hypercall::VcpuOp, static_cast<uint64_t>(abi::VcpuOp::RegisterVcpuInfo), 0,
                         reinterpret_cast<uint64_t>(&request));
}

uint64_t read_tsc() {
    uint32_t low = 0, high = 0;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t{high} << 32) | low;
}

/// A copy of `live` under the version protocol (even, unchanged across the read).
abi::VcpuTimeInfo read_time(const volatile abi::VcpuTimeInfo& live) {
    for (;;) {
        abi::VcpuTimeInfo copy{};
        copy.version = live.version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        copy.tsc_timestamp = live.tsc_timestamp;
        copy.system_time = live.system_time;
        copy.tsc_to_system_mul = live.tsc_to_system_mul;
        copy.tsc_shift = live.tsc_shift;
        copy.flags = live.flags;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((copy.version & 1) == 0 && live.version == copy.version) return copy;
    }
}

/// System time now, from a time record: its stamp extrapolated with the TSC.
uint64_t now_from(const abi::VcpuTimeInfo& time) {
    return time.system_time + scale_tsc_delta(read_tsc() - time.tsc_timestamp, time.tsc_to_system_mul, time.tsc_shift);
}

struct Lab {
    mm::Mfn frame;          ///< the frame the vcpu_info moves to
    mm::Mfn page_table;     ///< the start-of-day L4: a frame of the guest's that is never Writable
    abi::VcpuInfo* moved;   ///< offset kOffset of the frame, as the guest maps it
};

lib::ErrorOr<Lab> set_up(const abi::StartInfo& info) {
    TRY(init_events(info));  // the memory map, then shared_info; events stay masked
    const mm::Pfn pfn = TRY(mm::allocate_frame());
    const mm::Vaddr va = mm::start_of_day_address(pfn);
    const uint64_t mapping = TRY(mm::read_current_entry(va, mm::pte::kL1));
    if (!mm::pte::present(mapping) || !mm::pte::writable(mapping))
        return lib::error(abi::Errno::NoMem, "no free frame left in the start-of-day mapping");
    uint8_t* page = mm::pointer_to<uint8_t>(va);
    __builtin_memset(page, 0xa5, mm::kPageSize);  // so that a copy that did not happen shows
    const mm::Mfn l4 = TRY(mm::mfn_of(mm::start_of_day_pfn(mm::Vaddr(info.pt_base))));
    return Lab{TRY(mm::mfn_of(pfn)), l4, reinterpret_cast<abi::VcpuInfo*>(page + kOffset)};
}

void check_refusals(const Lab& lab) {
    expect_rc("register-crossing-the-page-end", register_vcpu_info(lab.frame.raw(), 4096 - 32), kNxIo);
    expect_rc("register-offset-4096", register_vcpu_info(lab.frame.raw(), 4096), kNxIo);
    expect_rc("register-misaligned-offset", register_vcpu_info(lab.frame.raw(), kOffset + 4), kNxIo);
    // MFN 0 is never the guest's (Xen logs "Error mfn 00000 ... od=d[IO]").
    expect_rc("register-mfn-0", register_vcpu_info(0, kOffset), kInval);
    expect_rc("register-mfn-beyond-ram", register_vcpu_info(kMfnBeyondRam, kOffset), kInval);
    expect_rc("register-a-page-table", register_vcpu_info(lab.page_table.raw(), kOffset), kInval);
    const bool untouched = lab.moved->evtchn_upcall_pending == 0xa5 && lab.moved->evtchn_pending_sel == 0xa5a5a5a5a5a5a5a5;
    report("refusals-leave-the-frame-alone", untouched, "the frame still reads 0xa5: {}", untouched);
}

void check_registration(const Lab& lab) {
    const abi::VcpuInfo& old = this_vcpu_info();
    const abi::VcpuTimeInfo old_time = read_time(old.time);
    expect_rc("register-offset-2056-rsvd-1-ignored", register_vcpu_info(lab.frame.raw(), kOffset, 1), 0);
    volatile abi::VcpuInfo& moved = *lab.moved;
    const abi::VcpuTimeInfo time = read_time(moved.time);
    report("old-contents-copied", moved.evtchn_upcall_mask == 1 && time.tsc_to_system_mul == old_time.tsc_to_system_mul &&
                                      time.tsc_shift == old_time.tsc_shift && time.system_time >= old_time.system_time,
           "evtchn_upcall_mask {}, the same time scale: {}", moved.evtchn_upcall_mask,
           time.tsc_to_system_mul == old_time.tsc_to_system_mul && time.tsc_shift == old_time.tsc_shift);
    report("everything-marked-pending", moved.evtchn_pending_sel == ~uint64_t{0} && moved.evtchn_upcall_pending == 1,
           "evtchn_pending_sel {:#x}, evtchn_upcall_pending {}", moved.evtchn_pending_sel, moved.evtchn_upcall_pending);
    const uint8_t* page = reinterpret_cast<const uint8_t*>(lab.moved) - kOffset;
    const bool rest_untouched = page[kOffset - 1] == 0xa5 && page[kOffset + sizeof(abi::VcpuInfo)] == 0xa5;
    report("only-the-vcpu-info-written", rest_untouched, "the bytes either side still read 0xa5: {}", rest_untouched);
    expect_rc("register-twice", register_vcpu_info(lab.frame.raw(), kOffset), kInval);
    expect_rc("register-twice-elsewhere", register_vcpu_info(lab.frame.raw(), 0), kInval);
}

void check_new_place_in_use(const Lab& lab) {
    volatile abi::VcpuInfo& moved = *lab.moved;
    const abi::VcpuTimeInfo before = read_time(moved.time);
    // Sleep: the hypervisor publishes the time record again when it runs this vCPU again.
    const uint64_t deadline = now_from(before) + kPollNs;
    auto ipi = bind_ipi();
    uint32_t port = ipi.is_error() ? 0 : ipi.value().raw();
    abi::SchedPoll poll{{reinterpret_cast<uint64_t>(&port)}, 1, 0, deadline};
    const int64_t rc = raw_hypercall(abi::Hypercall::SchedOp, static_cast<uint64_t>(abi::SchedOp::Poll),
                                     reinterpret_cast<uint64_t>(&poll));
    const abi::VcpuTimeInfo after = read_time(moved.time);
    // The record is a stamp: the hypervisor rewrote it (a new version), and the time it
    // gives has passed the poll's deadline.
    const bool rewritten = after.version != before.version && (after.version & 1) == 0;
    const bool advanced = now_from(after) >= deadline;
    report("time-in-the-new-place-advances", rc == 0 && rewritten && advanced,
           "poll rc {}, the record rewritten: {}, its time past the deadline: {}", result_name(rc).text, rewritten,
           advanced);

    // An event: its selector bit and the upcall flag go to the new place only.
    volatile abi::VcpuInfo& old = this_vcpu_info();
    old.evtchn_pending_sel = 0;
    old.evtchn_upcall_pending = 0;
    moved.evtchn_pending_sel = 0;
    moved.evtchn_upcall_pending = 0;
    const bool sent = !ipi.is_error() && !send_event(ipi.value()).is_error();
    const uint64_t word_bit = uint64_t{1} << (port / kBitsPerWord);
    report("event-raised-into-the-new-place",
           sent && moved.evtchn_pending_sel == word_bit && moved.evtchn_upcall_pending == 1,
           "sent: {}, evtchn_pending_sel {:#x}, evtchn_upcall_pending {}", sent, moved.evtchn_pending_sel,
           moved.evtchn_upcall_pending);
    report("old-place-left-alone", old.evtchn_pending_sel == 0 && old.evtchn_upcall_pending == 0,
           "shared_info's evtchn_pending_sel {:#x}, evtchn_upcall_pending {}", old.evtchn_pending_sel,
           old.evtchn_upcall_pending);
    report("events-still-masked", moved.evtchn_upcall_mask == 1, "evtchn_upcall_mask {}", moved.evtchn_upcall_mask);
}

}  // namespace

const char* app_name() { return "vcpu-info"; }

int app_main(const abi::StartInfo& info) {
    auto lab = set_up(info);
    if (lab.is_error()) return report_failure("set up failed", lab.error());
    check_refusals(lab.value());
    check_registration(lab.value());
    check_new_place_in_use(lab.value());
    return tally.finish();
}

}  // namespace minios
