// SPDX-License-Identifier: MIT
// Emulated RDMSR and WRMSR (Xen's read_msr/write_msr, guest_rdmsr_xen/guest_wrmsr_xen): the rules are in core/privileged_policy.hpp.
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/emulate_parts.hpp"
#include "arch/x86_64/segments.hpp"
#include "core/printk.hpp"
#include "core/privileged_policy.hpp"
#include "loader/domain_builder.hpp"
#include "mm/machine_memory.hpp"

namespace arch {
namespace {

/// The value RDMSR gives the guest, or false for #GP.
bool read_guest_msr(const hv::Domain& domain, uint32_t index, uint64_t& value) {
    // The bases are in the CPU while the guest runs (segments.hpp); RDMSR and WRMSR are
    // emulated in kernel mode only, where the kernel's GS base is the active one.
    switch (hv::classify_msr(index)) {
    case hv::GuestMsr::FsBase: value = fs_base(); return true;
    case hv::GuestMsr::GsBase: value = gs_base(domain, false); return true;
    case hv::GuestMsr::ShadowGsBase: value = gs_base(domain, true); return true;
    case hv::GuestMsr::Efer: value = hv::guest_efer(rdmsr(kMsrEfer)); return true;
    case hv::GuestMsr::Pat: value = hv::kXenPat; return true;
    case hv::GuestMsr::ApicBase: value = hv::guest_apic_base(0); return true;  // one vCPU per domain
    case hv::GuestMsr::Tsc: value = rdtsc(); return true;
    case hv::GuestMsr::MiscEnable: {
        // An Intel MSR: read it only where it exists (reading a missing MSR faults in
        // the hypervisor). Elsewhere the guest gets #GP, as the hardware would give it.
        const CpuidResult leaf0 = cpuid(0);
        if (hv::cpu_vendor({leaf0.eax, leaf0.ebx, leaf0.ecx, leaf0.edx}) != hv::CpuVendor::Intel) return false;
        value = hv::guest_misc_enable(rdmsr(hv::kMsrMiscEnable));
        return true;
    }
    case hv::GuestMsr::HypercallPage: value = 0; return true;  // write-only: reads as 0
    case hv::GuestMsr::Unknown: return false;
    }
    return false;
}

/// WRMSR 0x40000000: write the hypercall page into the guest's frame (Xen: guest_wrmsr_xen,
/// which takes a writable type reference for the time of the write, so a page table or a
/// descriptor page is refused). A PV guest's frame numbers are machine frame numbers.
lib::ErrorOr<void> fill_hypercall_page(const hv::Domain& domain, hv::Mfn frame) {
    hv::PageTypes& types = hv::mmu().types();
    TRY(types.get_page_and_type(frame, hv::FrameType::Writable, domain.id));
    hv::loader::write_hypercall_page(std::span<uint8_t, hv::kPageSize>(hv::direct_map_memory().bytes(frame), hv::kPageSize));
    types.put_page_and_type(frame);
    return {};
}

}  // namespace

bool emulate_rdmsr(hv::Domain& domain, CpuUserRegs& regs) {
    const uint32_t index = static_cast<uint32_t>(regs.rcx);
    uint64_t value;
    if (!read_guest_msr(domain, index, value)) {
        hv::log_debug("d{}: RDMSR {:#x}: #GP\n", domain.id, index);
        return false;
    }
    regs.rax = static_cast<uint32_t>(value);  // EDX:EAX, the upper halves cleared
    regs.rdx = value >> 32;
    return true;
}

bool emulate_wrmsr(hv::Domain& domain, CpuUserRegs& regs) {
    const uint32_t index = static_cast<uint32_t>(regs.rcx);
    const uint64_t value = (regs.rdx << 32) | static_cast<uint32_t>(regs.rax);
    const hv::GuestMsr msr = hv::classify_msr(index);
    switch (hv::msr_write_action(msr, value)) {
    case hv::MsrWriteAction::SetFsBase: set_fs_base(value); break;
    case hv::MsrWriteAction::SetGsBase: set_gs_base(domain, false, value); break;
    case hv::MsrWriteAction::SetShadowGsBase: set_gs_base(domain, true, value); break;
    case hv::MsrWriteAction::Ignore: {
        uint64_t current = 0;
        if (read_guest_msr(domain, index, current) && current != value)
            hv::log_warning("d{}: WRMSR {:#x} from {:#x} to {:#x} ignored\n", domain.id, index, current, value);
        return true;
    }
    case hv::MsrWriteAction::FillHypercallPage: {
        const auto filled = fill_hypercall_page(domain, hv::Mfn(value >> hv::kPageShift));
        if (filled.is_error()) {
            hv::log_warning("d{}: hypercall page MSR: frame {:#x} refused ({})\n", domain.id, value >> hv::kPageShift,
                            filled.error().reason ? filled.error().reason : "not a writable frame of the domain");
            return false;
        }
        return true;
    }
    case hv::MsrWriteAction::Refuse:
        hv::log_debug("d{}: WRMSR {:#x} value {:#x}: #GP\n", domain.id, index, value);
        return false;
    }
    return true;
}

}  // namespace arch
