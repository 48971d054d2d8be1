// SPDX-License-Identifier: MIT
// After parse_kernel: the role checks Xen's builders make, and copying the kernel into its region.
#include "lib/assert.hpp"
#include "loader/elf.hpp"
#include "loader/kernel_image.hpp"

namespace hv::loader {

lib::ErrorOr<void> check_kernel_role(const KernelImage& image, KernelRole role) {
    const FeatureSet& features = image.features;
    switch (role) {
    case KernelRole::Initial:
        // dom0_construct_pv: only a kernel that states its features must list dom0.
        if (features.supported_note_present && !features.supports(abi::Feature::Dom0))
            return lib::error(abi::Errno::Inval,
                              "kernel does not support running as dom0 (SUPPORTED_FEATURES lacks dom0)");
        return {};
    case KernelRole::Unprivileged:
        // xc_dom_parse_elf_kernel: "Kernel does not support unprivileged (DomU) operation".
        if (features.requires_feature(abi::Feature::Dom0))
            return lib::error(abi::Errno::Inval, "kernel requires dom0 and cannot run unprivileged");
        return {};
    }
    return lib::error(abi::Errno::Inval, "unknown kernel role");
}

void load_kernel(const KernelImage& image, std::span<const uint8_t> file, std::span<uint8_t> region) {
    uint64_t region_bytes = image.region_bytes();
    ASSERT(region.size() >= region_bytes);
    // Xen's builders load into freshly cleared pages: whatever no segment writes is zero.
    for (uint64_t i = 0; i < region_bytes; ++i) region[i] = 0;
    for (const KernelSegment& segment : image.segments()) {
        uint64_t destination = segment.va.raw() - image.virt_base.raw();
        ASSERT(lies_inside(region_bytes, destination, segment.memory_size));
        ASSERT(lies_inside(file.size(), segment.file_offset, segment.file_size));
        for (uint64_t i = 0; i < segment.file_size; ++i) region[destination + i] = file[segment.file_offset + i];
        // The tail (p_memsz - p_filesz, the .bss) is already zero.
    }
}

}  // namespace hv::loader
