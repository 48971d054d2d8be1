// SPDX-License-Identifier: MIT
// One-instruction wrappers: the only way the rest of the hypervisor touches the CPU.
#pragma once

#include <cstdint>

#include "arch/x86_64/msr.hpp"

namespace arch {

inline void outb(uint16_t port, uint8_t value) { asm volatile("outb %0, %1" : : "a"(value), "Nd"(port)); }
inline void outl(uint16_t port, uint32_t value) { asm volatile("outl %0, %1" : : "a"(value), "Nd"(port)); }
inline uint8_t inb(uint16_t port) {
    uint8_t value;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

inline uint64_t read_cr0() { uint64_t v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
inline uint64_t read_cr2() { uint64_t v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
inline uint64_t read_cr3() { uint64_t v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
inline uint64_t read_cr4() { uint64_t v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
inline void write_cr0(uint64_t v) { asm volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
inline void write_cr3(uint64_t v) { asm volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
inline void write_cr4(uint64_t v) { asm volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

inline uint64_t rdmsr(uint32_t msr) {
    uint32_t low, high;
    asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return (uint64_t{high} << 32) | low;
}
inline void wrmsr(uint32_t msr, uint64_t value) {
    asm volatile("wrmsr" : : "c"(msr), "a"(static_cast<uint32_t>(value)), "d"(static_cast<uint32_t>(value >> 32)));
}

inline uint64_t rdtsc() {
    uint32_t low, high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (uint64_t{high} << 32) | low;
}

struct CpuidResult { uint32_t eax, ebx, ecx, edx; };
inline CpuidResult cpuid(uint32_t leaf, uint32_t subleaf = 0) {
    CpuidResult r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

inline uint64_t read_dr6() { uint64_t v; asm volatile("mov %%dr6, %0" : "=r"(v)); return v; }
inline void write_dr6(uint64_t v) { asm volatile("mov %0, %%dr6" : : "r"(v)); }
/// MOV to DR0-DR3 or DR7 (the register number must be a constant).
template <unsigned N>
inline void write_debug_register(uint64_t v) {
    static_assert(N <= 3 || N == 7, "DR0-DR3 and DR7 hold breakpoints");
    if constexpr (N == 0) asm volatile("mov %0, %%dr0" : : "r"(v));
    if constexpr (N == 1) asm volatile("mov %0, %%dr1" : : "r"(v));
    if constexpr (N == 2) asm volatile("mov %0, %%dr2" : : "r"(v));
    if constexpr (N == 3) asm volatile("mov %0, %%dr3" : : "r"(v));
    if constexpr (N == 7) asm volatile("mov %0, %%dr7" : : "r"(v));
}
inline void invlpg(uint64_t va) { asm volatile("invlpg (%0)" : : "r"(va) : "memory"); }
inline void halt() { asm volatile("hlt"); }
inline void disable_interrupts() { asm volatile("cli" : : : "memory"); }
inline void enable_interrupts() { asm volatile("sti" : : : "memory"); }
inline void pause() { asm volatile("pause"); }

/// Stop this CPU for good: interrupts off, then hlt forever.
[[noreturn]] inline void halt_forever() {
    for (;;) asm volatile("cli; hlt");
}


}  // namespace arch
