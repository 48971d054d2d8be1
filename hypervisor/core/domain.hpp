// SPDX-License-Identifier: MIT
// Domains and their (single, for now) vCPU: what the hypervisor knows of each guest.
#pragma once

#include <cstddef>
#include <cstdint>

#include "abi/sched.hpp"
#include "arch/x86_64/frame.hpp"
#include "core/guest_console.hpp"
#include "core/pv_state.hpp"
#include "core/role.hpp"
#include "event/domain_events.hpp"
#include "mm/frame.hpp"

namespace hv {

enum class DomainState : uint8_t {
    Unused,    ///< a free slot in the domain table
    Running,   ///< runnable (or running)
    Shutdown,  ///< left through SCHEDOP_shutdown; `shutdown_reason` says how
    Crashed,   ///< killed by the hypervisor (a fault it could not deliver, a bad frame...)
};

struct Vcpu {
    arch::CpuUserRegs regs;  ///< saved while the vCPU is not running
    Mfn kernel_l4;           ///< the kernel's base page table (CR3); holds an L4 type reference
    Mfn user_l4;             ///< NEW_USER_BASEPTR's table, or 0; holds an L4 type reference
    uint64_t ldt_base;       ///< MMUEXT_SET_LDT: the LDT's guest address and entries (loaded with
    uint32_t ldt_entries;    ///< the descriptor tables of the traps issue)
    PvState pv;              ///< traps, callbacks, kernel stack, segment bases
    bool blocked;            ///< SCHEDOP_block/poll: waits for an event (or a poll timeout)
    bool polling;            ///< blocked in SCHEDOP_poll: any event on it wakes it, masked or not
    uint64_t ran_ns;         ///< system time spent running (runstate)
    uint64_t state_since_ns; ///< when it last started running or stopped
};

struct Domain {
    static constexpr size_t kNameLength = 32;

    DomId id;
    char name[kNameLength];
    Roles roles;
    DomainState state;
    abi::ShutdownReason shutdown_reason;

    Vcpu vcpu;
    uint64_t nr_pages;        ///< pages allocated (start_info.nr_pages)
    uint64_t max_pages;       ///< the reservation ceiling (XENMEM_maximum_reservation)
    Mfn first_mfn;            ///< the initial allocation is contiguous from here
    Mfn shared_info_mfn;
    Mfn console_mfn;          ///< its console ring page (start_info.console.domU.mfn)
    uint64_t vm_assist;       ///< bit n set: VMASST_TYPE n is enabled
    uint64_t reported_unimplemented[2];  ///< hypercall numbers already logged as -ENOSYS
    event::DomainEvents events;  ///< its event-channel ports (event/)

    GuestLineBuffer console;

    bool has_role(Role role) const { return roles.has(role); }
    bool is_alive() const { return state == DomainState::Running; }
};

inline constexpr size_t kMaxDomains = 16;

/// A fresh domain slot with this ID, or nullptr when the table is full.
Domain* allocate_domain(DomId id, const char* name, Roles roles);
/// Give a slot back (a domain whose build failed).
void free_domain(Domain& domain);
/// The domain with this ID, if it exists.
Domain* find_domain(DomId id);
/// Iteration over the table.
Domain* domain_at(size_t index);
/// The domain whose vCPU is on the CPU now.
Domain& current_domain();
void set_current_domain(Domain& domain);

}  // namespace hv
