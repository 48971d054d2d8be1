// SPDX-License-Identifier: MIT
// Boot test: a guest attacks the PV MMU and checks that every attack gets Xen's answer.
//
// Each attack is one hypercall a hostile PV kernel could make against its own page
// tables (mmu_update, mmuext_op, update_va_mapping): map a frame it does not own, map
// one of its page tables writable, change a hypervisor L4 slot, pin or load a table
// that is not one, and so on. The expected error of each is what Xen 4.17 returns (read
// in xen/arch/x86/mm.c and checked by running this guest on real Xen as dom0; see
// tests/boot/mmu.toml). A few requests that look like attacks are allowed by Xen
// (plain stores into a data frame, a read-only recursive L4 entry, unpinning the L4 in
// use, count with bit 31, bit 62 in an L1 entry); they must succeed ("(allowed)" in
// their names). Every success is undone; a refusal must change nothing.
//
// One line per attack, e.g.
//   attack 07 writable-mapping-of-own-l2: mmu_update -> -16 (expected -EBUSY) ok
// then "mmu-attacks: N attacks, M unexpected". The application fails when M > 0.
//
// Where Xen's answer depends on privilege: minios is dom0 on Xen (start_info.flags has
// SIF_INITDOMAIN, and dom0 has I/O capabilities) but an unprivileged domain on
// Xenolith in this test. Only one attack depends on it (cache attributes in an L1
// entry); the attacks were chosen so that the others get the same answer either way.
// One depends on how Xen was built: bit 62 in an L1 entry, refused by debug builds
// only; the oracle (Debian's Xen 4.17) is a release build.
#include "apps/app.hpp"
#include "apps/tests/mmu_attacks.hpp"
#include "kernel/console.hpp"

namespace minios {
namespace {

int attacks_run = 0;
int unexpected = 0;

const char* errno_name(int64_t result) {
    switch (result) {
        case attacks::kOk: return "0";
        case attacks::kPerm: return "-EPERM";
        case attacks::kSrch: return "-ESRCH";
        case attacks::kBusy: return "-EBUSY";
        case attacks::kInval: return "-EINVAL";
        case attacks::kNoSys: return "-ENOSYS";
        case attacks::kOpNotSupp: return "-EOPNOTSUPP";
        default: return "an unlisted error";
    }
}

}  // namespace

namespace attacks {

bool expect_result(const char* name, const char* operation, int64_t result, int64_t expected) {
    const bool ok = result == expected;
    ++attacks_run;
    if (!ok) ++unexpected;
    printk("attack {:02} {}: {} -> {} (expected {}) {}\n", attacks_run, name, operation, result,
           errno_name(expected), ok ? "ok" : "UNEXPECTED");
    return ok;
}

void skip_attack(const char* name, const char* why) {
    ++attacks_run;
    ++unexpected;
    printk("attack {:02} {}: not run, {} UNEXPECTED\n", attacks_run, name, why);
}

bool check(const char* what, bool holds) {
    if (!holds) ++unexpected;
    printk("  check {}: {}\n", what, holds ? "ok" : "UNEXPECTED");
    return holds;
}

bool expect_step(const char* what, int64_t result) {
    if (result == kOk) return true;
    ++unexpected;
    printk("  step {} -> {} UNEXPECTED\n", what, result);
    return false;
}

}  // namespace attacks

const char* app_name() { return "mmu-attacks"; }

int app_main(const abi::StartInfo& info) {
    attacks::Target target{};
    if (!attacks::find_target(info, target)) {
        printk("mmu-attacks: cannot aim the attacks UNEXPECTED\n");
        return 1;
    }
    attacks::prepare_scratch(target);
    attacks::attack_l1_entries(target);
    attacks::attack_upper_entries(target);
    attacks::attack_mmu_update_requests(target);
    attacks::attack_extended_ops(target);
    attacks::attack_va_mappings(target);
    printk("mmu-attacks: {} attacks, {} unexpected\n", attacks_run, unexpected);
    return unexpected == 0 ? 0 : 1;
}

}  // namespace minios
