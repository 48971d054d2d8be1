# SPDX-License-Identifier: MIT
# Host tests of hypervisor/hypercall: the multicall loop and continuations.
set(HV_TEST_HYPERCALL_SOURCES hypercall/multicall_test.cpp)
