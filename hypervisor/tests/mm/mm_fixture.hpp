// SPDX-License-Identifier: MIT
// The PV MMU tests' fixture: a frame table over fake machine memory, page-table trees built by hand, and the audit.
#pragma once

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "mm/audit.hpp"
#include "mm/frame_table.hpp"
#include "mm/mmu.hpp"
#include "mm/pte.hpp"
#include "mm/pte_rules.hpp"
#include "tests/fakes/frame_memory.hpp"

namespace mm_test {

using hv::DomId;
using hv::FrameInfo;
using hv::FrameType;
using hv::Mfn;

inline constexpr DomId kGuest{1};
inline constexpr DomId kOtherGuest{2};
/// Machine frames in the table. MFN 0 is the hypervisor's; the rest are handed out in order.
inline constexpr uint64_t kFrameCount = 128;
/// A frame number past the end of the frame table (not RAM).
inline constexpr Mfn kBeyondRam{kFrameCount + 7};
/// Xen's INVALID_MFN: every bit of an entry's frame field (PADDR_MASK >> PAGE_SHIFT).
inline constexpr Mfn kInvalidMfn{(uint64_t{1} << 40) - 1};

/// Flags as a guest writes them (the hypervisor adds USER and friends).
inline constexpr uint64_t kReadOnly = hv::pte::kPresent;
inline constexpr uint64_t kReadWrite = hv::pte::kPresent | hv::pte::kWritable;
/// How an upper-level entry links the table below.
inline constexpr uint64_t kTableLink = kReadWrite;

/// How many tables and mapped frames build_tree makes: one L4 and one L3, then
/// `l2_count` L2s in L3 slots 0.., each with `l1s_per_l2` L1s in slots 0.., each mapping
/// `data_per_l1` fresh data frames in slots 0...
struct TreeShape {
    unsigned l2_count = 1;
    unsigned l1s_per_l2 = 1;
    unsigned data_per_l1 = 1;
    bool writable = true;  ///< data mapped read-write (else read-only)
};

/// The frames of a tree build_tree made, each list in the order validation visits it.
struct Tree {
    Mfn l4{0}, l3{0};
    std::vector<Mfn> l2s, l1s, data;
    std::vector<Mfn> tables() const {
        std::vector<Mfn> all{l4, l3};
        all.insert(all.end(), l2s.begin(), l2s.end());
        all.insert(all.end(), l1s.begin(), l1s.end());
        return all;
    }
};

/// The record a frame has right after FrameTable::assign: the allocation's one reference.
inline bool just_allocated(const FrameInfo& info, DomId owner = kGuest) {
    return info.ref_count == 1 && info.type_count == 0 && info.owner == owner.raw() &&
           info.type == FrameType::None && info.flags == hv::kFrameAllocated && info.linear_count == 0;
}

inline bool same_records(const std::vector<FrameInfo>& a, const std::vector<FrameInfo>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(FrameInfo)) == 0;
}

/// "errno 22: why" for a failed ErrorOr, "" for a success.
template <typename T>
std::string describe_error(const lib::ErrorOr<T>& result) {
    if (!result.is_error()) return "";
    return "errno " + std::to_string(static_cast<int>(result.error_code())) + ": " +
           (result.error().reason ? result.error().reason : "");
}

class StringSink final : public lib::Sink {
public:
    void put(char c) override { text += c; }
    std::string text;
};

class MmFixture {
public:
    MmFixture() { frames.assign(Mfn(0), hv::kDomIdXen); }

    /// The next free frame, assigned to `owner` (one general reference, no type).
    Mfn allocate(DomId owner = kGuest) {
        REQUIRE(next_free_ < kFrameCount);
        const Mfn mfn(next_free_++);
        frames.assign(mfn, owner);
        return mfn;
    }

    uint64_t& entry(Mfn table, unsigned index) { return memory.at(table, index); }
    FrameInfo& info(Mfn mfn) { return frames[mfn]; }
    /// The machine address mmu_update names for entry `index` of `table`.
    static uint64_t entry_address(Mfn table, unsigned index) { return hv::maddr_of(table).raw() + index * 8; }

