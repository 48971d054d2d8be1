// SPDX-License-Identifier: MIT
// Decoding the privileged instructions a PV guest may have emulated: which one, its operands, its length.
//
// A PV kernel runs in ring 3, so CPUID (behind Xen's forced-emulation prefix), RDMSR,
// MOV from CR3, IN and friends fault instead of running. The trap handler reads the bytes
// at the guest's RIP and hands them here; this file says what they are, nothing more. What
// the guest may do is decided elsewhere (core/privileged_policy.hpp), what it sees of CPUID
// in core/cpuid_policy.hpp, and arch/x86_64/emulate.cpp does it.
//
// The instruction bytes are the only truth: the #GP error code is not (Debian 12's QEMU
// 7.2 reports a wrong one for a blocked `int n`), and a guest can rewrite its code between
// the fault and our read, so anything unexpected is refused and the guest gets its fault.
// Decoding is 64-bit mode's (REX prefixes exist), which every instruction here shares
// with compatibility mode: none of them starts with 40-4F, which are INC/DEC there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "arch/x86_64/frame.hpp"
#include "lib/error_or.hpp"

namespace hv {

/// The instructions Xen emulates for a PV guest (xen/arch/x86/pv/emul-priv-op.c:
/// validate()), plus HLT so that the caller can name what it refuses.
enum class PrivilegedOpcode : uint8_t {
    Cpuid,      ///< 0F A2
    Rdmsr,      ///< 0F 32: ECX names the MSR, the value goes to EDX:EAX
    Wrmsr,      ///< 0F 30
    MovFromCr,  ///< 0F 20 /r: MOV r64, CRn
    MovToCr,    ///< 0F 22 /r: MOV CRn, r64
    MovFromDr,  ///< 0F 21 /r: MOV r64, DRn
    MovToDr,    ///< 0F 23 /r: MOV DRn, r64
    Clts,       ///< 0F 06
    Wbinvd,     ///< 0F 09
    Cli,        ///< FA
    Sti,        ///< FB
    Hlt,        ///< F4 (never emulated: a PV guest blocks with SCHEDOP_block)
    In,         ///< E4 ib, E5 ib, EC, ED
    Out,        ///< E6 ib, E7 ib, EE, EF
};

/// A decoded instruction. Fields that do not apply to the opcode are 0.
struct PrivilegedInstruction {
    PrivilegedOpcode opcode;
    uint8_t length;            ///< bytes, prefixes included: RIP advances by this much
    uint8_t io_width;          ///< IN/OUT: bytes moved, 1, 2 (with 66) or 4
    bool port_in_dx;           ///< IN/OUT: the port is DX (else `port`, an imm8)
    uint16_t port;             ///< IN/OUT with an immediate port
    uint8_t special_register;  ///< MOV CR/DR: n of CRn/DRn, REX.R included (CR8 is 8)
    uint8_t gpr;               ///< MOV CR/DR: the general register, 0 = RAX ... 15 = R15 (REX.B included)
};

/// The longest instruction the CPU executes (SDM Vol. 2A 2.3.11); longer is #GP.
inline constexpr size_t kMaxInstructionLength = 15;

/// Decode the instruction at the start of `bytes` (what could be read from RIP on, at
/// most kMaxInstructionLength bytes are looked at). Prefixes: 66 (IN/OUT width), 67 and
/// segment overrides (no effect here), REX (only right before the opcode).
/// @retval Inval not one of the instructions above, a LOCK/REP prefix (they change or
///         invalidate these opcodes), or the bytes end before the instruction does.
lib::ErrorOr<PrivilegedInstruction> decode_privileged_instruction(std::span<const uint8_t> bytes);

/// The general register numbered `number` in x86 order (0 RAX, 1 RCX, 2 RDX, 3 RBX,
/// 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8-15 R8-R15; SDM Vol. 2A Table 2-2), in a saved frame.
/// @pre number < 16 (the decoder's `gpr` always is)
uint64_t& general_register(arch::CpuUserRegs& regs, unsigned number);

/// Xen's forced-emulation prefix: `ud2; .ascii "xen"` (0F 0B 78 65 6E), which a PV
/// guest puts before CPUID to have Xen's view of it (xen/include/public/arch-x86/xen.h:
/// XEN_EMULATE_PREFIX).
inline constexpr uint8_t kForcedEmulationPrefix[] = {0x0f, 0x0b, 0x78, 0x65, 0x6e};
/// The prefix and CPUID (0F A2): the whole forced instruction.
inline constexpr size_t kForcedCpuidLength = sizeof kForcedEmulationPrefix + 2;

/// Is this Xen's forced CPUID, `0F 0B 78 65 6E 0F A2`? Nothing but CPUID may follow the
/// prefix, and nothing may come between (xen/arch/x86/pv/emul-inv-op.c).
/// @return its length (kForcedCpuidLength)
/// @retval Inval anything else, a truncated one included
lib::ErrorOr<size_t> decode_forced_cpuid(std::span<const uint8_t> bytes);

}  // namespace hv
