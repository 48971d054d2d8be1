# SPDX-License-Identifier: MIT
# The hypervisor's host unit tests, one include per subsystem (paths relative to tests/).
set(HV_TEST_SOURCES test_main.cpp fakes/panic.cpp fakes/console.cpp
    lib/format_test.cpp core/guest_console_test.cpp)
foreach(part abi loader boot mm)
    if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/${part}/sources.cmake)
        include(${CMAKE_CURRENT_LIST_DIR}/${part}/sources.cmake)
    endif()
endforeach()
list(APPEND HV_TEST_SOURCES ${HV_TEST_ABI_SOURCES} ${HV_TEST_LOADER_SOURCES}
    ${HV_TEST_BOOT_SOURCES} ${HV_TEST_MM_SOURCES})
