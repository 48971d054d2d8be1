// SPDX-License-Identifier: MIT
// Tests of the per-level PTE flag rules and of how Xen rewrites entries (XEN-PV-ABI.md 3.3).
#include <doctest/doctest.h>

#include <cstdint>

#include "mm/pte.hpp"
#include "mm/pte_rules.hpp"
#include "tests/mm/mm_fixture.hpp"

using hv::Mfn;
using hv::pte_rules::adjust;
using hv::pte_rules::check_flags;
using hv::pte_rules::kGuestKernel;
namespace pte = hv::pte;

namespace {

constexpr uint64_t kPwt = pte::WriteThrough::kMask;
constexpr uint64_t kPcd = pte::CacheDisable::kMask;
constexpr uint64_t kPse = pte::kPageSizeFlag;               // PAT at L1
constexpr uint64_t kAvailableLow = uint64_t{7} << 9;        // bits 9-11
constexpr uint64_t kAvailableHigh = uint64_t{0x3ff} << 52;  // bits 52-61
constexpr uint64_t kBit62 = uint64_t{1} << 62;              // Xen's _PAGE_GNTTAB (debug builds only)
/// A present, writable entry naming a real-looking frame.
constexpr uint64_t kEntry = pte::make(Mfn(0x12345), pte::kPresent | pte::kWritable);

}  // namespace

TEST_CASE("check_flags accepts P, RW, US, A, D, NX and the available bits 9-11 and 52-61 at every level") {
    const uint64_t entry = kEntry | pte::kUser | pte::kAccessed | pte::kDirty | pte::kNoExecute | kAvailableLow |
                           kAvailableHigh;
    for (unsigned level = 1; level <= 4; ++level) {
        CAPTURE(level);
        CHECK_OK(check_flags(entry, level));
        CHECK_OK(check_flags(kEntry, level));
        for (unsigned bit : {9u, 10u, 11u, 52u, 55u, 61u, 63u}) {
            CAPTURE(bit);
            CHECK_OK(check_flags(kEntry | (uint64_t{1} << bit), level));
        }
    }
}

TEST_CASE("check_flags ignores the frame bits 12-51, even all of them") {
    for (unsigned level = 1; level <= 4; ++level) {
        CAPTURE(level);
        CHECK_OK(check_flags(pte::Frame::kMask | pte::kPresent, level));
    }
}

TEST_CASE("check_flags refuses PSE at L2, L3 and L4: PV guests have no superpages") {
    CHECK_OK(check_flags(kEntry, 2));  // the same entry without PSE is fine
    for (unsigned level = 2; level <= 4; ++level) {
        CAPTURE(level);
        CHECK_ERRNO(check_flags(kEntry | kPse, level), abi::Errno::Inval);
        CHECK_ERRNO(check_flags(kEntry | kPse | pte::kDirty, level), abi::Errno::Inval);
    }
}

TEST_CASE("check_flags allows G at L1 and refuses it at L2, L3 and L4") {
    CHECK_OK(check_flags(kEntry | pte::kGlobal, 1));
    for (unsigned level = 2; level <= 4; ++level) {
        CAPTURE(level);
        CHECK_ERRNO(check_flags(kEntry | pte::kGlobal, level), abi::Errno::Inval);
    }
}

TEST_CASE("check_flags refuses PWT and PCD above L1") {
    for (unsigned level = 2; level <= 4; ++level) {
        CAPTURE(level);
        CHECK_ERRNO(check_flags(kEntry | kPwt, level), abi::Errno::Inval);
        CHECK_ERRNO(check_flags(kEntry | kPcd, level), abi::Errno::Inval);
    }
}

TEST_CASE("check_flags refuses PWT, PCD and PAT at L1 for a domain without I/O-memory rights") {
    CHECK_ERRNO(check_flags(kEntry | kPwt, 1), abi::Errno::Inval);
    CHECK_ERRNO(check_flags(kEntry | kPcd, 1), abi::Errno::Inval);
    CHECK_ERRNO(check_flags(kEntry | kPse, 1), abi::Errno::Inval);  // bit 7 is PAT in an L1
    CHECK_ERRNO(check_flags(kEntry | kPwt | kPcd | kPse, 1), abi::Errno::Inval);
}

