// SPDX-License-Identifier: MIT
// Boot test: hypercalls with pointers the hypervisor must refuse with -EFAULT: unmapped,
// non-canonical, inside the hypervisor's range, wrapping around, read-only for an output.
#include "abi/memory.hpp"
#include "abi/sched.hpp"
#include "abi/version.hpp"
#include "abi/xen.hpp"
#include "apps/app.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"

namespace minios {
namespace {

int failures = 0;

void expect_fault(const char* what, int64_t rax) {
    const bool ok = rax == -static_cast<int64_t>(abi::Errno::Fault);
    printk("bad-pointers: {} -> {} {}\n", what, rax, ok ? "(EFAULT, ok)" : "(WRONG)");
    if (!ok) ++failures;
}

int64_t console_write_at(uint64_t address, uint64_t length) {
    return raw_hypercall(abi::Hypercall::ConsoleIo, static_cast<uint64_t>(abi::ConsoleIoCommand::Write), length,
                         address);
}

}  // namespace

const char* app_name() { return "bad-pointers"; }

int app_main(const abi::StartInfo& info) {
    expect_fault("console_io from an unmapped page", console_write_at(0x0000'4000'0000'0000, 16));
    expect_fault("console_io from a non-canonical address", console_write_at(0x8000'0000'0000'0000, 16));
    expect_fault("console_io from the hypervisor's text", console_write_at(0xffff'82d0'4000'0000, 16));
    expect_fault("console_io from the direct map", console_write_at(0xffff'8300'0000'0000, 16));
    expect_fault("console_io wrapping around the top", console_write_at(0xffff'ffff'ffff'ff00, 0x200));
    expect_fault("xen_version(extraversion) into a read-only page table",
                 raw_hypercall(abi::Hypercall::XenVersion, static_cast<uint64_t>(abi::VersionOp::Extraversion),
                               info.pt_base));
    expect_fault("xen_version(get_features) from an unmapped page",
                 raw_hypercall(abi::Hypercall::XenVersion, static_cast<uint64_t>(abi::VersionOp::GetFeatures),
                               0x0000'4000'0000'0000));
    expect_fault("memory_op(memory_map) from the hypervisor's range",
                 raw_hypercall(abi::Hypercall::MemoryOp, static_cast<uint64_t>(abi::MemoryOp::MemoryMap),
                               0xffff'8000'0000'0000));
    expect_fault("sched_op(shutdown) from an unmapped page",
                 raw_hypercall(abi::Hypercall::SchedOp, static_cast<uint64_t>(abi::SchedOp::Shutdown),
                               0x0000'4000'0000'0000));
    printk("bad-pointers: {} wrong answers\n", failures);
    return failures == 0 ? 0 : 1;
}

}  // namespace minios
