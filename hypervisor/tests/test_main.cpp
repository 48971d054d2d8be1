// SPDX-License-Identifier: MIT
// The host unit tests' main (doctest), shared by every hypervisor test binary.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
