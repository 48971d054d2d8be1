// SPDX-License-Identifier: MIT
// A small x86-64 decoder for the writes a PV kernel makes to its page tables. Only the
// encodings below are recognised; everything else is refused (the guest gets its #PF).
// Encodings: SDM Vol. 2, MOV (88/89/C6/C7), CMPXCHG (0F B0/B1), section 2.1-2.2 (prefixes,
// REX, ModR/M, SIB, displacement).
#include "mm/ptwr_decode.hpp"

namespace hv::ptwr {
namespace {

constexpr uint8_t kPrefixLock = 0xf0, kPrefixOperandSize = 0x66;

struct Cursor {
    std::span<const uint8_t> bytes;
    unsigned at = 0;
    bool take(uint8_t& out) {
        if (at >= bytes.size() || at >= 15) return false;
        out = bytes[at++];
        return true;
    }
};

/// Skip the memory operand after ModR/M: SIB and displacement. A register operand (mod 3)
/// is not a memory write and is refused.
bool skip_memory_operand(Cursor& cursor, uint8_t modrm) {
    const unsigned mod = modrm >> 6, rm = modrm & 7;
    if (mod == 3) return false;
    unsigned displacement = mod == 1 ? 1 : mod == 2 ? 4 : 0;
    if (rm == 4) {  // a SIB byte follows
        uint8_t sib;
        if (!cursor.take(sib)) return false;
        if (mod == 0 && (sib & 7) == 5) displacement = 4;
    } else if (mod == 0 && rm == 5) {
        displacement = 4;  // RIP-relative
    }
    uint8_t ignored;
    for (unsigned i = 0; i < displacement; ++i)
        if (!cursor.take(ignored)) return false;
    return true;
}

lib::ErrorOr<uint64_t> read_immediate(Cursor& cursor, unsigned width) {
    const unsigned size = width == 8 ? 4 : width;  // imm32, sign-extended, for 64-bit MOV
    uint64_t value = 0;
    for (unsigned i = 0; i < size; ++i) {
        uint8_t byte;
        if (!cursor.take(byte)) return lib::error(abi::Errno::Inval, "instruction is truncated");
        value |= uint64_t{byte} << (8 * i);
    }
    if (width == 8 && (value & 0x8000'0000)) value |= 0xffff'ffff'0000'0000;
    return value;
}

}  // namespace

lib::ErrorOr<DecodedWrite> decode_write(std::span<const uint8_t> bytes) {
    Cursor cursor{bytes};
    bool operand_size = false;
    uint8_t rex = 0, opcode = 0;
    for (;;) {
        if (!cursor.take(opcode)) return lib::error(abi::Errno::Inval, "instruction is truncated");
        // A REX counts only right before the opcode (or its 0F escape); a legacy prefix
        // after it makes the CPU ignore it (SDM Vol. 2, 2.2.1).
        if (opcode == kPrefixLock) { rex = 0; continue; }
        if (opcode == kPrefixOperandSize) { operand_size = true; rex = 0; continue; }
        if ((opcode & 0xf0) == 0x40) { rex = opcode; continue; }
        break;
    }
    DecodedWrite write{WriteKind::Store, 0, 0, true, 0, 0};
    bool byte_sized = false, immediate = false;
    if (opcode == 0x88 || opcode == 0x89) {
        byte_sized = opcode == 0x88;
    } else if (opcode == 0xc6 || opcode == 0xc7) {
        byte_sized = opcode == 0xc6;
        immediate = true;
    } else if (opcode == 0x0f) {
        uint8_t second;
        if (!cursor.take(second) || (second != 0xb0 && second != 0xb1))
            return lib::error(abi::Errno::Inval, "not a write to memory the emulator knows");
        write.kind = WriteKind::CompareExchange;
        byte_sized = second == 0xb0;
    } else {
        return lib::error(abi::Errno::Inval, "not a write to memory the emulator knows");
    }
    write.width = byte_sized ? 1 : (rex & 0x08) ? 8 : operand_size ? 2 : 4;
    uint8_t modrm;
    if (!cursor.take(modrm)) return lib::error(abi::Errno::Inval, "instruction is truncated");
    if (immediate && ((modrm >> 3) & 7) != 0) return lib::error(abi::Errno::Inval, "C6/C7 with a reg field other than 0");
    write.source = ((modrm >> 3) & 7) | ((rex & 0x04) ? 8 : 0);
    // Without REX, byte registers 4-7 are AH, CH, DH, BH: not worth emulating.
    if (byte_sized && !immediate && rex == 0 && write.source >= 4)
        return lib::error(abi::Errno::Inval, "a write from AH/CH/DH/BH");
    if (!skip_memory_operand(cursor, modrm)) return lib::error(abi::Errno::Inval, "not a write to memory");
    if (immediate) {
        write.from_register = false;
        write.immediate = TRY(read_immediate(cursor, write.width));
    }
    write.length = cursor.at;
    return write;
}

}  // namespace hv::ptwr
