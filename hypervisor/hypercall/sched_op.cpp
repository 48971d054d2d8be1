// SPDX-License-Identifier: MIT
// sched_op (hypercall 29): yield, block, poll (timers.cpp) and shutdown.
#include "abi/sched.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "core/scheduler.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {

HypercallResult sched_block(Domain& caller);                      // timers.cpp
HypercallResult sched_poll(Domain& caller, GuestVaddr argument);  // timers.cpp

HypercallResult do_sched_op(Domain& caller, const HypercallArgs& args) {
    const auto command = static_cast<abi::SchedOp>(static_cast<uint32_t>(args.arg1));
    switch (command) {
    case abi::SchedOp::Yield:
        request_reschedule();
        return uint64_t{0};
    case abi::SchedOp::Block:
        return sched_block(caller);
    case abi::SchedOp::Poll:
        return sched_poll(caller, GuestVaddr(args.arg2));
    case abi::SchedOp::Shutdown: {
        abi::SchedShutdown request;
        TRY(arch::copy_from_guest(request, GuestVaddr(args.arg2)));
        // Xen accepts any reason value (domain_shutdown takes it as a u8); the ones
        // outside SHUTDOWN_* end the domain as "unknown".
        shutdown_domain(caller, static_cast<abi::ShutdownReason>(request.reason & 0xff));
        return uint64_t{0};
    }
    default:
        return lib::error(abi::Errno::NoSys, "sched_op sub-op not implemented");
    }
}

}  // namespace hv
