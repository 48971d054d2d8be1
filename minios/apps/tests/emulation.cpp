// SPDX-License-Identifier: MIT
// Boot test: the privileged instructions a PV kernel may have emulated, each answered as Xen 4.17 answers it.
//
// minios runs in ring 3, so each instruction below faults and the hypervisor does it
// (XEN-PV-ABI.md section 8): CPUID behind Xen's forced-emulation prefix, MOV from and to
// CR0/CR2/CR3/CR4 and DR7, CLTS, WBINVD, RDMSR/WRMSR of the MSRs a PV guest may use (the
// hypercall-page MSR included: the guest has a second hypercall page written and calls
// through it), CLI/STI and IN/OUT once PHYSDEVOP_set_iopl or PHYSDEVOP_set_iobitmap allows
// them. Only instructions that must succeed are tried: the guest has no #GP handler, so a
// refusal crashes it and fails the test.
//
// tests/boot/emulation.toml runs the same guest on Xen 4.17, where minios is dom0. One
// line per check, "emulation: <name>: <value> ok|UNEXPECTED", then
// "emulation: N checks, M unexpected"; the application fails when M > 0. Values that
// legitimately differ between the two hypervisors are printed on "emulation: info:" lines.
#include "abi/physdev.hpp"
#include "abi/segments.hpp"
#include "abi/version.hpp"
#include "apps/app.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/mm.hpp"
#include "mm/p2m.hpp"

