// SPDX-License-Identifier: MIT
// The traps lab's test: raise each exception on purpose and check the frame minios sees.
//
// Every check runs a probe (traps_probes.cpp) between expect_traps() and
// stop_expecting_traps(), then compares what the handler recorded with what Xen
// delivers (XEN-PV-ABI.md 4): the vector, the error code, RIP (at the instruction for a
// fault, after it for a trap), CR2 for a #PF, and the bounce frame itself: kernel CS
// 0xE030 with the event mask in bits 39:32, IF the inverse of that mask, the
// interrupted RSP and SS, and the frame 56 (64 with an error code) bytes below RSP
// rounded down to 16. One line per check, `traps: [PATH] NAME: ... ok|UNEXPECTED`, then
// `traps: N checks, M unexpected`. The whole list runs twice: once returning with
// IRETQ where that is safe, once always with the iret hypercall.
//
// With `report` or `report-jump` on its command line the program instead makes one
// unexpected page fault, to show the fault report and the crash that follows; with
// `breakpoint-armed` or `breakpoint-free`, it is one of two domains that check that
// hardware breakpoints stay in their domain (check_breakpoint_neighbour).
#include "apps/app.hpp"
#include "apps/tests/traps_probes.hpp"
#include "abi/segments.hpp"
#include "abi/version.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "kernel/shutdown.hpp"
#include "kernel/traps.hpp"
#include "lib/string.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/mm.hpp"
#include "mm/mmu.hpp"
#include "mm/p2m.hpp"
#include "mm/page_table.hpp"

