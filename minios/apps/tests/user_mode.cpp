// SPDX-License-Identifier: MIT
// Boot test: guest user mode. minios builds a user page table, enters user mode with the
// iret hypercall, and checks what comes back: syscalls, faults, traps, events.
//
// The user program is the page of code at the top of this file, mapped read-only into
// a user page table that holds nothing else of the kernel (kernel/user_mode.cpp). Each
// check is one run in user mode that ends with the exit syscall, and looks at the frame
// the kernel received (XEN-PV-ABI.md 4.1-4.3) and at the registers the program saw:
//   - a syscall reaches the syscall callback on the stack_switch stack, with a 7-word
//     frame whose RCX and R11 words hold the user's return RIP and RFLAGS, CS 0xE033, the
//     arguments in their registers, events masked at entry only with CALLBACKF_mask_events,
//     and DF clear in the handler; the iret hypercall back with VGCF_in_syscall leaves
//     RCX = RIP and R11 = RFLAGS in user mode, without it RCX and R11 from the frame;
//   - the program's syscall numbers (1, 2) are also hypercall numbers: from user mode a
//     SYSCALL is never a hypercall;
//   - kernel pages are absent from user mode: a read is a #PF with the U bit, delivered
//     to the kernel's handler on the kernel stack with the user CS; so is a write to the
//     read-only user code, a MOV from CR3 (#GP: only kernel mode gets it emulated) and an
//     int $0x80 with no handler (#GP); int3 and int $0x80 with a handler are delivered;
//   - the user and kernel GS bases (set_segment_base) swap with the mode;
//   - an event that arrives in user mode is delivered on the kernel stack and user mode
//     goes on afterwards.
// One line per check, `user-mode: <name>: ... ok|UNEXPECTED`, then
// `user-mode: N checks, M unexpected`; the application fails when M > 0.
//
// With `iret-forged-cs`, `iret-forged-rip` or `iret-forged-user-cs` on the command line
// it instead makes the iret hypercall with a forged frame: Xen's ring-0 code selector
// (0xE008) back to kernel mode, a non-canonical RIP, or 0xE00B (RPL 3) towards user
// mode. Xen does not check the frame; the CPU's IRETQ refuses it and Xen reflects that
// to the guest as a #GP from the forged context (XEN-PV-ABI.md 4.3). The guest checks
// that #GP's frame, then crashes itself: a kernel cannot go on from a forged context.
#include "abi/segments.hpp"
#include "apps/app.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "kernel/event_channel.hpp"
#include "kernel/events.hpp"
#include "kernel/shutdown.hpp"
#include "kernel/traps.hpp"
#include "kernel/user_mode.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "mm/frame.hpp"
#include "mm/mm.hpp"
#include "mm/p2m.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"

#include "apps/tests/user_mode_program.h"


extern "C" char forged_gp_entry[];
extern "C" char user_code_start[], user_code_end[];
extern "C" char user_syscall_probe[], user_syscall_probe_return[], user_gs_probe[];
extern "C" char user_read[], user_read_resume[], user_write[], user_write_resume[];
extern "C" char user_read_cr3[], user_read_cr3_resume[], user_int80[], user_int80_resume[];
extern "C" char user_int3[], user_int3_resume[], user_spin[];

