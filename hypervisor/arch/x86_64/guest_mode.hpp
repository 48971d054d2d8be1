// SPDX-License-Identifier: MIT
// A PV vCPU's hardware context beyond its registers and segments (segments.hpp): kernel
// or user mode (which L4 is loaded, which GS base is active), breakpoints, and its lazily
// switched FPU state.
#pragma once

#include "core/domain.hpp"

namespace arch {

/// Enter guest kernel mode from user mode: the kernel L4, and the kernel's GS base
/// active (Xen's toggle_guest_mode; the guest never executes SWAPGS itself). @pre the
/// vCPU is the one running.
void switch_to_guest_kernel_mode(hv::Domain& domain);
/// Enter guest user mode. @pre the vCPU has a user L4.
void switch_to_guest_user_mode(hv::Domain& domain);

/// Arm the vCPU's breakpoints in the CPU (DR0-DR3, then DR7), or disarm the previous
/// vCPU's when it has none enabled: on every switch to its domain, and whenever it changes
/// them (Xen's activate_debugregs). The hypervisor ignores the hits of a guest's data
/// breakpoint in its own copies (the #DB handler; Xen's do_debug, XSA-260).
void load_debug_registers(const hv::Domain& domain);

/// Set up the FPU for guests (CR4.OSFXSR/OSXMMEXCPT; with XSAVE, CR4.OSXSAVE and XCR0 =
/// x87|SSE|AVX, what of it the CPU has) and the clean state new vCPUs start with. Call
/// once at boot; panics if the XSAVE area the CPU needs is larger than hv::kFpuAreaSize.
void fpu_init();
/// The hypervisor's XCR0 (0: no XSAVE, FXSAVE is used) and its XSAVE area size.
uint64_t fpu_host_xcr0();
uint32_t fpu_xsave_size();
/// A new vCPU's FPU image, XCR0 (x87|SSE) and virtual CR4.OSXSAVE (clear).
void fpu_reset(hv::Domain& domain);
/// After a switch to `domain`: its XCR0 loaded; CR0.TS set unless its state is loaded and
/// it has not set its virtual TS, so that its first FPU instruction traps (#NM) and loads
/// its state.
void fpu_prepare(hv::Domain& domain);
/// Emulated XSETBV: the vCPU's new XCR0, loaded. @pre hv::guest_xcr0_valid
void fpu_set_guest_xcr0(hv::Domain& domain, uint64_t value);
/// #NM from the guest: load its FPU state (saving the previous owner's). Returns whether
/// the guest itself asked for #NM (virtual TS set), in which case it must get the #NM.
bool fpu_device_not_available(hv::Domain& domain);
/// fpu_taskswitch(1/0): the guest's virtual CR0.TS.
void fpu_set_virtual_ts(hv::Domain& domain, bool set);

}  // namespace arch
