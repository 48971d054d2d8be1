// SPDX-License-Identifier: MIT
// Time and scheduling hypercalls: set_timer_op (15), vcpu_op (24) timers, runstate and
// vcpu_info, and sched_op's block (1) and poll (3). Xen: common/sched/core.c, domain.c.
#include "abi/sched.hpp"
#include "abi/vcpu.hpp"
#include "arch/x86_64/deliver.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "arch/x86_64/paging.hpp"
#include "core/clock.hpp"
#include "core/scheduler.hpp"
#include "event/two_level.hpp"
#include "hypercall/hypercall.hpp"
#include "hypercall/vcpu_info.hpp"

namespace hv {
namespace {

constexpr uint64_t kMaxPollPorts = 128;  // Xen: nr_ports > 128 is -EINVAL

HypercallResult arm_single_shot(Domain& caller, const TimerRequest& request) {
    if (request.action == TimerRequest::Action::Cancel) {
        cancel_domain_timer(caller, TimerKind::SingleShot);
        return uint64_t{0};
    }
    TRY(arm_domain_timer(caller, TimerKind::SingleShot, request.deadline_ns));
    return uint64_t{0};
}

HypercallResult vcpu_runstate(Domain& caller, GuestVaddr argument) {
    abi::VcpuRunstateInfo info{};
    const uint64_t now = now_ns();
    info.state = static_cast<int32_t>(abi::Runstate::Running);  // it is asking, so it runs
    info.state_entry_time = caller.vcpu.state_since_ns;
    info.time[static_cast<int>(abi::Runstate::Running)] = caller.vcpu.ran_ns + (now - caller.vcpu.state_since_ns);
    TRY(arch::copy_to_guest(argument, info));
    return uint64_t{0};
}

HypercallResult vcpu_timer(Domain& caller, abi::VcpuOp op, GuestVaddr argument) {
    switch (op) {
    case abi::VcpuOp::SetPeriodicTimer: {
        abi::VcpuSetPeriodicTimer request;
        TRY(arch::copy_from_guest(request, argument));
        // Xen 4.17: a period under 1 ms, or an absurd one, is -EINVAL.
        set_periodic_timer(caller, TRY(check_timer_period(request.period_ns)));
        return uint64_t{0};
    }
    case abi::VcpuOp::StopPeriodicTimer:
        set_periodic_timer(caller, 0);
        return uint64_t{0};
    case abi::VcpuOp::SetSingleshotTimer: {
        abi::VcpuSetSingleshotTimer request;
        TRY(arch::copy_from_guest(request, argument));
        // Xen 4.17.7 ignores VCPU_SSHOTTMR_future: a past timeout is due at once.
        return arm_single_shot(caller, interpret_singleshot_timer(request.timeout_abs_ns, now_ns()));
    }
    default:  // StopSingleshotTimer
        cancel_domain_timer(caller, TimerKind::SingleShot);
        return uint64_t{0};
    }
}

}  // namespace

HypercallResult do_set_timer_op(Domain& caller, const HypercallArgs& args) {
    return arm_single_shot(caller, interpret_set_timer_op(args.arg1, now_ns()));
}

HypercallResult do_vcpu_op(Domain& caller, const HypercallArgs& args) {
    const auto op = static_cast<abi::VcpuOp>(static_cast<uint32_t>(args.arg1));
    const GuestVaddr argument(args.arg3);
    if (static_cast<uint32_t>(args.arg2) != 0) return lib::error(abi::Errno::NoEnt, "no such vCPU (one per domain)");
    switch (op) {
    case abi::VcpuOp::IsUp: return uint64_t{1};
    case abi::VcpuOp::GetRunstateInfo: return vcpu_runstate(caller, argument);
    case abi::VcpuOp::SetPeriodicTimer:
    case abi::VcpuOp::StopPeriodicTimer:
    case abi::VcpuOp::SetSingleshotTimer:
    case abi::VcpuOp::StopSingleshotTimer:
        return vcpu_timer(caller, op, argument);
    case abi::VcpuOp::RegisterVcpuInfo: return register_vcpu_info(caller, argument);
    case abi::VcpuOp::Up:
    case abi::VcpuOp::Down:
    case abi::VcpuOp::Initialise:
        return lib::error(abi::Errno::Inval, "vCPU 0 is always up");
    default:
        return lib::error(abi::Errno::NoSys, "vcpu_op not implemented");
    }
}

/// SCHEDOP_block: events on, and wait unless one is already pending (Xen's
/// vcpu_block_enable_events).
HypercallResult sched_block(Domain& caller) {
    abi::VcpuInfo& info = arch::vcpu_info(caller);
    info.evtchn_upcall_mask = 0;
    if (info.evtchn_upcall_pending == 0) block_current(caller);
    return uint64_t{0};
}

/// SCHEDOP_poll: wait until one of the listed ports is pending, or the timeout.
HypercallResult sched_poll(Domain& caller, GuestVaddr argument) {
    abi::SchedPoll poll;
    TRY(arch::copy_from_guest(poll, argument));
    if (poll.nr_ports > kMaxPollPorts) return lib::error(abi::Errno::Inval, "more than 128 ports to poll");
    const abi::SharedInfo& shared = *arch::frame_to_virt<abi::SharedInfo>(caller.shared_info_mfn);
    for (uint32_t i = 0; i < poll.nr_ports; ++i) {
        abi::EventChannelPort port;
        TRY(arch::copy_from_guest(port, GuestVaddr(poll.ports.p + i * sizeof port)));
        if (!caller.events.is_valid(Port(port))) return lib::error(abi::Errno::Inval, "bad port to poll");
        if (event::is_pending(shared, Port(port))) return uint64_t{0};
    }
    if (poll.timeout != 0) TRY(arm_domain_timer(caller, TimerKind::PollTimeout, poll.timeout));
    caller.vcpu.polling = true;
    block_current(caller);  // any event wakes it, masked or not; the guest looks again
    return uint64_t{0};
}

}  // namespace hv
