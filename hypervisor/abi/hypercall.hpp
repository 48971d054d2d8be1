// SPDX-License-Identifier: MIT
// Hypercall numbers and the layout of the hypercall page a guest calls through.
#pragma once

#include <cstdint>

namespace abi {

/// Hypercall numbers (xen/include/public/xen.h, __HYPERVISOR_*), as seen by a guest
/// built against interface version 0x00040e00 — not the legacy numbering, where
/// sched_op and event_channel_op are 6 and 16.
///
/// Calling convention (64-bit PV): number in RAX, arguments 1-5 in RDI, RSI, RDX,
/// R10, R8, result in RAX (0 or a value on success, -Errno on failure). A number with
/// no handler returns -ENOSYS.
enum class Hypercall : std::uint64_t {
    SetTrapTable = 0,                 // __HYPERVISOR_set_trap_table
    MmuUpdate = 1,                    // __HYPERVISOR_mmu_update
    SetGdt = 2,                       // __HYPERVISOR_set_gdt
    StackSwitch = 3,                  // __HYPERVISOR_stack_switch
    SetCallbacks = 4,                 // __HYPERVISOR_set_callbacks
    FpuTaskswitch = 5,                // __HYPERVISOR_fpu_taskswitch
    SchedOpCompat = 6,                // __HYPERVISOR_sched_op_compat (legacy)
    PlatformOp = 7,                   // __HYPERVISOR_platform_op
    SetDebugreg = 8,                  // __HYPERVISOR_set_debugreg
    GetDebugreg = 9,                  // __HYPERVISOR_get_debugreg
    UpdateDescriptor = 10,            // __HYPERVISOR_update_descriptor
    // 11 is unassigned.
    MemoryOp = 12,                    // __HYPERVISOR_memory_op
    Multicall = 13,                   // __HYPERVISOR_multicall
    UpdateVaMapping = 14,             // __HYPERVISOR_update_va_mapping
    SetTimerOp = 15,                  // __HYPERVISOR_set_timer_op
    EventChannelOpCompat = 16,        // __HYPERVISOR_event_channel_op_compat (legacy)
    XenVersion = 17,                  // __HYPERVISOR_xen_version
    ConsoleIo = 18,                   // __HYPERVISOR_console_io
    PhysdevOpCompat = 19,             // __HYPERVISOR_physdev_op_compat (legacy)
    GrantTableOp = 20,                // __HYPERVISOR_grant_table_op
    VmAssist = 21,                    // __HYPERVISOR_vm_assist
    UpdateVaMappingOtherdomain = 22,  // __HYPERVISOR_update_va_mapping_otherdomain
    Iret = 23,                        // __HYPERVISOR_iret
    VcpuOp = 24,                      // __HYPERVISOR_vcpu_op
    SetSegmentBase = 25,              // __HYPERVISOR_set_segment_base
    MmuextOp = 26,                    // __HYPERVISOR_mmuext_op
    XsmOp = 27,                       // __HYPERVISOR_xsm_op
    NmiOp = 28,                       // __HYPERVISOR_nmi_op
    SchedOp = 29,                     // __HYPERVISOR_sched_op
    CallbackOp = 30,                  // __HYPERVISOR_callback_op
    XenoprofOp = 31,                  // __HYPERVISOR_xenoprof_op
    EventChannelOp = 32,              // __HYPERVISOR_event_channel_op
    PhysdevOp = 33,                   // __HYPERVISOR_physdev_op
    HvmOp = 34,                       // __HYPERVISOR_hvm_op
    Sysctl = 35,                      // __HYPERVISOR_sysctl
    Domctl = 36,                      // __HYPERVISOR_domctl
    KexecOp = 37,                     // __HYPERVISOR_kexec_op
    TmemOp = 38,                      // __HYPERVISOR_tmem_op
    ArgoOp = 39,                      // __HYPERVISOR_argo_op
    XenpmuOp = 40,                    // __HYPERVISOR_xenpmu_op
    DmOp = 41,                        // __HYPERVISOR_dm_op
    HypfsOp = 42,                     // __HYPERVISOR_hypfs_op
    Arch0 = 48,                       // __HYPERVISOR_arch_0 (x86: machine-check op)
    Arch1 = 49,                       // __HYPERVISOR_arch_1
    Arch2 = 50,                       // __HYPERVISOR_arch_2
    Arch3 = 51,                       // __HYPERVISOR_arch_3
    Arch4 = 52,                       // __HYPERVISOR_arch_4
    Arch5 = 53,                       // __HYPERVISOR_arch_5
    Arch6 = 54,                       // __HYPERVISOR_arch_6
    Arch7 = 55,                       // __HYPERVISOR_arch_7
};

/// The hypercall page is one 4 KiB page of 32-byte call stubs; stub i (at offset
/// i * 32) makes hypercall i. Xen fills all 128 slots, known numbers or not, and the
/// unused bytes of every slot with int3 (0xCC). Filled by
/// xen/arch/x86/pv/hypercall.c: pv_ring3_init_hypercall_page.
inline constexpr std::uint64_t kHypercallPageSize = 4096;
/// Bytes per stub.
inline constexpr std::uint64_t kHypercallStubSize = 32;
/// Number of stubs in the page (4096 / 32).
inline constexpr std::uint64_t kHypercallPageSlots = 128;
/// The byte that fills every part of the page that is not stub code (int3).
inline constexpr std::uint8_t kHypercallPageFill = 0xCC;
/// The iret stub is special: the guest jumps to it (no return path) with an
/// IretContext on its stack (see callback.hpp).
inline constexpr std::uint64_t kHypercallIretSlot = static_cast<std::uint64_t>(Hypercall::Iret);
/// Offset of the iret stub in the page (0x2E0).
inline constexpr std::uint64_t kHypercallIretOffset = kHypercallIretSlot * kHypercallStubSize;
/// Writing (frame << 12) to this MSR from guest kernel mode asks Xen to fill that frame
/// as the hypercall page (the CPUID leaf 0x40000002 EBX value).
inline constexpr std::uint32_t kHypercallPageMsr = 0x40000000;

static_assert(kHypercallPageSlots * kHypercallStubSize == kHypercallPageSize);
static_assert(kHypercallIretOffset == 0x2E0);

}  // namespace abi
