// SPDX-License-Identifier: MIT
// set_gdt (hypercall 2) and update_descriptor (10): the guest's own GDT pages, each
// checked as a descriptor page (Xen: xen/arch/x86/pv/descriptor-tables.c; XEN-PV-ABI.md 5).
#include "arch/x86_64/descriptors.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "core/scheduler.hpp"
#include "hypercall/hypercall.hpp"
#include "mm/machine_memory.hpp"

namespace hv {

/// set_gdt(frame_list, entries): entries 0-7168 (Xen's prototype takes an unsigned int,
/// so the upper half of the register is ignored); frame_list holds ceil(entries / 512)
/// MFNs (xen_ulong_t each). Every frame must become a descriptor page before the old GDT
/// is let go of: a refusal (-EINVAL) leaves the vCPU's GDT as it was.
HypercallResult do_set_gdt(Domain& caller, const HypercallArgs& args) {
    const auto entries = static_cast<uint32_t>(args.arg2);
    if (entries > abi::kFirstReservedGdtEntry)
        return lib::error(abi::Errno::Inval, "more GDT entries than the 7168 below the hypervisor's");
    const unsigned count = GuestGdt::frames_for(entries);
    uint64_t listed[GuestGdt::kMaxFrames];
    TRY(arch::copy_from_guest(listed, GuestVaddr(args.arg1), count * sizeof(uint64_t)));
    Mfn next[GuestGdt::kMaxFrames];
    for (unsigned i = 0; i < count; ++i) next[i] = Mfn(listed[i]);

    GuestGdt& gdt = caller.vcpu.pv.gdt;
    TRY(mmu().replace_descriptor_frames(caller.id, {next, count}, gdt.frames_in_use()));
    for (unsigned i = 0; i < GuestGdt::kMaxFrames; ++i) gdt.frames[i] = i < count ? next[i] : Mfn(0);
    gdt.entries = entries;
    arch::load_guest_gdt(gdt.frames_in_use());  // the caller is the running vCPU
    audit_after_mmu_call();
    return uint64_t{0};
}

/// update_descriptor(maddr, descriptor): one descriptor, checked and stored as Xen stores
/// it, in a descriptor page of the caller's or a frame it could map writable.
HypercallResult do_update_descriptor(Domain& caller, const HypercallArgs& args) {
    TRY(mmu().update_descriptor(caller.id, args.arg1, args.arg2));
    audit_after_mmu_call();
    return uint64_t{0};
}

}  // namespace hv
