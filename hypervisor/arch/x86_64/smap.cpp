// SPDX-License-Identifier: MIT
// SMAP, kept on only where a probe at boot shows that a PV guest kernel can live with it.
//
// SMAP (Supervisor Mode Access Prevention, SDM Vol. 3A 4.6) stops ring 0 from reading or
// writing a user page unless RFLAGS.AC is set: a hypervisor bug that follows a guest
// pointer without copy_from_guest becomes a fault instead of a silent access. Xen turns
// it on whenever the CPU has it. A 64-bit PV guest kernel runs in ring 3 on user pages,
// so on a real CPU SMAP never touches the guest. Debian 12's QEMU 7.2 (TCG) differs in
// one instruction: IRETQ executed at CPL 3 pops its frame with supervisor accesses, so
// with CR4.SMAP set a guest kernel's own `iretq` (minios and Mini-OS return from a trap
// in kernel mode that way) takes a #PF on its own stack. So Xenolith asks the CPU
// (XEN-DIFF: Xen has no probe and keeps SMAP whenever the CPU has it; `smap=on` does that
// here):
//
//  1. The probe page: a fresh frame holding a copy of smap_probe_user_code
//     (smap_probe.S), mapped as a user page in the lower half of the idle page table;
//     its stack is the top of the same page.
//  2. The probe's own IDT: 32 gates to stubs that record the exception and return to
//     the probe's caller, all on the double-fault stack; int3's gate has DPL 3. The
//     hypervisor's trap path never sees the probe, and no exception can leave it
//     hanging: the least expected one still comes back, as a "went wrong" verdict.
//  3. With CR4.SMAP set, IRETQ from ring 0 to the page in ring 3 (Xen's flat selectors
//     0xe033/0xe02b), where the code runs an IRETQ at CPL 3 that pops its frame from
//     the user stack and lands on an int3. The int3 coming back means it works; a #PF at
//     the IRETQ is QEMU 7.2's behaviour (core/smap_policy.cpp judges the trap).
//  4. CR4 and the IDT back as they were; the page unmapped, its tables and frame freed.
//
// When SMAP stays on, the hypervisor must announce each access to a user page: STAC
// before the one routine that copies to and from guest memory (guest_copy.S), CLAC after
// it on both of its paths. Nothing else needs it: every other access to a guest's frames
// goes through the direct map, which is not user memory. AC must also be clear whenever
// a guest enters: SYSCALL clears it through its flag mask (descriptors.cpp), while an
// interrupt gate keeps the AC that ring 3 had (a guest may set it with POPF), so every
// exception and interrupt stub starts with CLAC (entry.S). STAC and CLAC raise #UD on a
// CPU without SMAP: each site is a three-byte NOP that is patched only here (smap.h).
#include "arch/x86_64/smap.hpp"

#include <cstddef>

#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/descriptors.hpp"
#include "arch/x86_64/paging.hpp"
#include "arch/x86_64/smap.h"
#include "core/printk.hpp"
#include "lib/format.hpp"
#include "mm/machine_memory.hpp"

namespace arch {

/// One entry of the table that SMAP_STAC and SMAP_CLAC fill (smap.h).
struct SmapPatch {
    uint64_t site;           ///< the three-byte NOP
    uint8_t instruction[3];  ///< STAC or CLAC
    uint8_t padding[5];
};

}  // namespace arch

extern "C" {
uint64_t smap_probe_run(uint64_t user_rip, uint64_t user_rsp, const arch::TablePointer* idtr);
extern const char smap_probe_user_code[], smap_probe_user_iretq[], smap_probe_user_done[];
extern const char smap_probe_user_code_end[];
extern const uint64_t smap_probe_stubs[32];
extern hv::SmapProbeTrap smap_probe_trap;
extern const arch::SmapPatch __smap_patches_start[], __smap_patches_end[];  // xenolith.ld
}

