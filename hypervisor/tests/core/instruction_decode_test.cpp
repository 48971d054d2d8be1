// SPDX-License-Identifier: MIT
// Tests of the privileged-instruction decoder (core/instruction_decode.hpp): every instruction, prefixes, lengths, refusals.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "core/instruction_decode.hpp"

namespace {

using hv::PrivilegedInstruction;
using hv::PrivilegedOpcode;
using Bytes = std::vector<uint8_t>;

PrivilegedInstruction decode(const Bytes& bytes) {
    const auto decoded = hv::decode_privileged_instruction(bytes);
    REQUIRE_FALSE(decoded.is_error());
    return decoded.value();
}

bool refused(const Bytes& bytes) { return hv::decode_privileged_instruction(bytes).is_error(); }

struct Encoding {
    Bytes bytes;
    PrivilegedOpcode opcode;
};

/// One encoding of every instruction the decoder knows, without prefixes.
const Encoding kEveryInstruction[] = {
    {{0x0f, 0xa2}, PrivilegedOpcode::Cpuid},        {{0x0f, 0x32}, PrivilegedOpcode::Rdmsr},
    {{0x0f, 0x30}, PrivilegedOpcode::Wrmsr},        {{0x0f, 0x20, 0xd8}, PrivilegedOpcode::MovFromCr},
    {{0x0f, 0x22, 0xd8}, PrivilegedOpcode::MovToCr}, {{0x0f, 0x21, 0xf8}, PrivilegedOpcode::MovFromDr},
    {{0x0f, 0x23, 0xf8}, PrivilegedOpcode::MovToDr}, {{0x0f, 0x06}, PrivilegedOpcode::Clts},
    {{0x0f, 0x09}, PrivilegedOpcode::Wbinvd},       {{0xfa}, PrivilegedOpcode::Cli},
    {{0xfb}, PrivilegedOpcode::Sti},                {{0xf4}, PrivilegedOpcode::Hlt},
    {{0xe4, 0x60}, PrivilegedOpcode::In},           {{0xec}, PrivilegedOpcode::In},
    {{0xe6, 0x80}, PrivilegedOpcode::Out},          {{0xee}, PrivilegedOpcode::Out},
};

}  // namespace

TEST_CASE("every emulated instruction decodes to its opcode and its exact length") {
    for (const Encoding& encoding : kEveryInstruction) {
        CAPTURE(encoding.bytes.size());
        const PrivilegedInstruction instruction = decode(encoding.bytes);
        CHECK(instruction.opcode == encoding.opcode);
        CHECK(instruction.length == encoding.bytes.size());
    }
}

TEST_CASE("bytes after the instruction change neither what it is nor its length") {
    for (const Encoding& encoding : kEveryInstruction) {
        Bytes padded = encoding.bytes;
        padded.insert(padded.end(), {0x0f, 0x22, 0xc0, 0x41, 0x66});
        const PrivilegedInstruction instruction = decode(padded);
        CHECK(instruction.opcode == encoding.opcode);
        CHECK(instruction.length == encoding.bytes.size());
    }
}

TEST_CASE("every truncation of every instruction is refused") {
    for (const Encoding& encoding : kEveryInstruction) {
        for (size_t cut = 0; cut < encoding.bytes.size(); ++cut) {
            CAPTURE(cut);
            CHECK(refused(Bytes(encoding.bytes.begin(), encoding.bytes.begin() + static_cast<long>(cut))));
        }
    }
    // Prefixes that end before an opcode are no instruction either.
    CHECK(refused({0x66, 0x2e}));
    CHECK(refused({0x41}));
}

TEST_CASE("IN and OUT take their width from the opcode and the operand-size prefix") {
    CHECK(decode({0xe4, 0x60}).io_width == 1);        // in al, 0x60
    CHECK(decode({0xe5, 0x60}).io_width == 4);        // in eax, 0x60
    CHECK(decode({0x66, 0xe5, 0x60}).io_width == 2);  // in ax, 0x60
    CHECK(decode({0xec}).io_width == 1);              // in al, dx
    CHECK(decode({0xed}).io_width == 4);              // in eax, dx
    CHECK(decode({0x66, 0xed}).io_width == 2);        // in ax, dx
    CHECK(decode({0x66, 0xef}).io_width == 2);        // out dx, ax
    CHECK(decode({0x48, 0xed}).io_width == 4);        // REX.W cannot make it 8 bytes
    CHECK(decode({0x66, 0xec}).io_width == 1);        // 66 does not widen the byte forms
}

