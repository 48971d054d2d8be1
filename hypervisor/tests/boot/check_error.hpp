// SPDX-License-Identifier: MIT
// CHECK_ERROR: a parse failed with this errno and exactly this reason (the boot tests' one assertion helper).
#pragma once

#include <string>

#include <doctest/doctest.h>

#include "lib/error_or.hpp"

/// The result is an error with `expected_code` and the static reason `expected_reason`.
#define CHECK_ERROR(result, expected_code, expected_reason)                                  \
    do {                                                                                      \
        const auto check_result_ = (result);  /* a copy: `result` may die with a temporary */ \
        REQUIRE(check_result_.is_error());                                                    \
        CHECK(check_result_.error_code() == (expected_code));                                 \
        CHECK(std::string(check_result_.error().reason ? check_result_.error().reason : "") == \
              std::string(expected_reason));                                                  \
    } while (0)
