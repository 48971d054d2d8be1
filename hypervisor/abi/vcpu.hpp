// SPDX-License-Identifier: MIT
// vcpu_op (hypercall 24): per-vCPU timers, runstate, vcpu_info placement, and the vCPU context.
#pragma once

#include <cstddef>
#include <cstdint>

#include "abi/shared_info.hpp"
#include "abi/xen.hpp"

namespace abi {

/// First argument of vcpu_op (xen/include/public/vcpu.h); the second is the vCPU ID,
/// the third points at the struct named here (or is NULL).
enum class VcpuOp : std::uint32_t {
    Initialise = 0,                   // VCPUOP_initialise: VcpuGuestContext
    Up = 1,                           // VCPUOP_up: NULL
    Down = 2,                         // VCPUOP_down: NULL
    IsUp = 3,                         // VCPUOP_is_up: NULL, returns 1 if up
    GetRunstateInfo = 4,              // VCPUOP_get_runstate_info: VcpuRunstateInfo
    RegisterRunstateMemoryArea = 5,   // VCPUOP_register_runstate_memory_area: VcpuRegisterRunstateMemoryArea
    SetPeriodicTimer = 6,             // VCPUOP_set_periodic_timer: VcpuSetPeriodicTimer
    StopPeriodicTimer = 7,            // VCPUOP_stop_periodic_timer: NULL
    SetSingleshotTimer = 8,           // VCPUOP_set_singleshot_timer: VcpuSetSingleshotTimer
    StopSingleshotTimer = 9,          // VCPUOP_stop_singleshot_timer: NULL
    RegisterVcpuInfo = 10,            // VCPUOP_register_vcpu_info: VcpuRegisterVcpuInfo
    SendNmi = 11,                     // VCPUOP_send_nmi: NULL
    GetPhysid = 12,                   // VCPUOP_get_physid: VcpuGetPhysid
    RegisterVcpuTimeMemoryArea = 13,  // VCPUOP_register_vcpu_time_memory_area: VcpuRegisterTimeMemoryArea
};

/// VcpuRunstateInfo::state.
enum class Runstate : std::int32_t {
    Running = 0,   // RUNSTATE_running
    Runnable = 1,  // RUNSTATE_runnable
    Blocked = 2,   // RUNSTATE_blocked
    Offline = 3,   // RUNSTATE_offline
};

/// Set in state_entry_time while Xen updates a registered runstate area (only with
/// VmAssistType::RunstateUpdateFlag).
inline constexpr std::uint64_t kRunstateUpdate = std::uint64_t{1} << 63;  // XEN_RUNSTATE_UPDATE

/// How a vCPU has spent its time.
struct VcpuRunstateInfo {  // struct vcpu_runstate_info
    std::int32_t state;               ///< Runstate
    std::uint32_t hole0;              ///< padding (implicit in Xen's struct)
    std::uint64_t state_entry_time;   ///< system time (ns) the state was entered
    std::uint64_t time[4];            ///< ns spent in each Runstate
};
static_assert(sizeof(VcpuRunstateInfo) == 48);
static_assert(offsetof(VcpuRunstateInfo, state) == 0);
static_assert(offsetof(VcpuRunstateInfo, state_entry_time) == 8);
static_assert(offsetof(VcpuRunstateInfo, time) == 16);

/// VCPUOP_register_runstate_memory_area: Xen keeps a VcpuRunstateInfo at this guest
/// virtual address up to date.
struct VcpuRegisterRunstateMemoryArea {  // struct vcpu_register_runstate_memory_area
    union {
        GuestHandle<VcpuRunstateInfo> h;
        std::uint64_t p;
    } addr;
};
static_assert(sizeof(VcpuRegisterRunstateMemoryArea) == 8);
static_assert(offsetof(VcpuRegisterRunstateMemoryArea, addr.h) == 0);
static_assert(offsetof(VcpuRegisterRunstateMemoryArea, addr.p) == 0);

/// VCPUOP_set_periodic_timer: raise VIRQ_TIMER every period_ns.
struct VcpuSetPeriodicTimer {  // struct vcpu_set_periodic_timer
    std::uint64_t period_ns;
};
static_assert(sizeof(VcpuSetPeriodicTimer) == 8);
static_assert(offsetof(VcpuSetPeriodicTimer, period_ns) == 0);

/// VcpuSetSingleshotTimer::flags: fail with -ETIME if the timeout has already passed.
inline constexpr std::uint32_t kVcpuSshottmrFuture = 1u << 0;  // VCPU_SSHOTTMR_future

/// VCPUOP_set_singleshot_timer: raise VIRQ_TIMER once, at an absolute system time.
struct VcpuSetSingleshotTimer {  // struct vcpu_set_singleshot_timer
    std::uint64_t timeout_abs_ns;  ///< absolute system time (ns)
    std::uint32_t flags;           ///< kVcpuSshottmrFuture
    std::uint32_t hole0;           ///< padding (implicit in Xen's struct)
};
static_assert(sizeof(VcpuSetSingleshotTimer) == 16);
static_assert(offsetof(VcpuSetSingleshotTimer, timeout_abs_ns) == 0);
static_assert(offsetof(VcpuSetSingleshotTimer, flags) == 8);

/// VCPUOP_register_vcpu_info: move this vCPU's VcpuInfo out of SharedInfo into a
/// guest frame (required for vCPUs beyond kLegacyMaxVcpus).
struct VcpuRegisterVcpuInfo {  // struct vcpu_register_vcpu_info
    std::uint64_t mfn;     ///< frame to hold the VcpuInfo
    std::uint32_t offset;  ///< byte offset in it; the VcpuInfo must not cross the page end
    std::uint32_t rsvd;    ///< must be 0
};
static_assert(sizeof(VcpuRegisterVcpuInfo) == 16);
static_assert(offsetof(VcpuRegisterVcpuInfo, mfn) == 0);
static_assert(offsetof(VcpuRegisterVcpuInfo, offset) == 8);
static_assert(offsetof(VcpuRegisterVcpuInfo, rsvd) == 12);

/// VCPUOP_get_physid (privileged): the physical CPU's APIC ID (low 32) and ACPI ID (high 32).
struct VcpuGetPhysid {  // struct vcpu_get_physid
    std::uint64_t phys_id;
};
static_assert(sizeof(VcpuGetPhysid) == 8);
static_assert(offsetof(VcpuGetPhysid, phys_id) == 0);

/// VCPUOP_register_vcpu_time_memory_area: Xen also keeps a VcpuTimeInfo at this address.
struct VcpuRegisterTimeMemoryArea {  // struct vcpu_register_time_memory_area
    union {
        GuestHandle<VcpuTimeInfo> h;
        std::uint64_t p;
    } addr;
};
static_assert(sizeof(VcpuRegisterTimeMemoryArea) == 8);
static_assert(offsetof(VcpuRegisterTimeMemoryArea, addr.h) == 0);
static_assert(offsetof(VcpuRegisterTimeMemoryArea, addr.p) == 0);

/// Guest registers as Xen saves them (xen/include/public/arch-x86/xen-x86_64.h). Xen
/// gives most registers several names (eax/rax...); these are the 64-bit ones.
struct CpuUserRegs {  // struct cpu_user_regs
    std::uint64_t r15;
    std::uint64_t r14;
    std::uint64_t r13;
    std::uint64_t r12;
    std::uint64_t rbp;
    std::uint64_t rbx;
    std::uint64_t r11;
    std::uint64_t r10;
    std::uint64_t r9;
    std::uint64_t r8;
    std::uint64_t rax;
    std::uint64_t rcx;
    std::uint64_t rdx;
    std::uint64_t rsi;
    std::uint64_t rdi;
    std::uint32_t error_code;         ///< Xen-private
    std::uint32_t entry_vector;       ///< Xen-private
    std::uint64_t rip;
    std::uint16_t cs;
    std::uint16_t _pad0[1];
    std::uint8_t saved_upcall_mask;   ///< event mask at the time; RFLAGS.IF is its inverse
    std::uint8_t _pad1[3];
    std::uint64_t rflags;
    std::uint64_t rsp;
    std::uint16_t ss;
    std::uint16_t _pad2[3];
    std::uint16_t es;
    std::uint16_t _pad3[3];
    std::uint16_t ds;
    std::uint16_t _pad4[3];
    std::uint16_t fs;
    std::uint16_t _pad5[3];
    std::uint16_t gs;
    std::uint16_t _pad6[3];
};
static_assert(sizeof(CpuUserRegs) == 200);
static_assert(offsetof(CpuUserRegs, r15) == 0);
static_assert(offsetof(CpuUserRegs, r14) == 8);
static_assert(offsetof(CpuUserRegs, r13) == 16);
static_assert(offsetof(CpuUserRegs, r12) == 24);
static_assert(offsetof(CpuUserRegs, rbp) == 32);
static_assert(offsetof(CpuUserRegs, rbx) == 40);
static_assert(offsetof(CpuUserRegs, r11) == 48);
static_assert(offsetof(CpuUserRegs, r10) == 56);
static_assert(offsetof(CpuUserRegs, r9) == 64);
static_assert(offsetof(CpuUserRegs, r8) == 72);
static_assert(offsetof(CpuUserRegs, rax) == 80);
static_assert(offsetof(CpuUserRegs, rcx) == 88);
static_assert(offsetof(CpuUserRegs, rdx) == 96);
static_assert(offsetof(CpuUserRegs, rsi) == 104);
static_assert(offsetof(CpuUserRegs, rdi) == 112);
static_assert(offsetof(CpuUserRegs, error_code) == 120);
static_assert(offsetof(CpuUserRegs, entry_vector) == 124);
static_assert(offsetof(CpuUserRegs, rip) == 128);
static_assert(offsetof(CpuUserRegs, cs) == 136);
static_assert(offsetof(CpuUserRegs, _pad0) == 138);
static_assert(offsetof(CpuUserRegs, saved_upcall_mask) == 140);
static_assert(offsetof(CpuUserRegs, _pad1) == 141);
static_assert(offsetof(CpuUserRegs, rflags) == 144);
static_assert(offsetof(CpuUserRegs, rsp) == 152);
static_assert(offsetof(CpuUserRegs, ss) == 160);
static_assert(offsetof(CpuUserRegs, _pad2) == 162);
static_assert(offsetof(CpuUserRegs, es) == 168);
static_assert(offsetof(CpuUserRegs, _pad3) == 170);
static_assert(offsetof(CpuUserRegs, ds) == 176);
static_assert(offsetof(CpuUserRegs, _pad4) == 178);
static_assert(offsetof(CpuUserRegs, fs) == 184);
static_assert(offsetof(CpuUserRegs, _pad5) == 186);
static_assert(offsetof(CpuUserRegs, gs) == 192);
static_assert(offsetof(CpuUserRegs, _pad6) == 194);

// VcpuGuestContext::flags (xen/include/public/arch-x86/xen.h, xen-x86_64.h).
inline constexpr std::uint64_t kVgcfI387Valid = 1u << 0;              // VGCF_i387_valid / VGCF_I387_VALID
inline constexpr std::uint64_t kVgcfInKernel = 1u << 2;               // VGCF_in_kernel / VGCF_IN_KERNEL
inline constexpr std::uint64_t kVgcfFailsafeDisablesEvents = 1u << 3; // VGCF_failsafe_disables_events
inline constexpr std::uint64_t kVgcfSyscallDisablesEvents = 1u << 4;  // VGCF_syscall_disables_events
inline constexpr std::uint64_t kVgcfOnline = 1u << 5;                 // VGCF_online
/// Also IretContext::flags: return to the guest with SYSRET instead of IRET.
inline constexpr std::uint64_t kVgcfInSyscall = 1u << 8;              // VGCF_in_syscall / VGCF_IN_SYSCALL

/// A whole vCPU's state, as given to VCPUOP_initialise to start a secondary vCPU
/// (xen/include/public/arch-x86/xen.h). Addresses are guest virtual, frames are MFNs.
struct VcpuGuestContext {  // struct vcpu_guest_context
    struct {
        char x[512];
    } fpu_ctxt;                           ///< FXSAVE image
    std::uint64_t flags;                  ///< kVgcf*
    CpuUserRegs user_regs;
    TrapInfo trap_ctxt[256];              ///< the virtual IDT
    std::uint64_t ldt_base;               ///< LDT linear address
    std::uint64_t ldt_ents;               ///< LDT entries
    std::uint64_t gdt_frames[16];         ///< GDT MFNs
    std::uint64_t gdt_ents;               ///< GDT entries
    std::uint64_t kernel_ss;              ///< kernel stack for user->kernel switches
    std::uint64_t kernel_sp;
    std::uint64_t ctrlreg[8];             ///< CR0-CR7; ctrlreg[1] = user-mode L4 on x86-64
    std::uint64_t debugreg[8];            ///< DR0-DR7
    std::uint64_t event_callback_eip;
    std::uint64_t failsafe_callback_eip;
    std::uint64_t syscall_callback_eip;
    std::uint64_t vm_assist;              ///< bit per VmAssistType
    std::uint64_t fs_base;
    std::uint64_t gs_base_kernel;
    std::uint64_t gs_base_user;
};
static_assert(sizeof(VcpuGuestContext) == 5168);
static_assert(offsetof(VcpuGuestContext, fpu_ctxt) == 0);
static_assert(offsetof(VcpuGuestContext, flags) == 512);
static_assert(offsetof(VcpuGuestContext, user_regs) == 520);
static_assert(offsetof(VcpuGuestContext, trap_ctxt) == 720);
static_assert(offsetof(VcpuGuestContext, ldt_base) == 4816);
static_assert(offsetof(VcpuGuestContext, ldt_ents) == 4824);
static_assert(offsetof(VcpuGuestContext, gdt_frames) == 4832);
static_assert(offsetof(VcpuGuestContext, gdt_ents) == 4960);
static_assert(offsetof(VcpuGuestContext, kernel_ss) == 4968);
static_assert(offsetof(VcpuGuestContext, kernel_sp) == 4976);
static_assert(offsetof(VcpuGuestContext, ctrlreg) == 4984);
static_assert(offsetof(VcpuGuestContext, debugreg) == 5048);
static_assert(offsetof(VcpuGuestContext, event_callback_eip) == 5112);
static_assert(offsetof(VcpuGuestContext, failsafe_callback_eip) == 5120);
static_assert(offsetof(VcpuGuestContext, syscall_callback_eip) == 5128);
static_assert(offsetof(VcpuGuestContext, vm_assist) == 5136);
static_assert(offsetof(VcpuGuestContext, fs_base) == 5144);
static_assert(offsetof(VcpuGuestContext, gs_base_kernel) == 5152);
static_assert(offsetof(VcpuGuestContext, gs_base_user) == 5160);

}  // namespace abi
