// SPDX-License-Identifier: MIT
// VCPUOP_register_vcpu_info's argument rules (see vcpu_info_area.hpp).
#include "core/vcpu_info_area.hpp"

namespace hv {

lib::ErrorOr<uint32_t> check_vcpu_info_area(const abi::VcpuRegisterVcpuInfo& request, bool already_registered) {
    if (request.offset > kMaxVcpuInfoOffset)
        return lib::error(abi::Errno::NxIo, "register_vcpu_info: the vcpu_info would cross the page end");
    if (request.offset % kVcpuInfoAlignment != 0)
        return lib::error(abi::Errno::NxIo, "register_vcpu_info: the offset is not 8-byte aligned");
    // Xen 4.17 moves a vcpu_info once; it never goes back to shared_info.
    if (already_registered) return lib::error(abi::Errno::Inval, "register_vcpu_info: already registered");
    return request.offset;
}

}  // namespace hv
