// SPDX-License-Identifier: MIT
// Cooperative threads: a first-in, first-out run queue over a fixed thread table.
//
// Theory of operation. A thread runs until it yields, sleeps, waits for an event, or
// ends; then schedule() takes the thread at the head of the run queue and switches
// stacks (arch/x86_64/thread_switch.S). The queue is first in, first out: threads run in
// the order they became runnable (so sleepers woken by one timer upcall still run in
// deadline order), and a yielding thread goes to the back. When the queue is empty the
// vCPU blocks in SCHEDOP_block: the upcall that wakes it runs the event handlers, which
// queue threads (a port's waiters, or a sleeper through its timer), and schedule()
// looks again. Nothing preempts a thread: handlers only queue threads.
//
// Invariants: one vCPU. A thread is in the run queue at most once, and never while it
// runs. The thread table, the run queue, the signalled-port bits and each thread's
// state change only with events masked, so handlers (which run masked) never see them
// half-changed. schedule() is called with events masked and returns with them masked
// in the thread that called it; each thread restores its own mask on the way out
// (EventsMasked), and a new thread unmasks them when it starts.
#include "kernel/sched.hpp"

#include "arch/x86_64/hypercall.hpp"
#include "kernel/time.hpp"

extern "C" void switch_stacks(uint64_t* save_rsp, uint64_t next_rsp);
extern "C" char thread_start[];

namespace minios {
namespace {

enum class ThreadState : uint8_t {
    Free,      // the slot holds no thread
    Runnable,  // running, or in the run queue
    Blocked,   // sleeping, waiting for a port, or joining
    Ended,     // its function returned; the slot is freed by join_thread
};

constexpr uint32_t kNoThread = kMaxThreads;

struct Thread {
    const char* name = nullptr;
    ThreadState state = ThreadState::Free;
    uint64_t saved_rsp = 0;  // while switched out
    ThreadFunction function = nullptr;
    void* argument = nullptr;
    Port waiting_for{0};           // port it waits for (0: none)
    uint32_t joining = kNoThread;  // slot it waits to end
    Timer wakeup;                  // armed while it sleeps
};

Thread threads[kMaxThreads];
alignas(16) uint8_t stacks[kMaxThreads - 1][kThreadStackBytes];  // slot n > 0 uses stacks[n - 1]
uint32_t current = 0;
/// Slots of runnable threads that are not running, oldest first (a ring).
uint32_t run_queue[kMaxThreads];
uint32_t queue_head = 0;
uint32_t queue_length = 0;
/// Bit p: port p was raised since its last wait_for_event returned.
uint64_t signalled[kMaxPorts / 64];

void switch_to(uint32_t next) {
    if (next == current) return;
    Thread& previous = threads[current];
    current = next;
    switch_stacks(&previous.saved_rsp, threads[next].saved_rsp);
}

void enqueue(uint32_t slot) {
    ASSERT(queue_length < kMaxThreads);
    threads[slot].state = ThreadState::Runnable;
    run_queue[(queue_head + queue_length) % kMaxThreads] = slot;
    ++queue_length;
}

/// Run the thread at the head of the run queue (maybe this one again, if an event woke
/// it); block the vCPU while the queue is empty. The caller has queued itself, blocked
/// itself or ended.
/// @pre events masked
void schedule() {
    // BEGIN LAB events: run the oldest runnable thread; idle in SCHEDOP_block while there is none
    while (queue_length == 0) block_vcpu();
    const uint32_t next = run_queue[queue_head];
    queue_head = (queue_head + 1) % kMaxThreads;
    --queue_length;
    switch_to(next);
    // END LAB
}

void block_current() {
    threads[current].state = ThreadState::Blocked;
    schedule();
}

void wake(uint32_t slot) {
    if (threads[slot].state == ThreadState::Blocked) enqueue(slot);
}

void wake_sleeper(Timer& timer, uint64_t) { wake(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(timer.context))); }

void wake_port_waiters(Port port, void*) {
    signalled[port.raw() / 64] |= uint64_t{1} << (port.raw() % 64);
    for (uint32_t slot = 0; slot < kMaxThreads; ++slot)
        if (threads[slot].waiting_for == port) wake(slot);
}

bool take_signal(Port port) {
    const uint64_t bit = uint64_t{1} << (port.raw() % 64);
    const bool was_signalled = (signalled[port.raw() / 64] & bit) != 0;
    signalled[port.raw() / 64] &= ~bit;
    return was_signalled;
}

}  // namespace

