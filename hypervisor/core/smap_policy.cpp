// SPDX-License-Identifier: MIT
// The SMAP decision and its boot line (see smap_policy.hpp).
#include "core/smap_policy.hpp"

#include "lib/assert.hpp"

namespace hv {
namespace {

constexpr uint64_t kBreakpoint = 3;   // int3 (SDM Vol. 3A Table 6-1)
constexpr uint64_t kPageFault = 14;
constexpr uint64_t kPageSize = 4096;

bool on_page(uint64_t address, uint64_t page) { return address >= page && address - page < kPageSize; }

/// The probe went wrong: say what came back instead, where, so that the line can be
/// matched against the probe's code (an offset into the user page when it was there).
void describe_unexpected(lib::Sink& out, const SmapVerdict& verdict) {
    const SmapProbeTrap& trap = verdict.trap;
    lib::format_to(out, "smap: off (probe went wrong: vector {} ", trap.vector);
    if (on_page(trap.rip, verdict.layout.page))
        lib::format_to(out, "at user page +{:#x}", trap.rip - verdict.layout.page);
    else
        lib::format_to(out, "at rip {:#x}", trap.rip);
    lib::format_to(out, ", error code {:#x}", trap.error_code);
    if (trap.vector == kPageFault) lib::format_to(out, ", cr2 {:#x}", trap.cr2);
    lib::format_to(out, ")");
}

}  // namespace

SmapPlan plan_smap(bool cpu_has_smap, SmapSetting setting) {
    if (!cpu_has_smap) return SmapPlan::NotAvailable;
    switch (setting) {
    case SmapSetting::On: return SmapPlan::On;
    case SmapSetting::Off: return SmapPlan::Off;
    case SmapSetting::Probe: return SmapPlan::Probe;
    }
    return SmapPlan::Probe;
}

SmapVerdict smap_verdict_without_probe(SmapPlan plan) {
    ASSERT(plan != SmapPlan::Probe);
    SmapVerdict verdict;
    verdict.plan = plan;
    verdict.enable = plan == SmapPlan::On;
    return verdict;
}

SmapVerdict judge_smap_probe(const SmapProbeTrap& trap, const SmapProbeLayout& layout) {
    SmapVerdict verdict;
    verdict.plan = SmapPlan::Probe;
    verdict.trap = trap;
    verdict.layout = layout;
    // int3 is a trap: the saved RIP is the instruction after it. Only code that got past
    // the IRETQ reaches it.
    if (trap.vector == kBreakpoint && trap.rip == layout.finish_rip) verdict.probe = SmapProbeResult::Works;
    // A fault is reported at the faulting instruction; CR2 names the access. On the page
    // means on the IRETQ's own stack (the page holds nothing else it could touch).
    else if (trap.vector == kPageFault && trap.rip == layout.iretq_rip && on_page(trap.cr2, layout.page))
        verdict.probe = SmapProbeResult::IretqFaulted;
    else
        verdict.probe = SmapProbeResult::Unexpected;
    verdict.enable = verdict.probe == SmapProbeResult::Works;
    return verdict;
}

void format_smap_verdict(lib::Sink& out, const SmapVerdict& verdict) {
    switch (verdict.plan) {
    case SmapPlan::NotAvailable: lib::format_to(out, "smap: not available on this CPU"); return;
    case SmapPlan::On: lib::format_to(out, "smap: on (set by smap= on the command line, no probe)"); return;
    case SmapPlan::Off: lib::format_to(out, "smap: off (set by smap= on the command line)"); return;
    case SmapPlan::Probe: break;
    }
    switch (verdict.probe) {
    case SmapProbeResult::Works: lib::format_to(out, "smap: on (probe: IRETQ at CPL 3 works on a user stack)"); return;
    case SmapProbeResult::IretqFaulted:
        lib::format_to(out, "smap: off (probe: IRETQ at CPL 3 faulted on a user stack)");
        return;
    case SmapProbeResult::Unexpected: describe_unexpected(out, verdict); return;
    }
}

}  // namespace hv
