// SPDX-License-Identifier: MIT
// Benchmark: the cost of one page-table entry update, by each way a PV kernel has.
//
// The guest makes an L1 table of its own (pinned, linked into the loaded L2 so that it
// maps a 2 MiB window nobody touches) and two data frames, A and B. At the start all 512
// entries map A, writable. Each measurement makes passes over the 512 entries, the even
// passes moving every entry to B and the odd ones back to A, so every update is a real
// change: Xen drops a reference on one frame and takes one on the other. The ways:
//   - mmu_update in batches of 1, 16 and 512 requests (MMU_NORMAL_PT_UPDATE);
//   - update_va_mapping of the entry's address (UVMF_INVLPG | UVMF_LOCAL, as a kernel
//     changing one mapping does);
//   - a trapped direct write: a MOV to the entry through the table's read-only mapping,
//     with VMASST_TYPE_writable_pagetables on, which the hypervisor decodes, validates
//     and applies (XEN-PV-ABI.md 3.5; Xen: pv/ro-page-fault.c).
// After each way the guest checks that every entry maps the frame it should, so that a
// number never comes from updates that did not happen. Command line: ops=N (updates per
// way, rounded down to an even number of passes; default 10,240).
#include "apps/app.hpp"
#include "apps/bench/bench.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/layout.hpp"
#include "mm/mmu.hpp"
#include "mm/p2m.hpp"
#include "mm/page_table.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"

namespace minios {
namespace {

constexpr unsigned kEntries = 512;
/// The 2 MiB below the fixmap (whose L2 slot events use): an L2 slot the start-of-day
/// tables leave empty, in the same L2.
constexpr mm::Vaddr kWindow{mm::kFixmapStart.raw() - (uint64_t{2} << 20)};

struct Frame {
    mm::Pfn pfn;
    mm::Mfn mfn;
};

/// What the measurements work on.
struct Lab {
    Frame l1;
    Frame data[2];  // A and B
    /// mmu_update requests moving every entry to A ([0]) or to B ([1]).
    abi::MmuUpdate to[2][kEntries];