/// Where a new thread starts (from thread_start in thread_switch.S), in schedule()'s
/// place: events are masked, and the thread unmasks them itself.
extern "C" [[noreturn]] void run_thread(uint32_t slot) {
    unmask_events();
    threads[slot].function(threads[slot].argument);
    mask_events();
    threads[slot].state = ThreadState::Ended;
    for (uint32_t other = 0; other < kMaxThreads; ++other)
        if (threads[other].joining == slot) wake(other);
    schedule();
    lib::panic("thread {} ({}) ran again after it ended", slot, threads[slot].name);
}

void init_threads() {
    EventsMasked masked;
    threads[0] = {};
    threads[0].name = "main";
    threads[0].state = ThreadState::Runnable;
    current = 0;
    queue_head = 0;
    queue_length = 0;
}

lib::ErrorOr<ThreadId> spawn_thread(const char* name, ThreadFunction function, void* argument) {
    EventsMasked masked;
    for (uint32_t slot = 1; slot < kMaxThreads; ++slot) {
        Thread& thread = threads[slot];
        if (thread.state != ThreadState::Free) continue;
        thread = {};
        thread.name = name;
        thread.function = function;
        thread.argument = argument;
        // The stack switch_stacks would have left: callee-saved registers (the slot in
        // RBX for thread_start), then thread_start as the return address.
        auto* top = reinterpret_cast<uint64_t*>(stacks[slot - 1] + kThreadStackBytes);
        *--top = 0;                                        // above the return address: unused
        *--top = reinterpret_cast<uint64_t>(thread_start);  // switch_stacks returns here
        *--top = 0;                                        // rbp
        *--top = slot;                                     // rbx
        for (int i = 0; i < 4; ++i) *--top = 0;            // r12-r15
        thread.saved_rsp = reinterpret_cast<uint64_t>(top);
        enqueue(slot);
        return ThreadId(slot);
    }
    return lib::error(abi::Errno::NoMem, "no free thread slot");
}

lib::ErrorOr<void> join_thread(ThreadId thread) {
    const uint32_t slot = thread.raw();
    if (slot >= kMaxThreads || slot == current) return lib::error(abi::Errno::Inval, "cannot join that thread");
    EventsMasked masked;
    if (threads[slot].state == ThreadState::Free) return lib::error(abi::Errno::Inval, "no such thread");
    while (threads[slot].state != ThreadState::Ended) {
        threads[current].joining = slot;
        block_current();
    }
    threads[current].joining = kNoThread;
    threads[slot] = {};
    return {};
}

ThreadId current_thread() { return ThreadId(current); }

const char* thread_name(ThreadId thread) {
    return thread.raw() < kMaxThreads && threads[thread.raw()].name != nullptr ? threads[thread.raw()].name : "?";
}

void yield() {
    EventsMasked masked;
    enqueue(current);
    schedule();
}

void sleep_until(uint64_t deadline_ns) {
    EventsMasked masked;
    Thread& self = threads[current];
    // BEGIN LAB events: sleep on a timer until the deadline has passed by our own clock
    while (monotonic_ns() < deadline_ns) {
        start_timer(self.wakeup, deadline_ns, wake_sleeper, reinterpret_cast<void*>(uintptr_t{current}));
        block_current();
    }
    stop_timer(self.wakeup);
    // END LAB
}

void sleep(uint64_t ns) { sleep_until(monotonic_ns() + ns); }

lib::ErrorOr<void> watch_port(Port port) { return set_event_handler(port, wake_port_waiters); }

void wait_for_event(Port port) {
    EventsMasked masked;
    Thread& self = threads[current];
    // BEGIN LAB events: block until the port's handler has signalled it
    while (!take_signal(port)) {
        self.waiting_for = port;
        block_current();
    }
    self.waiting_for = Port(0);
    // END LAB
}

void block_vcpu() {
    // BEGIN LAB events: block the vCPU until an event, unmasking atomically
    // SCHEDOP_block clears evtchn_upcall_mask and returns at once if an upcall is pending
    // (sched/core.c: vcpu_block_enable_events); the upcall then runs before the next
    // instruction here. Mask again: the caller expects events masked.
    (void)sched_op(abi::SchedOp::Block);
    mask_events();
    // END LAB
}

}  // namespace minios
