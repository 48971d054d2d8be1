# SPDX-License-Identifier: MIT
# hypervisor/loader: ELF64, Xen ELF notes, the domain builder.
set(HV_LOADER_SOURCES loader/elf.cpp loader/xen_notes.cpp loader/kernel_image.cpp loader/kernel_load.cpp)
# The start-of-day builder (lead's part of loader/).
list(APPEND HV_LOADER_SOURCES loader/start_of_day_layout.cpp loader/domain_builder.cpp loader/hypercall_page.cpp)
