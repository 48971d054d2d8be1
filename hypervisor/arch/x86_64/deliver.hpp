// SPDX-License-Identifier: MIT
// Delivering exceptions, events, syscalls and failsafe callbacks to a PV guest's own handlers.
#pragma once

#include <cstdint>

#include "abi/shared_info.hpp"
#include "arch/x86_64/frame.hpp"
#include "core/bounce_frame.hpp"
#include "core/domain.hpp"

namespace arch {

/// The current vCPU's vcpu_info: in its domain's shared_info page, or where the guest moved
/// it with VCPUOP_register_vcpu_info.
abi::VcpuInfo& vcpu_info(hv::Domain& domain);

/// Write a bounce frame on the guest's kernel stack and point `regs` at the handler.
/// A bad stack or a handler address of 0 crashes the domain (as on Xen); returns false then.
bool bounce_to_guest(hv::Domain& domain, CpuUserRegs& regs, const hv::Bounce& bounce, const char* what);

/// Deliver exception `vector` through the guest's trap table. For #PF, CR2 goes to
/// vcpu_info.arch.cr2 and the error code's U bit says whether the guest was in user mode.
void deliver_exception(hv::Domain& domain, CpuUserRegs& regs, uint32_t vector, bool has_error_code,
                       uint32_t error_code, uint64_t cr2);

/// The failsafe callback: the hypervisor could not reload the guest's data segments as
/// it switched to it (segments.hpp), and loaded null instead of the refused ones. The
/// frame carries the selectors it tried (XEN-PV-ABI.md 4.2); events are masked only if the
/// callback was registered with CALLBACKF_mask_events. A bad stack crashes the domain.
void deliver_failsafe(hv::Domain& domain, CpuUserRegs& regs, const hv::DataSegments& selectors);

/// Just before any return to the guest: an event upcall if one is pending and the guest
/// has events unmasked (Xen's test_guest_events).
void deliver_pending_events(hv::Domain& domain, CpuUserRegs& regs);

}  // namespace arch
