# SPDX-License-Identifier: MIT
# hypervisor/core: domains, vCPUs, the console.
set(HV_CORE_SOURCES core/printk.cpp core/guest_console.cpp core/domain.cpp core/bounce_frame.cpp core/time.cpp core/timer_queue.cpp)
set(HV_CORE_IMAGE_SOURCES core/scheduler.cpp core/clock.cpp)
