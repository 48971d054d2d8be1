# SPDX-License-Identifier: MIT
# The hypervisor's host unit tests, one list per subsystem (paths relative to tests/).
set(HV_TEST_SOURCES test_main.cpp fakes/panic.cpp fakes/console.cpp fakes/guest_memory.cpp
    lib/format_test.cpp core/guest_console_test.cpp core/console_ring_test.cpp)
include(${CMAKE_CURRENT_LIST_DIR}/abi/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/boot/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/core/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/event/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/hypercall/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/loader/sources.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/mm/sources.cmake)
list(APPEND HV_TEST_SOURCES ${HV_TEST_ABI_SOURCES} ${HV_TEST_BOOT_SOURCES} ${HV_TEST_CORE_SOURCES}
    ${HV_TEST_EVENT_SOURCES} ${HV_TEST_HYPERCALL_SOURCES} ${HV_TEST_LOADER_SOURCES} ${HV_TEST_MM_SOURCES})
