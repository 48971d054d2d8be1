// SPDX-License-Identifier: MIT
// Privileged-instruction emulation (see emulate.hpp). Not written yet: nothing is emulated.
#include "arch/x86_64/emulate.hpp"

namespace arch {

bool emulate_privileged_instruction(hv::Domain&, CpuUserRegs&) { return false; }
bool emulate_forced_instruction(hv::Domain&, CpuUserRegs&) { return false; }

}  // namespace arch