namespace minios {
namespace {

using namespace traps_test;

enum class Rip { AtInstruction, AfterInstruction };

struct Expected {
    const char* name;
    void (*run)();
    Vector vector;
    uint64_t error_code;
    Rip rip;
    bool page_fault = false;  ///< CR2 must be probe.address
    uint8_t int_n = 0;        ///< n, for a probe of int $n
};

/// CR0.TS (SDM Vol. 3A 2.5), as `mov %cr0` shows the virtual TS.
using Cr0TaskSwitched = lib::Flag<3>;
/// DR6.BS: the #DB came from a single step (SDM Vol. 3B 18.2.3).
using Dr6SingleStep = lib::Flag<14>;
/// DR6 with no condition recorded (its reserved bits read as ones).
constexpr uint64_t kDr6Clear = 0xFFFF'0FF0;

uint64_t read_only_page;
const char* path_name;
bool print_frames;
unsigned checks;
unsigned unexpected;
unsigned qemu_int_codes;

/// One check's line: fields are appended, and any bad one makes it UNEXPECTED.
class CheckLine {
public:
    explicit CheckLine(const char* name) : out_(text_, sizeof text_) { lib::format_to(out_, "[{}] {}:", path_name, name); }
    template <typename... Args>
    void add(bool good, const char* fmt, const Args&... args) {
        out_.put(' ');
        lib::format_to(out_, fmt, args...);
        ok_ = ok_ && good;
    }
    void finish() {
        ++checks;
        if (!ok_) ++unexpected;
        printk("traps: {} {}\n", text_, ok_ ? "ok" : "UNEXPECTED");
    }
    /// Not what Xen does on hardware, but what it does under QEMU 7.2 (see check()).
    void finish_as_qemu_int_code() {
        ++checks;
        ++qemu_int_codes;
        printk("traps: {} qemu-int-code\n", text_);
    }

private:
    char text_[140];  // with "traps: " and the verdict, one console line (160)
    lib::FixedBuffer out_;
    bool ok_ = true;
};

void print_frame(const TrapRecord& seen) {
    const TrapFrame& frame = seen.frame;
    printk("traps:   frame at {:#x}: rcx {:#x} r11 {:#x} error {:#x} rip {:#x} cs {:#x} rflags {:#x} rsp {:#x} ss {:#x}\n",
           seen.bounce_frame, frame.rcx, frame.r11, frame.error_code, frame.rip, frame.cs, frame.rflags, frame.rsp,
           frame.ss);
}

/// The bounce frame as XEN-PV-ABI.md 4.1 describes it, for a trap at probe.rsp.
void check_frame(CheckLine& line, const TrapRecord& seen) {
    const TrapFrame& frame = seen.frame;
    const uint64_t words = has_error_code(frame.vector) ? 8 : 7;
    const uint64_t expected_at = (probe.rsp & ~uint64_t{15}) - words * 8;
    const uint64_t saved_mask = FrameSavedMask::get(frame.cs);
    const bool good_cs = FrameSelector::get(frame.cs) == abi::kBounceFrameKernelCs && saved_mask == seen.current_mask;
    const bool good_if = RflagsInterrupt::get(frame.rflags) == (saved_mask == 0 ? 1u : 0u);
    const bool good_stack = frame.rsp == probe.rsp && frame.ss == abi::kFlatKernelSs;
    const bool good_place = seen.bounce_frame == expected_at;
    if (good_cs && good_if && good_stack && good_place) {
        line.add(true, "frame-ok");
        return;
    }
    line.add(false, "frame-BAD(cs {:#x} rflags {:#x} rsp {:#x} ss {:#x} at {:#x}, want at {:#x})", frame.cs,
             frame.rflags, frame.rsp, frame.ss, seen.bounce_frame, expected_at);
}

TrapRecord run_probe(void (*run)()) {
    expect_traps();
    run();
    return stop_expecting_traps();
}

/// Whether a blocked int $n came back with QEMU 7.2's error code, (n << 4) | 2 instead
/// of (n << 3) | 2 (it scales by the 16-byte gate size; DESIGN.md). Xen takes the code as
/// the CPU gave it: it looks up trap-table entry 2n for the DPL check and passes the
/// code on, so under QEMU even an int $n that the table allows ends in #GP. Xenolith
/// decodes the instruction instead, as Xen on hardware effectively does.
bool qemu_int_code(const Expected& want, const TrapRecord& seen) {
    return want.int_n != 0 && seen.count == 1 && seen.frame.vector == static_cast<uint64_t>(Vector::GeneralProtection) &&
           seen.frame.error_code == ((uint64_t{want.int_n} << 4) | 2) && seen.frame.rip == probe.fault_rip;
}

/// Run one probe and check its trap; `extra` may add fields (called after the probe).
void check(const Expected& want, void (*extra)(CheckLine&) = nullptr) {
    const TrapRecord seen = run_probe(want.run);
    CheckLine line(want.name);
    const TrapFrame& frame = seen.frame;
    if (seen.count != 1) line.add(false, "traps {}", seen.count);
    const uint64_t want_vector = static_cast<uint64_t>(want.vector);
    const bool qemu_code = qemu_int_code(want, seen);
    line.add(frame.vector == want_vector || qemu_code, "vector {:#x}", frame.vector);
    if (frame.vector != want_vector && !qemu_code) line.add(false, "(want {:#x})", want_vector);
    const bool good_error = frame.error_code == want.error_code || qemu_code;
    if (has_error_code(frame.vector))
        line.add(good_error, "error {:#x}", frame.error_code);
    else
        line.add(true, "error none");
    if (has_error_code(frame.vector) && !good_error) line.add(false, "(want {:#x})", want.error_code);
    const bool at_instruction = want.rip == Rip::AtInstruction || qemu_code;
    const uint64_t want_rip = at_instruction ? probe.fault_rip : probe.next_rip;
    if (frame.rip == want_rip)
        line.add(true, "rip-ok");
    else
        line.add(false, "rip {:#x} (want {:#x}, {} the instruction)", frame.rip, want_rip,
                 at_instruction ? "at" : "after");
    if (want.page_fault) {
        if (seen.cr2 == probe.address)
            line.add(true, "cr2-ok");
        else
            line.add(false, "cr2 {:#x} (want {:#x})", seen.cr2, probe.address);
    }
    check_frame(line, seen);
    if (extra != nullptr) extra(line);
    if (qemu_code)
        line.finish_as_qemu_int_code();
    else
        line.finish();
    if (print_frames) print_frame(seen);
}

void check_single_step() {
    const bool cleared = set_debugreg(6, kDr6Clear).is_error() == false;
    check({"#DB single step", probe_single_step, Vector::Debug, 0, Rip::AfterInstruction}, [](CheckLine& line) {
        auto dr6 = get_debugreg(6);
        if (dr6.is_error()) {
            line.add(false, "dr6 unreadable");
            return;
        }
        line.add(Dr6SingleStep::get(dr6.value()) != 0, "dr6.bs {}", Dr6SingleStep::get(dr6.value()));
    });
    if (!cleared) printk("traps:   (set_debugreg(6) was refused)\n");
}

/// DR6.B0: the breakpoint of DR0 was hit.
using Dr6Breakpoint0 = lib::Flag<0>;
/// DR7 with one breakpoint, DR0: L0 enabled, R/W0 = 01 (data writes), LEN0 = 10 (8 bytes)
/// (SDM Vol. 3B 18.2.4); and DR7 with none (bit 10 reads as one).
constexpr uint64_t kDr7WatchWrites0 = 0x1 | (0b01 << 16) | (0b10 << 18);
constexpr uint64_t kDr7Disarmed = 0x400;

alignas(8) uint64_t watched_word;
alignas(8) char watched_buffer[sizeof(abi::Extraversion)];

/// Watch writes to the 8 bytes at `address` with DR0, DR6 cleared first.
bool watch_writes(const void* address) {
    return !set_debugreg(6, kDr6Clear).is_error() && !set_debugreg(0, reinterpret_cast<uint64_t>(address)).is_error() &&
           !set_debugreg(7, kDr7WatchWrites0).is_error();
}
void stop_watching() { (void)set_debugreg(7, kDr7Disarmed); }

/// A data breakpoint: the #DB is a trap, after the write, with DR6.B0 set.
void check_data_breakpoint() {
    const bool armed = watch_writes(&watched_word);
    check({"#DB data breakpoint", [] { probe_write(reinterpret_cast<uint64_t>(&watched_word)); }, Vector::Debug, 0,
           Rip::AfterInstruction},
          [](CheckLine& line) {
              auto dr6 = get_debugreg(6);
              line.add(!dr6.is_error() && Dr6Breakpoint0::get(dr6.value()) != 0, "dr6.b0 {}",
                       dr6.is_error() ? 0 : Dr6Breakpoint0::get(dr6.value()));
          });
    stop_watching();
    if (!armed) printk("traps:   (the breakpoint was refused)\n");
}

/// The same breakpoint on a buffer the hypervisor writes (xen_version's extraversion):
/// the hit is inside the hypervisor, which carries on; the guest gets no #DB (Xen's
/// do_debug ignores a guest's data breakpoint hit in Xen, XSA-260).
void check_breakpoint_hit_by_hypervisor() {
    for (char& c : watched_buffer) c = 0x5a;
    const bool armed = watch_writes(watched_buffer);
    expect_traps();
    const int64_t result = raw_hypercall(abi::Hypercall::XenVersion, static_cast<uint64_t>(abi::VersionOp::Extraversion),
                                         reinterpret_cast<uint64_t>(watched_buffer));
    const TrapRecord seen = stop_expecting_traps();
    stop_watching();
    unsigned written = 0;
    for (char c : watched_buffer) written += c != 0x5a;
    CheckLine line("breakpoint on a buffer the hypervisor writes");
    line.add(armed, armed ? "armed" : "refused");
    line.add(result == 0 && written != 0, "xen_version {} wrote {}", result == 0 ? "ok" : "failed", written != 0 ? "it" : "nothing");
    line.add(seen.count == 0, "traps {}", seen.count);
    line.finish();
}

/// Two domains of this program, one with `breakpoint-armed` on its command line and one
/// with `breakpoint-free`, check that a domain's breakpoints stay its own across domain
/// switches: the same variable sits at the same address in both, the armed one watches it,
/// and the free one writes it after every yield without a #DB. The armed one then writes it
/// itself and must still get its #DB: its DR7 came back with it.
constexpr unsigned kNeighbourYields = 1000;

void check_breakpoint_neighbour(bool armed) {
    path_name = armed ? "armed" : "free";
    if (armed && !watch_writes(&watched_word)) {
        CheckLine line("watch");
        line.add(false, "refused");
        line.finish();
    }
    if (!armed) (void)set_debugreg(6, kDr6Clear);
    expect_traps();
    for (unsigned i = 0; i < kNeighbourYields; ++i) {
        (void)sched_op(abi::SchedOp::Yield);
        if (!armed) probe_write(reinterpret_cast<uint64_t>(&watched_word));
    }
    const TrapRecord seen = stop_expecting_traps();
    auto dr6 = get_debugreg(6);
    const uint64_t b0 = dr6.is_error() ? 1 : Dr6Breakpoint0::get(dr6.value());
    CheckLine line("after yields");
    line.add(seen.count == 0 && b0 == 0, "{} yields, traps {}, dr6.b0 {}", kNeighbourYields, seen.count, b0);
    line.finish();
    if (armed)
        check({"#DB data breakpoint", [] { probe_write(reinterpret_cast<uint64_t>(&watched_word)); }, Vector::Debug,
               0, Rip::AfterInstruction});
    stop_watching();
}

uint64_t cr0_before_nm;
bool cr0_before_read;

void check_device_not_available() {
    auto taskswitch = fpu_taskswitch(true);
    cr0_before_read = read_cr0(cr0_before_nm);
    check({"#NM after fpu_taskswitch(1)", probe_fninit, Vector::DeviceNotAvailable, 0, Rip::AtInstruction},
          [](CheckLine& line) {
              uint64_t cr0_after = 0;
              if (!cr0_before_read || !read_cr0(cr0_after)) {
                  line.add(false, "cr0 unreadable");
                  return;
              }
              const uint64_t before = Cr0TaskSwitched::get(cr0_before_nm);
              const uint64_t after = Cr0TaskSwitched::get(cr0_after);
              line.add(before == 1 && after == 0, "cr0.ts {}->{}", before, after);
          });
    if (taskswitch.is_error()) printk("traps:   (fpu_taskswitch(1) was refused)\n");
}

void check_registers() {
    expect_traps();
    const AfterTrap after = probe_registers();
    const TrapRecord seen = stop_expecting_traps();
    const TrapFrame& f = seen.frame;
    const Registers in_frame = {{f.r15, f.r14, f.r13, f.r12, f.r11, f.r10, f.r9, f.r8,
                                 f.rbp, f.rdi, f.rsi, f.rdx, f.rcx, f.rbx, f.rax}};
    unsigned frame_wrong = 0;
    unsigned after_wrong = 0;
    for (unsigned i = 0; i < kGeneralRegisters; ++i) {
        frame_wrong += in_frame.value[i] != register_pattern(i);
        after_wrong += after.registers.value[i] != register_pattern(i);
    }
    CheckLine line("registers across int3");
    line.add(seen.count == 1 && f.vector == static_cast<uint64_t>(Vector::Breakpoint), "vector {:#x}", f.vector);
    line.add(frame_wrong == 0, frame_wrong == 0 ? "in-frame-ok" : "in-frame {} wrong", frame_wrong);
    line.add(after_wrong == 0, after_wrong == 0 ? "after-ok" : "after {} wrong", after_wrong);
    line.add(RflagsDirection::get(f.rflags) == 1 && after.direction_flag, "df {}->{}",
             RflagsDirection::get(f.rflags), after.direction_flag ? 1 : 0);
    line.finish();
}

void check_refused_trap_table() {
    // A handler address that is not canonical: Xen refuses the list (-EINVAL).
    const abi::TrapInfo table[2] = {{0x30, 0, abi::kFlatKernelCs, 0, kNonCanonical}, {}};
    auto result = set_trap_table(table);
    CheckLine line("set_trap_table with a non-canonical handler");
    if (result.is_error())
        line.add(result.error_code() == abi::Errno::Inval, "refused: {}", abi::errno_name(result.error_code()));
    else
        line.add(false, "accepted");
    line.finish();
}

void check_all() {
    check({"#DE divide by zero", probe_divide_error, Vector::DivideError, 0, Rip::AtInstruction});
    check_single_step();
    check_data_breakpoint();
    check_breakpoint_hit_by_hypervisor();
    check({"#BP int3", probe_int3, Vector::Breakpoint, 0, Rip::AfterInstruction});
    check({"#BP int $3", probe_int_3, Vector::Breakpoint, 0, Rip::AfterInstruction});
    check({"#UD into (invalid in 64-bit mode)", probe_into, Vector::InvalidOpcode, 0, Rip::AtInstruction});
    check({"#UD ud2", probe_ud2, Vector::InvalidOpcode, 0, Rip::AtInstruction});
    check_device_not_available();
    check({"#GP hlt", probe_hlt, Vector::GeneralProtection, 0, Rip::AtInstruction});
    check({"#GP non-canonical read", probe_non_canonical_read, Vector::GeneralProtection, 0, Rip::AtInstruction});
    check({"#PF read of an unmapped page", [] { probe_read(kUnmapped); }, Vector::PageFault, 0,
           Rip::AtInstruction, true});
    check({"#PF write to a read-only page", [] { probe_write(read_only_page); }, Vector::PageFault, 3,
           Rip::AtInstruction, true});
    check({"#PF fetch from an unmapped page", probe_fetch_unmapped, Vector::PageFault, 0x10, Rip::AtInstruction,
           true});
    // int $n (XEN-PV-ABI.md 4.5): #GP with error (n << 3) | 2 unless the entry's DPL
    // allows the kernel (>= 1); int $0x80 with any handler is delivered whatever its DPL.
    check({"int $0x80 without a handler", probe_int_0x80, Vector::GeneralProtection, (0x80 << 3) | 2,
           Rip::AtInstruction});
    check({"int $0x20 without a handler", probe_int_0x20, Vector::GeneralProtection, (0x20 << 3) | 2,
           Rip::AtInstruction, false, 0x20});
    check({"int $0x21 with DPL 1", probe_int_0x21, static_cast<Vector>(0x21), 0, Rip::AfterInstruction,
           false, 0x21});
    check({"int $0x22 with DPL 0", probe_int_0x22, Vector::GeneralProtection, (0x22 << 3) | 2,
           Rip::AtInstruction, false, 0x22});
    if (set_trap_handler(0x80, 0, false).is_error()) {
        CheckLine line("set_trap_handler(0x80)");
        line.add(false, "refused");
        line.finish();
    }
    check({"int $0x80 with a DPL 0 handler", probe_int_0x80, Vector::Int80, 0, Rip::AfterInstruction});
    check_registers();
    check_refused_trap_table();
}

lib::ErrorOr<void> run_pass(TrapReturn policy, const char* name) {
    path_name = name;
    set_trap_return(policy);
    // A fresh table each pass, so that int $0x80 starts without a handler again.
    TRY(reset_trap_table());
    TRY(set_trap_handler(0x21, 1, false));
    TRY(set_trap_handler(0x22, 0, false));
    const TrapReturnCounts before = trap_return_counts();
    check_all();
    const TrapReturnCounts after = trap_return_counts();
    CheckLine line("returns");
    const uint64_t by_iretq = after.iretq - before.iretq;
    const uint64_t by_hypercall = after.iret_hypercall - before.iret_hypercall;
    const bool right_way = policy == TrapReturn::IretHypercall ? by_iretq == 0 : by_hypercall == 0;
    line.add(right_way, "{} by iretq, {} by the iret hypercall", by_iretq, by_hypercall);
    line.finish();
    return {};
}

lib::ErrorOr<void> make_read_only_page() {
    const mm::Pfn pfn = TRY(mm::allocate_frame());
    read_only_page = mm::start_of_day_address(pfn).raw();
    return mm::set_mapping(mm::Vaddr(read_only_page), mm::kernel_page_entry(TRY(mm::mfn_of(pfn)), false));
}

/// `report`: a write to an unmapped page. `report-jump`: a call to one, so that the
/// report's own read of the instruction bytes faults too (and is fixed up).
[[noreturn]] void make_unexpected_fault(const char* mode) {
    if (lib::equal(mode, "report-jump")) {
        printk("traps: calling {:#x} with no fixup\n", kUnmapped);
        reinterpret_cast<void (*)()>(kUnmapped)();
    } else {
        printk("traps: writing to {:#x} with no fixup\n", kUnmapped);
        *reinterpret_cast<volatile uint64_t*>(kUnmapped) = 0x5a;
    }
    printk("traps: still running after the fault, which is wrong\n");
    shutdown(abi::ShutdownReason::Poweroff);
}

lib::ErrorOr<void> run(const abi::StartInfo& info) {
    TRY(mm::init_memory(info));
    TRY(init_traps(info));
    printk("traps: trap table set for vectors 0-{}, shared_info mapped\n", kExceptionVectors - 1);
    const char* command_line = reinterpret_cast<const char*>(info.cmd_line);
    if (lib::starts_with(command_line, "report")) make_unexpected_fault(command_line);
    if (lib::starts_with(command_line, "breakpoint-")) {
        check_breakpoint_neighbour(lib::equal(command_line, "breakpoint-armed"));
        return {};
    }
    TRY(make_read_only_page());
    print_frames = true;
    TRY(run_pass(TrapReturn::Fastest, "iretq"));
    print_frames = false;
    TRY(run_pass(TrapReturn::IretHypercall, "hypercall"));
    return {};
}

}  // namespace

const char* app_name() { return "traps"; }

int app_main(const abi::StartInfo& info) {
    auto result = run(info);
    if (result.is_error()) return report_failure("failed", result.error());
    if (qemu_int_codes != 0)
        printk("traps: {} checks saw QEMU's int $n error code (n << 4) | 2, passed on by the hypervisor\n",
               qemu_int_codes);
    printk("traps: {} checks, {} unexpected\n", checks, unexpected);
    return unexpected == 0 ? 0 : 1;
}

}  // namespace minios