    /// The L1's entries, through its read-only start-of-day mapping.
    volatile uint64_t* entries() const { return mm::pointer_to<volatile uint64_t>(mm::start_of_day_address(l1.pfn)); }
    uint64_t entry_for(unsigned frame) const { return mm::kernel_page_entry(data[frame].mfn, true); }
};

Lab lab;  // 16 KiB of requests: too big for minios' stack

/// A free frame the start-of-day tables map writable (XEN-PV-ABI.md 3.2: it must be made
/// read-only before it becomes a table, and zeroed while it still can be written).
lib::ErrorOr<Frame> take_frame() {
    const mm::Pfn pfn = TRY(mm::allocate_frame());
    const uint64_t mapping = TRY(mm::read_current_entry(mm::start_of_day_address(pfn), mm::pte::kL1));
    if (!mm::pte::present(mapping) || !mm::pte::writable(mapping))
        return lib::error(abi::Errno::NoMem, "no free frame left in the start-of-day mapping");
    return Frame{pfn, TRY(mm::mfn_of(pfn))};
}

lib::ErrorOr<void> set_up(const abi::StartInfo& info) {
    TRY(bench::start(info));
    lab.l1 = TRY(take_frame());
    for (Frame& frame : lab.data) frame = TRY(take_frame());
    __builtin_memset(mm::pointer_to<void>(mm::start_of_day_address(lab.l1.pfn)), 0, mm::kPageSize);
    TRY(mm::set_mapping(mm::start_of_day_address(lab.l1.pfn), mm::kernel_page_entry(lab.l1.mfn, false)));
    TRY(mm::pin_table(mm::pte::kL1, lab.l1.mfn));
    if (TRY(mm::read_current_entry(kWindow, 2)) != 0)
        return lib::error(abi::Errno::Exist, "the window's L2 entry is already in use");
    const mm::Mfn l2 = mm::pte::frame(TRY(mm::read_current_entry(kWindow, 3)));
    mm::MmuUpdateBatch batch;
    TRY(batch.write_entry(mm::Maddr(mm::maddr_of(l2).raw() + mm::pte::index(kWindow, 2) * sizeof(uint64_t)),
                          mm::table_link_entry(lab.l1.mfn)));
    TRY(batch.flush());
    const uint64_t command = static_cast<uint64_t>(abi::MmuUpdateCommand::NormalPtUpdate);
    for (unsigned frame = 0; frame < 2; ++frame) {
        for (unsigned i = 0; i < kEntries; ++i)
            lab.to[frame][i] = {(mm::maddr_of(lab.l1.mfn).raw() + i * sizeof(uint64_t)) | command, lab.entry_for(frame)};
    }
    return mmu_update(lab.to[0], kEntries, nullptr, abi::kDomidSelf);  // every entry maps A
}

/// Whether every entry maps data frame `frame` (Xen adds USER and bit 52 to what was written).
bool all_entries_map(unsigned frame) {
    for (unsigned i = 0; i < kEntries; ++i) {
        const uint64_t entry = lab.entries()[i];
        if (!mm::pte::present(entry) || mm::pte::frame(entry) != lab.data[frame].mfn) return false;
    }
    return true;
}

/// Run `passes` passes of `update(index, frame)` (frame 1 on even passes, 0 on odd), time
/// them, check the entries and print the result. `update` returns Xen's RAX.
template <typename Update>
bool measure(const char* operation, uint64_t passes, unsigned step, Update update) {
    int64_t failed = 0;
    const uint64_t start = bench::read_tsc();
    for (uint64_t pass = 0; pass < passes && failed == 0; ++pass) {
        const unsigned frame = pass % 2 == 0 ? 1 : 0;
        for (unsigned i = 0; i < kEntries && failed == 0; i += step) failed = update(i, frame);
    }
    const uint64_t cycles = bench::read_tsc() - start;
    if (failed != 0 || !all_entries_map(0)) {
        printk("bench: {}: failed: rc {}, every entry maps A again: {}\n", operation, failed, all_entries_map(0));
        return false;
    }
    bench::report(operation, "update", passes * kEntries, cycles);
    return true;
}

int64_t vm_assist(abi::VmAssistCommand command) {
    return raw_hypercall(abi::Hypercall::VmAssist, static_cast<uint64_t>(command),
                         static_cast<uint64_t>(abi::VmAssistType::WritablePagetables));
}

}  // namespace

const char* app_name() { return "bench-mmu"; }

int app_main(const abi::StartInfo& info) {
    if (auto ready = set_up(info); ready.is_error()) return bench::fail("set-up", ready.error());
    // An even number of passes, so that each way ends with every entry on A again.
    const uint64_t passes = bench::number_option(info, "ops=", bench::kDefaultOps) / kEntries / 2 * 2;
    printk("bench: {} updates per way, {} passes over the 512 entries of an L1\n", passes * kEntries, passes);
    bool ok = true;
    for (const unsigned batch : {1u, 16u, 512u}) {
        char name[32];
        lib::FixedBuffer text(name, sizeof name);
        lib::format_to(text, "mmu_update batch={}", batch);
        ok &= measure(text.c_str(), passes, batch, [batch](unsigned i, unsigned frame) {
            return raw_hypercall(abi::Hypercall::MmuUpdate, reinterpret_cast<uint64_t>(&lab.to[frame][i]), batch, 0,
                                 abi::kDomidSelf);
        });
    }
    ok &= measure("update_va_mapping", passes, 1, [](unsigned i, unsigned frame) {
        return raw_hypercall(abi::Hypercall::UpdateVaMapping, kWindow.raw() + i * mm::kPageSize, lab.entry_for(frame),
                             abi::kUvmfInvlpg | abi::kUvmfLocal);
    });
    if (const int64_t enabled = vm_assist(abi::VmAssistCommand::Enable); enabled != 0) {
        printk("bench: vm_assist(enable, writable_pagetables): failed: rc {}\n", enabled);
        return 1;
    }
    ok &= measure("trapped direct write", passes, 1, [](unsigned i, unsigned frame) {
        // One 64-bit MOV through the read-only mapping: it faults, and the hypervisor emulates it.
        asm volatile("movq %[value], (%[entry])" : : [value] "r"(lab.entry_for(frame)), [entry] "r"(&lab.entries()[i])
                     : "memory");
        return int64_t{0};
    });
    (void)vm_assist(abi::VmAssistCommand::Disable);
    return ok ? 0 : 1;
}

}  // namespace minios
