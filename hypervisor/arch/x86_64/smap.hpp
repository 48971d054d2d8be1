// SPDX-License-Identifier: MIT
// SMAP: turned on where a boot-time probe shows that a PV guest kernel can live with it.
#pragma once

#include "core/smap_policy.hpp"

namespace arch {

/// Decide about SMAP once, at boot, and print the verdict (`smap: ...`): with `setting`
/// Probe (no `smap=`), run the probe when the CPU has SMAP and keep SMAP on only if the
/// probe's IRETQ at CPL 3 works. When SMAP stays on, the STAC/CLAC sites are patched in
/// first. @pre descriptors_init (the probe needs the GDT's ring-3 selectors and the TSS),
/// interrupts off.
void enable_smap_where_it_works(hv::SmapSetting setting);

}  // namespace arch