namespace arch {
namespace {

static_assert(offsetof(hv::SmapProbeTrap, vector) == SMAP_TRAP_VECTOR);
static_assert(offsetof(hv::SmapProbeTrap, error_code) == SMAP_TRAP_ERROR_CODE);
static_assert(offsetof(hv::SmapProbeTrap, rip) == SMAP_TRAP_RIP);
static_assert(offsetof(hv::SmapProbeTrap, cr2) == SMAP_TRAP_CR2);
static_assert(sizeof(hv::SmapProbeTrap) == SMAP_TRAP_SIZE);
static_assert(sizeof(SmapPatch) == SMAP_PATCH_SIZE);

constexpr uint32_t kLeafStructuredFeatures = 7;
constexpr uint32_t kCpuidSmapBit = 20;            // CPUID.(EAX=7,ECX=0):EBX[20]
constexpr uint64_t kCr4Smap = uint64_t{1} << 21;  // SDM Vol. 3A 2.5
constexpr unsigned kProbeVectors = 32;            // the exceptions; an interrupt would arrive as #GP
constexpr unsigned kBreakpoint = 3;
constexpr uint64_t kPageSize = 4096;
// 512 GiB, L4 slot 1: in the lower half, where the boot tables map only slot 0.
constexpr uint64_t kProbePage = uint64_t{1} << 39;

bool cpu_has_smap() {
    if (cpuid(0).eax < kLeafStructuredFeatures) return false;
    return ((cpuid(kLeafStructuredFeatures, 0).ebx >> kCpuidSmapBit) & 1) != 0;
}

/// Where a label of the ring-3 code lands in the copy on the probe page.
uint64_t on_probe_page(const char* label) {
    return kProbePage + (reinterpret_cast<uint64_t>(label) - reinterpret_cast<uint64_t>(smap_probe_user_code));
}

hv::SmapProbeLayout probe_layout() {
    return {kProbePage, on_probe_page(smap_probe_user_iretq), on_probe_page(smap_probe_user_done)};
}

hv::SmapProbeTrap run_probe() {
    // 1. The page, filled through the direct map (ring 0 never touches the user mapping).
    const hv::Mfn frame = hv::frame_allocator().allocate().value();
    hv::frame_table().assign(frame, hv::kDomIdXen);
    const uint64_t code_size = on_probe_page(smap_probe_user_code_end) - kProbePage;
    __builtin_memcpy(frame_to_virt<char>(frame), smap_probe_user_code, code_size);
    map_boot_user_page(kProbePage, hv::maddr_of(frame).raw());

    // 2. The IDT.
    IdtGate gates[kProbeVectors];
    for (unsigned vector = 0; vector < kProbeVectors; ++vector)
        gates[vector] = interrupt_gate(smap_probe_stubs[vector], vector == kBreakpoint ? 3 : 0, kIstDoubleFault);
    const TablePointer idtr = idt_pointer(gates);

    // 3. Ring 3 and back, with SMAP on.
    const uint64_t cr4 = read_cr4();
    write_cr4(cr4 | kCr4Smap);
    smap_probe_run(kProbePage, kProbePage + kPageSize, &idtr);

    // 4. Everything as it was.
    write_cr4(cr4);
    load_hypervisor_idt();
    unmap_boot_user_page(kProbePage);
    hv::frame_table().release(frame);
    hv::frame_allocator().free(frame);
    return smap_probe_trap;
}

/// Write STAC and CLAC over their NOPs. The CR4 write that turns SMAP on comes next and
/// is serializing, so the CPU runs the new bytes, not stale ones it fetched before (SDM
/// Vol. 3A, "Handling Self- and Cross-Modifying Code").
void patch_in_stac_clac() {
    for (const SmapPatch* patch = __smap_patches_start; patch != __smap_patches_end; ++patch) {
        auto* site = reinterpret_cast<uint8_t*>(patch->site);
        for (size_t i = 0; i < sizeof patch->instruction; ++i) site[i] = patch->instruction[i];
    }
}

}  // namespace

void enable_smap_where_it_works(hv::SmapSetting setting) {
    const hv::SmapPlan plan = hv::plan_smap(cpu_has_smap(), setting);
    const hv::SmapVerdict verdict = plan == hv::SmapPlan::Probe ? hv::judge_smap_probe(run_probe(), probe_layout())
                                                                : hv::smap_verdict_without_probe(plan);
    if (verdict.enable) {
        patch_in_stac_clac();
        write_cr4(read_cr4() | kCr4Smap);
    }
    char line[160];
    lib::FixedBuffer text(line, sizeof line);
    hv::format_smap_verdict(text, verdict);
    hv::log_info("{}\n", line);
}

}  // namespace arch
