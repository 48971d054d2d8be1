// SPDX-License-Identifier: MIT
// Boot test: hypercall numbers and sub-ops that do not exist get -ENOSYS (also a number
// far past the table, through a bare SYSCALL), and vm_assist answers as Xen does for a
// 64-bit PV guest: 0 for the assists it has, -EINVAL for the others.
#include "apps/app.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"

namespace minios {
namespace {

int failures = 0;

void expect(const char* what, int64_t rax, int64_t wanted) {
    const bool ok = rax == wanted;
    printk("unimplemented: {} -> {} {}\n", what, rax, ok ? "(ok)" : "(WRONG)");
    if (!ok) ++failures;
}

void expect_nosys(const char* what, int64_t rax) { expect(what, rax, -static_cast<int64_t>(abi::Errno::NoSys)); }

int64_t vm_assist(uint64_t command, uint64_t type) { return raw_hypercall(abi::Hypercall::VmAssist, command, type); }

/// SYSCALL with a number no stub can produce (the stubs load only EAX).
int64_t syscall_with_number(uint64_t number) {
    int64_t rax;
    asm volatile("syscall" : "=a"(rax) : "a"(number) : "rcx", "r11", "memory");
    return rax;
}

}  // namespace

const char* app_name() { return "unimplemented"; }

int app_main(const abi::StartInfo&) {
    expect_nosys("hypercall 11 (unassigned)", raw_hypercall(static_cast<abi::Hypercall>(11)));
    expect_nosys("hypercall 11 again", raw_hypercall(static_cast<abi::Hypercall>(11)));
    expect_nosys("hypercall 127 (last stub)", raw_hypercall(static_cast<abi::Hypercall>(127)));
    expect_nosys("syscall with rax = 1 << 40", syscall_with_number(uint64_t{1} << 40));
    expect_nosys("console_io sub-op 7", raw_hypercall(abi::Hypercall::ConsoleIo, 7, 0, 0));
    expect_nosys("sched_op sub-op 99", raw_hypercall(abi::Hypercall::SchedOp, 99, 0));
    constexpr uint64_t kEnable = 0, kDisable = 1;
    const int64_t kInval = -static_cast<int64_t>(abi::Errno::Inval);
    expect("vm_assist enable writable_pagetables (2)", vm_assist(kEnable, 2), 0);
    expect("vm_assist disable writable_pagetables (2)", vm_assist(kDisable, 2), 0);
    expect("vm_assist enable m2p_strict (32)", vm_assist(kEnable, 32), 0);
    expect("vm_assist disable m2p_strict (32)", vm_assist(kDisable, 32), 0);
    expect("vm_assist enable type 6", vm_assist(kEnable, 6), kInval);
    expect("vm_assist enable type 33", vm_assist(kEnable, 33), kInval);
    expect_nosys("vm_assist command 2", vm_assist(2, 2));
    printk("unimplemented: {} wrong answers\n", failures);
    return failures == 0 ? 0 : 1;
}

}  // namespace minios
