// SPDX-License-Identifier: MIT
// Privileged-instruction emulation for PV guests (Xen's pv/emul-priv-op.c, emul-inv-op.c): decode, check, do, step over.
//
// A PV kernel runs in ring 3. The privileged instructions it may still use fault there,
// and the hypervisor does them instead, as Xen does:
//   #UD  Xen's forced-emulation prefix `ud2; .ascii "xen"; cpuid` (0f 0b 78 65 6e 0f a2)
//        from kernel or user mode: CPUID with Xen's leaves and the PV policy applied
//        (core/cpuid_policy.hpp). A plain CPUID does not fault and sees the host.
//   #GP  from kernel mode: RDMSR, WRMSR, MOV from/to CR0, CR2, CR3, CR4, MOV from/to DR,
//        CLTS, WBINVD (a no-op), XSETBV (the vCPU's XCR0; #UD while its virtual
//        CR4.OSXSAVE is clear, as in Xen's x86_emulate); from either mode: CLI and STI
//        (no-ops, which never touch the event mask) and IN/OUT, when the virtual I/O
//        privilege allows them.
// The rules are in core/privileged_policy.hpp; the instruction comes from the bytes at
// RIP (core/instruction_decode.hpp), never from the error code. Anything else (HLT,
// LGDT, SWAPGS, INS/OUTS, an MSR the policy does not know, user mode asking for a
// kernel instruction) is not emulated: the hook returns false and the guest gets its
// fault unchanged, as Xen would deliver it.
//
// After an emulated instruction RIP moves past it, RF is cleared, and a single-stepping
// guest (TF) gets its #DB with DR6.BS, as after any instruction (pv_emul_instruction_done).
//
// XEN-DIFF: Xen turns a page fault while fetching the instruction bytes into a #PF for the
// guest; here the instruction is then not emulated (the guest gets its #GP or #UD). The
// I/O breakpoints of DR7 are not checked.
#include "arch/x86_64/emulate.hpp"

#include <algorithm>
#include <array>

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/deliver.hpp"
#include "arch/x86_64/emulate_parts.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "arch/x86_64/guest_mode.hpp"
#include "core/printk.hpp"
#include "core/privileged_policy.hpp"
#include "core/scheduler.hpp"
#include "hypercall/hypercall.hpp"

