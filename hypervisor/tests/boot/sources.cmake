# SPDX-License-Identifier: MIT
# Host tests of hypervisor/boot: Multiboot 1 and 2 parsing, command lines, module strings.
set(HV_TEST_BOOT_SOURCES boot/multiboot1_test.cpp boot/multiboot2_test.cpp
    boot/command_line_test.cpp boot/module_options_test.cpp)
