// SPDX-License-Identifier: MIT
// Tests of plan_start_of_day and count_page_tables: Xen's region order, padding and table counts.
#include <doctest/doctest.h>

#include <cstdint>

#include "loader/start_of_day_layout.hpp"

using hv::loader::count_page_tables;
using hv::loader::KernelExtent;
using hv::loader::plan_start_of_day;
using hv::loader::StartOfDayLayout;
using hv::loader::TableCounts;

namespace {

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint64_t k512GiB = uint64_t{1} << 39;
constexpr uint64_t kLowerHalfEnd = uint64_t{1} << 47;  // first non-canonical address
constexpr uint64_t kLinuxVirtBase = 0xFFFF'FFFF'8000'0000;

StartOfDayLayout plan(KernelExtent kernel, uint64_t nr_pages) {
    auto layout = plan_start_of_day(kernel, nr_pages);
    REQUIRE_MESSAGE(!layout.is_error(), (layout.is_error() ? layout.error().reason : ""));
    return layout.value();
}

abi::Errno refusal(KernelExtent kernel, uint64_t nr_pages) {
    auto layout = plan_start_of_day(kernel, nr_pages);
    REQUIRE(layout.is_error());
    return layout.error_code();
}

void check_counts(TableCounts counts, uint64_t l3, uint64_t l2, uint64_t l1) {
    CHECK(counts.l3 == l3);
    CHECK(counts.l2 == l2);
    CHECK(counts.l1 == l1);
}

void check_counts(const StartOfDayLayout& layout, uint64_t l3, uint64_t l2, uint64_t l1) {
    CHECK(layout.l3_count == l3);
    CHECK(layout.l2_count == l2);
    CHECK(layout.l1_count == l1);
}

// What every layout must satisfy, whatever the kernel: the regions follow one another
// in Xen's order without gaps, the tables are exactly those that map the region (their
// own frames included), and the end is padded as Xen pads it.
void check_invariants(const KernelExtent& kernel, const StartOfDayLayout& layout) {
    CHECK(layout.virt_base == kernel.virt_base);
    CHECK(layout.p2m_va == kernel.kernel_end);
    CHECK(layout.start_info_va == layout.p2m_va + layout.p2m_pages * kPage);
    CHECK(layout.xenstore_va == layout.start_info_va + kPage);
    CHECK(layout.console_va == layout.xenstore_va + kPage);
    CHECK(layout.page_tables_va == layout.console_va + kPage);
    CHECK(layout.stack_va == layout.page_tables_va + layout.page_table_frames() * kPage);
    const TableCounts needed = count_page_tables(layout.virt_base, layout.virt_end);
    check_counts(layout, needed.l3, needed.l2, needed.l1);
    const uint64_t stack_end = layout.stack_va + kPage;
    CHECK(layout.virt_end % (4 * kMiB) == 0);
    CHECK(layout.virt_end - stack_end >= 512 * 1024);
    CHECK(layout.virt_end - stack_end < 4 * kMiB + 512 * 1024);  // the first boundary that leaves 512 KiB
    CHECK(layout.region_pages() <= layout.nr_pages);
}

}  // namespace

TEST_CASE("the region holds the kernel, p2m, start_info, xenstore, console, page tables and stack in that order") {
    // Mini-OS: linked at 0, 20 KiB; 32 MiB of memory.
    const KernelExtent kernel{0, 0x5000};
    const StartOfDayLayout layout = plan(kernel, 8192);
    CHECK(layout.virt_base == 0);
    CHECK(layout.nr_pages == 8192);
    CHECK(layout.p2m_va == 0x5000);
    CHECK(layout.p2m_pages == 16);
    CHECK(layout.start_info_va == 0x15000);
    CHECK(layout.xenstore_va == 0x16000);
    CHECK(layout.console_va == 0x17000);
    CHECK(layout.page_tables_va == 0x18000);
    check_counts(layout, 1, 1, 2);
    CHECK(layout.page_table_frames() == 5);
    CHECK(layout.stack_va == 0x1D000);
    CHECK(layout.virt_end == 0x400000);
    CHECK(layout.region_pages() == 1024);
    CHECK(layout.pfn_of(layout.stack_va) == 0x1D);
    check_invariants(kernel, layout);
}

TEST_CASE("the p2m list takes ceil(8 * nr_pages / 4096) pages") {
    const KernelExtent kernel{0, 0x5000};
    CHECK(plan(kernel, 2048).p2m_pages == 4);
    CHECK(plan(kernel, 2049).p2m_pages == 5);  // one more entry needs one more page
    CHECK(plan(kernel, 2560).p2m_pages == 5);
    CHECK(plan(kernel, 2561).p2m_pages == 6);
    CHECK(plan(kernel, 8192).p2m_pages == 16);
    CHECK(plan(kernel, 262144).p2m_pages == 512);  // 1 GiB of memory
}

