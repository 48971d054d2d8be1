// SPDX-License-Identifier: MIT
// What happens on every exception and interrupt: a guest's exception goes to its own
// handler (emulated first where Xen emulates: writable page tables, lazy FPU, int n,
// privileged instructions); a fault in the hypervisor is fixed up if it came from a guest
// copy, a guest's segment selector or a refused return frame, and is fatal otherwise.
#include "arch/x86_64/cpu.hpp"
#include "boot/layout.h"
#include "arch/x86_64/crash_dump.hpp"
#include "arch/x86_64/deliver.hpp"
#include "arch/x86_64/emulate.hpp"
#include "arch/x86_64/guest_mode.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "arch/x86_64/frame.hpp"
#include "arch/x86_64/fixups.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"
#include "hypercall/hypercall.hpp"
#include "mm/ptwr.hpp"
#include "lib/format.hpp"

extern "C" char hypervisor_stack_bottom[];  // entry32.S: XENOLITH_STACK_SIZE bytes
extern "C" char return_to_guest_iretq[];                    // entry.S: the IRETQ into a guest
extern "C" [[noreturn]] void return_to_guest();             // entry.S: the one way back

namespace arch {

CpuUserRegs& guest_frame() {
    return *reinterpret_cast<CpuUserRegs*>(hypervisor_stack_bottom + XENOLITH_STACK_SIZE - sizeof(CpuUserRegs));
}

namespace {

constexpr uint32_t kDebug = 1;
constexpr uint32_t kInvalidOpcode = 6;
constexpr uint32_t kDeviceNotAvailable = 7;
constexpr uint32_t kSegmentNotPresent = 11;
constexpr uint32_t kGeneralProtection = 13;
constexpr uint32_t kPageFault = 14;
constexpr uint32_t kFirstInterrupt = 32;
constexpr uint8_t kIntImm8 = 0xcd;  // INT imm8 (SDM Vol. 2A, INT n)

/// Vectors that push an error code (SDM Vol. 3A Table 6-1).
bool has_error_code(uint32_t vector) {
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 || vector == 30;
}

/// `int n` from the guest arrives as #GP (our IDT gates are DPL 0 but for int3/into).
/// Decode the instruction rather than trust the error code (QEMU 7.2 reports a wrong one in
/// 64-bit mode), then do what Xen does (XEN-PV-ABI.md 4.5): a software interrupt if the
/// guest's trap table allows it from this mode, else #GP with error code (n << 3) | 2.
bool deliver_software_interrupt(hv::Domain& domain, CpuUserRegs& regs) {
    uint8_t bytes[2];
    if (copy_from_guest(bytes, hv::GuestVaddr(regs.rip), sizeof bytes).is_error() || bytes[0] != kIntImm8) return false;
    const uint8_t vector = bytes[1];
    const hv::TrapHandler& handler = domain.vcpu.pv.traps[vector];
    const unsigned dpl = handler.flags & hv::kTrapFlagDplMask;
    const bool allowed = handler.address != 0 &&
                         (vector == 0x80 || (domain.vcpu.pv.user_mode ? dpl == 3 : dpl >= 1));
    if (!allowed) {
        deliver_exception(domain, regs, kGeneralProtection, true, (uint32_t{vector} << 3) | 2, 0);
        return true;
    }
    regs.rip += sizeof bytes;  // a software interrupt returns after the instruction
    const hv::Bounce bounce{handler.address, false, 0, (handler.flags & hv::kTrapFlagMaskEvents) != 0};
    bounce_to_guest(domain, regs, bounce, "interrupt handler address is 0");
    return true;
}

/// #DB: the reason (single step, breakpoint hit...) is in hardware DR6; merge it into the
/// guest's virtual DR6, which it reads with get_debugreg(6), and clear the hardware's
/// (Xen's do_debug; SDM Vol. 3B 18.2.3: DR6 bits are sticky until cleared).
void record_debug_status(hv::Domain& domain) {
    constexpr uint64_t kDr6Default = 0xffff0ff0;      // every status bit clear
    constexpr uint64_t kDr6StatusBits = 0x0000e00f;  // B0-B3, BD, BS, BT
    const uint64_t hardware = read_dr6();
    domain.vcpu.pv.debug_registers[6] |= (hardware ^ kDr6Default) & kDr6StatusBits;
    write_dr6(kDr6Default);
}

void handle_guest_exception(CpuUserRegs& regs) {
    hv::Domain& domain = hv::current_domain();
    const uint32_t vector = regs.entry_vector;
    const uint64_t cr2 = vector == kPageFault ? read_cr2() : 0;
    // A direct write to one of the guest's own page tables, where it asked for that.
    if (vector == kPageFault && hv::emulate_page_table_write(domain, regs, cr2)) return;
    // #NM: first our lazy FPU switch; the guest sees it only if it set its virtual TS.
    if (vector == kDeviceNotAvailable && !fpu_device_not_available(domain)) return;
    if (vector == kDebug) record_debug_status(domain);
    if (vector == kGeneralProtection && deliver_software_interrupt(domain, regs)) return;
    if (vector == kGeneralProtection && emulate_privileged_instruction(domain, regs)) return;
    if (vector == kInvalidOpcode && emulate_forced_instruction(domain, regs)) return;
    deliver_exception(domain, regs, vector, has_error_code(vector), regs.error_code, cr2);
}

}  // namespace

}  // namespace arch

