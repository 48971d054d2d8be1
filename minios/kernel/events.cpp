// SPDX-License-Identifier: MIT
// Event delivery: the upcall, the 2-level scan, per-port handlers, and masking.
//
// Theory of operation (XEN-PV-ABI.md 6; Xen's xen/common/event_2l.c is the other side).
// Xen raises port p by setting bit p of shared_info.evtchn_pending; if the port's mask bit
// is clear and bit p/64 of this vCPU's evtchn_pending_sel was clear, it sets that bit
// and evtchn_upcall_pending. On its next return to us, if evtchn_upcall_mask is 0, it
// enters event_upcall_entry (arch/x86_64/event_entry.S) with the mask set.
//
// Xen never clears anything, so the upcall does, in this order:
//   1. evtchn_upcall_pending = 0          (a raise after this sets it again)
//   2. words = xchg(evtchn_pending_sel, 0) (a raise after this sets its bit again)
//   3. for each word: ports = pending & ~mask; for each port, lowest first: clear its
//      pending bit, then run its handler (an event that comes during the handler sets
//      the bit again and is not lost).
// A masked pending port keeps its bit, but its pending_sel bit was consumed in step 2:
// the upcall for it is gone. Whoever unmasks it must redo the raise (unmask_port).
//
// evtchn_upcall_mask is the guest's "interrupts off" (CLI/STI do nothing in a PV guest).
// Unmasking delivers nothing by itself: Xen looks at upcall_pending only when it
// returns to the guest, so unmask_events makes a cheap hypercall when one is pending.
// SCHEDOP_block clears the mask itself, atomically with going to sleep.
//
// Invariants: one vCPU; handlers run with events masked and never nest; the upcall
// returns with the iret hypercall, which restores the interrupted code's mask.
#include "kernel/events.hpp"

#include "abi/version.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/layout.hpp"
#include "mm/mm.hpp"
#include "mm/mmu.hpp"
#include "mm/p2m.hpp"
#include "mm/page_table.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"
#include "mm/shared_info.hpp"

extern "C" char event_upcall_entry[];
extern "C" char event_failsafe_entry[];

