# SPDX-License-Identifier: MIT
# hypervisor/event: event channels (2-level ABI) and virtual IRQs.
set(HV_EVENT_SOURCES)
set(HV_EVENT_IMAGE_SOURCES)
