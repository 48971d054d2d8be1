// SPDX-License-Identifier: MIT
// Tests of the descriptor rules: every descriptor type, DPL raising, call gates, the 512-descriptor page scan.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>

#include "abi/segments.hpp"
#include "mm/descriptor_rules.hpp"

namespace rules = hv::descriptor_rules;

namespace {

constexpr uint64_t kPresent = uint64_t{1} << 47;
constexpr uint64_t kCodeOrData = uint64_t{1} << 44;

constexpr uint64_t with_dpl(uint64_t descriptor, uint64_t dpl) { return rules::Dpl::set(descriptor, dpl); }
constexpr uint64_t dpl_of(uint64_t descriptor) { return rules::Dpl::get(descriptor); }

/// A present system descriptor of `type` with DPL 3 and an otherwise plausible body.
constexpr uint64_t system_descriptor(uint64_t type) {
    return kPresent | rules::Type::make(type) | rules::Dpl::make(3) | 0x0000'0000'1234'0067;
}

/// The low half of a present 64-bit call gate to `selector`:`offset` with `dpl`.
constexpr uint64_t call_gate(uint16_t selector, uint64_t dpl, uint32_t offset = 0x0040'1000) {
    return (offset & 0xffff) | (uint64_t{selector} << 16) | rules::Type::make(rules::kTypeCallGate) |
           rules::Dpl::make(dpl) | kPresent | (uint64_t{offset >> 16} << 48);
}

// A 64-bit ring-0 code segment (as the hypervisor's own) and a flat data segment of DPL 0.
constexpr uint64_t kRing0Code64 = 0x00af'9b00'0000'ffff;
constexpr uint64_t kRing0Data = 0x00cf'9300'0000'ffff;

uint64_t checked(uint64_t descriptor) {
    auto result = rules::check(descriptor);
    REQUIRE_MESSAGE(!result.is_error(), "refused: ", result.error().reason);
    return result.value();
}

bool refused(uint64_t descriptor) {
    auto result = rules::check(descriptor);
    return result.is_error() && result.error_code() == abi::Errno::Inval;
}

}  // namespace

TEST_CASE("check accepts a not-present descriptor of any type unchanged") {
    for (uint64_t type = 0; type < 16; ++type) {
        CAPTURE(type);
        const uint64_t tss_like = system_descriptor(type) & ~kPresent;
        CHECK(checked(tss_like) == tss_like);
        const uint64_t ring0_data = (kRing0Data & ~kPresent) | rules::Type::make(type);
        CHECK(checked(ring0_data) == ring0_data);  // DPL 0 stays: it can never be loaded
    }
    CHECK(checked(0) == 0);
}

