# SPDX-License-Identifier: MIT
# Our abi/ headers checked against Xen's public headers, one file per group of headers.
set(HV_TEST_ABI_SOURCES abi/conformance_core.cpp abi/conformance_pages.cpp abi/conformance_memory_events.cpp
    abi/conformance_callbacks_grants.cpp abi/conformance_runtime.cpp)
