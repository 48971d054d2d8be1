// SPDX-License-Identifier: MIT
// The domain builder: from a checked kernel image to Xen's x86-64 PV start of day.
#pragma once

#include <cstdint>
#include <span>

#include "lib/error_or.hpp"
#include "loader/kernel_image.hpp"
#include "loader/start_of_day_layout.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/frame_table.hpp"

namespace hv::loader {

/// The builder's only way to touch machine memory: the direct map in the image, a
/// byte buffer in host tests.
class BuildMemory {
public:
    /// The bytes of `count` contiguous machine frames from `first`.
    virtual std::span<uint8_t> frames(Mfn first, uint64_t count) = 0;
    /// Record M2P[mfn] = gfn.
    virtual void set_m2p(Mfn mfn, uint64_t gfn) = 0;

protected:
    ~BuildMemory() = default;
};

/// What to build.
struct DomainRequest {
    DomId id;
    uint64_t nr_pages;                       ///< from mem=
    uint32_t start_info_flags;               ///< SIF_* (SIF_PRIVILEGED for the control role)
    const char* command_line;                ///< the guest's, copied to start_info.cmd_line
    std::span<const uint64_t> hypervisor_l4_slots;  ///< L4 entries 256..271 to share
};

/// The event-channel ports reserved for the xenstore and console rings. libxl allocates
/// the store port and then the console port, lowest free first, so a domU sees 1 and 2.
inline constexpr uint32_t kXenstorePort = 1;
inline constexpr uint32_t kConsolePort = 2;

/// What was built: everything the vCPU's first registers and the domain record need.
struct StartOfDay {
    StartOfDayLayout layout;
    Mfn first_mfn;        ///< the domain's frames are first_mfn .. first_mfn + nr_pages - 1
    Mfn l4_mfn;           ///< CR3
    Mfn shared_info_mfn;
    Mfn console_mfn;      ///< the console ring page
    uint64_t entry;       ///< RIP
    uint64_t stack_top;   ///< RSP
    uint64_t start_info;  ///< RSI
};

/// Allocate the domain's memory, load the kernel, and write the start-of-day state:
/// p2m list, start_info, xenstore and console pages, page tables (typed and counted in
/// the frame table as if the guest had pinned its L4 and loaded it as CR3), boot stack,
/// hypercall page, shared_info with every vCPU's events masked.
/// Nothing is changed when it fails.
/// @retval NoMem not enough memory for the request, or for the start-of-day region.
/// @retval OpNotSupp the kernel asks for something Xenolith cannot give yet (INIT_P2M).
lib::ErrorOr<StartOfDay> build_start_of_day(const DomainRequest& request, const KernelImage& image,
                                           std::span<const uint8_t> file, FrameAllocator& allocator,
                                           FrameTable& frames, BuildMemory& memory);

/// Fill a hypercall page with Xen's 64-bit stubs (XEN-PV-ABI.md section 1).
void write_hypercall_page(std::span<uint8_t, 4096> page);

}  // namespace hv::loader
