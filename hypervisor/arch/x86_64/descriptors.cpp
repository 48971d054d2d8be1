// SPDX-License-Identifier: MIT
// GDT, IDT, TSS and the SYSCALL MSRs. Descriptor formats: SDM Vol. 3A 3.4.5 (segment
// descriptors), 7.2.3 (64-bit TSS descriptor), 6.14.1 (64-bit IDT gates); the SYSCALL
// MSRs: SDM Vol. 3A 5.8.8.
#include "arch/x86_64/descriptors.hpp"

#include "abi/segments.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/paging.hpp"
#include "lib/assert.hpp"
#include "lib/field.hpp"

extern "C" {
extern const uint64_t exception_stubs[256];
extern char hypervisor_stack_top[];
void syscall_entry();
}

namespace arch {
namespace {

constexpr unsigned kPageSize = 4096;
constexpr unsigned kEntriesPerPage = kPageSize / 8;

// Entry indices inside the reserved page (selector - 0xe000) / 8.
constexpr unsigned index_of(uint16_t selector) { return (selector - abi::kFirstReservedGdtByte) / 8; }

// The hypervisor's own code and data descriptors (the guest-visible ones are Xen's exact
// values, from abi/segments.hpp).
constexpr uint64_t kRing0Code64 = 0x00af9b000000ffff;  // P, DPL 0, code, L=1, accessed
constexpr uint64_t kRing0Data = 0x00cf93000000ffff;    // P, DPL 0, data, writable, accessed

struct Tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));
static_assert(sizeof(Tss) == 0x68);

alignas(kPageSize) uint64_t reserved_gdt_page[kEntriesPerPage];
alignas(kPageSize) uint64_t null_gdt_page[kEntriesPerPage];  // a guest GDT page with no frame behind it
// What each guest GDT page maps now (0: the null page), so that a switch between vCPUs
// with the same GDT, or none, touches no page table.
uint64_t shown_gdt_phys[kGuestGdtPages];
alignas(16) IdtGate idt[256];
alignas(16) Tss tss;

constexpr unsigned kIstNmi = 2, kIstMachineCheck = 3, kIstDebug = 4;  // kIstDoubleFault = 1: descriptors.hpp
constexpr uint64_t kIstStackSize = 4096;
alignas(16) uint8_t ist_stacks[4][kIstStackSize];

using DescBase0 = lib::Field<31, 16>;   // low qword bits of a system descriptor
using DescBase1 = lib::Field<39, 32>;
using DescType = lib::Field<43, 40>;
using DescDpl = lib::Field<46, 45>;
using DescPresent = lib::Flag<47>;
using DescBase2 = lib::Field<63, 56>;
using DescLimit0 = lib::Field<15, 0>;

uint64_t tss_descriptor_low(uint64_t base, uint32_t limit) {
    constexpr uint64_t kType64BitTssAvailable = 0x9;
    return DescLimit0::make(limit) | DescBase0::make(base & 0xffff) | DescBase1::make((base >> 16) & 0xff) |
           DescType::make(kType64BitTssAvailable) | DescPresent::make(1) | DescBase2::make((base >> 24) & 0xff);
}

void build_gdt() {
    reserved_gdt_page[index_of(kHypervisorCs)] = kRing0Code64;
    reserved_gdt_page[index_of(kHypervisorDs)] = kRing0Data;
    reserved_gdt_page[index_of(abi::kFlatRing3Cs32)] = abi::kFlatRing3Cs32Descriptor;
    reserved_gdt_page[index_of(abi::kFlatRing3Ds32)] = abi::kFlatRing3DsDescriptor;
    reserved_gdt_page[index_of(abi::kFlatRing3Cs64)] = abi::kFlatRing3Cs64Descriptor;
    uint64_t tss_base = reinterpret_cast<uint64_t>(&tss);
    reserved_gdt_page[index_of(kTssSelector)] = tss_descriptor_low(tss_base, sizeof(Tss) - 1);
    reserved_gdt_page[index_of(kTssSelector) + 1] = tss_base >> 32;

    for (unsigned page = 0; page < kGuestGdtPages; ++page)
        map_hypervisor_page(kGdtVirtStart + page * kPageSize, virt_to_phys(null_gdt_page), PageAccess::ReadOnly);
    map_hypervisor_page(kGdtVirtStart + kGuestGdtPages * kPageSize, virt_to_phys(reserved_gdt_page),
                        PageAccess::ReadWrite);
}

void build_tss() {
    tss.rsp[0] = reinterpret_cast<uint64_t>(hypervisor_stack_top);
    tss.ist[kIstDoubleFault - 1] = reinterpret_cast<uint64_t>(ist_stacks[0] + kIstStackSize);
    tss.ist[kIstNmi - 1] = reinterpret_cast<uint64_t>(ist_stacks[1] + kIstStackSize);
    tss.ist[kIstMachineCheck - 1] = reinterpret_cast<uint64_t>(ist_stacks[2] + kIstStackSize);
    tss.ist[kIstDebug - 1] = reinterpret_cast<uint64_t>(ist_stacks[3] + kIstStackSize);
    tss.iomap_base = sizeof(Tss);  // beyond the limit: no I/O port is open to ring 3
}

