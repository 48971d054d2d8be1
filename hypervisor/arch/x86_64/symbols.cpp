// SPDX-License-Identifier: MIT
// Symbol lookup: a binary search over the table that the second link adds (.symbols).
// Layout, written by scripts/gen-symbols.py: u64 count, then `count` entries of
// {u64 address, u64 name offset} sorted by address, then the NUL-terminated names.
#include "arch/x86_64/symbols.hpp"

extern "C" const uint64_t hypervisor_symbols[];

namespace arch {

SymbolMatch lookup_symbol(uint64_t address) {
    const uint64_t count = hypervisor_symbols[0];
    const uint64_t* entries = hypervisor_symbols + 1;
    const char* names = reinterpret_cast<const char*>(entries + 2 * count);
    if (count == 0 || address < entries[0]) return {nullptr, 0};
    uint64_t low = 0, high = count;  // entries[low].address <= address < entries[high].address
    while (high - low > 1) {
        uint64_t middle = low + (high - low) / 2;
        if (entries[2 * middle] <= address) low = middle;
        else high = middle;
    }
    return {names + entries[2 * low + 1], address - entries[2 * low]};
}

}  // namespace arch
