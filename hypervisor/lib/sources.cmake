# SPDX-License-Identifier: MIT
# hypervisor/lib: freestanding support shared by the hypervisor and minios.
set(HV_LIB_SOURCES lib/format.cpp lib/string.cpp)
