// SPDX-License-Identifier: MIT
// Boot test: two domains each keep their own SSE (and, where offered, AVX) register values
// across many yields to each other: the hypervisor switches FPU state per vCPU (Xenolith only).
//
// minios is built without SSE, so the compiler never touches these registers: the values
// written by inline assembly stay there unless the hypervisor loses them. With XSAVE and AVX
// in the forced CPUID, the domain sets its CR4.OSXSAVE and XCR0 (x87|SSE|AVX) as a PV kernel
// does on Xen (emulated MOV to CR4 and XSETBV), then checks a whole YMM register as well.
#include "apps/app.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"

namespace minios {
namespace {

constexpr int kRounds = 2000;
constexpr uint32_t kLeaf1EcxXsave = 1u << 26, kLeaf1EcxOsxsave = 1u << 27, kLeaf1EcxAvx = 1u << 28;
constexpr uint64_t kCr4Osxsave = uint64_t{1} << 18;

struct alignas(32) Vector { uint64_t q[4]; };

struct Registers { uint32_t eax, ebx, ecx, edx; };
/// CPUID through Xen's forced-emulation prefix: ud2; .ascii "xen"; cpuid.
Registers forced_cpuid(uint32_t leaf, uint32_t subleaf = 0) {
    Registers r;
    asm volatile(".byte 0x0f, 0x0b, 0x78, 0x65, 0x6e\n\tcpuid"
                 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                 : "a"(leaf), "c"(subleaf));
    return r;
}

void set_xmm(const Vector& v) { asm volatile("movdqu %0, %%xmm0\n\tmovdqu %0, %%xmm7" : : "m"(v)); }
void get_xmm(Vector& xmm0, Vector& xmm7) {
    asm volatile("movdqu %%xmm0, %0\n\tmovdqu %%xmm7, %1" : "=m"(xmm0), "=m"(xmm7));
}
void set_ymm(const Vector& v) { asm volatile("vmovdqu %0, %%ymm3" : : "m"(v)); }
void get_ymm(Vector& v) { asm volatile("vmovdqu %%ymm3, %0" : "=m"(v)); }

bool same(const Vector& a, const Vector& b, int words) {
    for (int i = 0; i < words; ++i)
        if (a.q[i] != b.q[i]) return false;
    return true;
}

void yield() { (void)sched_op(abi::SchedOp::Yield); }

/// A value of this domain's own, from its command line.
uint64_t seed_of(const char* line) {
    uint64_t hash = 0xcbf29ce484222325;  // FNV-1a
    for (; *line != '\0'; ++line) hash = (hash ^ static_cast<uint8_t>(*line)) * 0x100000001b3;
    return hash;
}

bool enable_avx() {
    const Registers leaf1 = forced_cpuid(1);
    if ((leaf1.ecx & (kLeaf1EcxXsave | kLeaf1EcxAvx)) != (kLeaf1EcxXsave | kLeaf1EcxAvx)) return false;
    if ((leaf1.ecx & kLeaf1EcxOsxsave) != 0) {
        printk("fpu_keeper: FAIL: OSXSAVE shown before CR4.OSXSAVE is set\n");
        return false;
    }
    uint64_t cr4;
    asm volatile("mov %%cr4, %0" : "=r"(cr4));
    asm volatile("mov %0, %%cr4" : : "r"(cr4 | kCr4Osxsave));
    asm volatile("mov %%cr4, %0" : "=r"(cr4));
    if ((cr4 & kCr4Osxsave) == 0 || (forced_cpuid(1).ecx & kLeaf1EcxOsxsave) == 0) {
        printk("fpu_keeper: FAIL: CR4.OSXSAVE not kept ({:#x})\n", cr4);
        return false;
    }
    asm volatile("xsetbv" : : "c"(0), "a"(7), "d"(0));  // x87 | SSE | AVX
    uint32_t low, high;
    asm volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    if (low != 7 || high != 0) {
        printk("fpu_keeper: FAIL: XCR0 {:#x} after XSETBV 7\n", (uint64_t{high} << 32) | low);
        return false;
    }
    return true;
}

}  // namespace

const char* app_name() { return "fpu_keeper"; }

int app_main(const abi::StartInfo& info) {
    const uint64_t seed = seed_of(reinterpret_cast<const char*>(info.cmd_line));
    const Vector mine{{seed, ~seed, seed * 3, seed ^ 0x5555555555555555}};
    const bool avx = enable_avx();
    printk("fpu_keeper: avx {}\n", avx ? "on" : "not offered");
    set_xmm(mine);
    if (avx) set_ymm(mine);
    for (int round = 0; round < kRounds; ++round) {
        yield();
        Vector xmm0{}, xmm7{}, ymm3{};
        get_xmm(xmm0, xmm7);
        if (!same(xmm0, mine, 2) || !same(xmm7, mine, 2)) {
            printk("fpu_keeper: FAIL: round {}: xmm0 {:#x}:{:#x}, xmm7 {:#x}:{:#x}\n", round, xmm0.q[1], xmm0.q[0],
                   xmm7.q[1], xmm7.q[0]);
            return 1;
        }
        if (avx) {
            get_ymm(ymm3);
            if (!same(ymm3, mine, 4)) {
                printk("fpu_keeper: FAIL: round {}: ymm3 upper {:#x}:{:#x}\n", round, ymm3.q[3], ymm3.q[2]);
                return 1;
            }
        }
    }
    printk("fpu_keeper: registers kept over {} yields\n", kRounds);
    return 0;
}

}  // namespace minios