extern "C" void handle_exception(arch::CpuUserRegs& entry_regs) {
    using namespace arch;
    // An exception delivered on an IST stack (#DB, NMI, #MC) from a guest leaves its frame
    // there, not at the top of the hypervisor stack where the exit path looks: move it.
    if (entry_regs.from_guest() && &entry_regs != &guest_frame()) guest_frame() = entry_regs;
    CpuUserRegs& regs = entry_regs.from_guest() ? guest_frame() : entry_regs;
    if (regs.entry_vector >= kFirstInterrupt) {
        handle_interrupt(regs.entry_vector);
        // From a guest: perhaps its time slice ended. From the idle loop: it looks itself.
        if (regs.from_guest()) hv::schedule_if_needed();
        return;
    }
    if (regs.from_guest()) {
        handle_guest_exception(regs);
        hv::schedule_if_needed();
        return;
    }
    if (regs.entry_vector == kDebug) {
        // A guest's data breakpoint hit while the hypervisor copied its memory: the guest
        // learns it from its DR6, the hypervisor carries on (Xen's do_debug does the same).
        record_debug_status(hv::current_domain());
        return;
    }
    // A guest copy that met a bad page (#PF), or a guest selector the CPU refused (#GP,
    // #NP, or #PF on its GDT page): resume where the hypervisor expects the failure.
    if (regs.entry_vector == kPageFault || regs.entry_vector == kGeneralProtection ||
        regs.entry_vector == kSegmentNotPresent) {
        if (uint64_t resume = exception_fixup(regs.rip)) {
            regs.rip = resume;
            return;
        }
    }
    if (regs.rip == reinterpret_cast<uint64_t>(return_to_guest_iretq)) {
        // The guest's frame could not be returned to: end that guest, run the next one.
        // This fault's own frame overlaps the guest's, which the next domain's registers
        // now replace: never return through it, start the exit path afresh.
        hv::crash_domain(hv::current_domain(), "its registers could not be loaded (a bad return frame)");
        hv::schedule_if_needed();
        return_to_guest();
    }
    fatal_exception(regs);
}

extern "C" void handle_syscall(arch::CpuUserRegs& regs) {
    hv::Domain& domain = hv::current_domain();
    if (!domain.vcpu.pv.user_mode) {
        hv::dispatch_hypercall(regs);  // from guest kernel mode: a hypercall
        return;
    }
    // From guest user mode: the guest kernel's syscall callback, with the frame SYSCALL
    // left (RCX = user RIP, R11 = user RFLAGS in the first two words), DF cleared for
    // the handler (XEN-PV-ABI.md 4.2). Without a callback: #UD at the SYSCALL instruction.
    const hv::Callback& callback = domain.vcpu.pv.syscall;
    if (callback.address == 0) {
        constexpr uint64_t kSyscallLength = 2;
        regs.rip -= kSyscallLength;
        arch::deliver_exception(domain, regs, 6, false, 0, 0);
    } else if (arch::bounce_to_guest(domain, regs, hv::Bounce{callback.address, false, 0, callback.mask_events},
                                     "syscall callback")) {
        // After the frame is written, as Xen's switch_to_kernel does: the frame keeps
        // the user's DF (the kernel returns it to user mode), the handler starts with
        // DF clear.
        constexpr uint64_t kRflagsDf = 1 << 10;
        regs.rflags &= ~kRflagsDf;
    }
    hv::schedule_if_needed();
}

extern "C" void prepare_return_to_guest(arch::CpuUserRegs& regs) {
    // Delivering an event can crash the domain (no callback, a bad kernel stack): a
    // domain that is no longer running never runs again, the next one goes instead.
    for (unsigned tries = 0; tries <= hv::kMaxDomains; ++tries) {
        arch::deliver_pending_events(hv::current_domain(), regs);
        if (hv::current_domain().is_alive()) break;
        hv::schedule_if_needed();
    }
    // Whatever the path, a guest runs with hardware IF set and IOPL 0.
    constexpr uint64_t kRflagsIf = 1 << 9, kRflagsIopl = 3 << 12;
    regs.rflags = (regs.rflags | kRflagsIf) & ~kRflagsIopl;
}
