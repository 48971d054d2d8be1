// SPDX-License-Identifier: MIT
// What happens on every exception: a fault in a guest ends that domain (until the traps
// issue bounces exceptions to the guest's own handlers); a fault in the hypervisor is
// fixed up if it came from a guest copy, and is fatal otherwise.
#include "arch/x86_64/cpu.hpp"
#include "boot/layout.h"
#include "arch/x86_64/crash_dump.hpp"
#include "arch/x86_64/frame.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"
#include "hypercall/hypercall.hpp"
#include "mm/ptwr.hpp"
#include "lib/format.hpp"

extern "C" char hypervisor_stack_bottom[];  // entry32.S: XENOLITH_STACK_SIZE bytes

namespace arch {

CpuUserRegs& guest_frame() {
    return *reinterpret_cast<CpuUserRegs*>(hypervisor_stack_bottom + XENOLITH_STACK_SIZE - sizeof(CpuUserRegs));
}

namespace {

constexpr uint32_t kPageFault = 14;
constexpr uint32_t kFirstInterrupt = 32;

/// A guest exception with nowhere to go: the guest has no trap table yet (the traps issue
/// adds set_trap_table and the bounce frame). Xen does the same: an exception whose
/// handler address is 0 crashes the domain.
void crash_guest_for_exception(CpuUserRegs& regs) {
    hv::Domain& domain = hv::current_domain();
    char why[96];
    lib::FixedBuffer text(why, sizeof why);
    lib::format_to(text, "{} ({}) at rip {:#x} with no trap table", exception_mnemonic(regs.entry_vector),
                   exception_name(regs.entry_vector), regs.rip);
    hv::crash_domain(domain, why);
    print_registers(regs, regs.entry_vector == kPageFault ? read_cr2() : 0);
    hv::schedule_if_needed();
}

}  // namespace

}  // namespace arch

extern "C" void handle_exception(arch::CpuUserRegs& regs) {
    using namespace arch;
    if (regs.entry_vector >= kFirstInterrupt) {
        // Nothing raises interrupts yet (the PIC and the LAPIC timer are masked): a stray one.
        hv::log_warning("spurious interrupt, vector {}\n", regs.entry_vector);
        return;
    }
    if (regs.from_guest()) {
        // A direct write to one of the guest's own page tables, where it asked for that.
        if (regs.entry_vector == kPageFault && hv::emulate_page_table_write(hv::current_domain(), regs, read_cr2()))
            return;
        crash_guest_for_exception(regs);
        return;
    }
    if (regs.entry_vector == kPageFault) {
        if (uint64_t resume = guest_access_fixup(regs.rip)) {
            regs.rip = resume;
            return;
        }
    }
    fatal_exception(regs);
}

extern "C" void handle_syscall(arch::CpuUserRegs& regs) {
    // Every SYSCALL comes from guest kernel mode for now (guest user mode arrives with
    // the traps issue): it is a hypercall.
    hv::dispatch_hypercall(regs);
}
