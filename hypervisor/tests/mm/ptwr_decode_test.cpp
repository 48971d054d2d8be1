// SPDX-License-Identifier: MIT
// Tests of the writable-page-table instruction decoder (XEN-PV-ABI.md 3.5), on bytes assembled by GNU as.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "mm/ptwr_decode.hpp"

using hv::ptwr::decode_write;
using hv::ptwr::DecodedWrite;
using hv::ptwr::WriteKind;

namespace {

using Bytes = std::vector<uint8_t>;

/// The most bytes an x86 instruction may have (SDM Vol. 2, 2.1 and 2.3.11).
constexpr size_t kMaxInstructionLength = 15;
/// What follows the instruction in the padded window: INT3, which decodes as nothing here.
constexpr uint8_t kFiller = 0xcc;
/// ptwr.cpp numbers registers in x86 order.
constexpr unsigned kRax = 0, kRcx = 1, kRdx = 2, kRbx = 3, kRsp = 4, kRbp = 5, kRsi = 6, kRdi = 7;
constexpr unsigned kR8 = 8, kR9 = 9, kR10 = 10, kR11 = 11, kR12 = 12, kR14 = 14, kR15 = 15;

/// Decode exactly `bytes`, from a heap buffer of that size, so ASan reports any read past it.
lib::ErrorOr<DecodedWrite> decode(const Bytes& bytes) {
    const Bytes exact(bytes.begin(), bytes.end());
    return decode_write({exact.data(), exact.size()});
}

/// True when decode_write refuses `bytes` (EINVAL, the guest keeps its #PF).
bool refuses(const Bytes& bytes) {
    const auto result = decode(bytes);
    return result.is_error() && result.error_code() == abi::Errno::Inval;
}

/// Decode `bytes` alone and again followed by filler up to 15 bytes, as ptwr.cpp reads
/// them: both must succeed, agree, and give the instruction's length, not the span's.
DecodedWrite decode_valid(const Bytes& bytes) {
    const auto exact = decode(bytes);
    REQUIRE_MESSAGE(!exact.is_error(), (exact.is_error() && exact.error().reason ? exact.error().reason : ""));
    Bytes window = bytes;
    window.resize(kMaxInstructionLength, kFiller);
    const auto padded = decode(window);
    REQUIRE(!padded.is_error());
    const DecodedWrite write = exact.value();
    CHECK(write.length == bytes.size());
    CHECK(padded.value().length == bytes.size());
    CHECK(padded.value().kind == write.kind);
    CHECK(padded.value().width == write.width);
    CHECK(padded.value().from_register == write.from_register);
    CHECK(padded.value().source == write.source);
    CHECK(padded.value().immediate == write.immediate);
    return write;
}

/// A write whose value comes from a register.
struct RegisterWrite {
    const char* assembly;
    Bytes bytes;
    WriteKind kind;
    unsigned width;
    unsigned source;
};

void check_register_writes(const std::vector<RegisterWrite>& cases) {
    for (const RegisterWrite& expected : cases) {
        INFO(expected.assembly);
        const DecodedWrite write = decode_valid(expected.bytes);
        CHECK(write.kind == expected.kind);
        CHECK(write.width == expected.width);
        CHECK(write.from_register);
        CHECK(write.source == expected.source);
    }
}

/// A MOV of an immediate to memory.
struct ImmediateWrite {
    const char* assembly;
    Bytes bytes;
    unsigned width;
    uint64_t immediate;
};

void check_immediate_writes(const std::vector<ImmediateWrite>& cases) {
    for (const ImmediateWrite& expected : cases) {
        INFO(expected.assembly);
        const DecodedWrite write = decode_valid(expected.bytes);
        CHECK(write.kind == WriteKind::Store);
        CHECK(write.width == expected.width);
        CHECK_FALSE(write.from_register);
        CHECK(write.immediate == expected.immediate);
    }
}

/// An instruction decode_write must refuse.
struct Refused {
    const char* assembly;
    Bytes bytes;
};

void check_refused(const std::vector<Refused>& cases) {
    for (const Refused& instruction : cases) {
        INFO(instruction.assembly);
        CHECK(refuses(instruction.bytes));
    }
}

constexpr WriteKind kStore = WriteKind::Store, kCmpxchg = WriteKind::CompareExchange;

}  // namespace

