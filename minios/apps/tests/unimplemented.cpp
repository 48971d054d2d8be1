// SPDX-License-Identifier: MIT
// Boot test: hypercall numbers the hypervisor does not implement get -ENOSYS, and a
// number far past the table (through a bare SYSCALL) too.
#include "apps/app.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"

namespace minios {
namespace {

int failures = 0;

void expect_nosys(const char* what, int64_t rax) {
    const bool ok = rax == -static_cast<int64_t>(abi::Errno::NoSys);
    printk("unimplemented: {} -> {} {}\n", what, rax, ok ? "(ENOSYS, ok)" : "(WRONG)");
    if (!ok) ++failures;
}

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
    printk("unimplemented: {} wrong answers\n", failures);
    return failures == 0 ? 0 : 1;
}

}  // namespace minios
