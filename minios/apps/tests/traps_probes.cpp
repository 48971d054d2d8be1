// SPDX-License-Identifier: MIT
// The traps test's probes: one trapping instruction each, between labels 1 and 2.
//
// Every probe records RSP and the addresses of labels 1 (the instruction) and 2 (the
// next one) in `probe`, then executes the instruction. A fixup (MINIOS_FIXUP) sends
// a fault on to label 2; a trap (int3, int $n, a single step) lands there by itself.
// Nothing changes RSP between the record and the instruction, so the frame's RSP
// must equal probe.rsp.
#include "apps/tests/traps_probes.hpp"

#include "kernel/traps.hpp"

extern "C" {
uint64_t traps_registers_before[minios::traps_test::kGeneralRegisters];
uint64_t traps_registers_after[minios::traps_test::kGeneralRegisters];
uint64_t traps_rflags_after;
void traps_probe_registers_raw();
}

namespace minios::traps_test {

Probe probe;

namespace {

// R11 is free to use: the probes list it as clobbered.
#define RECORD_PROBE                                  \
    "lea 1f(%%rip), %%r11\n\t"                        \
    "mov %%r11, %[fault]\n\t"                         \
    "lea 2f(%%rip), %%r11\n\t"                        \
    "mov %%r11, %[next]\n\t"                          \
    "mov %%rsp, %[rsp]\n\t"
#define PROBE_OUTPUTS [fault] "=m"(probe.fault_rip), [next] "=m"(probe.next_rip), [rsp] "=m"(probe.rsp)

/// A probe whose instruction needs no register set up.
#define SIMPLE_PROBE(instruction)                                                                   \
    asm volatile(RECORD_PROBE "1: " instruction "\n\t2:\n\t" MINIOS_FIXUP(1b, 2b) : PROBE_OUTPUTS : \
                     : "r11", "memory")

}  // namespace

void probe_divide_error() {
    asm volatile(RECORD_PROBE
                 "xor %%edx, %%edx\n\t"
                 "mov $1, %%eax\n\t"
                 "xor %%ecx, %%ecx\n\t"
                 "1: div %%ecx\n\t"
                 "2:\n\t" MINIOS_FIXUP(1b, 2b)
                 : PROBE_OUTPUTS
                 :
                 : "rax", "rcx", "rdx", "r11", "cc", "memory");
}


void probe_single_step() {
    // TF set by POPF takes effect after the next instruction: the #DB comes after the
    // nop, with RIP at label 2 (SDM Vol. 3A 18.3.1.4).
    asm volatile(RECORD_PROBE
                 "pushfq\n\t"
                 "orq $0x100, (%%rsp)\n\t"
                 "popfq\n\t"
                 "1: nop\n\t"
                 "2:\n\t"
                 : PROBE_OUTPUTS
                 :
                 : "r11", "cc", "memory");
}

void probe_int3() { SIMPLE_PROBE("int3"); }
void probe_int_3() { SIMPLE_PROBE("int $3"); }
void probe_into() { SIMPLE_PROBE(".byte 0xce"); }
void probe_ud2() { SIMPLE_PROBE("ud2"); }
// No fixup: after the #NM the hypervisor has cleared TS, and fninit runs again.
void probe_fninit() {
    asm volatile(RECORD_PROBE "1: fninit\n\t2:\n\t" : PROBE_OUTPUTS : : "r11", "memory");
}
void probe_hlt() { SIMPLE_PROBE("hlt"); }
void probe_int_0x80() { SIMPLE_PROBE("int $0x80"); }
void probe_int_0x20() { SIMPLE_PROBE("int $0x20"); }
void probe_int_0x21() { SIMPLE_PROBE("int $0x21"); }
void probe_int_0x22() { SIMPLE_PROBE("int $0x22"); }

void probe_non_canonical_read() { probe_read(kNonCanonical); }

void probe_read(uint64_t address) {
    probe.address = address;
    asm volatile(RECORD_PROBE "1: mov (%[address]), %[address]\n\t2:\n\t" MINIOS_FIXUP(1b, 2b)
                 : PROBE_OUTPUTS, [address] "+r"(address)
                 :
                 : "r11", "memory");
}

void probe_write(uint64_t address) {
    probe.address = address;
    asm volatile(RECORD_PROBE "1: movq $1, (%[address])\n\t2:\n\t" MINIOS_FIXUP(1b, 2b)
                 : PROBE_OUTPUTS
                 : [address] "r"(address)
                 : "r11", "memory");
}

void probe_fetch_unmapped() {
    // The fault's RIP is the unmapped address itself; its fixup returns to label 2.
    probe.address = kUnmappedCode;
    asm volatile(RECORD_PROBE
                 "1: jmp *%[target]\n\t"
                 "2:\n\t" MINIOS_FIXUP(0x400000001000, 2b)
                 : PROBE_OUTPUTS
                 : [target] "r"(kUnmappedCode)
                 : "r11", "memory");
    static_assert(kUnmappedCode == 0x400000001000, "the fixup above names kUnmappedCode");
    probe.fault_rip = kUnmappedCode;
}

bool read_cr0(uint64_t& value) {
    uint64_t loaded;
    value = 0;
    asm volatile("xor %k[loaded], %k[loaded]\n\t"
                 "1: mov %%cr0, %[value]\n\t"
                 "mov $1, %k[loaded]\n\t"
                 "2:\n\t" MINIOS_FIXUP(1b, 2b)
                 : [value] "+r"(value), [loaded] "=&r"(loaded)
                 :
                 : "memory");
    return loaded != 0;
}

AfterTrap probe_registers() {
    for (unsigned i = 0; i < kGeneralRegisters; ++i) traps_registers_before[i] = register_pattern(i);
    traps_probe_registers_raw();
    AfterTrap after{};
    for (unsigned i = 0; i < kGeneralRegisters; ++i) after.registers.value[i] = traps_registers_after[i];
    after.direction_flag = RflagsDirection::get(traps_rflags_after) != 0;
    return after;
}

}  // namespace minios::traps_test

