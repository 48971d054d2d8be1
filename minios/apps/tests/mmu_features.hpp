// SPDX-License-Identifier: MIT
// The MMU feature guest's shared pieces: the frames it works on, raw hypercalls, the verdicts.
#pragma once

#include <cstdint>

#include "abi/hypercall.hpp"
#include "abi/memory.hpp"
#include "abi/start_info.hpp"
#include "abi/xen.hpp"
#include "apps/tests/checks.hpp"
#include "lib/format.hpp"
#include "mm/frame.hpp"
#include "mm/layout.hpp"

namespace minios::features {

/// One of the domain's frames, by both its numbers.
struct Frame {
    mm::Pfn pfn;
    mm::Mfn mfn;
    /// Where the start-of-day mapping shows it (writable for data, read-only for tables).
    uint64_t* words() const { return mm::pointer_to<uint64_t>(mm::start_of_day_address(pfn)); }
};

/// 2 MiB of address space that the start-of-day tables leave empty (the fixmap's L2
/// slot): the lab L1 is linked there, so its entries decide what these pages map.
inline constexpr mm::Vaddr kWindow = mm::kFixmapStart;

inline constexpr int kDataFrames = 4;

/// What every check works on, made once at the start.
struct Lab {
    /// A page table of the guest's own: zeroed, mapped read-only at its start-of-day
    /// address, pinned as an L1 and linked into the loaded L2 at kWindow. Every check
    /// leaves its entries 0 again.
    Frame l1;
    /// Plain data frames, mapped writable at their start-of-day addresses only.
    Frame data[kDataFrames];

    /// mmu_update's `ptr` for entry `index` of the lab L1.
    uint64_t entry_address(unsigned index) const { return mm::maddr_of(l1.mfn).raw() + index * sizeof(uint64_t); }
    /// The lab L1's entry as it is now (read through its read-only mapping).
    uint64_t entry(unsigned index) const { return *static_cast<volatile const uint64_t*>(&l1.words()[index]); }
    /// The page entry `index` of the lab L1 maps.
    static mm::Vaddr page_address(unsigned index) { return kWindow + index * mm::kPageSize; }
};

// ---- Page-table entry bits (Intel SDM Vol. 3A 4.5, Table 4-19) -------------------------
inline constexpr uint64_t kPresent = uint64_t{1} << 0;
inline constexpr uint64_t kWritable = uint64_t{1} << 1;
inline constexpr uint64_t kAccessed = uint64_t{1} << 5;
inline constexpr uint64_t kDirty = uint64_t{1} << 6;
inline constexpr uint64_t kFlagsMask = 0xFFF0'0000'0000'0FFF;  // bits 11:0 and 63:52

/// An L1 entry of a kernel page, as the guest writes it (no USER: Xen adds it).
constexpr uint64_t page_entry(const Frame& frame, uint64_t flags) { return (frame.mfn.raw() << 12) | flags; }

// ---- Raw hypercalls: RAX as the hypervisor returned it ---------------------------------
int64_t mmu_update(const abi::MmuUpdate* requests, uint32_t count, uint32_t* done);
int64_t mmuext_op(const abi::MmuextOp* operations, uint32_t count, uint32_t* done);
int64_t memory_op(abi::MemoryOp command, void* argument);
int64_t vm_assist(abi::VmAssistCommand command, abi::VmAssistType type);
int64_t multicall(abi::MulticallEntry* entries, uint32_t count);
/// XENVER_version's answer on both hypervisors: 4.17.
inline constexpr uint64_t kXenVersion417 = 0x40011;
/// A multicall entry that asks for XENVER_version; its result starts as `unset`.
abi::MulticallEntry xen_version_entry(uint64_t unset);
/// One MMUEXT_INVLPG_LOCAL: after changing an entry that was present, as a PV kernel must.
void flush_page(mm::Vaddr va);

// ---- Verdicts ---------------------------------------------------------------------------
extern checks::Tally tally;  ///< "mmu-features: <name>: <result> ok|UNEXPECTED", counted
using checks::result_name;
/// A set-up or clean-up call that must return 0: printed (and counted as unexpected)
/// only when it does not.
bool step(const char* what, int64_t rax);

template <typename... Args>
bool report(const char* name, bool holds, const char* format, const Args&... args) {
    return tally.report(name, holds, format, args...);
}

// ---- The checks, by theme ---------------------------------------------------------------
void check_long_batches(const Lab& lab);                          // mmu_features_batches.cpp
void check_multicalls();                                          // mmu_features_multicall.cpp
void check_preserve_ad(const Lab& lab);                           // mmu_features_batches.cpp
void check_writable_page_tables(const Lab& lab);                  // mmu_features_ptwr.cpp
void check_page_operations(const Lab& lab);                       // mmu_features_pages.cpp
void check_reservations(const abi::StartInfo& info);              // mmu_features_memory.cpp
void check_physmap_queries(const abi::StartInfo& info);           // mmu_features_memory.cpp

}  // namespace minios::features