TEST_CASE("ptwr::decode_write reads MOV r/m64, r64 through every addressing form, with the right length") {
    check_register_writes({
        {"movq %rax,(%rdi)", {0x48, 0x89, 0x07}, kStore, 8, kRax},
        {"movq %rcx,0x10(%rdi)", {0x48, 0x89, 0x4f, 0x10}, kStore, 8, kRcx},
        {"movq %rdx,-0x80(%rbp)", {0x48, 0x89, 0x55, 0x80}, kStore, 8, kRdx},
        {"movq %rbx,0x12345678(%rsi)", {0x48, 0x89, 0x9e, 0x78, 0x56, 0x34, 0x12}, kStore, 8, kRbx},
        {"movq %rsi,(%rax,%rcx,8)", {0x48, 0x89, 0x34, 0xc8}, kStore, 8, kRsi},
        {"movq %rdi,0x8(%rsp)", {0x48, 0x89, 0x7c, 0x24, 0x08}, kStore, 8, kRdi},
        {"movq %rbp,0x11223344(,%rbx,8)", {0x48, 0x89, 0x2c, 0xdd, 0x44, 0x33, 0x22, 0x11}, kStore, 8, kRbp},
        {"movq %rsp,0x100(%rip)", {0x48, 0x89, 0x25, 0x00, 0x01, 0x00, 0x00}, kStore, 8, kRsp},
        {"movq %rax,0x10(%rbp,%r13,1)", {0x4a, 0x89, 0x44, 0x2d, 0x10}, kStore, 8, kRax},
    });
}

TEST_CASE("ptwr::decode_write takes the source register's fourth bit from REX.R, and ignores REX.B and REX.X") {
    check_register_writes({
        {"movq %r8,(%rdi)", {0x4c, 0x89, 0x07}, kStore, 8, kR8},
        {"movq %r15,(%r12)", {0x4d, 0x89, 0x3c, 0x24}, kStore, 8, kR15},
        {"movq %r11,0x0(%r13)", {0x4d, 0x89, 0x5d, 0x00}, kStore, 8, kR11},
        {"movq %r9,0x40(%r8,%r14,4)", {0x4f, 0x89, 0x4c, 0xb0, 0x40}, kStore, 8, kR9},
        {"movq %rax,(%r12)", {0x49, 0x89, 0x04, 0x24}, kStore, 8, kRax},
        {"movq %rax,0x0(%r13)", {0x49, 0x89, 0x45, 0x00}, kStore, 8, kRax},
    });
}

TEST_CASE("ptwr::decode_write gives a MOV store's width: 8 with REX.W, 4 without, 2 after 66, 1 for opcode 88") {
    check_register_writes({
        {"movl %eax,(%rdi)", {0x89, 0x07}, kStore, 4, kRax},
        {"movl %r10d,(%rdi)", {0x44, 0x89, 0x17}, kStore, 4, kR10},
        {"movw %ax,(%rdi)", {0x66, 0x89, 0x07}, kStore, 2, kRax},
        {"movw %r14w,0x7f(%rbx)", {0x66, 0x44, 0x89, 0x73, 0x7f}, kStore, 2, kR14},
        {"movq %rax,(%rdi) with a needless 66 (REX.W wins)", {0x66, 0x48, 0x89, 0x07}, kStore, 8, kRax},
        {"movb %al,(%rdi)", {0x88, 0x07}, kStore, 1, kRax},
        {"movb %dl,(%rdi)", {0x88, 0x17}, kStore, 1, kRdx},
        {"movb %al,(%rdi) with a needless 66", {0x66, 0x88, 0x07}, kStore, 1, kRax},
    });
}

TEST_CASE("ptwr::decode_write accepts the byte sources that need a REX prefix: SPL-DIL and r8b-r15b") {
    check_register_writes({
        {"movb %sil,(%rdi)", {0x40, 0x88, 0x37}, kStore, 1, kRsi},
        {"movb %spl,(%rdi)", {0x40, 0x88, 0x27}, kStore, 1, kRsp},
        {"movb %r9b,(%rdi)", {0x44, 0x88, 0x0f}, kStore, 1, kR9},
        {"lock cmpxchgb %r12b,(%rdi)", {0xf0, 0x44, 0x0f, 0xb0, 0x27}, kCmpxchg, 1, kR12},
    });
}

TEST_CASE("ptwr::decode_write refuses AH, CH, DH and BH as byte sources, which ptwr cannot name by number") {
    check_refused({
        {"movb %ah,(%rdi)", {0x88, 0x27}},
        {"movb %ch,(%rdi)", {0x88, 0x2f}},
        {"movb %dh,(%rdi)", {0x88, 0x37}},
        {"movb %bh,(%rdi)", {0x88, 0x3f}},
        {"lock cmpxchgb %bh,(%rdi)", {0xf0, 0x0f, 0xb0, 0x3f}},
        {"data16 movb %ah,(%rdi)", {0x66, 0x88, 0x27}},
    });
}

