// SPDX-License-Identifier: MIT
// TLB flushes. A CR3 write keeps global (G) translations, and Xen gives guest user pages
// G (pte_rules::adjust), so a full flush toggles CR4.PGE (SDM Vol. 3A 4.10.4.1).
#pragma once

#include <cstdint>

#include "arch/x86_64/cpu.hpp"

namespace arch {

/// Drop every translation, global ones included.
inline void flush_tlb_all() {
    constexpr uint64_t kCr4Pge = uint64_t{1} << 7;
    const uint64_t cr4 = read_cr4();
    write_cr4(cr4 & ~kCr4Pge);
    write_cr4(cr4);
}

/// Load a new address space and drop every stale translation of the old one.
inline void switch_address_space(uint64_t cr3) {
    write_cr3(cr3);
    flush_tlb_all();
}

}  // namespace arch
