// SPDX-License-Identifier: MIT
// The MMU attack guest's shared pieces: raw MMU hypercalls, a read-only view of its own page tables, the verdicts.
#pragma once

#include <cstdint>

#include "abi/start_info.hpp"
#include "abi/xen.hpp"

namespace minios::attacks {

// ---- Page-table entry bits (Intel SDM Vol. 3A, 4.5, Tables 4-15 to 4-20) --------------
inline constexpr uint64_t kPresent = uint64_t{1} << 0;
inline constexpr uint64_t kWritable = uint64_t{1} << 1;
inline constexpr uint64_t kUser = uint64_t{1} << 2;
inline constexpr uint64_t kCacheDisable = uint64_t{1} << 4;  // PCD
inline constexpr uint64_t kAccessed = uint64_t{1} << 5;
inline constexpr uint64_t kDirty = uint64_t{1} << 6;
inline constexpr uint64_t kPageSize = uint64_t{1} << 7;  // PSE: a 2 MiB (L2) or 1 GiB (L3) page
inline constexpr uint64_t kGlobal = uint64_t{1} << 8;
/// Bit 62, with which a debug build of Xen marks grant mappings (_PAGE_GNTTAB).
inline constexpr uint64_t kGrantMapping = uint64_t{1} << 62;
/// Bits 12-51: the frame an entry points at.
inline constexpr uint64_t kFrameMask = 0x000F'FFFF'FFFF'F000;

/// What a page-table entry pointing at `mfn` with `flags` looks like.
constexpr uint64_t entry_for(uint64_t mfn, uint64_t flags) { return (mfn << 12) | flags; }
/// The frame an entry points at.
constexpr uint64_t frame_of(uint64_t entry) { return (entry & kFrameMask) >> 12; }
/// The machine address of entry `index` of the table in frame `mfn`: mmu_update's ptr.
constexpr uint64_t entry_address(uint64_t mfn, uint64_t index) { return (mfn << 12) | (index * 8); }

// ---- Errors as the guest sees them (XEN-PV-ABI.md section 10) -------------------------
inline constexpr int64_t kOk = 0;
inline constexpr int64_t kPerm = -1;         // -EPERM
inline constexpr int64_t kSrch = -3;         // -ESRCH
inline constexpr int64_t kBusy = -16;        // -EBUSY
inline constexpr int64_t kInval = -22;       // -EINVAL
inline constexpr int64_t kNoSys = -38;       // -ENOSYS
inline constexpr int64_t kOpNotSupp = -95;   // -EOPNOTSUPP

/// A domain ID no domain has: Xen answers -ESRCH (get_pg_owner).
inline constexpr abi::DomainId kNoSuchDomain = 0x7FEF;

// ---- Raw MMU hypercalls, on this domain's own tables unless a domain is named ---------
int64_t mmu_update(const abi::MmuUpdate* requests, uint32_t count, uint32_t* done,
                   abi::DomainId domain = abi::kDomidSelf);
/// One MMU_NORMAL_PT_UPDATE (or another command, when `ptr` carries it in its low bits).
int64_t mmu_update_one(uint64_t ptr, uint64_t value, abi::DomainId domain = abi::kDomidSelf);
/// One mmuext_op on this domain.
int64_t mmuext(abi::MmuextCommand command, uint64_t argument1, uint64_t argument2 = 0);
int64_t update_va_mapping(uint64_t va, uint64_t entry, uint64_t flags);
int64_t update_va_mapping_otherdomain(uint64_t va, uint64_t entry, uint64_t flags, abi::DomainId domain);
/// Flush this vCPU's TLB after changing entries of the tables in use.
void flush_tlb();

// ---- This domain's memory, as start_info describes it ----------------------------------
uint64_t mfn_of_pfn(uint64_t pfn);
/// Read-only view of a page-table frame of the start-of-day region (mapped at pfn * 4096).
const uint64_t* table_of(uint64_t mfn);

/// A page of this image whose L1 entry the attacks aim at; restored after every success.
struct Window {
    uint64_t va;
    uint64_t l1_mfn;       ///< the L1 table holding its entry
    uint64_t index;        ///< which entry of that L1
    uint64_t original;     ///< the entry as the hypervisor stored it at the start
    uint64_t own_mfn;      ///< the frame it maps at the start (writable)
    uint64_t entry_address() const { return attacks::entry_address(l1_mfn, index); }
    uint64_t current() const { return table_of(l1_mfn)[index]; }
};

inline constexpr int kWindows = 3;

/// Scratch frames (MFNs): the domain's last pages, beyond the start-of-day mapping, so
/// no entry maps them and they can take any type.
struct ScratchFrames {
    uint64_t garbage;   ///< every entry present but with disallowed bits: no table at all
    uint64_t bad_l1;    ///< an L1 whose first entry maps the L4 in use writable
    uint64_t data_a;    ///< plain data, mapped read-only by some attacks
    uint64_t data_b;    ///< plain data, mapped read-only by some attacks
    uint64_t uncached;  ///< plain data, mapped with PCD by one attack
};
inline constexpr int kScratchFrames = sizeof(ScratchFrames) / sizeof(uint64_t);

/// Everything an attack needs to know, found once at the start.
struct Target {
    bool has_io_capabilities;     ///< dom0 on Xen: PWT/PCD/PAT allowed in its L1 entries
    uint64_t l4, l3, l2, l1;      ///< the tables that map virtual address 0 (MFNs)
    uint64_t free_l4_slot, free_l3_slot, free_l2_slot;  ///< empty entries of those tables
    Window windows[kWindows];
    uint64_t hypervisor_mfn;      ///< a frame of the hypervisor's own: its L3 behind L4 slot 261
    uint64_t m2p_mfn;             ///< the first frame of the M2P table (owned by DOMID_XEN); 0 if unknown
    uint64_t shared_info_mfn;     ///< start_info.shared_info's frame: the hypervisor writes into it
    ScratchFrames scratch;
    bool scratch_ready;           ///< scratch.garbage and scratch.bad_l1 hold what the attacks expect
};

/// Find the tables, windows and frames above. False (after saying why) if the layout is
/// not the expected one, in which case no attack can be aimed.
bool find_target(const abi::StartInfo& info, Target& target);
/// Clear the scratch frames and write the hostile contents the attacks use.
void prepare_scratch(Target& target);

// ---- Verdicts --------------------------------------------------------------------------
/// Print "attack NN name: operation -> result (expected E) ok|UNEXPECTED" and count it.
bool expect_result(const char* name, const char* operation, int64_t result, int64_t expected);
/// An attack that could not be aimed (its set-up failed): counted as unexpected.
void skip_attack(const char* name, const char* why);
/// A fact that must hold after an attack: "  check what: ok|UNEXPECTED".
bool check(const char* what, bool holds);
/// A set-up or clean-up step that must succeed: printed only when it does not.
bool expect_step(const char* what, int64_t result);

// ---- The attacks, by theme -------------------------------------------------------------
void attack_l1_entries(const Target& target);          // mmu_attacks_entries.cpp
void attack_upper_entries(const Target& target);       // mmu_attacks_entries.cpp
void attack_mmu_update_requests(const Target& target); // mmu_attacks_requests.cpp
void attack_extended_ops(const Target& target);        // mmu_attacks_extended.cpp
void attack_va_mappings(const Target& target);         // mmu_attacks_extended.cpp

}  // namespace minios::attacks
