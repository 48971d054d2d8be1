# SPDX-License-Identifier: MIT
# hypervisor/hypercall: decode, call, encode. Most handlers are image only; the
# continuation slot and the multicall loop also run in the host tests, with a fake guest
# memory (tests/fakes/guest_memory.hpp) and a scripted dispatch table.
set(HV_HYPERCALL_SOURCES hypercall/continuation.cpp hypercall/multicall.cpp)
set(HV_HYPERCALL_IMAGE_SOURCES hypercall/dispatch.cpp hypercall/console_io.cpp hypercall/xen_version.cpp
    hypercall/sched_op.cpp hypercall/vm_assist.cpp hypercall/memory_op.cpp hypercall/memory_reservation.cpp hypercall/batch.cpp
    hypercall/mmu_update.cpp hypercall/mmuext_op.cpp hypercall/update_va_mapping.cpp hypercall/traps.cpp hypercall/iret.cpp
    hypercall/timers.cpp hypercall/event_channel_op.cpp hypercall/physdev_op.cpp
    hypercall/descriptor_tables.cpp hypercall/vcpu_info.cpp)
