// SPDX-License-Identifier: MIT
// Cooperative threads: a fixed set of stacks, yield, sleep, and blocking on an event port.
#pragma once

#include <cstdint>

#include "kernel/events.hpp"
#include "lib/error_or.hpp"
#include "lib/strong_int.hpp"

namespace minios {

struct ThreadIdTag;
/// A slot in the thread table; 0 is the thread that ran app_main.
using ThreadId = lib::StrongInt<ThreadIdTag, uint32_t>;

/// Threads at most, the boot thread included.
inline constexpr uint32_t kMaxThreads = 8;
/// Stack of each thread but the boot thread (which keeps boot/entry.S's).
inline constexpr uint64_t kThreadStackBytes = 16 * 1024;

using ThreadFunction = void (*)(void* argument);

/// Make the calling code thread 0.
/// @pre init_events
void init_threads();

/// A new thread that runs function(argument) once the current one blocks or yields;
/// it ends when the function returns.
/// @retval Errno::NoMem when every slot is taken (an ended thread's slot is free again
/// once it has been joined).
lib::ErrorOr<ThreadId> spawn_thread(const char* name, ThreadFunction function, void* argument);
/// Block until `thread` has ended, then free its slot.
/// @retval Errno::Inval for a slot that holds no thread, or the caller itself.
lib::ErrorOr<void> join_thread(ThreadId thread);
/// The running thread.
ThreadId current_thread();
/// Its name.
const char* thread_name(ThreadId thread);

/// Let every other runnable thread run once before this one continues.
void yield();
/// Block this thread until monotonic_ns() >= deadline (never less, by that clock).
void sleep_until(uint64_t deadline_ns);
/// Block this thread for at least `ns` nanoseconds.
void sleep(uint64_t ns);

/// Wake threads that wait_for_event(port) when the port is raised (installs the
/// port's handler; a raise with nobody waiting is remembered for the next wait).
/// @retval Errno::Inval for a port events cannot use.
lib::ErrorOr<void> watch_port(Port port);
/// Block this thread until `port` is raised (or was, since the last wait returned).
/// @pre watch_port(port)
void wait_for_event(Port port);

/// Block the whole vCPU until an event arrives and its handlers have run (SCHEDOP_block
/// unmasks events atomically with going to sleep). No other thread runs meanwhile.
/// @pre events masked; they are masked again on return.
void block_vcpu();

}  // namespace minios
