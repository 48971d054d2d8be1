// SPDX-License-Identifier: MIT
// The hypervisor's exception table (see fixups.hpp).
#include "arch/x86_64/fixups.hpp"

extern "C" {
extern const char guest_copy_instruction[], guest_copy_fixup[];                   // guest_copy.S
extern const char load_ds_instruction[], load_ds_fixup[], load_es_instruction[],  // segment_load.S
    load_es_fixup[], load_fs_instruction[], load_fs_fixup[], load_gs_instruction[], load_gs_fixup[];
}

namespace arch {
namespace {

struct Fixup {
    const char* instruction;
    const char* resume;
};

const Fixup kFixups[] = {
    {guest_copy_instruction, guest_copy_fixup},
    {load_ds_instruction, load_ds_fixup},
    {load_es_instruction, load_es_fixup},
    {load_fs_instruction, load_fs_fixup},
    {load_gs_instruction, load_gs_fixup},
};

}  // namespace

uint64_t exception_fixup(uint64_t rip) {
    for (const Fixup& fixup : kFixups)
        if (rip == reinterpret_cast<uint64_t>(fixup.instruction)) return reinterpret_cast<uint64_t>(fixup.resume);
    return 0;
}

}  // namespace arch
