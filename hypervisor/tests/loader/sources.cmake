# SPDX-License-Identifier: MIT
# Host tests of hypervisor/loader (paths relative to hypervisor/tests).
set(HV_TEST_LOADER_SOURCES loader/elf_builder.cpp loader/elf_test.cpp loader/xen_notes_test.cpp
    loader/kernel_image_test.cpp loader/kernel_fuzz_test.cpp
    loader/start_of_day_layout_test.cpp loader/domain_builder_test.cpp loader/domain_builder_memory_test.cpp)
