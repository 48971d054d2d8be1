# SPDX-License-Identifier: MIT
# hypervisor/tests/mm: the frame allocator, PTE rules, page types and validation, the MMU operations, the audit.
set(HV_TEST_MM_SOURCES mm/frame_allocator_test.cpp mm/pte_rules_test.cpp mm/page_types_test.cpp
    mm/page_validation_test.cpp mm/page_rollback_test.cpp mm/linear_tables_test.cpp mm/mmu_test.cpp
    mm/mmuext_test.cpp mm/audit_test.cpp mm/ptwr_decode_test.cpp mm/descriptor_rules_test.cpp
    mm/descriptor_pages_test.cpp)