TEST_CASE("the region ends on the first 4 MiB boundary that leaves at least 512 KiB after the stack") {
    // 16 MiB of memory: 8 p2m pages. The stack ends at kernel_end + (8 + 3 + tables + 1) pages.
    const uint64_t nr_pages = 4096;

    SUBCASE("exactly 512 KiB before a boundary is enough") {
        const StartOfDayLayout layout = plan({0, 0x36F000}, nr_pages);
        CHECK(layout.stack_va + kPage == 0x380000);
        CHECK(layout.virt_end == 0x400000);
        check_counts(layout, 1, 1, 2);
    }
    SUBCASE("one page less than 512 KiB before a boundary moves the end 4 MiB further") {
        const StartOfDayLayout layout = plan({0, 0x370000}, nr_pages);
        // The longer region needs two more L1s, which push the stack two pages on.
        check_counts(layout, 1, 1, 4);
        CHECK(layout.stack_va + kPage == 0x383000);
        CHECK(layout.virt_end == 0x800000);
    }
    SUBCASE("a stack ending one page before a boundary moves the end 4 MiB further") {
        const StartOfDayLayout layout = plan({0, 0x3EC000}, nr_pages);
        CHECK(layout.stack_va + kPage == 0x3FF000);
        CHECK(layout.virt_end == 0x800000);
    }
    SUBCASE("a stack ending exactly on a boundary moves the end to the next one") {
        const StartOfDayLayout layout = plan({0, 0x3ED000}, nr_pages);
        CHECK(layout.stack_va + kPage == 0x400000);
        CHECK(layout.virt_end == 0x800000);
    }
}

TEST_CASE("every kernel size gives a padded region whose tables map exactly the region") {
    // Every page-aligned kernel end up to 12 MiB, from virt_base 0 and from 1 MiB (XTF's
    // load address), crosses 2 MiB and 4 MiB boundaries at every possible distance.
    for (uint64_t virt_base : {uint64_t{0}, kMiB}) {
        for (uint64_t kernel_end = virt_base + kPage; kernel_end <= 12 * kMiB; kernel_end += kPage) {
            CAPTURE(virt_base);
            CAPTURE(kernel_end);
            const KernelExtent kernel{virt_base, kernel_end};
            check_invariants(kernel, plan(kernel, 8192));
        }
    }
}

TEST_CASE("count_page_tables counts one table per 2 MiB, 1 GiB and 512 GiB block the range touches") {
    check_counts(count_page_tables(0, 2 * kMiB), 1, 1, 1);
    check_counts(count_page_tables(0, 2 * kMiB + kPage), 1, 1, 2);  // one page past a 2 MiB boundary
    check_counts(count_page_tables(0, 4 * kMiB), 1, 1, 2);
    check_counts(count_page_tables(kMiB, 4 * kMiB), 1, 1, 2);       // XTF: virt_base 1 MiB
    check_counts(count_page_tables(kMiB, 5 * kMiB), 1, 1, 3);
    check_counts(count_page_tables(2 * kMiB - kPage, 2 * kMiB + kPage), 1, 1, 2);
    check_counts(count_page_tables(0, kGiB), 1, 1, 512);
    check_counts(count_page_tables(0, kGiB + kPage), 1, 2, 513);
    check_counts(count_page_tables(kGiB - 2 * kMiB, kGiB + 4 * kMiB), 1, 2, 3);
    check_counts(count_page_tables(k512GiB - 2 * kMiB, k512GiB + 4 * kMiB), 2, 2, 3);
    check_counts(count_page_tables(kLinuxVirtBase, kLinuxVirtBase + 20 * kMiB), 1, 1, 10);
}

TEST_CASE("a region from virt_base 1 MiB, like XTF's load address, starts its PFNs at virt_base") {
    const KernelExtent kernel{kMiB, kMiB + 0x5000};
    const StartOfDayLayout layout = plan(kernel, 8192);
    CHECK(layout.p2m_va == 0x105000);
    CHECK(layout.start_info_va == 0x115000);
    CHECK(layout.page_tables_va == 0x118000);
    check_counts(layout, 1, 1, 2);
    CHECK(layout.stack_va == 0x11D000);
    CHECK(layout.virt_end == 4 * kMiB);
    CHECK(layout.region_pages() == 768);
    CHECK(layout.pfn_of(kMiB) == 0);
    CHECK(layout.pfn_of(layout.start_info_va) == 0x15);
    check_invariants(kernel, layout);
}