TEST_CASE("ptwr::decode_write sign-extends the imm32 of MOV r/m64, imm32 to 64 bits") {
    check_immediate_writes({
        {"movq $0x12345678,(%rdi)", {0x48, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12}, 8, 0x12345678},
        {"movq $-1,(%rdi)", {0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff}, 8, 0xffff'ffff'ffff'ffff},
        {"movq $-0x80000000,0x18(%rdi)", {0x48, 0xc7, 0x47, 0x18, 0x00, 0x00, 0x00, 0x80}, 8, 0xffff'ffff'8000'0000},
        {"movq $0x7fffffff,0x12345678(,%rax,8)",
         {0x48, 0xc7, 0x04, 0xc5, 0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0x7f}, 8, 0x7fff'ffff},
        {"movq $-2,0x20(%rip)", {0x48, 0xc7, 0x05, 0x20, 0x00, 0x00, 0x00, 0xfe, 0xff, 0xff, 0xff}, 8,
         0xffff'ffff'ffff'fffe},
        {"movq $0x12345678,(%r8)", {0x49, 0xc7, 0x00, 0x78, 0x56, 0x34, 0x12}, 8, 0x12345678},
    });
}

TEST_CASE("ptwr::decode_write reads the imm32, imm16 and imm8 of narrower MOV stores, without extending them") {
    check_immediate_writes({
        {"movl $0x89abcdef,(%rdi)", {0xc7, 0x07, 0xef, 0xcd, 0xab, 0x89}, 4, 0x89ab'cdef},
        {"movl $0x1,0x8(%rdi)", {0xc7, 0x47, 0x08, 0x01, 0x00, 0x00, 0x00}, 4, 1},
        {"movw $0xbeef,(%rdi)", {0x66, 0xc7, 0x07, 0xef, 0xbe}, 2, 0xbeef},
        {"movb $0xa5,(%rdi)", {0xc6, 0x07, 0xa5}, 1, 0xa5},
    });
}

TEST_CASE("ptwr::decode_write reads CMPXCHG of 8, 4, 2 and 1 bytes, with and without LOCK") {
    check_register_writes({
        {"lock cmpxchgq %rcx,(%rdi)", {0xf0, 0x48, 0x0f, 0xb1, 0x0f}, kCmpxchg, 8, kRcx},
        {"lock cmpxchgq %r11,0x18(%rdi,%rax,8)", {0xf0, 0x4c, 0x0f, 0xb1, 0x5c, 0xc7, 0x18}, kCmpxchg, 8, kR11},
        {"cmpxchgq %rdx,(%rdi)", {0x48, 0x0f, 0xb1, 0x17}, kCmpxchg, 8, kRdx},
        {"lock cmpxchgl %ebx,(%rdi)", {0xf0, 0x0f, 0xb1, 0x1f}, kCmpxchg, 4, kRbx},
        {"lock cmpxchgw %si,(%rdi)", {0x66, 0xf0, 0x0f, 0xb1, 0x37}, kCmpxchg, 2, kRsi},
        {"lock cmpxchgb %cl,(%rdi)", {0xf0, 0x0f, 0xb0, 0x0f}, kCmpxchg, 1, kRcx},
    });
}

TEST_CASE("ptwr::decode_write refuses a register destination (ModR/M mod 3): nothing was written to memory") {
    check_refused({
        {"movq %rax,%rdi", {0x48, 0x89, 0xc7}},
        {"movb %al,%dil", {0x40, 0x88, 0xc7}},
        {"movq $1,%rax (C7 form)", {0x48, 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00}},
        {"movb $1,%al (C6 form)", {0xc6, 0xc0, 0x01}},
        {"cmpxchgq %rcx,%rdx", {0x48, 0x0f, 0xb1, 0xca}},
        {"lock cmpxchgq %rcx,%rdx (hand-built, #UD on hardware)", {0xf0, 0x48, 0x0f, 0xb1, 0xca}},
    });
}

TEST_CASE("ptwr::decode_write refuses every instruction other than MOV and CMPXCHG to memory") {
    check_refused({
        {"addq %rax,(%rdi)", {0x48, 0x01, 0x07}},
        {"xchgq %rax,(%rdi)", {0x48, 0x87, 0x07}},
        {"movsq", {0x48, 0xa5}},
        {"nop", {0x90}},
        {"orq $1,(%rdi)", {0x48, 0x83, 0x0f, 0x01}},
        {"movups %xmm0,(%rdi)", {0x0f, 0x11, 0x07}},
        {"movnti %rax,(%rdi)", {0x48, 0x0f, 0xc3, 0x07}},
    });
}

TEST_CASE("ptwr::decode_write refuses C6 and C7 whose ModR/M reg field is not 0 (not a MOV)") {
    for (uint8_t reg = 1; reg <= 7; ++reg) {
        CAPTURE(reg);
        const auto modrm = static_cast<uint8_t>(reg << 3 | kRdi);  // mod 0, rm (%rdi)
        CHECK(refuses({0x48, 0xc7, modrm, 0x01, 0x00, 0x00, 0x00}));
        CHECK(refuses({0xc7, modrm, 0x01, 0x00, 0x00, 0x00}));
        CHECK(refuses({0xc6, modrm, 0x01}));
    }
    // The same bytes with reg 0 are the MOVs above, so the refusals are the reg field's doing.
    CHECK_FALSE(decode_valid({0x48, 0xc7, 0x07, 0x01, 0x00, 0x00, 0x00}).from_register);
    CHECK_FALSE(decode_valid({0xc6, 0x07, 0x01}).from_register);
}

TEST_CASE("ptwr::decode_write refuses every truncation of a valid instruction and reads nothing past the span") {
    const std::vector<Bytes> instructions = {
        {0x48, 0x89, 0x07},                                      // movq %rax,(%rdi)
        {0x48, 0x89, 0x9e, 0x78, 0x56, 0x34, 0x12},              // movq %rbx,0x12345678(%rsi)
        {0x48, 0x89, 0x2c, 0xdd, 0x44, 0x33, 0x22, 0x11},        // movq %rbp,0x11223344(,%rbx,8)
        {0x48, 0x89, 0x7c, 0x24, 0x08},                          // movq %rdi,0x8(%rsp)
        {0x48, 0x89, 0x25, 0x00, 0x01, 0x00, 0x00},              // movq %rsp,0x100(%rip)
        {0x66, 0x44, 0x89, 0x73, 0x7f},                          // movw %r14w,0x7f(%rbx)
        {0x48, 0xc7, 0x04, 0xc5, 0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0x7f},  // movq $imm,disp(,%rax,8)
        {0x66, 0xc7, 0x07, 0xef, 0xbe},                          // movw $0xbeef,(%rdi)
        {0xc6, 0x07, 0xa5},                                      // movb $0xa5,(%rdi)
        {0xf0, 0x4c, 0x0f, 0xb1, 0x5c, 0xc7, 0x18},              // lock cmpxchgq %r11,0x18(%rdi,%rax,8)
        {0xf0, 0x0f, 0xb0, 0x0f},                                // lock cmpxchgb %cl,(%rdi)
    };
    for (const Bytes& instruction : instructions) {
        decode_valid(instruction);  // whole, it decodes
        for (size_t cut = 0; cut < instruction.size(); ++cut) {
            CAPTURE(instruction.size());
            CAPTURE(cut);
            CHECK(refuses(Bytes(instruction.begin(), instruction.begin() + static_cast<ptrdiff_t>(cut))));
        }
    }
}

TEST_CASE("ptwr::decode_write accepts 15 bytes and refuses 16, even when all 16 are prefixes") {
    // movq $0x7fffffff,0x12345678(,%rax,8) is 12 bytes; three redundant 66s make it 15.
    const Bytes longest = {0x66, 0x66, 0x66, 0x48, 0xc7, 0x04, 0xc5, 0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0x7f};
    REQUIRE(longest.size() == kMaxInstructionLength);
    CHECK(decode_valid(longest).width == 8);

    Bytes too_long = longest;
    too_long.insert(too_long.begin(), 0x66);
    CHECK(refuses(too_long));

    CHECK(refuses(Bytes(16, 0x66)));
    CHECK(refuses(Bytes(16, 0xf0)));
    Bytes prefixes_then_store(14, 0x66);  // 14 prefixes + movl %eax,(%rdi) = 16 bytes
    prefixes_then_store.insert(prefixes_then_store.end(), {0x89, 0x07});
    CHECK(refuses(prefixes_then_store));
}

TEST_CASE("ptwr::decode_write ignores a REX prefix that a legacy prefix follows, as the CPU does") {
    // SDM Vol. 2, 2.2.1: REX must immediately precede the opcode; elsewhere it is ignored.
    // objdump agrees: 48 66 89 07 is "rex.W; mov %ax,(%rdi)".
    check_register_writes({
        {"rex.W; movw %ax,(%rdi)", {0x48, 0x66, 0x89, 0x07}, kStore, 2, kRax},
        {"rex.W; lock cmpxchgl %ecx,(%rdi)", {0x48, 0xf0, 0x0f, 0xb1, 0x0f}, kCmpxchg, 4, kRcx},
        {"rex.R; movw %ax,(%rdi)", {0x44, 0x66, 0x89, 0x07}, kStore, 2, kRax},
    });
    check_immediate_writes({
        {"rex.W; movw $0xbeef,(%rdi)", {0x48, 0x66, 0xc7, 0x07, 0xef, 0xbe}, 2, 0xbeef},
    });
    check_refused({
        {"rex; data16 movb %ah,(%rdi)", {0x40, 0x66, 0x88, 0x27}},
    });
}
