// SPDX-License-Identifier: MIT
// The privileged-instruction decoder (see instruction_decode.hpp). Encodings: SDM Vol. 2,
// section 2.1 (prefixes, REX, ModR/M) and the pages of CPUID, RDMSR, WRMSR, MOV (control
// and debug registers), CLTS, WBINVD, CLI, STI, HLT, IN and OUT.
#include "core/instruction_decode.hpp"

namespace hv {
namespace {

// Legacy prefixes (SDM Vol. 2A 2.1.1).
constexpr uint8_t kOperandSize = 0x66, kAddressSize = 0x67;
constexpr uint8_t kLock = 0xf0, kRepne = 0xf2, kRep = 0xf3;
constexpr uint8_t kSegmentOverrides[] = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65};  // ES CS SS DS FS GS
constexpr uint8_t kTwoByteEscape = 0x0f;

// REX = 0100WRXB (SDM Vol. 2A 2.2.1): R extends ModR/M.reg, B extends ModR/M.rm.
constexpr uint8_t kRexR = 0x4, kRexB = 0x1;

bool is_rex(uint8_t byte) { return (byte & 0xf0) == 0x40; }

bool is_segment_override(uint8_t byte) {
    for (uint8_t prefix : kSegmentOverrides)
        if (byte == prefix) return true;
    return false;
}

/// Reads bytes one at a time, never past the span nor past the 15-byte limit.
class Cursor {
public:
    explicit Cursor(std::span<const uint8_t> bytes) : bytes_(bytes) {}
    bool take(uint8_t& out) {
        if (at_ >= bytes_.size() || at_ >= kMaxInstructionLength) return false;
        out = bytes_[at_++];
        return true;
    }
    uint8_t length() const { return static_cast<uint8_t>(at_); }

private:
    std::span<const uint8_t> bytes_;
    size_t at_ = 0;
};

/// The prefixes seen before the opcode.
struct Prefixes {
    bool operand_size = false;
    uint8_t rex = 0;  ///< 0 when there is none, or when a legacy prefix came after it
};

lib::Error truncated() { return lib::error(abi::Errno::Inval, "instruction is truncated"); }
lib::Error not_emulated() { return lib::error(abi::Errno::Inval, "not an instruction the emulator knows"); }

/// IN/OUT (SDM Vol. 2A, IN; Vol. 2B, OUT): E4/E5/E6/E7 take an imm8 port, EC/ED/EE/EF
/// use DX; the even opcodes move AL, the odd ones eAX (AX with 66, never RAX).
lib::ErrorOr<PrivilegedInstruction> decode_port_io(Cursor& cursor, uint8_t opcode, const Prefixes& prefixes) {
    PrivilegedInstruction instruction{};
    instruction.opcode = (opcode & 0x2) ? PrivilegedOpcode::Out : PrivilegedOpcode::In;
    instruction.io_width = (opcode & 0x1) == 0 ? 1 : prefixes.operand_size ? 2 : 4;
    instruction.port_in_dx = (opcode & 0x8) != 0;
    if (!instruction.port_in_dx) {
        uint8_t port;
        if (!cursor.take(port)) return truncated();
        instruction.port = port;
    }
    instruction.length = cursor.length();
    return instruction;
}

/// MOV to or from a control or debug register: ModR/M.reg names CRn/DRn, ModR/M.rm the
/// general register; the mod bits are ignored, the operand is always a register
/// (SDM Vol. 2B, MOV-Move to/from Control Registers).
lib::ErrorOr<PrivilegedInstruction> decode_special_move(Cursor& cursor, PrivilegedOpcode opcode, const Prefixes& prefixes) {
    uint8_t modrm;
    if (!cursor.take(modrm)) return truncated();
    PrivilegedInstruction instruction{};
    instruction.opcode = opcode;
    instruction.special_register = static_cast<uint8_t>(((modrm >> 3) & 7) | ((prefixes.rex & kRexR) ? 8 : 0));
    instruction.gpr = static_cast<uint8_t>((modrm & 7) | ((prefixes.rex & kRexB) ? 8 : 0));
    instruction.length = cursor.length();
    return instruction;
}

lib::ErrorOr<PrivilegedInstruction> decode_two_byte(Cursor& cursor, const Prefixes& prefixes) {
    uint8_t opcode;
    if (!cursor.take(opcode)) return truncated();
    PrivilegedOpcode kind;
    switch (opcode) {
    case 0xa2: kind = PrivilegedOpcode::Cpuid; break;
    case 0x32: kind = PrivilegedOpcode::Rdmsr; break;
    case 0x30: kind = PrivilegedOpcode::Wrmsr; break;
    case 0x06: kind = PrivilegedOpcode::Clts; break;
    case 0x09: kind = PrivilegedOpcode::Wbinvd; break;
    case 0x20: return decode_special_move(cursor, PrivilegedOpcode::MovFromCr, prefixes);
    case 0x21: return decode_special_move(cursor, PrivilegedOpcode::MovFromDr, prefixes);
    case 0x22: return decode_special_move(cursor, PrivilegedOpcode::MovToCr, prefixes);
    case 0x23: return decode_special_move(cursor, PrivilegedOpcode::MovToDr, prefixes);
    default: return not_emulated();
    }
    PrivilegedInstruction instruction{};
    instruction.opcode = kind;
    instruction.length = cursor.length();
    return instruction;
}

}  // namespace

