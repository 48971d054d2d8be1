// SPDX-License-Identifier: MIT
// Traps: the trap table, the C++ half of every trap, fixups, and how a handler returns.
//
// Theory of operation. A PV kernel has no IDT: it hands the hypervisor a trap table
// (vector, DPL, mask-events flag, handler address) with HYPERVISOR_set_trap_table. When
// an exception hits the guest, the hypervisor writes a bounce frame on the interrupted
// kernel stack and enters the handler in ring 3 (XEN-PV-ABI.md 4.1, 4.4):
//   RCX, R11, [error code,] RIP, CS (0xE030 from kernel mode, the saved event mask in
//   bits 39:32), RFLAGS (IF = the inverse of that mask), RSP, SS,
// ending just below RSP rounded down to 16 (56 bytes, 64 with an error code). A #PF's
// address is in vcpu_info.arch.cr2, which minios reads through its shared_info mapping
// before anything else can fault. The stubs in arch/x86_64/trap_entry.S pop RCX and R11,
// save every register as a TrapFrame, and call minios_handle_trap.
//
// The handler either knows the trap or reports it and crashes the domain. It knows a
// trap when a fixup names the faulting instruction (the ex_table section, filled with
// MINIOS_FIXUP: resume at a landing address instead), or when a test said it expects
// traps (expect_traps: record what arrived, resume at the fixup or where the frame
// says). Either way execution goes on; nothing else is recovered, because nothing
// else is understood.
//
// Two ways back (see choose_return):
//   - the iret hypercall, which always works: Xen restores RAX, RCX, R11 and the frame,
//     sets the event mask from RFLAGS.IF, switches to user mode if CS says so, and ends
//     NMI blocking (XEN-PV-ABI.md 4.3);
//   - a plain IRETQ, which costs no hypercall but can do none of those things: IRETQ at
//     CPL 3 cannot touch the event mask (or IF), page tables or GS (4.6). minios uses
//     it only for kernel-to-kernel returns that leave the event mask as it is.
//
// Single vCPU, no locks: the state below is touched only by the handler and by the code
// it interrupted, never both at once. A trap inside the report that no fixup covers
// ends the domain at once.
#include "kernel/traps.hpp"

#include "abi/segments.hpp"
#include "abi/shared_info.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "kernel/shutdown.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/layout.hpp"
#include "mm/mmu.hpp"
#include "mm/p2m.hpp"
#include "mm/page_table.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"
#include "mm/shared_info.hpp"

namespace minios {
namespace {

/// An exception-table entry, as MINIOS_FIXUP writes it.
struct Fixup {
    uint64_t fault_rip;
    uint64_t resume_rip;
};

}  // namespace
}  // namespace minios

// The linker defines __start_/__stop_ for a section whose name is a C identifier.
extern "C" const minios::Fixup __start_ex_table[];
extern "C" const minios::Fixup __stop_ex_table[];
extern "C" char trap_entries[];
extern "C" int minios_handle_trap(minios::TrapFrame* frame);

