// SPDX-License-Identifier: MIT
// vm_assist (hypercall 21): switch on or off the assists a 64-bit PV guest may ask for.
// The bits are recorded here; writable_pagetables takes effect in mm/ptwr.cpp and
// pae_extended_cr3 in the feature word. m2p_strict is accepted and changes nothing yet.
#include "abi/xen.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {

HypercallResult do_vm_assist(Domain& caller, const HypercallArgs& args) {
    const auto command = static_cast<abi::VmAssistCommand>(static_cast<uint32_t>(args.arg1));
    const uint64_t type = static_cast<uint32_t>(args.arg2);
    if (command != abi::VmAssistCommand::Enable && command != abi::VmAssistCommand::Disable)
        return lib::error(abi::Errno::NoSys, "unknown vm_assist command");
    if (type >= 64 || ((abi::kVmAssistValidMask64 >> type) & 1) == 0)
        return lib::error(abi::Errno::Inval, "vm_assist type not valid for a 64-bit PV guest");
    uint64_t mask = uint64_t{1} << type;
    if (command == abi::VmAssistCommand::Enable) caller.vm_assist |= mask;
    else caller.vm_assist &= ~mask;
    return uint64_t{0};
}

}  // namespace hv
