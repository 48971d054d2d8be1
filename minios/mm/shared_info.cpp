// SPDX-License-Identifier: MIT
// shared_info is not in the start-of-day mapping: start_info gives only its machine
// address, and the guest maps it itself (XEN-PV-ABI.md 2.2). The frame belongs to Xen
// but is shared writable with the domain, so a writable mapping is allowed.
#include "mm/shared_info.hpp"

#include "mm/layout.hpp"
#include "mm/mmu.hpp"
#include "mm/pte.hpp"

namespace minios::mm {

lib::ErrorOr<const abi::SharedInfo*> map_shared_info(const abi::StartInfo& info) {
    // BEGIN LAB memory: map shared_info with update_va_mapping
    const Mfn frame = mfn_of(Maddr(info.shared_info));
    const uint64_t entry =
        pte::Frame::make(frame.raw()) | pte::kPresent | pte::kWritable | pte::kAccessed | pte::kDirty;
    TRY(set_mapping(kSharedInfoAddress, entry));
    return pointer_to<const abi::SharedInfo>(kSharedInfoAddress);
    // END LAB
}

}  // namespace minios::mm
