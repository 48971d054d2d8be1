// SPDX-License-Identifier: MIT
// Decoding the instruction that wrote to a read-only page table (writable page tables).
#pragma once

#include <cstdint>
#include <span>

#include "lib/error_or.hpp"

namespace hv::ptwr {

enum class WriteKind : uint8_t {
    Store,           ///< MOV r/m, reg (88/89) or MOV r/m, imm (C6/C7)
    CompareExchange, ///< CMPXCHG r/m, reg (0F B0/B1), with or without LOCK
};

/// What a trapped write does, enough to emulate it: Xen accepts plain stores and
/// CMPXCHG of 1, 2, 4 or 8 bytes (xen/arch/x86/pv/ro-page-fault.c).
struct DecodedWrite {
    WriteKind kind;
    unsigned width;       ///< bytes written: 1, 2, 4 or 8
    unsigned length;      ///< bytes of the instruction (RIP advances by this)
    bool from_register;   ///< the value is a register (else `immediate`)
    unsigned source;      ///< register number in x86 order (0 rax ... 15 r15)
    uint64_t immediate;   ///< sign-extended to the width for MOV r/m64, imm32
};

/// Decode the instruction at the start of `bytes` (up to 15 bytes, what could be read).
/// @retval Inval not one of the accepted writes to memory, or truncated.
lib::ErrorOr<DecodedWrite> decode_write(std::span<const uint8_t> bytes);

}  // namespace hv::ptwr
