// SPDX-License-Identifier: MIT
// The MMU audit (see audit.hpp): count, then compare.
#include "mm/audit.hpp"

#include "lib/assert.hpp"
#include "mm/page_types.hpp"
#include "mm/pte.hpp"
#include "mm/pte_rules.hpp"

namespace hv {
namespace {

constexpr uint64_t kMaxReported = 16;

struct Counts {
    std::span<uint32_t> scratch;
    uint32_t& refs(Mfn mfn) { return scratch[2 * mfn.raw()]; }
    uint32_t& types(Mfn mfn) { return scratch[2 * mfn.raw() + 1]; }
};

struct Auditor {
    const FrameTable& frames;
    FrameMemory& memory;
    Counts counts;
    lib::Sink& report;
    AuditResult result;

    template <typename... Args>
    void problem(const char* fmt, const Args&... args) {
        if (result.problems++ < kMaxReported) lib::format_to(report, fmt, args...);
    }

    void count_entry(Mfn table, unsigned level, unsigned index, uint64_t entry) {
        const Mfn target = pte::mfn(entry);
        if (!frames.contains(target)) {
            problem("audit: mfn {:#x} entry {} maps a frame beyond RAM ({:#x})\n", table, index, target);
            return;
        }
        if (level > 1 && target == table) return;  // a self-reference holds nothing
        counts.refs(target) += 1;
        if (level > 1 || pte::writable(entry)) counts.types(target) += 1;
        if (level == 1 && pte::writable(entry) && frames[target].type != FrameType::Writable)
            problem("audit: mfn {:#x} entry {} maps {:#x} writable, but it is a {}\n", table, index, target,
                    frame_type_name(frames[target].type));
    }

    void count_table(Mfn table, unsigned level) {
        const uint64_t* entries = memory.entries(table);
        for (unsigned i = 0; i < 512; ++i)
            if (!(level == 4 && pte_rules::is_hypervisor_l4_slot(i)) && pte::present(entries[i]))
                count_entry(table, level, i, entries[i]);
    }

    void count_held(std::span<const Mfn> held, FrameType type) {
        for (Mfn mfn : held) {
            if (!frames.contains(mfn)) {
                problem("audit: a vCPU holds mfn {:#x}, beyond RAM\n", mfn);
                continue;
            }
            counts.refs(mfn) += 1;
            counts.types(mfn) += 1;
            if (frames[mfn].type != type)
                problem("audit: mfn {:#x} is held as a {}, but it is a {}\n", mfn, frame_type_name(type),
                        frame_type_name(frames[mfn].type));
        }
    }

    void count_all(const HeldReferences& held) {
        for (uint64_t f = 0; f < frames.size(); ++f) {
            const Mfn mfn(f);
            const FrameInfo& info = frames[mfn];
            if (!(info.flags & kFrameAllocated) || info.owner == kDomIdXen.raw()) continue;
            counts.refs(mfn) += 1;  // the owner's allocation
            if (info.flags & kFramePinned) { counts.refs(mfn) += 1; counts.types(mfn) += 1; }
            if (is_page_table(info.type) && (info.flags & kFrameValidated)) count_table(mfn, level_of(info.type));
        }
        count_held(held.base_tables, FrameType::L4);
        count_held(held.descriptor_frames, FrameType::SegDesc);
        count_held(held.writable_frames, FrameType::Writable);
    }

    void compare() {
        for (uint64_t f = 0; f < frames.size(); ++f) {
            const Mfn mfn(f);
            const FrameInfo& info = frames[mfn];
            if (!(info.flags & kFrameAllocated) || info.owner == kDomIdXen.raw()) continue;
            ++result.frames_checked;
            if (info.ref_count != counts.refs(mfn))
                problem("audit: mfn {:#x} (d{}) has ref_count {}, its references count {}\n", mfn, info.owner,
                        info.ref_count, counts.refs(mfn));
            if (info.type_count != counts.types(mfn))
                problem("audit: mfn {:#x} (d{}, {}) has type_count {}, its type references count {}\n", mfn, info.owner,
                        frame_type_name(info.type), info.type_count, counts.types(mfn));
            if (info.type_count == 0 && info.type != FrameType::None)
                problem("audit: mfn {:#x} keeps type {} with no type reference\n", mfn, frame_type_name(info.type));
        }
    }
};

}  // namespace

AuditResult audit_frames(const FrameTable& frames, FrameMemory& memory, const HeldReferences& held,
                         std::span<uint32_t> scratch, lib::Sink& report) {
    ASSERT(scratch.size() >= 2 * frames.size());
    for (uint32_t& counter : scratch) counter = 0;
    Auditor auditor{frames, memory, Counts{scratch}, report, {}};
    auditor.count_all(held);
    auditor.compare();
    return auditor.result;
}

}  // namespace hv