void build_idt() {
    for (unsigned vector = 0; vector < 256; ++vector) {
        // As Xen: int3 and into may be executed by a guest (DPL 3); everything else
        // raised by `int n` from ring 3 becomes #GP.
        unsigned dpl = (vector == 3 || vector == 4) ? 3 : 0;
        // #DB has a stack of its own: a guest that single-steps a SYSCALL gets the #DB in
        // ring 0 before the entry has left the guest's stack (Xen gives #DB an IST too).
        unsigned ist = vector == 1 ? kIstDebug : vector == 2 ? kIstNmi : vector == 8 ? kIstDoubleFault
                     : vector == 18 ? kIstMachineCheck : 0;
        idt[vector] = interrupt_gate(exception_stubs[vector], dpl, ist);
    }
}

void load_tables() {
    TablePointer gdtr{static_cast<uint16_t>((kGuestGdtPages + 1) * kPageSize - 1), kGdtVirtStart};
    asm volatile("lgdt %0" : : "m"(gdtr));
    load_hypervisor_idt();
    // Reload CS with a far return, then the data segments.
    asm volatile(
        "pushq %[cs]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movl %[ds], %%eax\n\t"
        "movl %%eax, %%ds\n\t"
        "movl %%eax, %%es\n\t"
        "movl %%eax, %%ss\n\t"
        "xorl %%eax, %%eax\n\t"
        "movl %%eax, %%fs\n\t"
        "movl %%eax, %%gs"
        :
        : [cs] "i"(kHypervisorCs), [ds] "i"(kHypervisorDs)
        : "rax", "memory");
    asm volatile("ltr %w0" : : "r"(kTssSelector));
}

void enable_syscall() {
    // STAR[47:32]: SYSCALL loads CS = 0xe008, SS = 0xe010. STAR[63:48]: SYSRET loads
    // CS = base + 16 = 0xe033 and SS = base + 8 = 0xe02b: Xen's FLAT_RING3_* selectors.
    constexpr uint64_t kSysretBase = abi::kFlatRing3Cs32;  // 0xe023
    wrmsr(kMsrStar, (kSysretBase << 48) | (uint64_t{kHypervisorCs} << 32));
    wrmsr(kMsrLstar, reinterpret_cast<uint64_t>(&syscall_entry));
    wrmsr(kMsrCstar, reinterpret_cast<uint64_t>(&syscall_entry));
    // Cleared on entry: IF (no interrupt before the stack switch), TF, DF, IOPL, NT, RF,
    // VM, AC (with SMAP on, a guest's AC would let the hypervisor touch user pages).
    constexpr uint64_t kSyscallMask = 0x200 | 0x100 | 0x400 | 0x3000 | 0x4000 | 0x10000 | 0x20000 | 0x40000;
    wrmsr(kMsrFmask, kSyscallMask);
}

}  // namespace

IdtGate interrupt_gate(uint64_t handler, unsigned dpl, unsigned ist) {
    constexpr uint64_t kType64BitInterruptGate = 0xe;
    uint64_t low = (handler & 0xffff) | (uint64_t{kHypervisorCs} << 16) | (uint64_t{ist} << 32) |
                   DescType::make(kType64BitInterruptGate) | DescDpl::make(dpl) | DescPresent::make(1) |
                   (((handler >> 16) & 0xffff) << 48);
    return IdtGate{low, handler >> 32};
}

TablePointer idt_pointer(std::span<const IdtGate> gates) {
    return TablePointer{static_cast<uint16_t>(gates.size_bytes() - 1), reinterpret_cast<uint64_t>(gates.data())};
}

void load_hypervisor_idt() {
    const TablePointer idtr = idt_pointer(idt);
    asm volatile("lidt %0" : : "m"(idtr));
}

void load_guest_gdt(std::span<const hv::Mfn> frames) {
    if (frames.size() > kGuestGdtPages)
        lib::panic("load_guest_gdt: {} frames, the GDT has room for {}", frames.size(), kGuestGdtPages);
    for (unsigned page = 0; page < kGuestGdtPages; ++page) {
        const uint64_t phys = page < frames.size() ? hv::maddr_of(frames[page]).raw() : 0;
        if (phys == shown_gdt_phys[page]) continue;
        // A descriptor page is mapped writable for the CPU, which sets a descriptor's
        // Accessed bit when a selector is loaded (SDM Vol. 3A 3.4.5.1); the guest's own
        // mappings of the frame stay read-only. The null page is never written.
        const uint64_t va = kGdtVirtStart + page * kPageSize;
        if (phys != 0) remap_hypervisor_page(va, phys, PageAccess::ReadWrite);
        else remap_hypervisor_page(va, virt_to_phys(null_gdt_page), PageAccess::ReadOnly);
        shown_gdt_phys[page] = phys;
    }
}

void descriptors_init() {
    build_tss();
    build_gdt();
    build_idt();
    load_tables();
    enable_syscall();
}

}  // namespace arch