    /// Build a tree in memory (no validation): see TreeShape.
    Tree build_tree(TreeShape shape = {}) {
        Tree tree;
        tree.l4 = allocate();
        tree.l3 = allocate();
        entry(tree.l4, 0) = hv::pte::make(tree.l3, kTableLink);
        for (unsigned i = 0; i < shape.l2_count; ++i) {
            const Mfn l2 = allocate();
            tree.l2s.push_back(l2);
            entry(tree.l3, i) = hv::pte::make(l2, kTableLink);
            for (unsigned j = 0; j < shape.l1s_per_l2; ++j) {
                const Mfn l1 = allocate();
                tree.l1s.push_back(l1);
                entry(l2, j) = hv::pte::make(l1, kTableLink);
                for (unsigned k = 0; k < shape.data_per_l1; ++k) {
                    const Mfn data = allocate();
                    tree.data.push_back(data);
                    entry(l1, k) = hv::pte::make(data, shape.writable ? kReadWrite : kReadOnly);
                }
            }
        }
        return tree;
    }

    /// Recount everything and compare (mm/audit.hpp); the report lands in audit_report.
    hv::AuditResult audit() {
        StringSink sink;
        std::vector<uint32_t> scratch(2 * kFrameCount);
        const hv::AuditResult result = hv::audit_frames(frames, memory, {base_tables, {}, {}}, scratch, sink);
        audit_report = sink.text;
        return result;
    }

    std::vector<FrameInfo> snapshot() const { return records; }

    fakes::FrameMemory memory{kFrameCount};
    std::vector<FrameInfo> records = std::vector<FrameInfo>(kFrameCount);
    hv::FrameTable frames{records};
    /// What validation writes into L4 slots 256-271: recognisable, and never a guest's.
    std::array<uint64_t, 16> hypervisor_slots = [] {
        std::array<uint64_t, 16> slots{};
        for (uint64_t i = 0; i < slots.size(); ++i) slots[i] = hv::pte::make(Mfn(0xfee00 + i), kReadWrite);
        return slots;
    }();
    hv::Mmu mmu{frames, memory, hypervisor_slots};
    hv::PageTypes& types = mmu.types();
    /// The base pointers "vCPUs" hold (replace_base's `current`), for the audit.
    std::vector<Mfn> base_tables;
    std::string audit_report;

private:
    uint64_t next_free_ = 1;
};

}  // namespace mm_test

/// The audit finds every count equal to the references that exist (run after every operation).
#define CHECK_AUDIT_CLEAN()                                          \
    do {                                                             \
        const hv::AuditResult audit_result_ = audit();               \
        CHECK_MESSAGE(audit_result_.problems == 0, audit_report);    \
        CHECK(audit_result_.frames_checked > 0);                     \
    } while (0)

/// The audit finds exactly `n` problems: the references a test holds by hand, which no
/// entry, pin or base pointer accounts for.
#define CHECK_AUDIT_PROBLEMS(n)                                      \
    do {                                                             \
        const hv::AuditResult audit_result_ = audit();               \
        CHECK_MESSAGE(audit_result_.problems == (n), audit_report);  \
    } while (0)

/// An ErrorOr that failed with this errno.
#define CHECK_ERRNO(expression, expected_code)                       \
    do {                                                             \
        const auto errno_result_ = (expression);                     \
        REQUIRE(errno_result_.is_error());                           \
        CHECK(errno_result_.error_code() == (expected_code));        \
    } while (0)

/// An ErrorOr that succeeded (else the failure's errno and reason are reported).
#define CHECK_OK(expression)                                                                        \
    do {                                                                                            \
        const auto ok_result_ = (expression);                                                       \
        CHECK_MESSAGE(!ok_result_.is_error(), ::mm_test::describe_error(ok_result_));               \
    } while (0)