TEST_CASE("IN and OUT name an immediate port or DX") {
    const PrivilegedInstruction immediate = decode({0xe6, 0x80});  // out 0x80, al
    CHECK(immediate.opcode == PrivilegedOpcode::Out);
    CHECK_FALSE(immediate.port_in_dx);
    CHECK(immediate.port == 0x80);
    CHECK(immediate.length == 2);
    const PrivilegedInstruction high = decode({0xe7, 0xff});  // out 0xff, eax
    CHECK(high.port == 0xff);
    const PrivilegedInstruction from_dx = decode({0xee});  // out dx, al
    CHECK(from_dx.port_in_dx);
    CHECK(from_dx.port == 0);
    CHECK(from_dx.length == 1);
}

TEST_CASE("MOV to and from CR names the control register and the general register") {
    const PrivilegedInstruction read_cr3 = decode({0x0f, 0x20, 0xd8});  // mov rax, cr3
    CHECK(read_cr3.opcode == PrivilegedOpcode::MovFromCr);
    CHECK(read_cr3.special_register == 3);
    CHECK(read_cr3.gpr == 0);
    const PrivilegedInstruction read_cr4 = decode({0x0f, 0x20, 0xe3});  // mov rbx, cr4
    CHECK(read_cr4.special_register == 4);
    CHECK(read_cr4.gpr == 3);
    const PrivilegedInstruction read_cr0 = decode({0x0f, 0x20, 0xc7});  // mov rdi, cr0
    CHECK(read_cr0.special_register == 0);
    CHECK(read_cr0.gpr == 7);
    const PrivilegedInstruction write_cr2 = decode({0x0f, 0x22, 0xd4});  // mov cr2, rsp
    CHECK(write_cr2.opcode == PrivilegedOpcode::MovToCr);
    CHECK(write_cr2.special_register == 2);
    CHECK(write_cr2.gpr == 4);
}

TEST_CASE("REX.B extends the general register and REX.R the control register") {
    const PrivilegedInstruction r15 = decode({0x41, 0x0f, 0x20, 0xdf});  // mov r15, cr3
    CHECK(r15.gpr == 15);
    CHECK(r15.special_register == 3);
    CHECK(r15.length == 4);
    const PrivilegedInstruction r8 = decode({0x49, 0x0f, 0x22, 0xd8});  // mov cr3, r8 (REX.W too)
    CHECK(r8.gpr == 8);
    CHECK(r8.special_register == 3);
    const PrivilegedInstruction cr8 = decode({0x44, 0x0f, 0x22, 0xc0});  // mov cr8, rax
    CHECK(cr8.special_register == 8);
    CHECK(cr8.gpr == 0);
}

TEST_CASE("a REX prefix followed by a legacy prefix is ignored") {
    const PrivilegedInstruction instruction = decode({0x41, 0x2e, 0x0f, 0x20, 0xdf});  // REX.B lost
    CHECK(instruction.gpr == 7);
    CHECK(instruction.length == 5);
    CHECK(decode({0x4c, 0x66, 0x0f, 0x22, 0xc0}).special_register == 0);  // REX.R lost
}

TEST_CASE("the mod bits of MOV CR are ignored: the operand is always a register") {
    const PrivilegedInstruction instruction = decode({0x0f, 0x20, 0x18});  // mod 00, reg 3, rm 0
    CHECK(instruction.special_register == 3);
    CHECK(instruction.gpr == 0);
    CHECK(instruction.length == 3);  // no displacement or SIB is read
}

TEST_CASE("MOV to and from DR names the debug register") {
    const PrivilegedInstruction read = decode({0x0f, 0x21, 0xf9});  // mov rcx, dr7
    CHECK(read.opcode == PrivilegedOpcode::MovFromDr);
    CHECK(read.special_register == 7);
    CHECK(read.gpr == 1);
    const PrivilegedInstruction write = decode({0x41, 0x0f, 0x23, 0xc2});  // mov dr0, r10
    CHECK(write.opcode == PrivilegedOpcode::MovToDr);
    CHECK(write.special_register == 0);
    CHECK(write.gpr == 10);
}

