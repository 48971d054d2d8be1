// SPDX-License-Identifier: MIT
// Crash reports for the hypervisor's own faults and for guests that die.
#include "arch/x86_64/crash_dump.hpp"

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/debug_exit.hpp"
#include "arch/x86_64/symbols.hpp"
#include "core/printk.hpp"

extern "C" char __text_start[], __text_end[];
extern "C" char hypervisor_stack_bottom[], hypervisor_stack_top[];

namespace arch {
namespace {

struct ExceptionNames { const char* mnemonic; const char* name; };

// SDM Vol. 3A Table 6-1.
constexpr ExceptionNames kExceptions[32] = {
    {"#DE", "divide error"}, {"#DB", "debug"}, {"NMI", "non-maskable interrupt"}, {"#BP", "breakpoint"},
    {"#OF", "overflow"}, {"#BR", "bound range exceeded"}, {"#UD", "invalid opcode"},
    {"#NM", "device not available"}, {"#DF", "double fault"}, {"#09", "coprocessor segment overrun"},
    {"#TS", "invalid TSS"}, {"#NP", "segment not present"}, {"#SS", "stack-segment fault"},
    {"#GP", "general protection"}, {"#PF", "page fault"}, {"#15", "reserved"}, {"#MF", "x87 floating-point"},
    {"#AC", "alignment check"}, {"#MC", "machine check"}, {"#XM", "SIMD floating-point"},
    {"#VE", "virtualization exception"}, {"#CP", "control protection"}, {"#22", "reserved"},
    {"#23", "reserved"}, {"#24", "reserved"}, {"#25", "reserved"}, {"#26", "reserved"}, {"#27", "reserved"},
    {"#HV", "hypervisor injection"}, {"#VC", "VMM communication"}, {"#SX", "security exception"},
    {"#31", "reserved"}};

bool in_text(uint64_t address) {
    return address >= reinterpret_cast<uint64_t>(__text_start) && address < reinterpret_cast<uint64_t>(__text_end);
}

bool on_a_hypervisor_stack(uint64_t address) {
    // Frame pointers we follow must be on the stack, 8-byte aligned.
    return address % 8 == 0 && address >= reinterpret_cast<uint64_t>(hypervisor_stack_bottom) &&
           address + 16 <= reinterpret_cast<uint64_t>(hypervisor_stack_top);
}

void print_frame(unsigned depth, uint64_t address) {
    // A return address may point just past the end of its function (after a call to a
    // noreturn function): name the function of the call instruction, one byte earlier.
    SymbolMatch match = lookup_symbol(depth == 0 ? address : address - 1);
    if (depth != 0) match.offset += 1;
    if (match.name != nullptr) hv::log_error("  #{} {:#x} {}+{:#x}\n", depth, address, match.name, match.offset);
    else hv::log_error("  #{} {:#x} ?\n", depth, address);
}

}  // namespace

const char* exception_mnemonic(uint32_t vector) { return vector < 32 ? kExceptions[vector].mnemonic : "IRQ"; }
const char* exception_name(uint32_t vector) { return vector < 32 ? kExceptions[vector].name : "interrupt"; }

void print_registers(const CpuUserRegs& r, uint64_t cr2) {
    hv::log_error("  rip {:016x}  cs {:04x}  rflags {:016x}  rsp {:016x}  ss {:04x}\n", r.rip, r.cs, r.rflags,
                  r.rsp, r.ss);
    hv::log_error("  rax {:016x}  rbx {:016x}  rcx {:016x}  rdx {:016x}\n", r.rax, r.rbx, r.rcx, r.rdx);
    hv::log_error("  rsi {:016x}  rdi {:016x}  rbp {:016x}  r8  {:016x}\n", r.rsi, r.rdi, r.rbp, r.r8);
    hv::log_error("  r9  {:016x}  r10 {:016x}  r11 {:016x}  r12 {:016x}\n", r.r9, r.r10, r.r11, r.r12);
    hv::log_error("  r13 {:016x}  r14 {:016x}  r15 {:016x}\n", r.r13, r.r14, r.r15);
    hv::log_error("  cr2 {:016x}  error code {:#x}  vector {}\n", cr2, r.error_code, r.entry_vector);
}

void print_backtrace(uint64_t rip, uint64_t rbp) {
    hv::log_error("backtrace:\n");
    unsigned depth = 0;
    print_frame(depth++, rip);
    // Each frame: [rbp] = caller's rbp, [rbp + 8] = return address (-fno-omit-frame-pointer).
    while (depth < 32 && on_a_hypervisor_stack(rbp)) {
        const auto* frame = reinterpret_cast<const uint64_t*>(rbp);
        uint64_t return_address = frame[1];
        if (!in_text(return_address)) break;
        print_frame(depth++, return_address);
        if (frame[0] <= rbp) break;  // the chain must go up the stack
        rbp = frame[0];
    }
}

void fatal_exception(const CpuUserRegs& regs) {
    uint64_t cr2 = read_cr2();
    hv::log_error("FATAL: {} ({}) in the hypervisor at rip {:#x}\n", exception_mnemonic(regs.entry_vector),
                  exception_name(regs.entry_vector), regs.rip);
    print_registers(regs, cr2);
    print_backtrace(regs.rip, regs.rbp);
    hv::log_error("PANIC: fatal exception {} in the hypervisor\n", exception_mnemonic(regs.entry_vector));
    leave_qemu(ExitStatus::Panic);
}

}  // namespace arch
