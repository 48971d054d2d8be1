# SPDX-License-Identifier: MIT
# hypervisor/mm: frames, the frame table and allocator (pure); machine memory bring-up (image).
set(HV_MM_SOURCES mm/frame_allocator.cpp mm/frame_table.cpp mm/pte_rules.cpp mm/page_types.cpp
    mm/page_validation.cpp mm/mmu.cpp mm/audit.cpp mm/ptwr_decode.cpp mm/descriptor_rules.cpp)
set(HV_MM_IMAGE_SOURCES mm/machine_memory.cpp mm/ptwr.cpp)