namespace minios {
namespace {

/// More traps than this after expect_traps() means the code is not making progress.
constexpr unsigned kMaxExpectedTraps = 4;

const abi::SharedInfo* shared_info;  // null until init_traps mapped it
TrapReturn return_policy = TrapReturn::Fastest;
TrapReturnCounts return_counts;
bool expecting;
bool reporting;
TrapRecord record;

const Fixup* find_fixup(uint64_t rip) {
    for (const Fixup* fixup = __start_ex_table; fixup != __stop_ex_table; ++fixup)
        if (fixup->fault_rip == rip) return fixup;
    return nullptr;
}

uint8_t current_upcall_mask() {
    return *reinterpret_cast<const volatile uint8_t*>(&shared_info->vcpu_info[0].evtchn_upcall_mask);
}

uint64_t page_fault_address() {
    return *reinterpret_cast<const volatile uint64_t*>(&shared_info->vcpu_info[0].arch.cr2);
}

int choose_return(const TrapFrame& frame) {
    // BEGIN LAB traps: choose between the iret hypercall and IRETQ
    if (return_policy == TrapReturn::IretHypercall) return MINIOS_TRAP_RETURN_HYPERCALL;
    // NMIs stay blocked until the iret hypercall (pv/iret.c: async_exception_cleanup).
    if (frame.vector == static_cast<uint64_t>(Vector::Nmi)) return MINIOS_TRAP_RETURN_HYPERCALL;
    // Back to user mode means user page tables and GS: only Xen can switch them.
    if (!interrupted_kernel(frame)) return MINIOS_TRAP_RETURN_HYPERCALL;
    // A trap registered with mask_events raised the mask; putting the old value back
    // and then delivering what became pending meanwhile is the iret hypercall's job.
    if (shared_info == nullptr || FrameSavedMask::get(frame.cs) != current_upcall_mask())
        return MINIOS_TRAP_RETURN_HYPERCALL;
    return MINIOS_TRAP_RETURN_IRETQ;
    // END LAB
}

[[noreturn]] void crash_on(const TrapFrame& frame, uint64_t cr2, const char* why) {
    if (reporting) {
        printk("minios: trap {} while reporting a trap, giving up\n", frame.vector);
        shutdown(abi::ShutdownReason::Crash);
    }
    reporting = true;
    report_trap(frame, cr2);
    printk("minios: {}, crashing the domain\n", why);
    shutdown(abi::ShutdownReason::Crash);
}

abi::TrapInfo trap_info_for(uint8_t vector, unsigned dpl, bool mask_events) {
    abi::TrapInfo entry{};
    entry.vector = vector;
    entry.flags = static_cast<uint8_t>((dpl & abi::kTrapInfoDplMask) | (mask_events ? abi::kTrapInfoMaskEvents : 0));
    entry.cs = abi::kFlatKernelCs;  // ignored for 64-bit guests; Mini-OS and Linux set it
    entry.address = reinterpret_cast<uint64_t>(trap_entries) + vector * uint64_t{MINIOS_TRAP_ENTRY_STRIDE};
    return entry;
}

/// The start-of-day tables end 4 MiB up, so no L1 covers the fixmap where
/// mm::map_shared_info maps: add one to the loaded L2, made as PageTableBuilder makes
/// its tables (a free frame, zeroed, mapped read-only, then linked with mmu_update,
/// which makes Xen validate it as an L1).
lib::ErrorOr<void> add_fixmap_table() {
    constexpr unsigned kL2 = 2;
    constexpr unsigned kL3 = 3;
    const uint64_t l2_entry = TRY(mm::read_current_entry(mm::kFixmapStart, kL2));
    if (mm::pte::present(l2_entry)) return {};  // someone's tables already have one
    const uint64_t l3_entry = TRY(mm::read_current_entry(mm::kFixmapStart, kL3));
    const mm::Maddr l2_slot(mm::maddr_of(mm::pte::frame(l3_entry)).raw() +
                            mm::pte::index(mm::kFixmapStart, kL2) * sizeof(uint64_t));
    const mm::Pfn pfn = TRY(mm::allocate_frame());
    const mm::Vaddr address = mm::start_of_day_address(pfn);
    const uint64_t mapping = TRY(mm::read_current_entry(address, mm::pte::kL1));
    if (!mm::pte::present(mapping) || !mm::pte::writable(mapping))
        return lib::error(abi::Errno::NoMem, "no free frame left in the start-of-day mapping");
    __builtin_memset(mm::pointer_to<void>(address), 0, mm::kPageSize);
    const mm::Mfn mfn = TRY(mm::mfn_of(pfn));
    TRY(mm::set_mapping(address, mm::kernel_page_entry(mfn, false)));
    mm::MmuUpdateBatch batch;
    TRY(batch.write_entry(l2_slot, mm::table_link_entry(mfn)));
    return batch.flush();
}

lib::ErrorOr<void> register_exception_handlers() {
    // BEGIN LAB traps: register a handler for every exception vector
    // int3 and into are meant for any ring (DPL 3), like Linux's; Xen delivers both
    // whatever their DPL. A #PF masks events: its address must be read from
    // vcpu_info.arch.cr2 before an event handler can fault and overwrite it.
    abi::TrapInfo table[kExceptionVectors + 1] = {};  // the last entry (address 0) ends the list
    for (unsigned vector = 0; vector < kExceptionVectors; ++vector) {
        const bool any_ring = vector == static_cast<unsigned>(Vector::Breakpoint) ||
                              vector == static_cast<unsigned>(Vector::Overflow);
        table[vector] = trap_info_for(static_cast<uint8_t>(vector), any_ring ? 3 : 0,
                                      vector == static_cast<unsigned>(Vector::PageFault));
    }
    return set_trap_table(table);
    // END LAB
}

}  // namespace

lib::ErrorOr<void> init_traps(const abi::StartInfo& info) {
    TRY(add_fixmap_table());
    shared_info = TRY(mm::map_shared_info(info));
    return register_exception_handlers();
}

lib::ErrorOr<void> reset_trap_table() {
    TRY(set_trap_table(nullptr));
    return register_exception_handlers();
}

lib::ErrorOr<void> set_trap_handler(uint8_t vector, unsigned dpl, bool mask_events) {
    const abi::TrapInfo table[2] = {trap_info_for(vector, dpl, mask_events), {}};
    return set_trap_table(table);
}

void set_trap_return(TrapReturn policy) { return_policy = policy; }

TrapReturnCounts trap_return_counts() { return return_counts; }

void expect_traps() {
    record = {};
    expecting = true;
}

TrapRecord stop_expecting_traps() {
    expecting = false;
    return record;
}

std::optional<uint8_t> read_byte_nofault(uint64_t address) {
    uint64_t value = 0;
    uint64_t loaded;
    asm volatile("xor %k[loaded], %k[loaded]\n\t"
                 "1: movzbq (%[address]), %[value]\n\t"
                 "mov $1, %k[loaded]\n\t"
                 "2:\n\t" MINIOS_FIXUP(1b, 2b)
                 : [value] "+r"(value), [loaded] "=&r"(loaded)
                 : [address] "r"(address)
                 : "memory");
    if (loaded == 0) return std::nullopt;
    return static_cast<uint8_t>(value);
}

}  // namespace minios

