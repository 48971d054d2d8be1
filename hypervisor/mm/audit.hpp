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

/// Check, for every frame a domain owns: ref_count = 1 (allocation) + entries that map it
/// + pins + base pointers; type_count = the type references those hold; no writable
/// mapping of a frame that is not of type Writable.
/// @param base_tables the L4s vCPUs hold as base pointers (kernel and user).
/// @param scratch two counters per frame of the table.
/// @param report one line per problem (at most the first 16).
AuditResult audit_frames(const FrameTable& frames, FrameMemory& memory, std::span<const Mfn> base_tables,
                         std::span<uint32_t> scratch, lib::Sink& report);
/// The same, with the frames vCPUs hold as their GDT (set_gdt): each holds one general and
/// one type reference, and must be a descriptor page.
AuditResult audit_frames(const FrameTable& frames, FrameMemory& memory, std::span<const Mfn> base_tables,
                         std::span<const Mfn> descriptor_frames, std::span<uint32_t> scratch, lib::Sink& report);

}  // namespace hv
