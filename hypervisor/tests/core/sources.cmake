# SPDX-License-Identifier: MIT
# Host tests of hypervisor/core (the console filter is listed in tests/sources.cmake).
set(HV_TEST_CORE_SOURCES core/time_test.cpp core/timer_queue_test.cpp
    core/instruction_decode_test.cpp core/cpuid_policy_test.cpp core/privileged_policy_test.cpp
    core/vcpu_info_area_test.cpp core/bounce_frame_test.cpp core/smap_policy_test.cpp)
