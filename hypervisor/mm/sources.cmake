# SPDX-License-Identifier: MIT
# hypervisor/mm: frames, the frame table and allocator (pure); machine memory bring-up (image).
set(HV_MM_SOURCES mm/frame_allocator.cpp mm/frame_table.cpp)
set(HV_MM_IMAGE_SOURCES mm/machine_memory.cpp)
