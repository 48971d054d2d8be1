// SPDX-License-Identifier: MIT
// VCPUOP_register_vcpu_info: a vCPU's vcpu_info moves out of shared_info into a frame of
// the guest's own, for good (Xen 4.17: common/domain.c map_vcpu_info).
#pragma once

#include "core/domain.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {

/// vcpu_op(VCPUOP_register_vcpu_info, 0, argument): -ENXIO for an offset out of range or
/// misaligned, -EINVAL for a second registration or a frame that is not the caller's or
/// cannot be Writable, -EFAULT for an unreadable argument; a refusal changes nothing.
HypercallResult register_vcpu_info(Domain& caller, GuestVaddr argument);

}  // namespace hv