// traps_probe_registers_raw: load all 15 general registers from traps_registers_before
// (TrapFrame order: r15 first), set DF, int3, then store RFLAGS and all 15 registers as
// the handler left them. It saves the callee-saved registers itself, so the compiler
// sees an ordinary call.
asm(R"(
    .text
    .globl traps_probe_registers_raw
traps_probe_registers_raw:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    mov traps_registers_before + 0 * 8(%rip), %r15
    mov traps_registers_before + 1 * 8(%rip), %r14
    mov traps_registers_before + 2 * 8(%rip), %r13
    mov traps_registers_before + 3 * 8(%rip), %r12
    mov traps_registers_before + 4 * 8(%rip), %r11
    mov traps_registers_before + 5 * 8(%rip), %r10
    mov traps_registers_before + 6 * 8(%rip), %r9
    mov traps_registers_before + 7 * 8(%rip), %r8
    mov traps_registers_before + 8 * 8(%rip), %rbp
    mov traps_registers_before + 9 * 8(%rip), %rdi
    mov traps_registers_before + 10 * 8(%rip), %rsi
    mov traps_registers_before + 11 * 8(%rip), %rdx
    mov traps_registers_before + 12 * 8(%rip), %rcx
    mov traps_registers_before + 13 * 8(%rip), %rbx
    mov traps_registers_before + 14 * 8(%rip), %rax
    std
    int3
    pushfq
    popq traps_rflags_after(%rip)
    cld
    mov %r15, traps_registers_after + 0 * 8(%rip)
    mov %r14, traps_registers_after + 1 * 8(%rip)
    mov %r13, traps_registers_after + 2 * 8(%rip)
    mov %r12, traps_registers_after + 3 * 8(%rip)
    mov %r11, traps_registers_after + 4 * 8(%rip)
    mov %r10, traps_registers_after + 5 * 8(%rip)
    mov %r9, traps_registers_after + 6 * 8(%rip)
    mov %r8, traps_registers_after + 7 * 8(%rip)
    mov %rbp, traps_registers_after + 8 * 8(%rip)
    mov %rdi, traps_registers_after + 9 * 8(%rip)
    mov %rsi, traps_registers_after + 10 * 8(%rip)
    mov %rdx, traps_registers_after + 11 * 8(%rip)
    mov %rcx, traps_registers_after + 12 * 8(%rip)
    mov %rbx, traps_registers_after + 13 * 8(%rip)
    mov %rax, traps_registers_after + 14 * 8(%rip)
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret
)");
