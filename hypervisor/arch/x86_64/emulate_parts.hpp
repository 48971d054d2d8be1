// SPDX-License-Identifier: MIT
// The pieces of privileged-instruction emulation, one file each: CPUID, MSRs, ports (emulate*.cpp only).
#pragma once

#include "arch/x86_64/frame.hpp"
#include "core/cpuid_policy.hpp"
#include "core/domain.hpp"
#include "core/instruction_decode.hpp"

namespace arch {

/// CPUID as the guest sees it: Xen's leaves, or the host's filtered (emulate_cpuid.cpp).
hv::CpuidLeaf guest_cpuid(uint32_t leaf, uint32_t subleaf);

/// RDMSR / WRMSR from guest kernel mode, ECX naming the MSR (emulate_msr.cpp).
/// False: the guest gets #GP.
bool emulate_rdmsr(hv::Domain& domain, CpuUserRegs& regs);
bool emulate_wrmsr(hv::Domain& domain, CpuUserRegs& regs);

/// CLI / STI: nothing to do, if the virtual IOPL allows them (emulate_io.cpp).
bool emulate_interrupt_flag(hv::Domain& domain);
/// IN / OUT, if the virtual IOPL or the guest's I/O bitmap allows the port.
bool emulate_port_io(hv::Domain& domain, CpuUserRegs& regs, const hv::PrivilegedInstruction& instruction);

}  // namespace arch
