// SPDX-License-Identifier: MIT
// memory_op's reservation sub-ops for a PV guest (Xen's common/memory.c): frames come and
// go one extent at a time, and the return value is how many extents were done. A PV guest
// is not translated, so the frame numbers it sees are machine frames.
#include "abi/memory.hpp"
#include "abi/xen.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "hypercall/hypercall.hpp"
#include "mm/machine_memory.hpp"

namespace hv {
namespace {

/// Reservations here are for the caller itself (a control domain's changes to another
/// domain come with the toolstack).
lib::ErrorOr<abi::MemoryReservation> read_reservation(const Domain& caller, GuestVaddr argument) {
    abi::MemoryReservation reservation;
    TRY(arch::copy_from_guest(reservation, argument));
    if (reservation.domid != abi::kDomidSelf && reservation.domid != caller.id.raw())
        return lib::error(abi::Errno::Perm, "another domain's reservation");
    // XEN-DIFF: only single pages (order 0); Xen lets a domU ask for up to order 9.
    if (reservation.extent_order != 0) return lib::error(abi::Errno::Inval, "only extents of order 0");
    return reservation;
}

GuestVaddr extent(const abi::MemoryReservation& reservation, uint64_t index) {
    return GuestVaddr(reservation.extent_start.p + index * sizeof(abi::FrameNumber));
}

}  // namespace

/// XENMEM_increase_reservation: new frames, their MFNs written to extent_start if given.
/// XENMEM_populate_physmap: the same, but extent_start holds the GFNs to fill, the M2P
/// learns them, and the MFNs are written back.
HypercallResult grow_reservation(Domain& caller, GuestVaddr argument, bool populate) {
    const abi::MemoryReservation reservation = TRY(read_reservation(caller, argument));
    uint64_t done = 0;
    for (; done < reservation.nr_extents; ++done) {
        if (caller.nr_pages >= caller.max_pages) break;  // the reservation ceiling
        abi::FrameNumber gfn = 0;
        if (populate && arch::copy_from_guest(gfn, extent(reservation, done)).is_error()) break;
        auto mfn = allocate_domain_frame(caller.id);
        if (mfn.is_error()) break;
        if (populate) set_m2p(mfn.value(), gfn);
        if (reservation.extent_start.p != 0 &&
            arch::copy_to_guest(extent(reservation, done), mfn.value().raw()).is_error()) {
            (void)release_domain_frame(caller.id, mfn.value());
            break;
        }
        ++caller.nr_pages;
    }
    return done;
}

/// XENMEM_decrease_reservation: give back the frames listed in extent_start.
/// XEN-DIFF: a frame that is still mapped stops the call here; Xen would drop the owner's
/// reference and free the frame when its last mapping goes.
HypercallResult shrink_reservation(Domain& caller, GuestVaddr argument) {
    const abi::MemoryReservation reservation = TRY(read_reservation(caller, argument));
    uint64_t done = 0;
    for (; done < reservation.nr_extents; ++done) {
        abi::FrameNumber mfn = 0;
        if (arch::copy_from_guest(mfn, extent(reservation, done)).is_error()) break;
        // A frame the hypervisor holds (shared_info, the console ring) stays: Xen drops the
        // guest's allocation reference and counts the extent done, and the frame remains the
        // hypervisor's to write. Here nothing is dropped; the guest sees the same answer.
        if (Mfn(mfn) == caller.shared_info_mfn || Mfn(mfn) == caller.console_mfn) continue;
        if (release_domain_frame(caller.id, Mfn(mfn)).is_error()) break;
        --caller.nr_pages;
    }
    return done;
}

}  // namespace hv