TEST_CASE("check raises the DPL of every code and data segment below ring 3 to 3 and keeps the rest") {
    for (uint64_t type = 0; type < 16; ++type) {
        for (uint64_t dpl = 0; dpl < 4; ++dpl) {
            CAPTURE(type);
            CAPTURE(dpl);
            const uint64_t flat = kPresent | kCodeOrData | rules::Type::make(type) | 0x00cf'0000'0000'ffff;
            const uint64_t segment = with_dpl(flat, dpl);
            const uint64_t stored = checked(segment);
            CHECK(dpl_of(stored) == 3);
            CHECK(with_dpl(stored, dpl) == segment);  // only the DPL changed
        }
    }
    CHECK(checked(kRing0Code64) == 0x00af'fb00'0000'ffff);
    CHECK(checked(kRing0Data) == abi::kFlatRing3DsDescriptor);
}

TEST_CASE("check accepts any base and limit of a code or data segment, as Xen does for 64-bit guests") {
    const uint64_t into_the_hypervisor = 0xff8f'f300'0000'ffff;  // base 0xff000000, data, DPL 3
    CHECK(checked(into_the_hypervisor) == into_the_hypervisor);
    CHECK(checked(abi::kFlatRing3Cs64Descriptor) == abi::kFlatRing3Cs64Descriptor);
    CHECK(checked(abi::kFlatRing3Cs32Descriptor) == abi::kFlatRing3Cs32Descriptor);
}

TEST_CASE("check accepts a present system descriptor of type 0 unchanged, its DPL included") {
    const uint64_t upper_half = kPresent | rules::Dpl::make(0) | 0x0000'0000'ffff'ffff;
    CHECK(checked(upper_half) == upper_half);
    CHECK(dpl_of(checked(upper_half)) == 0);
}

TEST_CASE("check refuses LDT, TSS, interrupt and trap gate descriptors, and every other system type but 0 and 0xC") {
    // SDM Vol. 3A Table 3-2: 2 LDT, 9/B 64-bit TSS, E/F 64-bit interrupt/trap gates; the
    // rest are 16-bit types or reserved in IA-32e mode.
    for (uint64_t type = 1; type < 16; ++type) {
        if (type == rules::kTypeCallGate) continue;
        for (uint64_t dpl = 0; dpl < 4; ++dpl) {
            CAPTURE(type);
            CAPTURE(dpl);
            CHECK(refused(with_dpl(system_descriptor(type), dpl)));
        }
    }
}

TEST_CASE("check stores a call gate with DPL 0 and the raised DPL in its target selector's RPL") {
    for (uint64_t dpl = 0; dpl < 4; ++dpl) {
        CAPTURE(dpl);
        const uint64_t stored = checked(call_gate(abi::kFlatKernelCs, dpl));
        CHECK(dpl_of(stored) == 0);
        CHECK(rules::GateSelector::get(stored) == abi::kFlatKernelCs);  // RPL 3: the DPL raised to 3
        CHECK((stored & 0xffff'0000'0000'ffff) == (call_gate(abi::kFlatKernelCs, dpl) & 0xffff'0000'0000'ffff));
    }
    CHECK(rules::GateSelector::get(checked(call_gate(0x0010, 3))) == 0x0013);
}

TEST_CASE("check accepts call gates into the guest's GDT and LDT, and of the hypervisor's only FLAT_KERNEL_CS") {
    CHECK(!refused(call_gate(0x0000, 3)));   // the null selector is "below 7168" too
    CHECK(!refused(call_gate(0x0008, 0)));
    CHECK(!refused(call_gate(0xdff8, 3)));   // entry 7167, the guest's last
    CHECK(!refused(call_gate(0x0004, 3)));   // LDT entry 0
    CHECK(!refused(call_gate(0xe00c, 3)));   // an LDT selector, whatever its index
    CHECK(!refused(call_gate(abi::kFlatKernelCs, 3)));
}

TEST_CASE("check refuses a call gate into the hypervisor's reserved entries, its ring-0 code above all") {
    for (const uint16_t selector : {uint16_t{0xe008}, uint16_t{0xe000}, uint16_t{0xe010}, uint16_t{0xe030},
                                    uint16_t{0xe031}, uint16_t{0xe023}, uint16_t{0xe02b}, uint16_t{0xe040},
                                    uint16_t{0xfff8}}) {
        CAPTURE(selector);
        CHECK(refused(call_gate(selector, 3)));
    }
}

TEST_CASE("check refuses a call gate with any of its reserved bits 39:32 set") {
    for (unsigned bit = 32; bit < 40; ++bit) {
        CAPTURE(bit);
        CHECK(refused(call_gate(abi::kFlatKernelCs, 3) | (uint64_t{1} << bit)));
    }
}

TEST_CASE("check_page accepts a page of zeros and leaves it as it was") {
    std::array<uint64_t, rules::kDescriptorsPerPage> page{};
    CHECK(!rules::check_page(page.data()).is_error());
    for (uint64_t descriptor : page) CHECK(descriptor == 0);
}

TEST_CASE("check_page rewrites every descriptor of the page, the ones past set_gdt's entries included") {
    std::array<uint64_t, rules::kDescriptorsPerPage> page{};
    page[1] = kRing0Code64;
    page[2] = kRing0Data;
    page[4] = call_gate(abi::kFlatKernelCs, 3);
    page[511] = kRing0Data;
    REQUIRE(!rules::check_page(page.data()).is_error());
    CHECK(page[1] == 0x00af'fb00'0000'ffff);
    CHECK(page[2] == abi::kFlatRing3DsDescriptor);
    CHECK(dpl_of(page[4]) == 0);
    CHECK(page[511] == abi::kFlatRing3DsDescriptor);
}

TEST_CASE("check_page refuses a page whose last descriptor is a TSS") {
    std::array<uint64_t, rules::kDescriptorsPerPage> page{};
    page[511] = system_descriptor(0x9);
    CHECK(rules::check_page(page.data()).error_code() == abi::Errno::Inval);
}

TEST_CASE("check_page stops at the first refused descriptor, leaving the ones before it rewritten as Xen does") {
    std::array<uint64_t, rules::kDescriptorsPerPage> page{};
    page[0] = kRing0Data;
    page[300] = call_gate(0xe008, 3);
    page[400] = kRing0Data;
    CHECK(rules::check_page(page.data()).error_code() == abi::Errno::Inval);
    CHECK(page[0] == abi::kFlatRing3DsDescriptor);
    CHECK(page[300] == call_gate(0xe008, 3));
    CHECK(page[400] == kRing0Data);  // never reached
}
