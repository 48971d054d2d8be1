// SPDX-License-Identifier: MIT
// multicall: long lists, what may not nest, bad lists, and an iret that ends a list.
//
// Xen runs a list of any length, continuing the multicall itself between entries when
// something else needs the CPU (common/multicall.c); Xenolith continues it every 256
// entries (hypercall/multicall.cpp), so a 600-entry list crosses that cut twice. The rest
// is Xen's too: a multicall inside a multicall is -EINVAL ("Multicall reentry is
// disallowed"), an unknown hypercall number -ENOSYS, and a list whose first byte lies in
// the hypervisor's range -EFAULT, whatever the count (array_access_ok looks only at
// where the list starts). An iret entry returns through the frame at the guest's RSP
// and ends the list (pv/hypercall.c: pv_do_multicall_call answers mc_exit); the
// multicall returns the frame's RAX as an int, so the guest gets its low 32 bits
// sign-extended.
#include "abi/callback.hpp"
#include "abi/layout.hpp"
#include "abi/segments.hpp"
#include "apps/tests/mmu_features.hpp"

namespace minios::features {
namespace {

/// A result no call gives: an entry that still holds it did not run.
constexpr uint64_t kNotRun = 0x0dd0'0dd0'0dd0'0dd0;
constexpr uint32_t kLongList = 600;

abi::MulticallEntry long_list[kLongList];  // 37.5 KiB: not on minios' stack

/// 600 XENVER_version calls in one multicall: every entry runs, once.
void six_hundred_entries() {
    for (abi::MulticallEntry& entry : long_list) entry = xen_version_entry(kNotRun);
    const int64_t result = multicall(long_list, kLongList);
    uint32_t answered = 0;
    for (const abi::MulticallEntry& entry : long_list) answered += entry.result == kXenVersion417 ? 1 : 0;
    report("multicall-600-xen-version-calls", result == 0 && answered == kLongList,
           "rc {}, {} of {} entries answered {:#x}", result_name(result).text, answered, kLongList, kXenVersion417);
}

/// A multicall as the middle entry of another: -EINVAL, the inner list untouched, and
/// the entries around it run.
void nested_multicall() {
    abi::MulticallEntry inner[1] = {xen_version_entry(kNotRun)};
    abi::MulticallEntry outer[3] = {
        xen_version_entry(kNotRun),
        {static_cast<uint64_t>(abi::Hypercall::Multicall), kNotRun, {reinterpret_cast<uint64_t>(inner), 1, 0, 0, 0, 0}},
        xen_version_entry(kNotRun),
    };
    const int64_t result = multicall(outer, 3);
    const auto nested = static_cast<int64_t>(outer[1].result);
    const bool inner_ran = inner[0].result != kNotRun;
    report("multicall-nested-multicall",
           result == 0 && outer[0].result == kXenVersion417 && nested == -22 && outer[2].result == kXenVersion417 &&
               !inner_ran,
           "rc {}, results {:#x} {} {:#x}, the inner list ran: {}", result_name(result).text, outer[0].result,
           result_name(nested).text, outer[2].result, inner_ran);
}

/// Hypercall 60 exists on neither hypervisor; 2^32 + 17 is xen_version only in its low
/// 32 bits, and the op is read whole.
void unknown_numbers() {
    abi::MulticallEntry entries[2] = {xen_version_entry(kNotRun), xen_version_entry(kNotRun)};
    entries[0].op = 60;
    entries[1].op += uint64_t{1} << 32;
    const int64_t result = multicall(entries, 2);
    const auto first = static_cast<int64_t>(entries[0].result), second = static_cast<int64_t>(entries[1].result);
    report("multicall-unknown-numbers", result == 0 && first == -38 && second == -38, "rc {}, results {} {}",
           result_name(result).text, result_name(first).text, result_name(second).text);
}

/// The read-only M2P at the start of the hypervisor's range can be read by the guest,
/// but a list there is refused before any entry is read, even an empty one.
void list_in_the_hypervisor_range() {
    auto* m2p = reinterpret_cast<abi::MulticallEntry*>(abi::kHypervisorVirtStart);
    const int64_t one = multicall(m2p, 1);
    const int64_t none = multicall(m2p, 0);
    report("multicall-list-in-the-hypervisor-range", one == -14 && none == -14, "rc {}, with no entries: rc {}",
           result_name(one).text, result_name(none).text);
}

/// The iret_context an iret entry returns through (XEN-PV-ABI.md 4.3): made by
/// multicall_through_iret, which puts RSP on it for the SYSCALL.
abi::IretContext iret_frame;
constexpr uint64_t kFrameRax = 0x1'8000'0005;

/// multicall(list, count) made with RSP on iret_frame, whose RIP and RSP are the point
/// right after the SYSCALL: with or without an iret in the list, execution goes on there,
/// and RBX (which neither path changes) gives the stack back.
int64_t multicall_through_iret(abi::MulticallEntry* list, uint32_t count) {
    constexpr uint64_t kRflagsReserved = 1 << 1;  // always 1 (SDM Vol. 1 3.4.3)
    iret_frame = {};
    iret_frame.rax = kFrameRax;
    iret_frame.cs = abi::kFlatKernelCs & ~3;  // RPL 0: back to kernel mode (XEN-PV-ABI.md 4.1)
    iret_frame.ss = abi::kFlatKernelSs;
    // IF clear: the iret sets the event mask, which this guest keeps set from boot on (it
    // has no event callback). So no event can be delivered while RSP is on the frame.
    iret_frame.rflags = kRflagsReserved;
    int64_t result;
    uint64_t list_address = reinterpret_cast<uint64_t>(list), list_count = count;
    uint64_t frame = reinterpret_cast<uint64_t>(&iret_frame);
    asm volatile(
        "lea 1f(%%rip), %%rax\n\t"
        "mov %%rax, %c[rip](%%rcx)\n\t"
        "mov %%rsp, %c[rsp](%%rcx)\n\t"
        "mov %%rsp, %%rbx\n\t"
        "mov %%rcx, %%rsp\n\t"
        "mov %[number], %%eax\n\t"
        "syscall\n"
        "1:\n\t"
        "mov %%rbx, %%rsp"
        : "=a"(result), "+D"(list_address), "+S"(list_count), "+c"(frame)
        : [number] "i"(static_cast<uint32_t>(abi::Hypercall::Multicall)),
          [rip] "i"(offsetof(abi::IretContext, rip)), [rsp] "i"(offsetof(abi::IretContext, rsp))
        : "rbx", "rdx", "r8", "r9", "r10", "r11", "memory", "cc");
    return result;
}

/// [iret, xen_version]: the iret returns through the frame, and the list ends with it.
void iret_ends_the_list() {
    abi::MulticallEntry entries[2] = {xen_version_entry(kNotRun), xen_version_entry(kNotRun)};
    entries[0].op = static_cast<uint64_t>(abi::Hypercall::Iret);
    const auto result = static_cast<uint64_t>(multicall_through_iret(entries, 2));
    const bool next_ran = entries[1].result != kNotRun;
    report("multicall-iret-ends-the-list",
           result == 0xffff'ffff'8000'0005 && entries[0].result == kFrameRax && !next_ran,
           "rc {:#x}, the iret entry's result {:#x}, the next entry ran: {}", result, entries[0].result, next_ran);
}

}  // namespace

void check_multicalls() {
    six_hundred_entries();
    nested_multicall();
    unknown_numbers();
    list_in_the_hypervisor_range();
    iret_ends_the_list();
}

}  // namespace minios::features
