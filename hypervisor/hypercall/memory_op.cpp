// SPDX-License-Identifier: MIT
// memory_op (hypercall 12): the sub-ops that describe memory; the reservation sub-ops,
// which change it, are in memory_reservation.cpp.
#include "abi/layout.hpp"
#include "abi/memory.hpp"
#include "abi/xen.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "hypercall/hypercall.hpp"
#include "mm/machine_memory.hpp"

namespace hv {
namespace {

// Bits 0-5 of the command are the sub-op; the rest carry a continuation's progress
// (MEMOP_EXTENT_SHIFT in public/memory.h).
constexpr uint64_t kMemopCommandMask = (1 << 6) - 1;

/// The domain a reservation query names: DOMID_SELF or the caller's own ID are always
/// allowed; another domain's needs the control role (XSM's default policy).
lib::ErrorOr<Domain*> queried_domain(Domain& caller, GuestVaddr argument) {
    abi::DomainId id;
    TRY(arch::copy_from_guest(id, argument));
    if (id == abi::kDomidSelf || id == caller.id.raw()) return &caller;
    Domain* other = find_domain(DomId(id));
    if (other == nullptr) return lib::error(abi::Errno::Srch, "no such domain");
    if (!caller.has_role(Role::Control)) return lib::error(abi::Errno::Perm, "another domain's reservation");
    return other;
}

HypercallResult machphys_mapping(GuestVaddr argument) {
    abi::MachphysMapping mapping{abi::kMachToPhysVirtStart, abi::kMachToPhysVirtEnd, abi::kMachToPhysNrEntries - 1};
    TRY(arch::copy_to_guest(argument, mapping));
    return uint64_t{0};
}

/// The pseudo-physical memory map: one RAM entry covering the domain, as Xen's
/// toolstack sets it for a PV guest.
HypercallResult memory_map(const Domain& caller, GuestVaddr argument) {
    abi::MemoryMap map;
    TRY(arch::copy_from_guest(map, argument));
    const abi::E820Entry ram{0, caller.max_pages * 4096, static_cast<uint32_t>(abi::E820Type::Ram)};
    uint32_t written = map.nr_entries < 1 ? map.nr_entries : 1;
    if (written == 1) TRY(arch::copy_to_guest(GuestVaddr(map.buffer.p), &ram, sizeof ram));
    map.nr_entries = written;
    TRY(arch::copy_to_guest(argument, map));
    return uint64_t{0};
}

/// XENMEM_machphys_mfn_list: where the M2P lives, one MFN per 2 MiB of it.
HypercallResult machphys_mfn_list(GuestVaddr argument) {
    abi::MachphysMfnList list;
    TRY(arch::copy_from_guest(list, argument));
    uint32_t written = 0;
    for (; written < list.max_extents && written < m2p_chunk_count(); ++written) {
        const abi::FrameNumber mfn = m2p_chunk_mfn(written);
        TRY(arch::copy_to_guest(GuestVaddr(list.extent_start.p + written * sizeof mfn), mfn));
    }
    list.nr_extents = written;
    TRY(arch::copy_to_guest(argument, list));
    return uint64_t{0};
}

}  // namespace

HypercallResult grow_reservation(Domain& caller, GuestVaddr argument, bool populate);  // memory_reservation.cpp
HypercallResult shrink_reservation(Domain& caller, GuestVaddr argument);

HypercallResult do_memory_op(Domain& caller, const HypercallArgs& args) {
    const auto command = static_cast<abi::MemoryOp>(args.arg1 & kMemopCommandMask);
    const GuestVaddr argument(args.arg2);
    switch (command) {
    case abi::MemoryOp::MaximumRamPage:
        return machine_frame_count();
    case abi::MemoryOp::CurrentReservation:
        return TRY(queried_domain(caller, argument))->nr_pages;
    case abi::MemoryOp::MaximumReservation:
        return TRY(queried_domain(caller, argument))->max_pages;
    case abi::MemoryOp::MachphysMapping:
        return machphys_mapping(argument);
    case abi::MemoryOp::MemoryMap:
        return memory_map(caller, argument);
    case abi::MemoryOp::IncreaseReservation:
        return grow_reservation(caller, argument, false);
    case abi::MemoryOp::PopulatePhysmap:
        return grow_reservation(caller, argument, true);
    case abi::MemoryOp::DecreaseReservation:
        return shrink_reservation(caller, argument);
    case abi::MemoryOp::MachphysMfnList:
        return machphys_mfn_list(argument);
    case abi::MemoryOp::AddToPhysmap:
        // Only translated (HVM) guests have a physmap to add to; a PV guest maps
        // shared_info by machine address (start_info.shared_info).
        return lib::error(abi::Errno::Acces, "add_to_physmap is for translated guests");
    default:
        return lib::error(abi::Errno::NoSys, "memory_op sub-op not implemented");
    }
}

}  // namespace hv
