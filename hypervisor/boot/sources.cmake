# SPDX-License-Identifier: MIT
# hypervisor/boot: the pure parts (multiboot information, command lines).
set(HV_BOOT_SOURCES boot/multiboot.cpp boot/multiboot1.cpp boot/multiboot2.cpp
    boot/command_line.cpp boot/module_options.cpp)
