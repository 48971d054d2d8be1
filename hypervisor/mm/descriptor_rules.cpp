// SPDX-License-Identifier: MIT
// Descriptor rules of Xen's x86-64 PV guests (xen/arch/x86/pv/descriptor-tables.c:
// check_descriptor; XEN-PV-ABI.md 5). Read it as the decision list it is.
#include "mm/descriptor_rules.hpp"

namespace hv::descriptor_rules {

// Worked examples: FLAT_RING3_DS (0x00cff3000000ffff) is a present data segment of DPL 3.
static_assert(Present::get(abi::kFlatRing3DsDescriptor) == 1 && CodeOrData::get(abi::kFlatRing3DsDescriptor) == 1);
static_assert(Dpl::get(abi::kFlatRing3DsDescriptor) == 3 && Type::get(abi::kFlatRing3DsDescriptor) == 0x3);
static_assert(gate_target_allowed(abi::kFlatKernelCs) && !gate_target_allowed(0xe030) && gate_target_allowed(0xe00c));

lib::ErrorOr<uint64_t> check(uint64_t descriptor) {
    // 1. Not present: loading it faults (#NP), so whatever else it says is harmless.
    if (!Present::get(descriptor)) return descriptor;

    // 2. Code and data: any base, limit and type, but never more privilege than ring 3.
    //    (The hardware's own rules do the rest: a 64-bit guest's segment bases and limits
    //    are ignored, and the hypervisor's range is guarded by the page tables.)
    const uint64_t raised = Dpl::set(descriptor, kGuestDpl);
    if (CodeOrData::get(descriptor)) return raised;

    // 3. System type 0 is no descriptor the CPU will load; it is the upper half of a
    //    16-byte call gate. Stored as written (Xen does not touch its DPL either).
    if (Type::get(descriptor) == kTypeUpperHalf) return descriptor;

    // 4. Every system descriptor but a call gate: an LDT or TSS descriptor would let the
    //    guest name memory the hypervisor must own; interrupt and trap gates have no use
    //    in a GDT.
    if (Type::get(descriptor) != kTypeCallGate)
        return lib::error(abi::Errno::Inval, "an LDT, TSS, interrupt or trap gate descriptor");

    // 5. A call gate: to a guest-controlled code selector only. It is stored with DPL 0,
    //    so that every use faults into the hypervisor (with the guest kernel in ring 3, a
    //    gate could not tell a kernel from a user caller); the raised DPL moves into the
    //    target selector's RPL, where the emulation finds it.
    //    XEN-DIFF: Xen emulates a far call or jump through such a gate (pv/emul-gate-op.c);
    //    Xenolith does not yet, so the guest receives that #GP (error code: the gate's
    //    selector) as its own fault.
    const auto target = static_cast<uint16_t>(GateSelector::get(descriptor));
    if (!gate_target_allowed(target))
        return lib::error(abi::Errno::Inval, "a call gate into a hypervisor segment");
    if (GateReserved::get(descriptor) != 0) return lib::error(abi::Errno::Inval, "a call gate with reserved bits set");
    const uint64_t target_with_rpl = (target & ~uint64_t{3}) | kGuestDpl;
    return GateSelector::set(Dpl::set(descriptor, 0), target_with_rpl);
}

lib::ErrorOr<void> check_page(uint64_t* descriptors) {
    for (unsigned i = 0; i < kDescriptorsPerPage; ++i) {
        const uint64_t stored = TRY(check(descriptors[i]));
        if (stored != descriptors[i]) descriptors[i] = stored;
    }
    return {};
}

}  // namespace hv::descriptor_rules