namespace minios {
namespace {

/// What user_report pushed, lowest address first.
struct UserRegisters {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t rflags;
};

using RflagsInterrupt = lib::Flag<9>;
using RflagsDirection = lib::Flag<10>;
constexpr uint64_t kRflagsIopl = uint64_t{3} << 12, kRflagsVm = uint64_t{1} << 17;
/// R11 after the probe's SYSCALL: the user RFLAGS, i.e. the reserved bit 1, IF (always
/// set in hardware for a PV guest, whatever the event mask) and the DF the probe set.
constexpr uint64_t kProbeSyscallRflags = 0x602;
/// #PF error code bits (SDM Vol. 3A 4.7): present, write, user.
constexpr uint64_t kPfPresent = 1, kPfWrite = 2, kPfUser = 4;

/// What the probe syscall returns, and RCX/R11 for a return without VGCF_in_syscall.
constexpr uint64_t kProbeResult = 0x600d'0000'0000'0001;
constexpr uint64_t kIretRcx = 0x5eed'0000'0000'c0c0;
constexpr uint64_t kIretR11 = 0x5eed'0000'0000'1111;
/// The markers %gs:0 finds in each mode.
constexpr uint64_t kUserGsMarker = 0x0005'e400'0000'0005;
constexpr uint64_t kKernelGsMarker = 0x000c'e400'0000'000c;

uint64_t kernel_secret = 0x5ec7e7;  // mapped only in the kernel's page table
uint64_t kernel_gs_area = kKernelGsMarker;

unsigned checks;
unsigned unexpected;

/// One check's line: fields are appended, and any bad one makes it UNEXPECTED.
class CheckLine {
public:
    explicit CheckLine(const char* name) : out_(text_, sizeof text_) { lib::format_to(out_, "{}:", name); }
    template <typename... Args>
    void add(bool good, const char* fmt, const Args&... args) {
        out_.put(' ');
        lib::format_to(out_, fmt, args...);
        ok_ = ok_ && good;
    }
    void finish() {
        ++checks;
        if (!ok_) ++unexpected;
        printk("user-mode: {} {}\n", text_, ok_ ? "ok" : "UNEXPECTED");
    }

private:
    char text_[140];
    lib::FixedBuffer out_;
    bool ok_ = true;
};

uint64_t address_of(const char* label) { return reinterpret_cast<uint64_t>(label); }

// ---- syscalls ----

/// What the kernel saw of the last probe or GS syscall, and how it answers.
struct SeenSyscall {
    SyscallFrame frame;
    uint64_t bounce_frame;
    uint8_t entry_mask;
    uint64_t kernel_gs;  ///< %gs:0 in the handler
};
SeenSyscall seen;
SyscallReturn probe_return = SyscallReturn::Sysret;

SyscallReturn handle_syscall(const Syscall& call) {
    SyscallFrame& frame = *call.frame;
    seen = {frame, call.bounce_frame, call.entry_mask, 0};
    if (frame.rax == USER_SYSCALL_GS) {
        asm volatile("mov %%gs:0, %0" : "=r"(seen.kernel_gs));
        frame.rax = 0;
        return SyscallReturn::Sysret;
    }
    frame.rax = kProbeResult;
    if (probe_return == SyscallReturn::Iretq) {
        frame.rcx = kIretRcx;
        frame.r11 = kIretR11;
    }
    return probe_return;
}

const UserRegisters& registers_of(const UserExit& exit) {
    return *reinterpret_cast<const UserRegisters*>(exit.frame.rdi);
}

/// The callback frame as XEN-PV-ABI.md 4.2 describes it, for user_syscall_probe.
void check_probe_frame(const char* variant, bool events_on, bool masks_events, uint64_t syscalls) {
    const SyscallFrame& f = seen.frame;
    const uint64_t saved_mask = FrameSavedMask::get(f.cs);
    const uint64_t back = address_of(user_syscall_probe_return);
    char name[64];
    lib::FixedBuffer text(name, sizeof name);
    lib::format_to(text, "syscall {}", variant);
    CheckLine line(name);
    line.add(syscalls == 2, "syscalls {}", syscalls);
    // CS 0xE033 with the mask user mode ran with, IF its inverse; the user's RIP, RSP
    // and SS; the frame 7 words below kernel_sp rounded down to 16.
    const bool frame_ok = FrameSelector::get(f.cs) == abi::kFlatUserCs && saved_mask == (events_on ? 0u : 1u) &&
                          RflagsInterrupt::get(f.rflags) == (events_on ? 1u : 0u) && f.rip == back &&
                          f.rsp == user_stack_top() && f.ss == abi::kFlatUserSs &&
                          seen.bounce_frame == (kernel_stack_top() & ~uint64_t{15}) - 7 * 8;
    line.add(frame_ok, frame_ok ? "frame-ok" : "frame-BAD(cs {:#x} rip {:#x} rflags {:#x} rsp {:#x} ss {:#x} at {:#x})",
             f.cs, f.rip, f.rflags, f.rsp, f.ss, seen.bounce_frame);
    // SYSCALL put the return address in RCX and RFLAGS in R11 (SDM Vol. 2B SYSCALL):
    // IF as the hardware has it (always 1 in a PV guest), DF as the program set it.
    line.add(f.rcx == back, f.rcx == back ? "rcx-ok" : "rcx {:#x}", f.rcx);
    line.add(f.r11 == kProbeSyscallRflags, "r11 {:#x}", f.r11);
    const bool args_ok = f.rax == USER_SYSCALL_PROBE && f.rdi == USER_PATTERN_RDI && f.rsi == USER_PATTERN_RSI &&
                         f.rdx == USER_PATTERN_RDX && f.r10 == USER_PATTERN_R10 && f.r8 == USER_PATTERN_R8 &&
                         f.r9 == USER_PATTERN_R9 && f.rbx == USER_PATTERN_RBX && f.rbp == USER_PATTERN_RBP &&
                         f.r12 == USER_PATTERN_R12 && f.r13 == USER_PATTERN_R13 && f.r14 == USER_PATTERN_R14 &&
                         f.r15 == USER_PATTERN_R15;
    line.add(args_ok, args_ok ? "args-ok" : "args-BAD");
    line.add(seen.entry_mask == (masks_events || !events_on ? 1u : 0u), "mask {}", seen.entry_mask);
    // Xen clears DF for the handler only, after writing the frame (entry.S:
    // switch_to_kernel), so the frame still has the program's DF.
    line.add(RflagsDirection::get(f.rflags) == 1 && RflagsDirection::get(f.entry_rflags) == 0,
             "df frame {} handler {}", RflagsDirection::get(f.rflags), RflagsDirection::get(f.entry_rflags));
    line.finish();
}

/// The registers user mode had after the return.
void check_probe_return(const char* variant, const UserExit& exit, SyscallReturn how) {
    const UserRegisters& r = registers_of(exit);
    const uint64_t rflags = (seen.frame.rflags & ~(kRflagsIopl | kRflagsVm)) | RflagsInterrupt::kMask;
    const bool sysret = how == SyscallReturn::Sysret;
    const uint64_t want_rcx = sysret ? address_of(user_syscall_probe_return) : kIretRcx;
    const uint64_t want_r11 = sysret ? rflags : kIretR11;
    char name[64];
    lib::FixedBuffer text(name, sizeof name);
    lib::format_to(text, "back from syscall {}", variant);
    CheckLine line(name);
    const bool kept = r.rbx == USER_PATTERN_RBX && r.rbp == USER_PATTERN_RBP && r.rsi == USER_PATTERN_RSI &&
                      r.rdi == USER_PATTERN_RDI && r.rdx == USER_PATTERN_RDX && r.r8 == USER_PATTERN_R8 &&
                      r.r9 == USER_PATTERN_R9 && r.r10 == USER_PATTERN_R10 && r.r12 == USER_PATTERN_R12 &&
                      r.r13 == USER_PATTERN_R13 && r.r14 == USER_PATTERN_R14 && r.r15 == USER_PATTERN_R15;
    line.add(r.rax == kProbeResult, r.rax == kProbeResult ? "rax-ok" : "rax {:#x}", r.rax);
    line.add(kept, kept ? "regs-ok" : "regs-BAD");
    // SYSRET: RCX = RIP, R11 = RFLAGS; IRETQ: both as the kernel left them in the frame.
    line.add(r.rcx == want_rcx, r.rcx == want_rcx ? "rcx-ok" : "rcx {:#x}", r.rcx);
    line.add(r.r11 == want_r11, r.r11 == want_r11 ? "r11-ok" : "r11 {:#x} (want {:#x})", r.r11, want_r11);
    // RFLAGS as the frame had them, with IF set: DF comes back.
    line.add(r.rflags == rflags && rflags == kProbeSyscallRflags, "rflags {:#x}", r.rflags);
    line.finish();
}

void check_syscall(const char* variant, bool events_on, bool masks_events, SyscallReturn how) {
    if (set_syscall_masks_events(masks_events).is_error()) printk("user-mode: callback_op(syscall) refused\n");
    probe_return = how;
    const uint64_t before = syscall_count();
    const UserExit exit = run_in_user_mode(address_of(user_syscall_probe), user_stack_top(), 0, events_on);
    check_probe_frame(variant, events_on, masks_events, syscall_count() - before);
    check_probe_return(variant, exit, how);
}

/// The exit syscall's own frame: CS 0xE033, on the kernel stack.
void check_exit_frame() {
    const bool masked_before = events_masked();
    const UserExit exit = run_in_user_mode(address_of(user_int3_resume), user_stack_top(), 0, true);
    CheckLine line("exit syscall back to the kernel");
    const uint64_t want_at = (kernel_stack_top() & ~uint64_t{15}) - 7 * 8;
    line.add(FrameSelector::get(exit.frame.cs) == abi::kFlatUserCs && exit.frame.ss == abi::kFlatUserSs,
             "cs {:#x} ss {:#x}", exit.frame.cs, exit.frame.ss);
    line.add(exit.bounce_frame == want_at, exit.bounce_frame == want_at ? "on-kernel-stack" : "frame at {:#x}",
             exit.bounce_frame);
    line.add(events_masked() == masked_before, "event mask restored");
    line.finish();
}

// ---- traps from user mode ----

struct TrapExpected {
    const char* name;
    const char* routine;
    uint64_t argument;
    Vector vector;
    uint64_t error_code;
    uint64_t rip;       ///< in the frame: at the instruction (a fault) or after it (a trap)
    uint64_t cr2 = 0;   ///< for a #PF
};

void check_trap(const TrapExpected& want) {
    expect_traps();
    run_in_user_mode(address_of(want.routine), user_stack_top(), want.argument, true);
    const TrapRecord record = stop_expecting_traps();
    const TrapFrame& f = record.frame;
    CheckLine line(want.name);
    line.add(record.count == 1 && f.vector == static_cast<uint64_t>(want.vector), "vector {:#x}", f.vector);
    if (has_error_code(f.vector))
        line.add(f.error_code == want.error_code, "error {:#x}", f.error_code);
    else
        line.add(true, "error none");
    line.add(f.rip == want.rip, f.rip == want.rip ? "rip-ok" : "rip {:#x} (want {:#x})", f.rip, want.rip);
    if (f.vector == static_cast<uint64_t>(Vector::PageFault))
        line.add(record.cr2 == want.cr2, record.cr2 == want.cr2 ? "cr2-ok" : "cr2 {:#x}", record.cr2);
    const uint64_t words = has_error_code(f.vector) ? 8 : 7;
    const uint64_t want_at = (kernel_stack_top() & ~uint64_t{15}) - words * 8;
    const bool frame_ok = FrameSelector::get(f.cs) == abi::kFlatUserCs && FrameSavedMask::get(f.cs) == 0 &&
                          RflagsInterrupt::get(f.rflags) == 1 && f.rsp == user_stack_top() &&
                          f.ss == abi::kFlatUserSs && record.bounce_frame == want_at;
    line.add(frame_ok, frame_ok ? "user-frame-ok" : "frame-BAD(cs {:#x} rflags {:#x} rsp {:#x} ss {:#x} at {:#x})",
             f.cs, f.rflags, f.rsp, f.ss, record.bounce_frame);
    line.finish();
}

void check_traps() {
    const uint64_t secret = reinterpret_cast<uint64_t>(&kernel_secret);
    check_trap({"#PF reading a kernel page", user_read, secret, Vector::PageFault, kPfUser, address_of(user_read),
                secret});
    const uint64_t code = address_of(user_code_start);
    check_trap({"#PF writing the read-only user code", user_write, code, Vector::PageFault,
                kPfPresent | kPfWrite | kPfUser, address_of(user_write), code});
    check_trap({"#GP mov from cr3", user_read_cr3, 0, Vector::GeneralProtection, 0, address_of(user_read_cr3)});
    check_trap({"#GP int $0x80 without a handler", user_int80, 0, Vector::GeneralProtection, (0x80 << 3) | 2,
                address_of(user_int80)});
    check_trap({"#BP int3 (DPL 3)", user_int3, 0, Vector::Breakpoint, 0, address_of(user_int3_resume)});
    if (set_trap_handler(0x80, 0, false).is_error()) printk("user-mode: set_trap_handler(0x80) refused\n");
    check_trap({"int $0x80 with a DPL 0 handler", user_int80, 0, Vector::Int80, 0, address_of(user_int80_resume)});
}

// ---- GS bases ----

void check_gs_bases() {
    uint64_t* user_gs_area = reinterpret_cast<uint64_t*>(user_data_page(0));
    *user_gs_area = kUserGsMarker;
    const bool set = !set_segment_base(abi::SegmentBase::GsUser, reinterpret_cast<uint64_t>(user_gs_area)).is_error() &&
                     !set_segment_base(abi::SegmentBase::GsKernel, reinterpret_cast<uint64_t>(&kernel_gs_area)).is_error();
    const UserExit exit = run_in_user_mode(address_of(user_gs_probe), user_stack_top(), 0, true);
    const UserRegisters& r = registers_of(exit);
    uint64_t kernel_after = 0;
    asm volatile("mov %%gs:0, %0" : "=r"(kernel_after));
    CheckLine line("gs bases swap with the mode");
    line.add(set, set ? "set" : "set_segment_base refused");
    line.add(r.rbx == kUserGsMarker && r.r12 == kUserGsMarker, "user {:#x}/{:#x}", r.rbx, r.r12);
    line.add(seen.kernel_gs == kKernelGsMarker && kernel_after == kKernelGsMarker, "kernel {:#x}/{:#x}",
             seen.kernel_gs, kernel_after);
    line.finish();
    (void)set_segment_base(abi::SegmentBase::GsUser, 0);
    (void)set_segment_base(abi::SegmentBase::GsKernel, 0);
}

// ---- an event in user mode ----

volatile uint64_t* event_flag;
uint64_t event_handler_rsp;

void on_timer(Port, void*) {
    if (event_flag == nullptr || *event_flag != 0) return;
    uint64_t rsp;
    asm volatile("mov %%rsp, %0" : "=r"(rsp));
    event_handler_rsp = rsp;
    *event_flag = 1;
}

lib::ErrorOr<void> check_event_in_user_mode() {
    // Xen runs a 100 Hz periodic VIRQ_TIMER from boot (XEN-PV-ABI.md 2.3): bind it.
    const Port port = TRY(bind_virq(abi::Virq::Timer));
    event_flag = reinterpret_cast<volatile uint64_t*>(user_data_page(0) + 8);
    *event_flag = 0;
    TRY(set_event_handler(port, on_timer));
    const UserExit exit = run_in_user_mode(address_of(user_spin), user_stack_top(),
                                           reinterpret_cast<uint64_t>(event_flag), true);
    const UserRegisters& r = registers_of(exit);
    clear_event_handler(port);
    TRY(close_port(port));
    CheckLine line("event upcall in user mode");
    // The event may come at once, at the user program's first instruction (one was
    // pending when the iret hypercall unmasked events), or while it spins: either way
    // it interrupts user mode, and user mode goes on afterwards and sees the flag.
    const bool delivered = *event_flag == 1;
    const bool on_kernel_stack = event_handler_rsp >= kernel_stack_bottom() && event_handler_rsp < kernel_stack_top();
    line.add(delivered, delivered ? "delivered" : "not delivered");
    line.add(on_kernel_stack, on_kernel_stack ? "handler-on-kernel-stack" : "handler rsp {:#x}", event_handler_rsp);
    line.add(r.rsi != 0, r.rsi != 0 ? "user resumed" : "user gave up waiting");
    line.finish();
    event_flag = nullptr;
    return {};
}

// ---- the user page table ----

/// The L1 entry of `va` in the user page table, read through the start-of-day mapping
/// of its frames (they are mapped read-only there, like every table frame).
lib::ErrorOr<uint64_t> user_l1_entry(uint64_t va) {
    uint64_t table = user_l4_mfn();
    for (unsigned level = mm::pte::kL4; level >= mm::pte::kL1; --level) {
        const mm::Pfn pfn = TRY(mm::pfn_of(mm::Mfn(table)));
        const uint64_t entry = mm::table_entries(pfn)[mm::pte::index(mm::Vaddr(va), level)];
        if (level == mm::pte::kL1 || !mm::pte::present(entry)) return entry;
        table = mm::pte::frame(entry).raw();
    }
    return uint64_t{0};
}

void check_user_page_table() {
    CheckLine line("user page table");
    const auto code = user_l1_entry(address_of(user_code_start));
    const auto stack = user_l1_entry(user_stack_top() - mm::kPageSize);
    const auto secret = user_l1_entry(reinterpret_cast<uint64_t>(&kernel_secret));
    if (code.is_error() || stack.is_error() || secret.is_error()) {
        line.add(false, "unreadable");
        line.finish();
        return;
    }
    // Xen keeps USER on a user page and, bit 52 being clear, adds G (pv/mm.h: adjust_guest_l1e).
    constexpr uint64_t kFlags = 0x1ff | mm::pte::kGuestKernel;
    line.add((code.value() & kFlags) == 0x165, "code {:#x}", code.value() & kFlags);
    line.add((stack.value() & kFlags) == 0x167, "stack {:#x}", stack.value() & kFlags);
    line.add(!mm::pte::present(secret.value()), "kernel absent");
    line.finish();
}

// ---- hostile: a forged iret frame ----

/// One forged return, and the #GP that Xen reflects for it: its error code names the
/// selector the CPU's IRETQ refused (0 for a non-canonical RIP); the frame holds the
/// forged registers, its CS with the RPL cleared when the return was to kernel mode.
struct ForgedReturn {
    const char* name;
    uint64_t cs, rip, rsp;  ///< given to the iret hypercall (SS 0xE02B, RFLAGS 0x2)
    uint64_t error_code;
    uint64_t frame_cs;
    uint64_t frame_at;      ///< where the #GP frame must land
};
ForgedReturn forged;
constexpr uint64_t kForgedRflags = 0x2;  // events masked, as they are in the kernel here
alignas(16) uint8_t forged_stack[2 * mm::kPageSize];

/// Where a forged frame's RIP points when it is a kernel one: reached only if the
/// hypervisor returned to the frame after all.
[[noreturn]] void survived_forged_iret() {
    printk("user-mode: iret-forged: returned to the forged frame\n");
    shutdown(abi::ShutdownReason::Poweroff);
}

/// Make the iret hypercall with the forged frame, #GP going to forged_gp_entry.
[[noreturn]] void iret_forged(const ForgedReturn& how) {
    forged = how;
    const abi::TrapInfo table[2] = {
        {static_cast<uint8_t>(Vector::GeneralProtection), 0, abi::kFlatKernelCs, 0, address_of(forged_gp_entry)}, {}};
    if (set_trap_table(table).is_error()) printk("user-mode: iret-forged: set_trap_table refused\n");
    printk("user-mode: {}: iret hypercall with cs {:#x} rip {:#x} rsp {:#x}\n", how.name, how.cs, how.rip, how.rsp);
    asm volatile("pushq %[ss]\n\t"
                 "pushq %[rsp]\n\t"
                 "pushq %[rflags]\n\t"
                 "pushq %[cs]\n\t"
                 "pushq %[rip]\n\t"
                 "pushq $0\n\t"  // flags
                 "jmp hypercall_page + %c[iret]"
                 :
                 : [ss] "i"(abi::kFlatKernelSs), [rsp] "r"(how.rsp), [rflags] "i"(kForgedRflags), [cs] "r"(how.cs),
                   [rip] "r"(how.rip), [iret] "i"(MINIOS_HYPERCALL_IRET_OFFSET)
                 : "memory");
    __builtin_unreachable();
}

[[noreturn]] void run_forged(const char* mode) {
    const uint64_t kernel_rip = reinterpret_cast<uint64_t>(survived_forged_iret);
    const uint64_t kernel_rsp = reinterpret_cast<uint64_t>(forged_stack + sizeof forged_stack);
    // Kernel mode: the frame lands on the forged (kernel) stack, 8 words with the error code.
    if (lib::equal(mode, "iret-forged-cs"))
        iret_forged({mode, 0xe008, kernel_rip, kernel_rsp, 0xe008, 0xe008, kernel_rsp - 8 * 8});
    if (lib::equal(mode, "iret-forged-rip"))
        iret_forged({mode, abi::kBounceFrameKernelCs, 0x8000'0000'0000'0000, kernel_rsp, 0, abi::kBounceFrameKernelCs,
                     kernel_rsp - 8 * 8});
    // User mode (RPL 3): Xen switches to user mode first, so the #GP comes from user
    // mode and lands on the stack_switch stack, with the user CS kept as it is.
    if (lib::equal(mode, "iret-forged-user-cs"))
        iret_forged({mode, 0xe00b, address_of(user_int3_resume), user_stack_top(), 0xe008, 0xe00b,
                     kernel_stack_top() - 8 * 8});
    printk("user-mode: unknown mode {}\n", mode);
    shutdown(abi::ShutdownReason::Crash);
}

lib::ErrorOr<void> run(const abi::StartInfo& info) {
    TRY(init_events(info));
    TRY(init_traps(info));
    const UserSpaceLayout layout{address_of(user_code_start), address_of(user_code_end), 1};
    TRY(init_user_mode(layout, handle_syscall));
    const char* command_line = reinterpret_cast<const char*>(info.cmd_line);
    if (lib::starts_with(command_line, "iret-forged")) run_forged(command_line);
    printk("user-mode: user page table pinned and registered, kernel stack {:#x}, user stack {:#x}\n",
           kernel_stack_top(), user_stack_top());
    check_user_page_table();
    check_syscall("[events on, no mask_events, sysret]", true, false, SyscallReturn::Sysret);
    check_syscall("[events on, mask_events, sysret]", true, true, SyscallReturn::Sysret);
    check_syscall("[events off, iretq]", false, true, SyscallReturn::Iretq);
    TRY(set_syscall_masks_events(false));
    check_exit_frame();
    check_traps();
    check_gs_bases();
    TRY(check_event_in_user_mode());
    return {};
}

}  // namespace

const char* app_name() { return "user-mode"; }

int app_main(const abi::StartInfo& info) {
    auto result = run(info);
    if (result.is_error()) return report_failure("failed", result.error());
    printk("user-mode: {} checks, {} unexpected\n", checks, unexpected);
    return unexpected == 0 ? 0 : 1;
}

}  // namespace minios