// Bit 62 is Xen's _PAGE_GNTTAB only in debug builds; a release build (the oracle the attack
// guest runs against) defines it as 0, so a guest may set it like any available bit.
TEST_CASE("check_flags treats bit 62 as an available bit at every level, as release builds of Xen do") {
    for (unsigned level = 1; level <= 4; ++level) {
        CAPTURE(level);
        CHECK_OK(check_flags(kEntry | kBit62, level));
    }
}

TEST_CASE("check_flags refuses exactly PWT, PCD, PAT/PSE (and G above L1), tried one flag bit at a time") {
    for (unsigned level = 1; level <= 4; ++level) {
        for (unsigned bit = 0; bit < 64; ++bit) {
            if (bit >= 12 && bit <= 51) continue;  // frame bits
            const bool refused = level == 1 ? (bit == 3 || bit == 4 || bit == 7)
                                            : (bit == 3 || bit == 4 || bit == 7 || bit == 8);
            CAPTURE(level);
            CAPTURE(bit);
            CHECK(check_flags(kEntry | (uint64_t{1} << bit), level).is_error() == refused);
        }
    }
}

TEST_CASE("adjust gives an L1 entry written without USER both USER and bit 52 (a guest-kernel page)") {
    const uint64_t stored = adjust(kEntry, 1);
    CHECK(stored == (kEntry | pte::kUser | kGuestKernel));
}

TEST_CASE("adjust makes an L1 user mapping global") {
    CHECK(adjust(kEntry | pte::kUser, 1) == (kEntry | pte::kUser | pte::kGlobal));
}

TEST_CASE("adjust leaves an L1 entry that already has USER and bit 52 alone") {
    const uint64_t kernel_page = kEntry | pte::kUser | kGuestKernel;
    CHECK(adjust(kernel_page, 1) == kernel_page);
    CHECK(adjust(adjust(kEntry, 1), 1) == adjust(kEntry, 1));  // adjusting twice changes nothing more
}

TEST_CASE("adjust adds USER to L2 and L3 entries, and USER and A to L4 entries") {
    CHECK(adjust(kEntry, 2) == (kEntry | pte::kUser));
    CHECK(adjust(kEntry, 3) == (kEntry | pte::kUser));
    CHECK(adjust(kEntry, 4) == (kEntry | pte::kUser | pte::kAccessed));
    CHECK(adjust(kEntry | pte::kUser | pte::kAccessed, 4) == (kEntry | pte::kUser | pte::kAccessed));
}

TEST_CASE("adjust never changes the frame or the RW bit") {
    for (unsigned level = 1; level <= 4; ++level) {
        for (const uint64_t entry : {kEntry, kEntry & ~pte::kWritable}) {
            CAPTURE(level);
            CHECK(pte::mfn(adjust(entry, level)) == pte::mfn(entry));
            CHECK(pte::writable(adjust(entry, level)) == pte::writable(entry));
        }
    }
}

TEST_CASE("adjust leaves not-present entries untouched at every level") {
    const uint64_t not_present = pte::make(Mfn(0x12345), pte::kWritable);
    for (unsigned level = 1; level <= 4; ++level) {
        CAPTURE(level);
        CHECK(adjust(not_present, level) == not_present);
        CHECK(adjust(0, level) == 0);
    }
}

TEST_CASE("L4 slots 256-271 and only those are the hypervisor's") {
    CHECK(!hv::pte_rules::is_hypervisor_l4_slot(0));
    CHECK(!hv::pte_rules::is_hypervisor_l4_slot(255));
    CHECK(hv::pte_rules::is_hypervisor_l4_slot(256));
    CHECK(hv::pte_rules::is_hypervisor_l4_slot(261));
    CHECK(hv::pte_rules::is_hypervisor_l4_slot(271));
    CHECK(!hv::pte_rules::is_hypervisor_l4_slot(272));
    CHECK(!hv::pte_rules::is_hypervisor_l4_slot(511));
}
