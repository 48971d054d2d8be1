// SPDX-License-Identifier: MIT
// The fault report: which trap, why (its error code decoded), where, and the registers.
#include "kernel/console.hpp"
#include "kernel/traps.hpp"

namespace minios {
namespace {

// #PF error code (SDM Vol. 3A 4.7). Xen recomputes U/S: set only for guest user mode.
using PageFaultPresent = lib::Flag<0>;
using PageFaultWrite = lib::Flag<1>;
using PageFaultUser = lib::Flag<2>;
using PageFaultReserved = lib::Flag<3>;
using PageFaultFetch = lib::Flag<4>;
using PageFaultKey = lib::Flag<5>;
using PageFaultShadowStack = lib::Flag<6>;

// Selector error code of #TS, #NP, #SS, #GP (SDM Vol. 3A 6.13).
using SelectorExternal = lib::Flag<0>;
using SelectorIdt = lib::Flag<1>;
using SelectorLdt = lib::Flag<2>;
using SelectorIndex = lib::Field<15, 3>;

/// Bytes of the faulting instruction shown: the longest x86 instruction is 15.
constexpr unsigned kInstructionBytes = 15;

const char* const kNames[kExceptionVectors] = {
    "#DE (divide error)",          "#DB (debug)",
    "NMI (non-maskable interrupt)", "#BP (breakpoint)",
    "#OF (overflow)",              "#BR (bound range exceeded)",
    "#UD (invalid opcode)",        "#NM (device not available)",
    "#DF (double fault)",          "coprocessor segment overrun",
    "#TS (invalid TSS)",           "#NP (segment not present)",
    "#SS (stack fault)",           "#GP (general protection)",
    "#PF (page fault)",            "reserved vector 15",
    "#MF (x87 floating-point error)", "#AC (alignment check)",
    "#MC (machine check)",         "#XM (SIMD floating-point exception)",
};

void describe_page_fault(lib::Sink& out, uint64_t error) {
    // BEGIN LAB traps: decode a page fault's error code
    lib::format_to(out, "{}, {}, {} mode", PageFaultPresent::get(error) ? "protection violation" : "page not present",
                   PageFaultFetch::get(error) ? "instruction fetch" : (PageFaultWrite::get(error) ? "write" : "read"),
                   PageFaultUser::get(error) ? "user" : "kernel");
    if (PageFaultReserved::get(error)) lib::format_to(out, ", reserved bit set in a page-table entry");
    if (PageFaultKey::get(error)) lib::format_to(out, ", protection key");
    if (PageFaultShadowStack::get(error)) lib::format_to(out, ", shadow stack");
    // END LAB
}

void describe_selector(lib::Sink& out, uint64_t error) {
    if (error == 0) {
        lib::format_to(out, "no selector involved");
        return;
    }
    if (SelectorIdt::get(error))
        lib::format_to(out, "IDT vector {:#x}", SelectorIndex::get(error));
    else
        lib::format_to(out, "{} selector {:#x}", SelectorLdt::get(error) ? "LDT" : "GDT", error & ~uint64_t{7});
    if (SelectorExternal::get(error)) lib::format_to(out, ", during an external event");
    if (SelectorIdt::get(error)) lib::format_to(out, " (an int $n the trap table does not allow)");
}

void describe_error_code(lib::Sink& out, const TrapFrame& frame) {
    if (!has_error_code(frame.vector)) {
        lib::format_to(out, "no error code");
        return;
    }
    lib::format_to(out, "error {:#x}: ", frame.error_code);
    switch (static_cast<Vector>(frame.vector)) {
        case Vector::PageFault: describe_page_fault(out, frame.error_code); break;
        case Vector::InvalidTss:
        case Vector::SegmentNotPresent:
        case Vector::StackFault:
        case Vector::GeneralProtection: describe_selector(out, frame.error_code); break;
        default: lib::format_to(out, "always 0 for this vector"); break;
    }
}

void print_instruction_bytes(uint64_t rip) {
    char text[3 * kInstructionBytes + 1];
    lib::FixedBuffer out(text, sizeof text);
    for (unsigned i = 0; i < kInstructionBytes; ++i) {
        const std::optional<uint8_t> byte = read_byte_nofault(rip + i);
        if (!byte) {
            lib::format_to(out, "{}(unmapped)", i == 0 ? "" : " ");
            break;
        }
        lib::format_to(out, "{}{:02x}", i == 0 ? "" : " ", *byte);
    }
    printk("minios:   rip {:#018x}: {}\n", rip, out.c_str());
}

}  // namespace

const char* trap_name(unsigned vector) {
    if (vector < kExceptionVectors) return kNames[vector];
    if (vector == static_cast<unsigned>(Vector::Int80)) return "int $0x80 (system call)";
    return "software interrupt";
}

void report_trap(const TrapFrame& frame, uint64_t cr2) {
    // BEGIN LAB traps: report a trap: what, why, where, and the registers
    char why[160];
    lib::FixedBuffer out(why, sizeof why);
    describe_error_code(out, frame);
    printk("minios: trap {} {} in {} mode, {}\n", frame.vector, trap_name(frame.vector),
           interrupted_kernel(frame) ? "kernel" : "user", why);
    if (frame.vector == static_cast<uint64_t>(Vector::PageFault))
        printk("minios:   address {:#018x} (vcpu_info.arch.cr2)\n", cr2);
    print_instruction_bytes(frame.rip);
    printk("minios:   cs {:#06x} (saved event mask {})  rflags {:#018x}  rsp {:#018x}  ss {:#06x}\n",
           FrameSelector::get(frame.cs), FrameSavedMask::get(frame.cs), frame.rflags, frame.rsp, frame.ss);
    printk("minios:   rax {:#018x}  rbx {:#018x}  rcx {:#018x}  rdx {:#018x}\n", frame.rax, frame.rbx, frame.rcx,
           frame.rdx);
    printk("minios:   rsi {:#018x}  rdi {:#018x}  rbp {:#018x}  r8  {:#018x}\n", frame.rsi, frame.rdi, frame.rbp,
           frame.r8);
    printk("minios:   r9  {:#018x}  r10 {:#018x}  r11 {:#018x}  r12 {:#018x}\n", frame.r9, frame.r10, frame.r11,
           frame.r12);
    printk("minios:   r13 {:#018x}  r14 {:#018x}  r15 {:#018x}\n", frame.r13, frame.r14, frame.r15);
    // END LAB
}

}  // namespace minios