namespace minios {
namespace {

int checks_run = 0;
int unexpected = 0;

bool check(const char* name, uint64_t value, bool holds) {
    ++checks_run;
    if (!holds) ++unexpected;
    printk("emulation: {}: {:#x} {}\n", name, value, holds ? "ok" : "UNEXPECTED");
    return holds;
}

struct Registers { uint32_t eax, ebx, ecx, edx; };

/// CPUID through Xen's forced-emulation prefix: ud2; .ascii "xen"; cpuid.
Registers forced_cpuid(uint32_t leaf, uint32_t subleaf = 0) {
    Registers r;
    asm volatile(".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e\n\tcpuid"
                 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                 : "a"(leaf), "c"(subleaf));
    return r;
}

uint64_t rdmsr(uint32_t msr) {
    uint32_t low, high;
    asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return (uint64_t{high} << 32) | low;
}

void wrmsr(uint32_t msr, uint64_t value) {
    asm volatile("wrmsr" : : "c"(msr), "a"(static_cast<uint32_t>(value)), "d"(static_cast<uint32_t>(value >> 32))
                 : "memory");
}

uint64_t read_cr0() { uint64_t v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
uint64_t read_cr2() { uint64_t v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
uint64_t read_cr3() { uint64_t v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
uint64_t read_cr4() { uint64_t v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
uint64_t read_dr7() { uint64_t v; asm volatile("mov %%dr7, %0" : "=r"(v)); return v; }
void write_cr0(uint64_t v) { asm volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
void write_cr2(uint64_t v) { asm volatile("mov %0, %%cr2" : : "r"(v) : "memory"); }

constexpr uint64_t kCr0Pe = 1u << 0, kCr0Ts = 1u << 3, kCr0Wp = 1u << 16, kCr0Pg = uint64_t{1} << 31;
constexpr uint64_t kCr4Pae = 1u << 5, kCr4Mce = 1u << 6, kCr4Osfxsr = 1u << 9, kCr4Osxmmexcpt = 1u << 10;

void check_xen_leaves() {
    const Registers base = forced_cpuid(0x40000000);
    check("cpuid 0x40000000 eax (last leaf)", base.eax, base.eax == 0x40000005);
    check("cpuid 0x40000000 ebx (XenV)", base.ebx, base.ebx == 0x566e6558);
    check("cpuid 0x40000000 ecx (MMXe)", base.ecx, base.ecx == 0x65584d4d);
    check("cpuid 0x40000000 edx (nVMM)", base.edx, base.edx == 0x4d4d566e);
    const Registers version = forced_cpuid(0x40000001);
    check("cpuid 0x40000001 eax (version)", version.eax, version.eax == 0x00040011);
    const Registers pages = forced_cpuid(0x40000002);
    check("cpuid 0x40000002 eax (hypercall pages)", pages.eax, pages.eax == 1);
    check("cpuid 0x40000002 ebx (msr base)", pages.ebx, pages.ebx == 0x40000000);
    check("cpuid 0x40000002 ecx (features)", pages.ecx, pages.ecx == 1);
    for (uint32_t subleaf = 0; subleaf < 3; ++subleaf) {
        const Registers tsc = forced_cpuid(0x40000003, subleaf);
        printk("emulation: info: cpuid 0x40000003.{}: {:#x} {:#x} {:#x} {:#x}\n", subleaf, tsc.eax, tsc.ebx, tsc.ecx,
               tsc.edx);
    }
    const Registers hvm = forced_cpuid(0x40000004);
    check("cpuid 0x40000004 (hvm only)", hvm.eax | hvm.ebx | hvm.ecx | hvm.edx, (hvm.eax | hvm.ebx | hvm.ecx | hvm.edx) == 0);
    const Registers pv = forced_cpuid(0x40000005);
    check("cpuid 0x40000005 ebx (machine address bits)", pv.ebx, pv.ebx >= 20 && pv.ebx <= 52);
    const Registers past = forced_cpuid(0x40000006);
    check("cpuid 0x40000006 (past the last leaf)", past.eax | past.ebx | past.ecx | past.edx,
          (past.eax | past.ebx | past.ecx | past.edx) == 0);
}

void check_filtered_leaves() {
    const Registers leaf1 = forced_cpuid(1);
    constexpr uint32_t kMonitor = 1u << 3, kVmx = 1u << 5, kHypervisor = 1u << 31;
    check("cpuid 1 ecx hypervisor bit", leaf1.ecx & kHypervisor, (leaf1.ecx & kHypervisor) != 0);
    check("cpuid 1 ecx vmx and monitor hidden", leaf1.ecx & (kVmx | kMonitor), (leaf1.ecx & (kVmx | kMonitor)) == 0);
    constexpr uint32_t kSvm = 1u << 2;
    const Registers extended = forced_cpuid(0x80000001);
    check("cpuid 0x80000001 ecx svm hidden", extended.ecx & kSvm, (extended.ecx & kSvm) == 0);
}

void check_control_registers(const abi::StartInfo& info) {
    const uint64_t cr0 = read_cr0();
    printk("emulation: info: cr0 {:#x}\n", cr0);
    check("cr0 has pe wp pg, ts clear", cr0 & (kCr0Pe | kCr0Wp | kCr0Pg | kCr0Ts),
          (cr0 & (kCr0Pe | kCr0Wp | kCr0Pg | kCr0Ts)) == (kCr0Pe | kCr0Wp | kCr0Pg));
    (void)fpu_taskswitch(true);
    check("cr0 ts after fpu_taskswitch(1)", read_cr0() & kCr0Ts, (read_cr0() & kCr0Ts) != 0);
    asm volatile("clts" ::: "memory");
    check("cr0 ts after clts", read_cr0() & kCr0Ts, (read_cr0() & kCr0Ts) == 0);
    write_cr0(read_cr0() | kCr0Ts);
    check("cr0 ts after mov to cr0", read_cr0() & kCr0Ts, (read_cr0() & kCr0Ts) != 0);
    write_cr0(read_cr0() & ~kCr0Ts);
    check("cr0 ts cleared by mov to cr0", read_cr0() & kCr0Ts, (read_cr0() & kCr0Ts) == 0);

    const auto l4 = mm::mfn_of(mm::start_of_day_pfn(mm::Vaddr(info.pt_base)));
    const uint64_t cr3 = read_cr3();
    check("cr3 is the machine address of pt_base", cr3 == mm::maddr_of(l4.value()).raw(),
          !l4.is_error() && cr3 == mm::maddr_of(l4.value()).raw());

    const uint64_t cr4 = read_cr4();
    printk("emulation: info: cr4 {:#x}\n", cr4);
    constexpr uint64_t kVisible = kCr4Pae | kCr4Mce | kCr4Osfxsr | kCr4Osxmmexcpt;
    check("cr4 has pae osfxsr osxmmexcpt and nothing unseen", cr4 & ~kCr4Mce,
          (cr4 & ~kVisible) == 0 && (cr4 & (kCr4Pae | kCr4Osfxsr | kCr4Osxmmexcpt)) == (kCr4Pae | kCr4Osfxsr | kCr4Osxmmexcpt));

    constexpr uint64_t kFaultAddress = 0x123456789000;
    write_cr2(kFaultAddress);
    check("cr2 reads back what mov to cr2 wrote", read_cr2(), read_cr2() == kFaultAddress);

    const auto dr7 = get_debugreg(7);
    check("dr7 by mov equals get_debugreg(7)", read_dr7(), !dr7.is_error() && read_dr7() == dr7.value());
    asm volatile("wbinvd" ::: "memory");
    check("wbinvd", 0, true);
}

void check_segment_bases() {
    constexpr uint32_t kFsBase = 0xc0000100, kGsBase = 0xc0000101, kShadowGsBase = 0xc0000102;
    const auto set_base = [](abi::SegmentBase which, uint64_t base) {
        (void)hypercall(abi::Hypercall::SetSegmentBase, static_cast<uint64_t>(which), base);
    };
    set_base(abi::SegmentBase::Fs, 0x12345000);
    check("rdmsr fs_base after set_segment_base", rdmsr(kFsBase), rdmsr(kFsBase) == 0x12345000);
    set_base(abi::SegmentBase::GsKernel, 0x23456000);
    check("rdmsr gs_base after set_segment_base(gs_kernel)", rdmsr(kGsBase), rdmsr(kGsBase) == 0x23456000);
    set_base(abi::SegmentBase::GsUser, 0x34567000);
    check("rdmsr shadow_gs_base after set_segment_base(gs_user)", rdmsr(kShadowGsBase),
          rdmsr(kShadowGsBase) == 0x34567000);
    wrmsr(kFsBase, 0x45678000);
    check("rdmsr fs_base after wrmsr", rdmsr(kFsBase), rdmsr(kFsBase) == 0x45678000);
    wrmsr(kGsBase, 0xffff888000001000);
    check("rdmsr gs_base after wrmsr", rdmsr(kGsBase), rdmsr(kGsBase) == 0xffff888000001000);
    for (uint32_t msr : {kFsBase, kGsBase, kShadowGsBase}) wrmsr(msr, 0);
    check("segment bases back to 0", rdmsr(kFsBase) | rdmsr(kGsBase) | rdmsr(kShadowGsBase),
          (rdmsr(kFsBase) | rdmsr(kGsBase) | rdmsr(kShadowGsBase)) == 0);
}

/// Xen's second hypercall page, where the guest wants it: WRMSR 0x40000000 with the
/// frame's machine address, then xen_version through the new page.
void check_hypercall_page_msr() {
    const auto pfn = mm::allocate_frame();
    const auto mfn = pfn.is_error() ? lib::ErrorOr<mm::Mfn>(pfn.error()) : mm::mfn_of(pfn.value());
    if (mfn.is_error()) {
        check("a free frame for the hypercall page", 0, false);
        return;
    }
    uint8_t* page = mm::pointer_to<uint8_t>(mm::start_of_day_address(pfn.value()));
    __builtin_memset(page, 0xcc, mm::kPageSize);
    wrmsr(abi::kHypercallPageMsr, mm::maddr_of(mfn.value()).raw());
    check("hypercall page msr reads 0", rdmsr(abi::kHypercallPageMsr), rdmsr(abi::kHypercallPageMsr) == 0);
    // The same call as raw_hypercall, through the new page's stub.
    int64_t version;
    uint64_t command = static_cast<uint64_t>(abi::VersionOp::Version), argument = 0;
    const void* stub = page + static_cast<uint64_t>(abi::Hypercall::XenVersion) * abi::kHypercallStubSize;
    asm volatile("call *%[stub]"
                 : "=a"(version), "+D"(command), "+S"(argument)
                 : [stub] "r"(stub)
                 : "memory", "rcx", "r11", "rdx", "r8", "r9", "r10");
    check("xen_version through the written page", static_cast<uint64_t>(version), version == 0x00040011);
}

void check_other_msrs() {
    constexpr uint32_t kTsc = 0x10, kApicBase = 0x1b, kPat = 0x277, kEfer = 0xc0000080;
    const uint64_t efer = rdmsr(kEfer);
    check("rdmsr efer", efer, efer == 0xd01);  // SCE, LME, LMA, NXE; never SVME
    wrmsr(kEfer, efer);
    check("wrmsr efer with the value read", rdmsr(kEfer), rdmsr(kEfer) == efer);
    check("rdmsr pat", rdmsr(kPat), rdmsr(kPat) == 0x0000050100070406);
    check("rdmsr apic_base", rdmsr(kApicBase), rdmsr(kApicBase) == 0xfee00900);
    const uint64_t before = __builtin_ia32_rdtsc();
    const uint64_t tsc = rdmsr(kTsc);
    const uint64_t after = __builtin_ia32_rdtsc();
    check("rdmsr tsc lies between two rdtsc", 0, before <= tsc && tsc <= after);
}

uint64_t in_from(uint16_t port, uint64_t rax, bool byte) {
    if (byte) asm volatile("inb %%dx, %%al" : "+a"(rax) : "d"(port));
    else asm volatile("inl %%dx, %%eax" : "+a"(rax) : "d"(port));
    return rax;
}

/// Port 0x2e8 (COM4) is not there on QEMU's PC: all ones on both hypervisors, from the
/// hardware on Xen (dom0 may use it) and from the emulator on Xenolith.
void check_ports() {
    constexpr uint16_t kPort = 0x2e8;
    constexpr uint64_t kRax = 0x1122334455667788;
    abi::PhysdevSetIopl iopl{1};
    check("set_iopl(1)", 0, !hypercall(abi::Hypercall::PhysdevOp, static_cast<uint64_t>(abi::PhysdevOp::SetIopl),
                                       reinterpret_cast<uint64_t>(&iopl)).is_error());
    asm volatile("cli; sti" ::: "memory");
    check("cli and sti with iopl 1", 0, true);
    check("inb with iopl 1", in_from(kPort, kRax, true), in_from(kPort, kRax, true) == 0x11223344556677ff);
    check("inl with iopl 1", in_from(kPort, kRax, false), in_from(kPort, kRax, false) == 0xffffffff);
    asm volatile("outb %%al, %%dx" : : "a"(0x5a), "d"(kPort));
    check("outb with iopl 1", 0, true);

    iopl.iopl = 0;
    (void)hypercall(abi::Hypercall::PhysdevOp, static_cast<uint64_t>(abi::PhysdevOp::SetIopl), reinterpret_cast<uint64_t>(&iopl));
    static uint8_t bitmap[8192];
    __builtin_memset(bitmap, 0xff, sizeof bitmap);
    bitmap[kPort / 8] = static_cast<uint8_t>(~(1u << (kPort % 8)));  // only kPort is allowed
    abi::PhysdevSetIobitmap request{};
    request.bitmap.p = reinterpret_cast<uint64_t>(bitmap);
    request.nr_ports = 0x400;
    check("set_iobitmap", 0, !hypercall(abi::Hypercall::PhysdevOp, static_cast<uint64_t>(abi::PhysdevOp::SetIobitmap),
                                        reinterpret_cast<uint64_t>(&request)).is_error());
    check("inb through the i/o bitmap", in_from(kPort, kRax, true), in_from(kPort, kRax, true) == 0x11223344556677ff);
    request.nr_ports = 0;
    (void)hypercall(abi::Hypercall::PhysdevOp, static_cast<uint64_t>(abi::PhysdevOp::SetIobitmap), reinterpret_cast<uint64_t>(&request));
}

}  // namespace

const char* app_name() { return "emulation"; }

int app_main(const abi::StartInfo& info) {
    if (auto memory = mm::init_memory(info); memory.is_error()) return report_failure("set up failed", memory.error());
    check_xen_leaves();
    check_filtered_leaves();
    check_control_registers(info);
    check_segment_bases();
    check_hypercall_page_msr();
    check_other_msrs();
    check_ports();
    printk("emulation: {} checks, {} unexpected\n", checks_run, unexpected);
    return unexpected == 0 ? 0 : 1;
}

}  // namespace minios
