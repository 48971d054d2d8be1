// SPDX-License-Identifier: MIT
// A PV vCPU's data segments: the DS, ES, FS and GS selectors and the FS and GS bases.
//
// While a vCPU runs they live in the CPU and nowhere else: the guest may load a selector
// from its GDT at any time, and loading FS or GS also loads that segment's base. The
// hypervisor saves them into the vCPU's PvState when it switches the vCPU out and loads
// them back when it switches it in (Xen's save_segments and load_segments). Loading can
// fail: the guest may have made a descriptor not-present, or taken the GDT page away,
// since it loaded the selector. The CPU then refuses it, null is loaded instead, and the
// guest learns it through its failsafe callback (deliver.hpp).
#pragma once

#include <cstdint>

#include "core/domain.hpp"

namespace arch {

/// Switch-out: the running vCPU's selectors and bases, from the CPU into its PvState.
void save_segments(hv::Domain& domain);

/// Switch-in: load the vCPU's selectors (its GDT must be loaded already: the CPU checks
/// each one against it), then its bases. Returns false if a selector was refused; that
/// register now holds null.
[[nodiscard]] bool load_segments(const hv::Domain& domain);

/// The guest toggled between kernel and user mode: the other GS base becomes the active
/// one (SWAPGS; the guest itself may not execute it).
void swap_gs_bases();

/// set_segment_base and WRMSR on the running vCPU: its FS base, or its kernel or user GS
/// base (the active or the inactive one, by the mode it is in).
void set_fs_base(uint64_t base);
void set_gs_base(const hv::Domain& domain, bool user_base, uint64_t base);
/// RDMSR on the running vCPU.
uint64_t fs_base();
uint64_t gs_base(const hv::Domain& domain, bool user_base);

/// set_segment_base(SEGBASE_GS_USER_SEL): load the user %gs selector (RPL forced to 3;
/// null if the CPU refuses it), and make the base it brings the user GS base.
void load_user_gs_selector(const hv::Domain& domain, uint16_t selector);

}  // namespace arch
