# SPDX-License-Identifier: MIT
# hypervisor/core: domains, vCPUs, the console.
set(HV_CORE_SOURCES core/printk.cpp core/guest_console.cpp core/domain.cpp core/bounce_frame.cpp core/time.cpp core/timer_queue.cpp
    core/console_ring.cpp core/instruction_decode.cpp core/cpuid_policy.cpp core/privileged_policy.cpp
    core/vcpu_info_area.cpp core/smap_policy.cpp)
set(HV_CORE_IMAGE_SOURCES core/scheduler.cpp core/clock.cpp core/console_service.cpp
    core/debug_keys.cpp core/debug_key_dumps.cpp)
