// SPDX-License-Identifier: MIT
// memory_op as a PV guest sees it: frames given back and taken again, populate_physmap,
// machphys_mfn_list, add_to_physmap.
//
// Xen's common/memory.c: the reservation sub-ops return how many extents they did;
// a PV guest is not translated, so increase_reservation hands out MFNs whose M2P entries
// stay invalid until the guest sets them (MMU_MACHPHYS_UPDATE), and populate_physmap
// takes the GFNs to fill, sets their M2P entries itself and writes the MFNs back. A
// domain never grows beyond its maximum reservation; minios starts at it on both
// hypervisors here, so it gives frames back before it asks for new ones.
//
// The frames given back are the domain's last ones: beyond the start-of-day mapping, so
// nothing maps them (Xenolith refuses to take back a mapped frame, a difference from
// Xen that these checks stay clear of).
#include "abi/layout.hpp"
#include "apps/tests/mmu_features.hpp"
#include "kernel/console.hpp"
#include "mm/p2m.hpp"
#include "mm/page_walk.hpp"

namespace minios::features {
namespace {

constexpr unsigned kGivenBack = 4;
constexpr unsigned kPopulated = 2;
/// An M2P or p2m entry that names no frame (Xen's INVALID_M2P_ENTRY, INVALID_P2M_ENTRY).
constexpr uint64_t kInvalidEntry = ~uint64_t{0};

const volatile uint64_t* const m2p = reinterpret_cast<const volatile uint64_t*>(abi::kMachToPhysVirtStart);

/// The domain's own p2m list, which only the guest keeps up to date.
uint64_t* p2m_of(const abi::StartInfo& info) { return reinterpret_cast<uint64_t*>(info.mfn_list); }

int64_t reservation(abi::MemoryOp query) {
    abi::DomainId self = abi::kDomidSelf;
    return memory_op(query, &self);
}

/// increase_reservation, decrease_reservation or populate_physmap of single pages.
int64_t change_reservation(abi::MemoryOp command, uint64_t* extents, unsigned count) {
    abi::MemoryReservation request{};
    request.extent_start.p = reinterpret_cast<uint64_t>(extents);
    request.nr_extents = count;
    request.domid = abi::kDomidSelf;
    return memory_op(command, &request);
}

bool all_m2p_entries_are(const uint64_t* mfns, unsigned count, uint64_t first_value, uint64_t step_value) {
    for (unsigned i = 0; i < count; ++i)
        if (m2p[mfns[i]] != first_value + i * step_value) return false;
    return true;
}

/// Give back the frames behind pfns [first, first + count); their p2m entries become invalid.
int64_t give_back(const abi::StartInfo& info, uint64_t first, unsigned count, uint64_t* mfns) {
    for (unsigned i = 0; i < count; ++i) mfns[i] = p2m_of(info)[first + i];
    const int64_t result = change_reservation(abi::MemoryOp::DecreaseReservation, mfns, count);
    for (int64_t i = 0; i < result; ++i) p2m_of(info)[first + i] = kInvalidEntry;
    return result;
}

/// Whether no start-of-day table maps pfn.
bool unmapped(mm::Pfn pfn) {
    auto entry = mm::read_current_entry(mm::start_of_day_address(pfn), 1);
    return entry.is_error() || (entry.value() & kPresent) == 0;
}

void give_back_and_take_again(const abi::StartInfo& info, uint64_t first, int64_t start) {
    uint64_t mfns[kGivenBack];
    int64_t result = give_back(info, first, kGivenBack, mfns);
    int64_t now = reservation(abi::MemoryOp::CurrentReservation);
    bool invalid = all_m2p_entries_are(mfns, kGivenBack, kInvalidEntry, 0);
    report("decrease-reservation-4-frames", result == kGivenBack && now == start - kGivenBack && invalid,
           "returned {}, reservation {}, their M2P entries invalid: {}", result, now - start, invalid);

    uint64_t fresh[kGivenBack] = {};
    result = change_reservation(abi::MemoryOp::IncreaseReservation, fresh, kGivenBack);
    now = reservation(abi::MemoryOp::CurrentReservation);
    const unsigned got = result > 0 ? static_cast<unsigned>(result) : 0;
    invalid = all_m2p_entries_are(fresh, got, kInvalidEntry, 0);
    report("increase-reservation-4-frames", result == kGivenBack && now == start && invalid,
           "returned {}, reservation {}, M2P entries of the new frames invalid until set: {}", result, now - start,
           invalid);

    abi::MmuUpdate requests[kGivenBack];
    for (unsigned i = 0; i < got; ++i) {
        const uint64_t command = static_cast<uint64_t>(abi::MmuUpdateCommand::MachphysUpdate);
        requests[i] = {mm::maddr_of(mm::Mfn(fresh[i])).raw() | command, first + i};
        p2m_of(info)[first + i] = fresh[i];
    }
    result = got > 0 ? mmu_update(requests, got, nullptr) : -22;
    const bool mapped = all_m2p_entries_are(fresh, got, first, 1);
    report("machphys-update-of-the-new-frames", result == 0 && mapped, "rc {}, the M2P maps them to their pfns: {}",
           result_name(result).text, mapped);
}

void grow_beyond_the_maximum(int64_t start) {
    uint64_t extra = 0;
    const int64_t result = change_reservation(abi::MemoryOp::IncreaseReservation, &extra, 1);
    const int64_t now = reservation(abi::MemoryOp::CurrentReservation);
    report("increase-reservation-beyond-the-maximum", result == 0 && now == start, "returned {}, reservation {}",
           result, now - start);
    if (result == 1) change_reservation(abi::MemoryOp::DecreaseReservation, &extra, 1);
}

/// Give two frames back, then have populate_physmap fill their pfns again.
void populate(const abi::StartInfo& info, uint64_t first, int64_t start) {
    uint64_t extents[kPopulated];
    const int64_t given = give_back(info, first, kPopulated, extents);
    for (unsigned i = 0; i < kPopulated; ++i) extents[i] = first + i;
    const int64_t result = change_reservation(abi::MemoryOp::PopulatePhysmap, extents, kPopulated);
    const unsigned got = result > 0 ? static_cast<unsigned>(result) : 0;
    for (unsigned i = 0; i < got; ++i) p2m_of(info)[first + i] = extents[i];
    const bool mapped = got == kPopulated && all_m2p_entries_are(extents, got, first, 1);
    const int64_t now = reservation(abi::MemoryOp::CurrentReservation);
    report("populate-physmap-2-gfns", given == kPopulated && result == kPopulated && mapped && now == start,
           "gave back {}, populate returned {}, the M2P maps the new frames to those gfns: {}, reservation {}", given,
           result, mapped, now - start);
}

}  // namespace

void check_reservations(const abi::StartInfo& info) {
    const uint64_t first = info.nr_pages - kGivenBack - kPopulated;
    if (!unmapped(mm::Pfn(first))) {
        report("reservation-checks", false, "not run: pfn {:#x} is mapped", first);
        return;
    }
    const int64_t start = reservation(abi::MemoryOp::CurrentReservation);
    const int64_t maximum = reservation(abi::MemoryOp::MaximumReservation);
    printk("mmu-features: reservation: current {}, maximum {}, nr_pages {}\n", start, maximum, info.nr_pages);
    report("reservation-at-its-maximum", start == maximum && start == static_cast<int64_t>(info.nr_pages),
           "current = maximum = nr_pages: {}", start == maximum && start == static_cast<int64_t>(info.nr_pages));
    give_back_and_take_again(info, first + kPopulated, start);
    grow_beyond_the_maximum(start);
    populate(info, first, start);
}

void check_physmap_queries(const abi::StartInfo& info) {
    uint64_t chunks[8] = {};
    abi::MachphysMfnList list{};
    list.max_extents = 8;
    list.extent_start.p = reinterpret_cast<uint64_t>(chunks);
    int64_t result = memory_op(abi::MemoryOp::MachphysMfnList, &list);
    const bool ours = !mm::pfn_of(mm::Mfn(chunks[0])).is_error();
    report("machphys-mfn-list", result == 0 && list.nr_extents >= 1 && chunks[0] != 0 && !ours,
           "rc {}, {} extents, the first frame is the domain's: {}", result_name(result).text, list.nr_extents, ours);

    abi::AddToPhysmap request{};
    request.domid = abi::kDomidSelf;
    request.space = static_cast<uint32_t>(abi::MapSpace::SharedInfo);
    request.gpfn = info.nr_pages;  // beyond the domain's frames: where a translated guest might put it
    result = memory_op(abi::MemoryOp::AddToPhysmap, &request);
    report("add-to-physmap-shared-info", result == -13, "rc {}", result_name(result).text);
}

}  // namespace minios::features