namespace minios {
namespace {

struct PortHandler {
    EventHandler handler;
    void* context;
};

PortHandler handlers[kMaxPorts];
EventCounters counters;
abi::SharedInfo* shared = nullptr;

constexpr uint32_t kBitsPerWord = abi::kEventChannelWordBits;
constexpr uint64_t bit_of(Port port) { return uint64_t{1} << (port.raw() % kBitsPerWord); }
constexpr uint32_t word_of(Port port) { return port.raw() / kBitsPerWord; }

// Shared words change under our feet (Xen writes them from another CPU too): every access
// is an atomic one, with the lock prefix where it must not lose Xen's concurrent bits.
uint64_t load(const uint64_t& word) { return __atomic_load_n(&word, __ATOMIC_SEQ_CST); }
uint8_t load(const uint8_t& byte) { return __atomic_load_n(&byte, __ATOMIC_SEQ_CST); }
void store(uint8_t& byte, uint8_t value) { __atomic_store_n(&byte, value, __ATOMIC_SEQ_CST); }
void set_bits(uint64_t& word, uint64_t bits) { __atomic_fetch_or(&word, bits, __ATOMIC_SEQ_CST); }
void clear_bits(uint64_t& word, uint64_t bits) { __atomic_fetch_and(&word, ~bits, __ATOMIC_SEQ_CST); }
bool test_and_set_bits(uint64_t& word, uint64_t bits) {
    return (__atomic_fetch_or(&word, bits, __ATOMIC_SEQ_CST) & bits) != 0;
}

/// Ask Xen for an upcall it is holding back: it checks for events on the way out of
/// every hypercall (xen_version is the cheapest; Linux's xen_force_evtchn_callback).
void force_event_callback() {
    ++counters.forced_upcalls;
    raw_hypercall(abi::Hypercall::XenVersion, static_cast<uint64_t>(abi::VersionOp::Version), 0);
}

/// The start-of-day tables have no L1 for the fixmap (it lies far above the region Xen
/// mapped). Add one to the running tables: a fresh frame, zeroed, made read-only, then
/// linked from the L2 that maps the first GiB (XEN-PV-ABI.md 3.2: Xen validates it as
/// an L1 when the link is written).
lib::ErrorOr<void> add_fixmap_table() {
    if (mm::pte::present(TRY(mm::read_current_entry(mm::kFixmapStart, 2)))) return {};
    const uint64_t l3_entry = TRY(mm::read_current_entry(mm::kFixmapStart, 3));
    const mm::Pfn table = TRY(mm::allocate_frame());
    const mm::Mfn table_mfn = TRY(mm::mfn_of(table));
    const mm::Vaddr table_address = mm::start_of_day_address(table);
    auto* entries = mm::pointer_to<uint64_t>(table_address);
    for (unsigned i = 0; i < mm::kPageSize / sizeof(uint64_t); ++i) entries[i] = 0;
    TRY(mm::set_mapping(table_address, mm::kernel_page_entry(table_mfn, false)));
    const mm::Maddr l2_slot(mm::maddr_of(mm::pte::frame(l3_entry)).raw() +
                            mm::pte::index(mm::kFixmapStart, 2) * sizeof(uint64_t));
    mm::MmuUpdateBatch batch;
    TRY(batch.write_entry(l2_slot, mm::table_link_entry(table_mfn)));
    return batch.flush();
}

lib::ErrorOr<void> register_entry(abi::CallbackType type, const char* address, uint16_t flags) {
    abi::CallbackRegister registration{};
    registration.type = static_cast<uint16_t>(type);
    registration.flags = flags;
    registration.address = reinterpret_cast<uint64_t>(address);
    return register_callback(registration);
}

void dispatch(Port port) {
    const PortHandler& entry = handlers[port.raw()];
    if (entry.handler == nullptr) {
        ++counters.unhandled;
        return;
    }
    ++counters.events;
    entry.handler(port, entry.context);
}

}  // namespace

lib::ErrorOr<void> init_events(const abi::StartInfo& info) {
    TRY(mm::init_memory(info));
    TRY(add_fixmap_table());
    TRY(mm::map_shared_info(info));
    // map_shared_info hands out a read-only view; the mapping itself is writable.
    shared = mm::pointer_to<abi::SharedInfo>(mm::kSharedInfoAddress);
    TRY(register_entry(abi::CallbackType::Event, event_upcall_entry, 0));
    // The failsafe frame does not mask events unless asked to; our handler expects them masked.
    TRY(register_entry(abi::CallbackType::Failsafe, event_failsafe_entry, abi::kCallbackfMaskEvents));
    return {};
}

abi::SharedInfo& shared_info() {
    ASSERT(shared != nullptr);
    return *shared;
}

abi::VcpuInfo& this_vcpu_info() { return shared_info().vcpu_info[0]; }

lib::ErrorOr<void> set_event_handler(Port port, EventHandler handler, void* context) {
    if (port.raw() == 0 || port.raw() >= kMaxPorts) return lib::error(abi::Errno::Inval, "no such port");
    EventsMasked masked;
    handlers[port.raw()] = {handler, context};
    return {};
}

void clear_event_handler(Port port) {
    if (port.raw() == 0 || port.raw() >= kMaxPorts) return;
    EventsMasked masked;
    handlers[port.raw()] = {};
}

extern "C" void handle_event_upcall() {
    ++counters.upcalls;
    abi::VcpuInfo& vcpu = this_vcpu_info();
    // BEGIN LAB events: the 2-level scan: clear upcall_pending, take pending_sel, run each pending unmasked port
    store(vcpu.evtchn_upcall_pending, 0);
    uint64_t words = __atomic_exchange_n(&vcpu.evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (words != 0) {
        const uint32_t word = static_cast<uint32_t>(__builtin_ctzll(words));
        words &= words - 1;
        // Re-read every time: a handler may have made more ports of this word pending.
        for (;;) {
            const uint64_t ready = load(shared->evtchn_pending[word]) & ~load(shared->evtchn_mask[word]);
            if (ready == 0) break;
            const Port port(word * kBitsPerWord + static_cast<uint32_t>(__builtin_ctzll(ready)));
            clear_bits(shared->evtchn_pending[word], bit_of(port));
            dispatch(port);
        }
    }
    // END LAB
}

extern "C" void handle_failsafe_callback(const uint64_t* selectors) {
    ++counters.failsafe_callbacks;
    for (unsigned i = 0; i < 4; ++i) counters.failsafe_selectors[i] = static_cast<uint16_t>(selectors[i]);
}

bool mask_events() {
    abi::VcpuInfo& vcpu = this_vcpu_info();
    const bool were_masked = load(vcpu.evtchn_upcall_mask) != 0;
    store(vcpu.evtchn_upcall_mask, 1);
    return were_masked;
}

void unmask_events() {
    abi::VcpuInfo& vcpu = this_vcpu_info();
    // BEGIN LAB events: unmask, then collect the upcall Xen held back while masked
    store(vcpu.evtchn_upcall_mask, 0);
    // Store the mask, then read pending (both seq_cst, so in that order): a raise that
    // saw the old mask has set pending by now.
    if (load(vcpu.evtchn_upcall_pending) != 0) force_event_callback();
    // END LAB
}

bool events_masked() { return load(this_vcpu_info().evtchn_upcall_mask) != 0; }

void mask_port(Port port) { set_bits(shared_info().evtchn_mask[word_of(port)], bit_of(port)); }

void unmask_port(Port port) {
    abi::SharedInfo& page = shared_info();
    abi::VcpuInfo& vcpu = this_vcpu_info();
    // BEGIN LAB events: unmask a port without losing the event that came while it was masked
    clear_bits(page.evtchn_mask[word_of(port)], bit_of(port));
    if ((load(page.evtchn_pending[word_of(port)]) & bit_of(port)) == 0) return;
    // Do what Xen's raise skipped because the port was masked (event_2l.c: evtchn_2l_unmask).
    if (test_and_set_bits(vcpu.evtchn_pending_sel, uint64_t{1} << word_of(port))) return;
    store(vcpu.evtchn_upcall_pending, 1);
    if (!events_masked()) force_event_callback();
    // END LAB
}

void clear_port_mask_bit(Port port) { clear_bits(shared_info().evtchn_mask[word_of(port)], bit_of(port)); }

bool port_pending(Port port) { return (load(shared_info().evtchn_pending[word_of(port)]) & bit_of(port)) != 0; }

void clear_port_pending(Port port) { clear_bits(shared_info().evtchn_pending[word_of(port)], bit_of(port)); }

bool port_masked(Port port) { return (load(shared_info().evtchn_mask[word_of(port)]) & bit_of(port)) != 0; }

EventCounters event_counters() {
    EventsMasked masked;
    return counters;
}

}  // namespace minios