TEST_CASE("segment, address-size and operand-size prefixes count in the length") {
    CHECK(decode({0x2e, 0x0f, 0x32}).length == 3);
    CHECK(decode({0x64, 0x65, 0x67, 0x0f, 0xa2}).length == 5);
    CHECK(decode({0x66, 0xfa}).length == 2);
    CHECK(decode({0x3e, 0x26, 0x36, 0xe4, 0x71}).port == 0x71);
}

TEST_CASE("LOCK and REP prefixes are refused") {
    CHECK(refused({0xf0, 0x0f, 0x20, 0xc0}));  // AMD's LOCK MOV CR0 means CR8: not emulated
    CHECK(refused({0xf3, 0x0f, 0x09}));        // WBNOINVD, not WBINVD
    CHECK(refused({0xf2, 0x0f, 0x32}));
    CHECK(refused({0x2e, 0xf3, 0xec}));
}

TEST_CASE("an instruction is at most 15 bytes, prefixes included") {
    Bytes fifteen(13, 0x2e);
    fifteen.insert(fifteen.end(), {0x0f, 0x32});
    CHECK(decode(fifteen).length == 15);
    Bytes sixteen(14, 0x2e);
    sixteen.insert(sixteen.end(), {0x0f, 0x32});
    CHECK(refused(sixteen));
    CHECK(refused(Bytes(40, 0x66)));
}

TEST_CASE("instructions the emulator does not know are refused") {
    CHECK(refused({}));
    CHECK(refused({0x0f, 0x05}));              // syscall
    CHECK(refused({0x0f, 0x0b}));              // ud2
    CHECK(refused({0x0f, 0x01, 0xf8}));        // swapgs
    CHECK(refused({0x0f, 0x01, 0xd1}));        // xsetbv
    CHECK(refused({0x0f, 0x01, 0x10}));        // lgdt [rax]
    CHECK(refused({0x0f, 0x31}));              // rdtsc: never trapped here
    CHECK(refused({0xcd, 0x80}));              // int 0x80
    CHECK(refused({0x6c}));                    // insb
    CHECK(refused({0xf3, 0x6e}));              // rep outsb
    CHECK(refused({0x90}));                    // nop
    CHECK(refused({0x48, 0x8b, 0x00}));        // mov rax, [rax]
}

TEST_CASE("the forced-emulation prefix with CPUID is seven bytes") {
    const Bytes forced = {0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2};
    const auto length = hv::decode_forced_cpuid(forced);
    REQUIRE_FALSE(length.is_error());
    CHECK(length.value() == 7);
    CHECK(hv::kForcedCpuidLength == 7);
    Bytes padded = forced;
    padded.push_back(0xc3);
    CHECK(hv::decode_forced_cpuid(padded).value() == 7);
}

TEST_CASE("the forced-emulation prefix is refused when cut short, misspelled or followed by anything but CPUID") {
    const Bytes forced = {0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2};
    for (size_t cut = 0; cut < forced.size(); ++cut)
        CHECK(hv::decode_forced_cpuid(Bytes(forced.begin(), forced.begin() + static_cast<long>(cut))).is_error());
    CHECK(hv::decode_forced_cpuid(Bytes{0x0f, 0x0b, 0x58, 0x45, 0x4e, 0x0f, 0xa2}).is_error());  // "XEN"
    CHECK(hv::decode_forced_cpuid(Bytes{0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0x32}).is_error());  // then RDMSR
    CHECK(hv::decode_forced_cpuid(Bytes{0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x66, 0x0f, 0xa2}).is_error());  // a prefix between
    CHECK(hv::decode_forced_cpuid(Bytes{0x0f, 0x0b, 0x0f, 0xa2, 0x90, 0x90, 0x90}).is_error());  // a plain ud2
}

TEST_CASE("general registers are numbered in x86 order") {
    arch::CpuUserRegs regs{};
    uint64_t* const expected[16] = {&regs.rax, &regs.rcx, &regs.rdx, &regs.rbx, &regs.rsp, &regs.rbp,
                                    &regs.rsi, &regs.rdi, &regs.r8,  &regs.r9,  &regs.r10, &regs.r11,
                                    &regs.r12, &regs.r13, &regs.r14, &regs.r15};
    for (unsigned number = 0; number < 16; ++number) {
        CAPTURE(number);
        CHECK(&hv::general_register(regs, number) == expected[number]);
    }
}
