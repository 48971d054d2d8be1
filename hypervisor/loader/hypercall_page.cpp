// SPDX-License-Identifier: MIT
// The hypercall page: 128 stubs of 32 bytes, each `mov $n, %eax; syscall` wrapped so that
// RCX and R11 (which SYSCALL destroys) survive; slot 23 (iret) never returns.
#include "abi/hypercall.hpp"
#include "loader/domain_builder.hpp"

namespace hv::loader {
namespace {

// push %rcx; push %r11; mov $imm32, %eax; syscall; pop %r11; pop %rcx; ret
constexpr uint8_t kNormalStub[] = {0x51, 0x41, 0x53, 0xb8, 0, 0, 0, 0, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3};
constexpr size_t kImmediateOffset = 4;
// push %rcx; push %r11; push %rax; mov $23, %eax; syscall: the iret hypercall pops the
// frame the guest built below these three words and never comes back here.
constexpr uint8_t kIretStub[] = {0x51, 0x41, 0x53, 0x50, 0xb8, 0x17, 0, 0, 0, 0x0f, 0x05};

}  // namespace

void write_hypercall_page(std::span<uint8_t, 4096> page) {
    for (uint8_t& byte : page) byte = abi::kHypercallPageFill;  // int3 between the stubs
    for (uint64_t slot = 0; slot < abi::kHypercallPageSlots; ++slot) {
        uint8_t* stub = page.data() + slot * abi::kHypercallStubSize;
        if (slot == abi::kHypercallIretSlot) {
            for (size_t i = 0; i < sizeof kIretStub; ++i) stub[i] = kIretStub[i];
            continue;
        }
        for (size_t i = 0; i < sizeof kNormalStub; ++i) stub[i] = kNormalStub[i];
        for (size_t i = 0; i < 4; ++i) stub[kImmediateOffset + i] = static_cast<uint8_t>(slot >> (8 * i));
    }
}

}  // namespace hv::loader
