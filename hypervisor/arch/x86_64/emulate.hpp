// SPDX-License-Identifier: MIT
// Emulation of the privileged instructions a PV kernel may execute (Xen's
// pv/emul-priv-op.c and emul-inv-op.c): they fault in ring 3 and are done here instead.
#pragma once

#include "arch/x86_64/frame.hpp"
#include "core/domain.hpp"

namespace arch {

/// A #GP from the guest: if the instruction at RIP is one the guest kernel may have
/// emulated (CPUID, RDMSR/WRMSR, MOV from CR0/CR3/CR4, IN/OUT, CLTS, ...), emulate it, move
/// RIP past it and return true. False: deliver the #GP as it is.
bool emulate_privileged_instruction(hv::Domain& domain, CpuUserRegs& regs);

/// A #UD from the guest: Xen's forced-emulation prefix `ud2; .ascii "xen"; cpuid`
/// (0f 0b 78 65 6e 0f a2) runs CPUID through the hypervisor. True if it was that.
bool emulate_forced_instruction(hv::Domain& domain, CpuUserRegs& regs);

}  // namespace arch