/// Called by trap_common (arch/x86_64/trap_entry.S) with the saved frame; answers how
/// to return (MINIOS_TRAP_RETURN_*). A fixup or an expected trap may move frame->rip.
extern "C" int minios_handle_trap(minios::TrapFrame* frame) {
    using namespace minios;
    // BEGIN LAB traps: handle a trap: record or report it, apply its fixup, return
    // Read CR2 first: the next #PF, even one in this handler, overwrites it.
    const bool page_fault = frame->vector == static_cast<uint64_t>(Vector::PageFault);
    const uint64_t cr2 = (page_fault && shared_info != nullptr) ? page_fault_address() : 0;
    const Fixup* fixup = find_fixup(frame->rip);
    if (expecting && !reporting) {
        if (record.count++ == 0) {
            record.frame = *frame;
            record.cr2 = cr2;
            record.bounce_frame = bounce_frame_address(*frame);
            record.current_mask = shared_info != nullptr ? current_upcall_mask() : 0;
        }
        if (record.count > kMaxExpectedTraps) crash_on(*frame, cr2, "the same trap again and again");
    } else if (fixup == nullptr) {
        crash_on(*frame, cr2, "unexpected trap");
    }
    if (fixup != nullptr) frame->rip = fixup->resume_rip;
    // minios has no debugger to keep stepping for: a #DB ends single-stepping.
    if (frame->vector == static_cast<uint64_t>(Vector::Debug)) frame->rflags = RflagsTrap::set(frame->rflags, 0);
    const int path = choose_return(*frame);
    ++(path == MINIOS_TRAP_RETURN_IRETQ ? return_counts.iretq : return_counts.iret_hypercall);
    return path;
    // END LAB
}