lib::ErrorOr<PrivilegedInstruction> decode_privileged_instruction(std::span<const uint8_t> bytes) {
    Cursor cursor(bytes);
    Prefixes prefixes;
    uint8_t byte;
    for (;;) {
        if (!cursor.take(byte)) return truncated();
        // LOCK makes every one of these #UD (AMD's LOCK MOV CR0 = MOV CR8 aside), and REP
        // turns 0F 09 into WBNOINVD: the CPU never gives us #GP for them as we read them.
        if (byte == kLock || byte == kRep || byte == kRepne)
            return lib::error(abi::Errno::Inval, "LOCK or REP prefix");
        if (is_rex(byte)) {
            prefixes.rex = byte;
            continue;
        }
        if (byte == kOperandSize || byte == kAddressSize || is_segment_override(byte)) {
            if (byte == kOperandSize) prefixes.operand_size = true;
            prefixes.rex = 0;  // a REX followed by a legacy prefix is ignored (SDM Vol. 2A 2.2.1)
            continue;
        }
        break;
    }
    switch (byte) {
    case kTwoByteEscape: return decode_two_byte(cursor, prefixes);
    case 0xfa:
    case 0xfb:
    case 0xf4: {
        PrivilegedInstruction instruction{};
        instruction.opcode = byte == 0xfa ? PrivilegedOpcode::Cli
                             : byte == 0xfb ? PrivilegedOpcode::Sti
                                            : PrivilegedOpcode::Hlt;
        instruction.length = cursor.length();
        return instruction;
    }
    case 0xe4: case 0xe5: case 0xe6: case 0xe7:
    case 0xec: case 0xed: case 0xee: case 0xef:
        return decode_port_io(cursor, byte, prefixes);
    default:
        return not_emulated();
    }
}

uint64_t& general_register(arch::CpuUserRegs& regs, unsigned number) {
    switch (number) {
    case 0: return regs.rax;
    case 1: return regs.rcx;
    case 2: return regs.rdx;
    case 3: return regs.rbx;
    case 4: return regs.rsp;
    case 5: return regs.rbp;
    case 6: return regs.rsi;
    case 7: return regs.rdi;
    case 8: return regs.r8;
    case 9: return regs.r9;
    case 10: return regs.r10;
    case 11: return regs.r11;
    case 12: return regs.r12;
    case 13: return regs.r13;
    case 14: return regs.r14;
    default: return regs.r15;
    }
}

lib::ErrorOr<size_t> decode_forced_cpuid(std::span<const uint8_t> bytes) {
    constexpr uint8_t kCpuid[] = {0x0f, 0xa2};
    if (bytes.size() < kForcedCpuidLength) return truncated();
    for (size_t i = 0; i < sizeof kForcedEmulationPrefix; ++i)
        if (bytes[i] != kForcedEmulationPrefix[i]) return lib::error(abi::Errno::Inval, "not Xen's forced-emulation prefix");
    for (size_t i = 0; i < sizeof kCpuid; ++i)
        if (bytes[sizeof kForcedEmulationPrefix + i] != kCpuid[i])
            return lib::error(abi::Errno::Inval, "only CPUID may follow the forced-emulation prefix");
    return kForcedCpuidLength;
}

}  // namespace hv