TEST_CASE("a region straddling a 1 GiB boundary gets two L2 tables") {
    const KernelExtent kernel{kGiB - 2 * kMiB, kGiB + kPage};
    const StartOfDayLayout layout = plan(kernel, 4096);
    check_counts(layout, 1, 2, 3);
    CHECK(layout.page_tables_va == kGiB + 0xC000);
    CHECK(layout.stack_va == kGiB + 0x13000);
    CHECK(layout.virt_end == kGiB + 4 * kMiB);
    check_invariants(kernel, layout);
}

TEST_CASE("a region straddling a 512 GiB boundary gets two L3 tables") {
    const KernelExtent kernel{k512GiB - 2 * kMiB, k512GiB + kPage};
    const StartOfDayLayout layout = plan(kernel, 4096);
    check_counts(layout, 2, 2, 3);
    CHECK(layout.stack_va == k512GiB + 0x14000);
    CHECK(layout.virt_end == k512GiB + 4 * kMiB);
    check_invariants(kernel, layout);
}

TEST_CASE("a Linux-like kernel above the hypervisor's range gets a region in L4 slot 511") {
    const KernelExtent kernel{kLinuxVirtBase, kLinuxVirtBase + 16 * kMiB + 0x5000};
    const StartOfDayLayout layout = plan(kernel, 8192);
    check_counts(layout, 1, 1, 10);
    CHECK(layout.page_tables_va == kLinuxVirtBase + 16 * kMiB + 0x18000);
    CHECK(layout.virt_end == kLinuxVirtBase + 20 * kMiB);
    check_invariants(kernel, layout);
    // The first slot after the reserved range is guest space too.
    check_invariants({0xFFFF'8800'0000'0000, 0xFFFF'8800'0000'5000},
                     plan({0xFFFF'8800'0000'0000, 0xFFFF'8800'0000'5000}, 8192));
}

TEST_CASE("plan_start_of_day refuses with NoMem a region larger than the domain's memory") {
    const KernelExtent kernel{0, 0x5000};
    CHECK(plan(kernel, 1024).region_pages() == 1024);  // exactly enough
    CHECK(refusal(kernel, 1023) == abi::Errno::NoMem);
    CHECK(refusal(kernel, 0) == abi::Errno::NoMem);
    CHECK(refusal({0, 8 * kMiB}, 2048) == abi::Errno::NoMem);  // the kernel alone is 8 MiB
}

TEST_CASE("plan_start_of_day refuses with Inval a region that would reach the hypervisor's range") {
    SUBCASE("a region just below 0xffff800000000000") {
        CHECK(refusal({0xFFFF'7FFF'FFC0'0000, 0xFFFF'7FFF'FFC0'5000}, 8192) == abi::Errno::Inval);
    }
    SUBCASE("a region inside the reserved range") {
        CHECK(refusal({0xFFFF'8000'0000'0000, 0xFFFF'8000'0000'5000}, 8192) == abi::Errno::Inval);
        CHECK(refusal({0xFFFF'87FF'FFC0'0000, 0xFFFF'87FF'FFC0'5000}, 8192) == abi::Errno::Inval);
    }
    SUBCASE("a region from the lower half up to a kernel in the upper half") {
        CHECK(refusal({0, kLinuxVirtBase + 0x5000}, 8192) == abi::Errno::Inval);
    }
    SUBCASE("a lower-half region whose padding would run past 2^47 into non-canonical space") {
        // 2 MiB below the end of the lower half the padded region ends exactly there...
        CHECK(plan({kLowerHalfEnd - 2 * kMiB, kLowerHalfEnd - 2 * kMiB + kPage}, 8192).virt_end == kLowerHalfEnd);
        // ...256 KiB below it the padding would cross, and L4 slot 256 is the hypervisor's.
        CHECK(refusal({kLowerHalfEnd - 0x40000, kLowerHalfEnd - 0x40000 + kPage}, 8192) == abi::Errno::Inval);
    }
    SUBCASE("a region that would wrap past the top of the address space") {
        CHECK(refusal({0xFFFF'FFFF'FFE0'0000, 0xFFFF'FFFF'FFE0'1000}, 8192) == abi::Errno::Inval);
    }
    SUBCASE("a p2m list too large for any region, whose size in bytes overflows 64 bits") {
        CHECK(refusal({0, 0x5000}, uint64_t{1} << 61) == abi::Errno::Inval);
        CHECK(refusal({0, 0x5000}, ~uint64_t{0}) == abi::Errno::Inval);
        CHECK(refusal({0, 0x5000}, uint64_t{1} << 52) == abi::Errno::Inval);  // mem=16P
    }
}
