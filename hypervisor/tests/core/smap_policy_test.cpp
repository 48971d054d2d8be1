// SPDX-License-Identifier: MIT
// Tests of the SMAP decision (core/smap_policy.hpp): the plan, the probe's verdict, the boot line.
#include <doctest/doctest.h>

#include <string>

#include "core/smap_policy.hpp"

namespace {

using hv::SmapPlan;
using hv::SmapProbeResult;
using hv::SmapProbeTrap;
using hv::SmapSetting;

// The probe as smap.cpp lays it out: the page at 512 GiB, the IRETQ at +0x17, and the
// int3 after it ending at +0x1a.
constexpr hv::SmapProbeLayout kLayout{0x8000000000, 0x8000000017, 0x800000001a};
constexpr uint64_t kBreakpoint = 3, kGeneralProtection = 13, kPageFault = 14;

std::string line_of(const hv::SmapVerdict& verdict) {
    char text[160];
    lib::FixedBuffer buffer(text, sizeof text);
    hv::format_smap_verdict(buffer, verdict);
    return text;
}

hv::SmapVerdict judge(uint64_t vector, uint64_t error_code, uint64_t rip, uint64_t cr2 = 0) {
    return hv::judge_smap_probe(SmapProbeTrap{vector, error_code, rip, cr2}, kLayout);
}

}  // namespace

TEST_CASE("a CPU without SMAP gets no probe and no SMAP, whatever the command line says") {
    for (SmapSetting setting : {SmapSetting::Probe, SmapSetting::On, SmapSetting::Off}) {
        CHECK(hv::plan_smap(false, setting) == SmapPlan::NotAvailable);
    }
    const hv::SmapVerdict verdict = hv::smap_verdict_without_probe(SmapPlan::NotAvailable);
    CHECK_FALSE(verdict.enable);
    CHECK(line_of(verdict) == "smap: not available on this CPU");
}

TEST_CASE("with SMAP on the CPU the probe decides, unless smap= did") {
    CHECK(hv::plan_smap(true, SmapSetting::Probe) == SmapPlan::Probe);
    CHECK(hv::plan_smap(true, SmapSetting::On) == SmapPlan::On);
    CHECK(hv::plan_smap(true, SmapSetting::Off) == SmapPlan::Off);
    const hv::SmapVerdict on = hv::smap_verdict_without_probe(SmapPlan::On);
    const hv::SmapVerdict off = hv::smap_verdict_without_probe(SmapPlan::Off);
    CHECK(on.enable);
    CHECK_FALSE(off.enable);
    CHECK(line_of(on) == "smap: on (set by smap= on the command line, no probe)");
    CHECK(line_of(off) == "smap: off (set by smap= on the command line)");
}

TEST_CASE("the int3 after the ring-3 IRETQ coming back means SMAP works: it stays on") {
    const hv::SmapVerdict verdict = judge(kBreakpoint, 0, kLayout.finish_rip);
    CHECK(verdict.probe == SmapProbeResult::Works);
    CHECK(verdict.enable);
    CHECK(line_of(verdict) == "smap: on (probe: IRETQ at CPL 3 works on a user stack)");
}

TEST_CASE("a #PF at the ring-3 IRETQ on its user stack is QEMU 7.2's behaviour: SMAP stays off") {
    // What QEMU 7.2 reports (seen with -d int): error code 1, a supervisor read of a
    // present page, at the RSP the IRETQ pops from.
    const hv::SmapVerdict verdict = judge(kPageFault, 0x1, kLayout.iretq_rip, kLayout.page + 0xfd8);
    CHECK(verdict.probe == SmapProbeResult::IretqFaulted);
    CHECK_FALSE(verdict.enable);
    CHECK(line_of(verdict) == "smap: off (probe: IRETQ at CPL 3 faulted on a user stack)");
}

TEST_CASE("any other end of the probe is a probe gone wrong: SMAP stays off and the line says what came back") {
    SUBCASE("an int3 somewhere else did not come after the IRETQ") {
        const hv::SmapVerdict verdict = judge(kBreakpoint, 0, kLayout.iretq_rip);
        CHECK(verdict.probe == SmapProbeResult::Unexpected);
        CHECK_FALSE(verdict.enable);
        CHECK(line_of(verdict) == "smap: off (probe went wrong: vector 3 at user page +0x17, error code 0x0)");
    }
    SUBCASE("a #PF at the IRETQ, but not on the probe's page") {
        const hv::SmapVerdict verdict = judge(kPageFault, 0x5, kLayout.iretq_rip, 0x1000);
        CHECK(verdict.probe == SmapProbeResult::Unexpected);
        CHECK(line_of(verdict) ==
              "smap: off (probe went wrong: vector 14 at user page +0x17, error code 0x5, cr2 0x1000)");
    }
    SUBCASE("a #PF on the page, but at another instruction") {
        CHECK(judge(kPageFault, 0x1, kLayout.page + 0x3, kLayout.page + 0xff0).probe == SmapProbeResult::Unexpected);
    }
    SUBCASE("a #GP in ring 0, on the way down, is named by its address") {
        const hv::SmapVerdict verdict = judge(kGeneralProtection, 0xe028, 0xffff82d0400182b2);
        CHECK_FALSE(verdict.enable);
        CHECK(line_of(verdict) ==
              "smap: off (probe went wrong: vector 13 at rip 0xffff82d0400182b2, error code 0xe028)");
    }
    SUBCASE("a fault just past the page is not on it") {
        CHECK(judge(kPageFault, 0x1, kLayout.iretq_rip, kLayout.page + 0x1000).probe == SmapProbeResult::Unexpected);
    }
}
