# SPDX-License-Identifier: MIT
# hypervisor/event: event channels (2-level ABI) and virtual IRQs.
set(HV_EVENT_SOURCES event/two_level.cpp event/domain_events.cpp event/bind.cpp event/event_channel.cpp)
set(HV_EVENT_IMAGE_SOURCES)
