# SPDX-License-Identifier: MIT
# hypervisor/hypercall: decode, call, encode (image only: handlers copy guest memory).
set(HV_HYPERCALL_SOURCES)
set(HV_HYPERCALL_IMAGE_SOURCES hypercall/dispatch.cpp hypercall/console_io.cpp hypercall/xen_version.cpp
    hypercall/sched_op.cpp hypercall/vm_assist.cpp hypercall/memory_op.cpp hypercall/memory_reservation.cpp hypercall/batch.cpp
    hypercall/mmu_update.cpp hypercall/mmuext_op.cpp hypercall/update_va_mapping.cpp hypercall/traps.cpp hypercall/iret.cpp
    hypercall/timers.cpp hypercall/multicall.cpp hypercall/event_channel_op.cpp hypercall/physdev_op.cpp
    hypercall/descriptor_tables.cpp hypercall/vcpu_info.cpp)
