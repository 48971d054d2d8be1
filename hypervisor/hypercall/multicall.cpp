// SPDX-License-Identifier: MIT
// multicall (hypercall 13): several hypercalls in one entry into the hypervisor, each
// entry's result written back (Xen's common/multicall.c).
#include "abi/xen.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {

namespace {
// XEN-DIFF: Xen continues a long multicall (a continuation); Xenolith runs the first 256
// entries and returns 0, and the guest sees from the results how far it went.
constexpr uint64_t kMaxEntries = 256;
}

HypercallResult do_multicall(Domain& caller, const HypercallArgs& args) {
    const uint64_t count = static_cast<uint32_t>(args.arg2);
    for (uint64_t i = 0; i < count && i < kMaxEntries; ++i) {
        const GuestVaddr at(args.arg1 + i * sizeof(abi::MulticallEntry));
        abi::MulticallEntry entry;
        TRY(arch::copy_from_guest(entry, at));
        const HypercallArgs call{entry.args[0], entry.args[1], entry.args[2], entry.args[3], entry.args[4]};
        entry.result = run_nested_hypercall(caller, entry.op, call);
        TRY(arch::copy_to_guest(GuestVaddr(at.raw() + offsetof(abi::MulticallEntry, result)), entry.result));
        if (!caller.is_alive()) break;  // it shut down or crashed part-way
    }
    return uint64_t{0};
}

}  // namespace hv
