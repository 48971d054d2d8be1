// SPDX-License-Identifier: MIT
// Printing what went wrong: registers, the faulting address, a backtrace with names.
#pragma once

#include <cstdint>

#include "arch/x86_64/frame.hpp"

namespace arch {

/// "#PF", "#GP", ... and the SDM's name ("page fault") of an exception vector.
const char* exception_mnemonic(uint32_t vector);
const char* exception_name(uint32_t vector);

/// Every register of a frame, in lines the grader and a student can read.
void print_registers(const CpuUserRegs& regs, uint64_t cr2);
/// Walk the frame-pointer chain from `rbp`, naming each return address.
void print_backtrace(uint64_t rip, uint64_t rbp);

/// A fault in the hypervisor itself: dump, then leave QEMU with the panic status.
[[noreturn]] void fatal_exception(const CpuUserRegs& regs);

}  // namespace arch
