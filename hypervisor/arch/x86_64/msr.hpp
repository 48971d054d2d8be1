// SPDX-License-Identifier: MIT
// Model-specific register numbers (SDM Vol. 4, Table 2-2): plain constants, shared by the
// code that executes RDMSR/WRMSR (cpu.hpp) and the pure emulation policy (core/).
#pragma once

#include <cstdint>

namespace arch {

inline constexpr uint32_t kMsrTsc = 0x10;                  // IA32_TIME_STAMP_COUNTER
inline constexpr uint32_t kMsrApicBase = 0x1b;             // IA32_APIC_BASE
inline constexpr uint32_t kMsrMiscEnable = 0x1a0;          // IA32_MISC_ENABLE
inline constexpr uint32_t kMsrPat = 0x277;                 // IA32_PAT
inline constexpr uint32_t kMsrEfer = 0xc0000080;           // IA32_EFER
inline constexpr uint32_t kMsrStar = 0xc0000081;           // IA32_STAR
inline constexpr uint32_t kMsrLstar = 0xc0000082;          // IA32_LSTAR
inline constexpr uint32_t kMsrCstar = 0xc0000083;          // IA32_CSTAR
inline constexpr uint32_t kMsrFmask = 0xc0000084;          // IA32_FMASK
inline constexpr uint32_t kMsrFsBase = 0xc0000100;         // IA32_FS_BASE
inline constexpr uint32_t kMsrGsBase = 0xc0000101;         // IA32_GS_BASE
inline constexpr uint32_t kMsrKernelGsBase = 0xc0000102;   // IA32_KERNEL_GS_BASE (Xen: MSR_SHADOW_GS_BASE)

}  // namespace arch
