# SPDX-License-Identifier: MIT
# The image-only sources of arch/x86_64 and boot: assembly, boot_main and everything that
# touches hardware.
set(HV_ARCH_IMAGE_SOURCES
    boot/multiboot_header.S
    boot/entry32.S
    boot/boot_main.cpp
    boot/boot_domains.cpp
    lib/memory.cpp
    arch/x86_64/entry.S
    arch/x86_64/guest_copy.S
    arch/x86_64/segment_load.S
    arch/x86_64/smap_probe.S
    arch/x86_64/apic.cpp
    arch/x86_64/console.cpp
    arch/x86_64/crash_dump.cpp
    arch/x86_64/debug_exit.cpp
    arch/x86_64/deliver.cpp
    arch/x86_64/guest_mode.cpp
    arch/x86_64/interrupts.cpp
    arch/x86_64/descriptors.cpp
    arch/x86_64/emulate.cpp
    arch/x86_64/emulate_cpuid.cpp
    arch/x86_64/emulate_io.cpp
    arch/x86_64/emulate_msr.cpp
    arch/x86_64/guest_access.cpp
    arch/x86_64/fixups.cpp
    arch/x86_64/segments.cpp
    arch/x86_64/paging.cpp
    arch/x86_64/panic.cpp
    arch/x86_64/rtc.cpp
    arch/x86_64/serial.cpp
    arch/x86_64/smap.cpp
    arch/x86_64/symbols.cpp
    arch/x86_64/traps.cpp)
