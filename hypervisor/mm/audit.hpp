// SPDX-License-Identifier: MIT
// The MMU audit: recount every reference from the page tables that exist and compare with
// the frame table. A debug build runs it at the end of every run (and after every MMU
// hypercall with `debug-audit`), so a counting bug cannot hide.
#pragma once

#include <cstdint>
#include <span>

#include "lib/format.hpp"
#include "mm/frame_memory.hpp"
#include "mm/frame_table.hpp"

namespace hv {

struct AuditResult {
    uint64_t frames_checked = 0;
    uint64_t problems = 0;
};

/// References held outside the page tables, which the audit cannot find by walking them.
struct HeldReferences {
    std::span<const Mfn> base_tables;        ///< L4s vCPUs hold as base pointers (kernel, user): L4
    std::span<const Mfn> descriptor_frames;  ///< frames vCPUs hold as their GDT: SegDesc
    std::span<const Mfn> writable_frames;    ///< frames the hypervisor writes (shared_info,
                                             ///< console ring, a registered vcpu_info's
                                             ///< frame): Writable, held for good
};

/// Check, for every frame a domain owns: ref_count = 1 (allocation) + entries that map it
/// + pins + the held references; type_count = the type references those hold; no writable
/// mapping of a frame that is not of type Writable; each held frame of its type.
/// @param scratch two counters per frame of the table.
/// @param report one line per problem (at most the first 16).
AuditResult audit_frames(const FrameTable& frames, FrameMemory& memory, const HeldReferences& held,
                         std::span<uint32_t> scratch, lib::Sink& report);

}  // namespace hv
