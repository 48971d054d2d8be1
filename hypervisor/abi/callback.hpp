// SPDX-License-Identifier: MIT
// callback_op (hypercall 30) and the iret hypercall's stack frame: how Xen enters and leaves a guest kernel.
#pragma once

#include <cstddef>
#include <cstdint>

namespace abi {

/// First argument of callback_op (xen/include/public/callback.h).
enum class CallbackOp : std::uint32_t {
    Register = 0,    // CALLBACKOP_register: CallbackRegister
    Unregister = 1,  // CALLBACKOP_unregister: CallbackUnregister
};

/// Which entry point a CallbackRegister sets.
enum class CallbackType : std::uint16_t {
    Event = 0,               // CALLBACKTYPE_event: event-channel upcall
    Failsafe = 1,            // CALLBACKTYPE_failsafe: Xen could not restore segment state
    Syscall = 2,             // CALLBACKTYPE_syscall: SYSCALL from 64-bit user mode
    SysenterDeprecated = 3,  // CALLBACKTYPE_sysenter_deprecated
    Nmi = 4,                 // CALLBACKTYPE_nmi
    Sysenter = 5,            // CALLBACKTYPE_sysenter: SYSENTER from 32-bit user mode
    // 6 is unassigned.
    Syscall32 = 7,           // CALLBACKTYPE_syscall32: SYSCALL from 32-bit user mode
};

/// CallbackRegister::flags: mask events (set evtchn_upcall_mask) on entry.
inline constexpr std::uint16_t kCallbackfMaskEvents = 1u << 0;  // CALLBACKF_mask_events

/// CALLBACKOP_register.
struct CallbackRegister {  // struct callback_register
    std::uint16_t type;     ///< CallbackType
    std::uint16_t flags;    ///< kCallbackfMaskEvents
    std::uint32_t hole0;    ///< padding (implicit in Xen's struct)
    std::uint64_t address;  ///< entry point (xen_callback_t: a plain address on x86-64)
};
static_assert(sizeof(CallbackRegister) == 16);
static_assert(offsetof(CallbackRegister, type) == 0);
static_assert(offsetof(CallbackRegister, flags) == 2);
static_assert(offsetof(CallbackRegister, address) == 8);

/// CALLBACKOP_unregister: only the NMI callback can be removed; the others give -EINVAL
/// (xen/arch/x86/pv/callback.c: unregister_guest_callback).
struct CallbackUnregister {  // struct callback_unregister
    std::uint16_t type;  ///< CallbackType
    std::uint16_t _unused;
};
static_assert(sizeof(CallbackUnregister) == 4);
static_assert(offsetof(CallbackUnregister, type) == 0);
static_assert(offsetof(CallbackUnregister, _unused) == 2);

/// The guest stack at the iret hypercall's SYSCALL, lowest address first
/// (xen/include/public/arch-x86/xen-x86_64.h). The guest pushes ss..flags and jumps to
/// the iret stub (hypercall.hpp: kHypercallIretOffset), which pushes rcx, r11, rax.
struct IretContext {  // struct iret_context
    std::uint64_t rax;
    std::uint64_t r11;
    std::uint64_t rcx;
    std::uint64_t flags;   ///< kVgcfInSyscall (vcpu.hpp): return with SYSRET
    std::uint64_t rip;
    std::uint64_t cs;      ///< RPL 3 returns to user mode
    std::uint64_t rflags;  ///< IF becomes the inverse of the event mask
    std::uint64_t rsp;
    std::uint64_t ss;
};
static_assert(sizeof(IretContext) == 72);
static_assert(offsetof(IretContext, rax) == 0);
static_assert(offsetof(IretContext, r11) == 8);
static_assert(offsetof(IretContext, rcx) == 16);
static_assert(offsetof(IretContext, flags) == 24);
static_assert(offsetof(IretContext, rip) == 32);
static_assert(offsetof(IretContext, cs) == 40);
static_assert(offsetof(IretContext, rflags) == 48);
static_assert(offsetof(IretContext, rsp) == 56);
static_assert(offsetof(IretContext, ss) == 64);

}  // namespace abi
