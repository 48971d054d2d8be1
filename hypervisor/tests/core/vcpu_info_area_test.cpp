// SPDX-License-Identifier: MIT
// Tests of VCPUOP_register_vcpu_info's argument rules (core/vcpu_info_area.hpp).
#include <doctest/doctest.h>

#include "core/vcpu_info_area.hpp"

namespace {

abi::Errno refusal(uint64_t mfn, uint32_t offset, uint32_t rsvd, bool already_registered = false) {
    const auto checked = hv::check_vcpu_info_area({mfn, offset, rsvd}, already_registered);
    REQUIRE(checked.is_error());
    return checked.error_code();
}

uint32_t accepted(uint32_t offset) {
    const auto checked = hv::check_vcpu_info_area({0x1234, offset, 0}, false);
    REQUIRE_FALSE(checked.is_error());
    return checked.value();
}

}  // namespace

TEST_CASE("register_vcpu_info: offsets that keep the 64-byte vcpu_info inside the page and 8-byte aligned") {
    CHECK(accepted(0) == 0);
    CHECK(accepted(8) == 8);
    CHECK(accepted(2048) == 2048);
    CHECK(accepted(4032) == 4032);  // the last 64 bytes of the page
}

TEST_CASE("register_vcpu_info: crossing the page end is -ENXIO") {
    CHECK(refusal(0x1234, 4040, 0) == abi::Errno::NxIo);
    CHECK(refusal(0x1234, 4096, 0) == abi::Errno::NxIo);
    CHECK(refusal(0x1234, 0xffff'fff8, 0) == abi::Errno::NxIo);  // no wrap-around
}

TEST_CASE("register_vcpu_info: a misaligned offset is -ENXIO") {
    for (uint32_t offset : {1u, 4u, 7u, 12u, 4031u}) CHECK(refusal(0x1234, offset, 0) == abi::Errno::NxIo);
}

TEST_CASE("register_vcpu_info: a second registration is -EINVAL, after the offset checks") {
    CHECK(refusal(0x1234, 64, 0, true) == abi::Errno::Inval);
    CHECK(refusal(0x1234, 4, 0, true) == abi::Errno::NxIo);
}

TEST_CASE("register_vcpu_info: rsvd is not looked at, as on Xen 4.17") {
    const auto checked = hv::check_vcpu_info_area({0x1234, 2056, 0xffff'ffff}, false);
    REQUIRE_FALSE(checked.is_error());
    CHECK(checked.value() == 2056);
}
