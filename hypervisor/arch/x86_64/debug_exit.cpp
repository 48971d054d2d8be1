// SPDX-License-Identifier: MIT
// isa-debug-exit: a write of v to its port makes QEMU exit with status (v << 1) | 1.
#include "arch/x86_64/debug_exit.hpp"

#include "arch/x86_64/cpu.hpp"

namespace arch {

namespace {
constexpr uint16_t kDebugExitPort = 0xf4;  // -device isa-debug-exit,iobase=0xf4,iosize=0x04
}

void leave_qemu(ExitStatus status) {
    outl(kDebugExitPort, static_cast<uint32_t>(status));
    halt_forever();  // not under QEMU: nothing else to do
}

}  // namespace arch
