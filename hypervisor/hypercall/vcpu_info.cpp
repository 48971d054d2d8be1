// SPDX-License-Identifier: MIT
// VCPUOP_register_vcpu_info (see vcpu_info.hpp). Xen: common/domain.c do_vcpu_op and map_vcpu_info.
#include "hypercall/vcpu_info.hpp"

#include "abi/vcpu.hpp"
#include "arch/x86_64/deliver.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "arch/x86_64/paging.hpp"
#include "core/clock.hpp"
#include "core/vcpu_info_area.hpp"
#include "mm/machine_memory.hpp"

namespace hv {

HypercallResult register_vcpu_info(Domain& caller, GuestVaddr argument) {
    abi::VcpuRegisterVcpuInfo request;
    TRY(arch::copy_from_guest(request, argument));
    PvState& pv = caller.vcpu.pv;
    const uint32_t offset = TRY(check_vcpu_info_area(request, pv.vcpu_info_mfn.raw() != 0));
    // Xen's get_page_from_gfn then get_page_type(PGT_writable_page): a frame that is not
    // the caller's, or that is a page table or a descriptor page, is -EINVAL either way.
    const Mfn mfn(request.mfn);
    if (mmu().types().get_page_and_type(mfn, FrameType::Writable, caller.id).is_error())
        return lib::error(abi::Errno::Inval, "register_vcpu_info: not a frame of the caller's that may be writable");

    // From here nothing fails. The references stay for good (Xen drops them only when the
    // domain dies): the guest can no longer make this frame a page table or give it back.
    abi::VcpuInfo& previous = arch::vcpu_info(caller);
    auto& moved = *reinterpret_cast<abi::VcpuInfo*>(arch::frame_to_virt<uint8_t>(mfn) + offset);
    __builtin_memcpy(&moved, &previous, sizeof moved);
    pv.vcpu_info_mfn = mfn;
    pv.vcpu_info_offset = offset;
    caller.events.set_vcpu_info(VcpuId(0), moved);
    // Every selector bit pending, then the upcall: the guest rescans all of shared_info's
    // pending words, so an event raised into the old place is not lost (a spurious upcall
    // at worst). x86 keeps stores in order, so the guest sees the bits before the upcall.
    __atomic_store_n(&moved.evtchn_pending_sel, ~uint64_t{0}, __ATOMIC_SEQ_CST);
    __atomic_store_n(&moved.evtchn_upcall_pending, uint8_t{1}, __ATOMIC_SEQ_CST);
    publish_domain_time(caller);  // Xen's force_update_vcpu_system_time
    return uint64_t{0};
}

}  // namespace hv
