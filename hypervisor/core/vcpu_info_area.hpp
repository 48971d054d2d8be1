// SPDX-License-Identifier: MIT
// VCPUOP_register_vcpu_info's argument rules: where in a guest frame a vCPU's vcpu_info may
// move to (Xen 4.17: common/domain.c map_vcpu_info). Pure: no frame is touched.
#pragma once

#include <cstdint>

#include "abi/shared_info.hpp"
#include "abi/vcpu.hpp"
#include "lib/error_or.hpp"

namespace hv {

/// The furthest a VcpuInfo may start in its frame: it must not cross the page end.
inline constexpr uint32_t kMaxVcpuInfoOffset = 4096 - sizeof(abi::VcpuInfo);  // PAGE_SIZE - sizeof(vcpu_info_t)
/// Xen wants the VcpuInfo naturally aligned: alignof(vcpu_info_t), 8 bytes on x86-64.
inline constexpr uint32_t kVcpuInfoAlignment = alignof(abi::VcpuInfo);
static_assert(kMaxVcpuInfoOffset == 4032 && kVcpuInfoAlignment == 8);

/// Check a registration request in Xen 4.17.7's order and with its answers: the offset's
/// range and alignment (-ENXIO), then that the vCPU has not registered before (-EINVAL).
/// Returns the byte offset. Xen 4.17 never looks at `rsvd` (a booted Xen 4.17.7 takes
/// rsvd = 1), so neither does this.
lib::ErrorOr<uint32_t> check_vcpu_info_area(const abi::VcpuRegisterVcpuInfo& request, bool already_registered);

}  // namespace hv