namespace arch {
namespace {

using hv::PrivilegedInstruction;
using hv::PrivilegedOpcode;

constexpr uint64_t kRflagsTf = uint64_t{1} << 8, kRflagsRf = uint64_t{1} << 16;
constexpr uint32_t kDebugVector = 1;
constexpr uint64_t kDr6SingleStep = uint64_t{1} << 14;  // DR6.BS (SDM Vol. 3B 18.2.3)
constexpr unsigned kDr6Index = 6;
constexpr uint32_t kInvalidOpcodeVector = 6;
constexpr uint64_t kCr4Osxsave = uint64_t{1} << 18;
/// XSETBV (0f 01 d1, SDM Vol. 2C): not in the shared decoder, matched here.
constexpr std::array<uint8_t, 3> kXsetbv{0x0f, 0x01, 0xd1};

using InstructionBuffer = std::array<uint8_t, hv::kMaxInstructionLength>;

/// The bytes at the guest's RIP, read through its own page tables: 15 of them, or, when
/// those are not all mapped, as many as are left in RIP's page.
std::span<const uint8_t> fetch_instruction(uint64_t rip, InstructionBuffer& buffer) {
    if (!copy_from_guest(buffer.data(), hv::GuestVaddr(rip), buffer.size()).is_error()) return buffer;
    const size_t to_page_end = hv::kPageSize - (rip & (hv::kPageSize - 1));
    if (to_page_end < buffer.size() && !copy_from_guest(buffer.data(), hv::GuestVaddr(rip), to_page_end).is_error())
        return std::span<const uint8_t>(buffer.data(), to_page_end);
    return {};
}

/// The instruction is done: step over it (Xen's pv_emul_instruction_done).
void step_over(hv::Domain& domain, CpuUserRegs& regs, size_t length) {
    regs.rip += length;
    regs.rflags &= ~kRflagsRf;
    if (regs.rflags & kRflagsTf) {
        domain.vcpu.pv.debug_registers[kDr6Index] |= kDr6SingleStep;
        deliver_exception(domain, regs, kDebugVector, false, 0, 0);
    }
}

void emulate_cpuid(const hv::Domain& domain, CpuUserRegs& regs) {
    const auto number = static_cast<uint32_t>(regs.rax);
    const hv::CpuidLeaf leaf =
        hv::pv_cpuid_osxsave(number, guest_cpuid(number, static_cast<uint32_t>(regs.rcx)), domain.vcpu.pv.cr4_osxsave);
    regs.rax = leaf.eax;  // CPUID writes 32-bit registers: bits 63:32 become 0
    regs.rbx = leaf.ebx;
    regs.rcx = leaf.ecx;
    regs.rdx = leaf.edx;
}

/// MOV from CRn (Xen's read_cr). CR3 names the kernel's L4, as Xen's guest_table.
bool read_control_register(hv::Domain& domain, unsigned number, uint64_t& value) {
    switch (number) {
    case 0: value = hv::guest_cr0(read_cr0(), domain.vcpu.pv.virtual_ts); return true;
    case 2: value = vcpu_info(domain).arch.cr2; return true;
    case 3: value = hv::maddr_of(domain.vcpu.kernel_l4).raw(); return true;
    case 4: value = hv::guest_cr4(read_cr4()) | (domain.vcpu.pv.cr4_osxsave ? kCr4Osxsave : 0); return true;
    default: return false;  // CR8 and the rest: #GP
    }
}

/// MOV to CRn (Xen's write_cr).
bool write_control_register(hv::Domain& domain, unsigned number, uint64_t value) {
    switch (number) {
    case 0: {
        const auto ts = hv::cr0_write_ts(read_cr0(), value);
        if (ts.is_error()) {
            hv::log_warning("d{}: attempt to change unmodifiable CR0 flags ({:#x})\n", domain.id, value);
            return false;
        }
        fpu_set_virtual_ts(domain, ts.value());
        return true;
    }
    case 2: vcpu_info(domain).arch.cr2 = value; return true;
    case 3: {
        // The frame of the new L4 (bits 51:12; the PCD/PWT/PCID bits are ignored), as
        // MMUEXT_NEW_BASEPTR; a frame that is not a valid L4 of the guest is #GP.
        const auto switched = hv::new_kernel_base(domain, hv::Mfn(value >> 12));
        hv::audit_after_mmu_call();
        return !switched.is_error();
    }
    case 4: {
        // The guest owns OSXSAVE, where the CPU has XSAVE (Xen's pv_fixup_guest_cr4).
        // XEN-DIFF (see core/privileged_policy.hpp): the rest is accepted, not kept.
        const bool osxsave = fpu_host_xcr0() != 0 && (value & kCr4Osxsave) != 0;
        domain.vcpu.pv.cr4_osxsave = osxsave;
        if (value != (hv::guest_cr4(read_cr4()) | (osxsave ? kCr4Osxsave : 0)))
            hv::log_debug("d{}: CR4 write {:#x} partly dropped\n", domain.id, value);
        return true;
    }
    default: return false;
    }
}

/// The instructions only guest kernel mode may have emulated (Xen's x86_emulate checks
/// for ring 0, which kernel mode counts as).
bool emulate_kernel_instruction(hv::Domain& domain, CpuUserRegs& regs, const PrivilegedInstruction& instruction) {
    uint64_t& gpr = hv::general_register(regs, instruction.gpr);
    switch (instruction.opcode) {
    case PrivilegedOpcode::Rdmsr: return emulate_rdmsr(domain, regs);
    case PrivilegedOpcode::Wrmsr: return emulate_wrmsr(domain, regs);
    case PrivilegedOpcode::MovFromCr: return read_control_register(domain, instruction.special_register, gpr);
    case PrivilegedOpcode::MovToCr: return write_control_register(domain, instruction.special_register, gpr);
    case PrivilegedOpcode::MovFromDr: {
        const hv::HypercallResult value = hv::do_get_debugreg(domain, {instruction.special_register, 0, 0, 0, 0});
        if (value.is_error()) return false;
        gpr = value.value();
        return true;
    }
    case PrivilegedOpcode::MovToDr:
        return !hv::do_set_debugreg(domain, {instruction.special_register, gpr, 0, 0, 0}).is_error();
    case PrivilegedOpcode::Clts:
        fpu_set_virtual_ts(domain, false);
        return true;
    case PrivilegedOpcode::Wbinvd:
        return true;  // a domain without devices has no cache to flush (Xen ignores it too)
    default:
        return false;
    }
}

/// XSETBV (Xen: x86_emulate, then x86emul_write_xcr and handle_xsetbv): #UD while the
/// guest's CR4.OSXSAVE is clear, #GP from user mode or for a value the policy refuses.
/// True when handled (done, or #UD delivered).
bool emulate_xsetbv(hv::Domain& domain, CpuUserRegs& regs, bool& done) {
    if (!domain.vcpu.pv.cr4_osxsave) {
        deliver_exception(domain, regs, kInvalidOpcodeVector, false, 0, 0);
        return true;
    }
    const uint64_t value = (regs.rdx << 32) | static_cast<uint32_t>(regs.rax);
    if (domain.vcpu.pv.user_mode || !hv::guest_xcr0_valid(static_cast<uint32_t>(regs.rcx), value, fpu_host_xcr0()))
        return false;
    fpu_set_guest_xcr0(domain, value);
    done = true;
    return true;
}

}  // namespace

bool emulate_privileged_instruction(hv::Domain& domain, CpuUserRegs& regs) {
    // A privileged instruction faults with error code 0. Anything else is about a
    // selector or an event being delivered (EXT), and RIP need not be the culprit: Xen
    // emulates only on a 0 (traps.c: do_general_protection). The code decides nothing else.
    if (regs.error_code != 0) return false;
    InstructionBuffer buffer;
    const std::span<const uint8_t> bytes = fetch_instruction(regs.rip, buffer);
    if (bytes.size() >= kXsetbv.size() && std::equal(kXsetbv.begin(), kXsetbv.end(), bytes.begin())) {
        bool done = false;
        if (!emulate_xsetbv(domain, regs, done)) return false;
        if (done) step_over(domain, regs, kXsetbv.size());
        return true;
    }
    const auto decoded = hv::decode_privileged_instruction(bytes);
    if (decoded.is_error()) return false;
    const PrivilegedInstruction& instruction = decoded.value();
    bool done = false;
    switch (instruction.opcode) {
    case PrivilegedOpcode::Cpuid:  // faults only with CPUID faulting, which Xenolith never sets
        emulate_cpuid(domain, regs);
        done = true;
        break;
    case PrivilegedOpcode::Cli:
    case PrivilegedOpcode::Sti:
        done = emulate_interrupt_flag(domain);
        break;
    case PrivilegedOpcode::In:
    case PrivilegedOpcode::Out:
        done = emulate_port_io(domain, regs, instruction);
        break;
    case PrivilegedOpcode::Hlt:
        return false;  // a PV guest idles with SCHEDOP_block
    default:
        done = !domain.vcpu.pv.user_mode && emulate_kernel_instruction(domain, regs, instruction);
        break;
    }
    if (!done) return false;
    step_over(domain, regs, instruction.length);
    return true;
}

bool emulate_forced_instruction(hv::Domain& domain, CpuUserRegs& regs) {
    InstructionBuffer buffer;
    const auto length = hv::decode_forced_cpuid(fetch_instruction(regs.rip, buffer));
    if (length.is_error()) return false;
    emulate_cpuid(domain, regs);
    step_over(domain, regs, length.value());
    return true;
}

}  // namespace arch
