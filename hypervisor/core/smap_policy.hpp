// SPDX-License-Identifier: MIT
// Whether the hypervisor turns SMAP on: the command line, the CPU, and the verdict of the boot-time probe.
//
// SMAP (Supervisor Mode Access Prevention, SDM Vol. 3A 4.6.1) makes a ring-0 access to a
// user page fault unless RFLAGS.AC is set. A 64-bit PV guest kernel runs in ring 3 on
// user pages, so for such a guest SMAP changes nothing on a real CPU. Debian 12's QEMU
// 7.2 (TCG) differs: its IRETQ at CPL 3 reads the return frame with supervisor accesses,
// so with CR4.SMAP set a guest kernel's own `iretq` faults on its stack. The hypervisor
// therefore asks the CPU in front of it, once at boot (arch/x86_64/smap.cpp): it runs an
// IRETQ at CPL 3 on a user page with SMAP on and reads the exception that brings it back.
// These functions turn that exception, and the command line, into the decision and its
// boot line; they are pure, so the host tests can try every case.
#pragma once

#include <cstdint>

#include "lib/format.hpp"

namespace hv {

/// `smap=` on the hypervisor's command line (Xen's boolean words; see command_line.hpp).
enum class SmapSetting : uint8_t {
    Probe,  ///< no `smap=`: on only where the probe shows that it works (Xen: always on)
    On,     ///< `smap=1|on|true|yes|enable`: on whenever the CPU has it, as Xen's default
    Off,    ///< `smap=0|off|false|no|disable`: never
};

/// What boot does about SMAP before anything runs.
enum class SmapPlan : uint8_t {
    NotAvailable,  ///< the CPU has no SMAP (CPUID.(EAX=7,ECX=0):EBX[20] clear): nothing to decide
    Probe,         ///< run the probe, then follow it
    On,            ///< the command line says on: no probe
    Off,           ///< the command line says off: no probe
};

/// The plan for a CPU with or without SMAP under a command-line setting.
SmapPlan plan_smap(bool cpu_has_smap, SmapSetting setting);

/// The exception that ended the probe's stay in ring 3, as the probe's own IDT stubs
/// recorded it (arch/x86_64/smap_probe.S; the layout is shared through smap_offsets.h).
struct SmapProbeTrap {
    uint64_t vector;
    uint64_t error_code;  ///< 0 for a vector that has none
    uint64_t rip;         ///< the faulting instruction, or the one after a trap (int3)
    uint64_t cr2;         ///< CR2 at that moment: a #PF's linear address
};

/// Where the probe put its ring-3 code, to read the trap against.
struct SmapProbeLayout {
    uint64_t page;        ///< the user page: code at its start, the stack at its end
    uint64_t iretq_rip;   ///< the IRETQ executed at CPL 3
    uint64_t finish_rip;  ///< just after the int3 that only a completed IRETQ reaches
};

/// How the probe ended.
enum class SmapProbeResult : uint8_t {
    Works,         ///< the IRETQ completed and the int3 after it came back: keep SMAP
    IretqFaulted,  ///< #PF at the IRETQ on the user page it pops from (QEMU 7.2's behaviour)
    Unexpected,    ///< anything else: the probe itself went wrong, so SMAP stays off
};

/// The decision and why, which the boot line states.
struct SmapVerdict {
    bool enable = false;
    SmapPlan plan = SmapPlan::NotAvailable;
    SmapProbeResult probe = SmapProbeResult::Unexpected;  ///< meaningful for SmapPlan::Probe
    SmapProbeTrap trap{};                                 ///< what ended the probe
    SmapProbeLayout layout{};                             ///< where the probe ran
};

/// The verdict of a plan that runs no probe. @pre plan != SmapPlan::Probe
SmapVerdict smap_verdict_without_probe(SmapPlan plan);

/// The verdict of a probe that ended with `trap`.
SmapVerdict judge_smap_probe(const SmapProbeTrap& trap, const SmapProbeLayout& layout);

/// The boot line, without its newline: `smap: on (...)`, `smap: off (...)` or
/// `smap: not available on this CPU`.
void format_smap_verdict(lib::Sink& out, const SmapVerdict& verdict);

}  // namespace hv