/// forged_gp_entry's C++ half: the #GP frame (RCX, R11, error code, RIP, CS, RFLAGS,
/// RSP, SS) against what Xen gives for the forged return. Then the domain crashes, as
/// a kernel does on a #GP it cannot recover from (its CS and RIP are the forged ones).
extern "C" [[noreturn]] void check_forged_gp(const uint64_t* frame) {
    using namespace minios;
    const ForgedReturn& want = forged;
    const uint64_t error = frame[2], rip = frame[3], cs = frame[4], rflags = frame[5], rsp = frame[6], ss = frame[7];
    const uint64_t at = reinterpret_cast<uint64_t>(frame);
    CheckLine line(want.name);
    line.add(error == want.error_code, "#GP error {:#x}", error);
    line.add(rip == want.rip, rip == want.rip ? "rip-ok" : "rip {:#x}", rip);
    line.add(FrameSelector::get(cs) == want.frame_cs && FrameSavedMask::get(cs) == 1, "cs {:#x} mask {}",
             FrameSelector::get(cs), FrameSavedMask::get(cs));
    line.add(rflags == kForgedRflags, "rflags {:#x}", rflags);
    line.add(rsp == want.rsp && ss == abi::kFlatKernelSs, rsp == want.rsp ? "rsp-ok ss {:#x}" : "rsp {:#x} ss {:#x}",
             rsp == want.rsp ? ss : rsp, ss);
    line.add(at == want.frame_at, at == want.frame_at ? "frame-at-ok" : "frame at {:#x}", at);
    line.finish();
    printk("user-mode: {} checks, {} unexpected\n", checks, unexpected);
    printk("user-mode: {}: #GP from the forged frame, crashing the domain\n", want.name);
    shutdown(abi::ShutdownReason::Crash);
}
