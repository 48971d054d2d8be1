// SPDX-License-Identifier: MIT
// The mmu_update / mmuext_op batch protocol (see batch.hpp).
#include "hypercall/batch.hpp"

#include "abi/xen.hpp"
#include "arch/x86_64/guest_access.hpp"

namespace hv {

lib::ErrorOr<Batch> Batch::start(const HypercallArgs& args, uint64_t request_size) {
    Batch batch;
    batch.requests_ = args.arg1;
    batch.request_size_ = request_size;
    uint64_t count = static_cast<uint32_t>(args.arg2);  // Xen: unsigned int count
    batch.done_pointer_ = args.arg3;
    if (count & kPreempted) {
        count &= ~kPreempted;
        if (batch.done_pointer_ != 0) TRY(arch::copy_from_guest(batch.done_, GuestVaddr(batch.done_pointer_)));
    }
    batch.count_ = count;
    return batch;
}

lib::Error Batch::continue_later(const HypercallArgs& args) {
    auto reported = report_done();
    if (reported.is_error()) return reported.error();
    HypercallArgs rest = args;
    rest.arg1 = requests_ + index_ * request_size_;
    rest.arg2 = (count_ - index_) | kPreempted;
    return hv::continue_later(rest);
}

lib::ErrorOr<void> Batch::report_done() {
    if (done_pointer_ == 0) return {};
    return arch::copy_to_guest(GuestVaddr(done_pointer_), done_);
}

lib::ErrorOr<void> check_foreign_domain(const Domain& caller, uint64_t foreign) {
    const auto id = static_cast<abi::DomainId>(foreign);
    if (id == abi::kDomidSelf || id == caller.id.raw()) return {};
    // As Xen: the domain is looked up before any privilege check.
    if (find_domain(DomId(id)) == nullptr) return lib::error(abi::Errno::Srch, "no such domain");
    if (caller.has_role(Role::Control)) return {};
    return lib::error(abi::Errno::Perm, "acting on another domain's memory");
}

}  // namespace hv
