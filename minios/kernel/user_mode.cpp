// SPDX-License-Identifier: MIT
// Guest user mode: the user page table, the kernel stack for entries from user mode,
// the syscall callback, and runs of user code that end with an exit syscall.
//
// Theory of operation (XEN-PV-ABI.md 3.3, 4.1-4.3, 5). A PV kernel runs in ring 3 like
// its user code, and Xen makes every guest page hardware-USER, so the kernel/user
// split comes only from two page tables: the kernel's L4 (CR3) and a user L4 that the
// kernel registers with MMUEXT_NEW_USER_BASEPTR. Xen loads the user L4 when the iret
// hypercall returns to a CS with RPL 3, and the kernel L4 again when anything arrives
// from user mode. The user L4 here maps only what user code may touch (its code
// read-only, its data and stack pages writable, all with USER); the kernel is simply
// absent, so a user access to it is a #PF with the U bit, delivered to the kernel.
//
// Entries from user mode land on the stack given to stack_switch (kernel_sp), never on
// the user's: a trap or an event gets the usual bounce frame there with the user CS
// (0xE033), and a SYSCALL goes to the syscall callback (syscall_entry in
// arch/x86_64/user_entry.S) with a frame whose RCX and R11 words hold the user's
// return RIP and RFLAGS. The callback returns with the iret hypercall, either with
// VGCF_in_syscall (Xen's SYSRET sets RCX and R11 as SYSCALL's caller expects) or
// without (IRETQ, RCX and R11 from the frame).
//
// A run (run_in_user_mode) keeps the kernel's callee-saved registers and stack
// pointer, enters user mode, and ends when user code makes the exit syscall: the
// handler then jumps back to the saved context instead of returning to user mode.
// The kernel stack the syscall came in on is simply abandoned. Single vCPU, one run at
// a time; the state below belongs to the run in progress.
#include "kernel/user_mode.hpp"

#include "abi/callback.hpp"
#include "abi/segments.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/events.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/mmu.hpp"
#include "mm/p2m.hpp"
#include "mm/page_table.hpp"
#include "mm/page_walk.hpp"
#include "mm/pte.hpp"

namespace minios {

/// The kernel's callee-saved registers while user mode runs (minios_enter_user).
struct UserContext {
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};
static_assert(offsetof(UserContext, rbx) == MINIOS_USER_CONTEXT_RBX);
static_assert(offsetof(UserContext, rbp) == MINIOS_USER_CONTEXT_RBP);
static_assert(offsetof(UserContext, r12) == MINIOS_USER_CONTEXT_R12);
static_assert(offsetof(UserContext, r13) == MINIOS_USER_CONTEXT_R13);
static_assert(offsetof(UserContext, r14) == MINIOS_USER_CONTEXT_R14);
static_assert(offsetof(UserContext, r15) == MINIOS_USER_CONTEXT_R15);
static_assert(offsetof(UserContext, rsp) == MINIOS_USER_CONTEXT_RSP);
static_assert(offsetof(UserContext, rip) == MINIOS_USER_CONTEXT_RIP);

/// The iret_context words that enter user mode, and the user's first RDI.
struct UserEntry {
    uint64_t rip, cs, rflags, rsp, ss, rdi;
};
static_assert(offsetof(UserEntry, rip) == MINIOS_USER_ENTRY_RIP);
static_assert(offsetof(UserEntry, cs) == MINIOS_USER_ENTRY_CS);
static_assert(offsetof(UserEntry, rflags) == MINIOS_USER_ENTRY_RFLAGS);
static_assert(offsetof(UserEntry, rsp) == MINIOS_USER_ENTRY_RSP);
static_assert(offsetof(UserEntry, ss) == MINIOS_USER_ENTRY_SS);
static_assert(offsetof(UserEntry, rdi) == MINIOS_USER_ENTRY_RDI);
static_assert(MINIOS_IRET_FLAGS_SYSRET == abi::kVgcfInSyscall);

}  // namespace minios

extern "C" char syscall_entry[];
extern "C" uint64_t minios_enter_user(minios::UserContext* context, const minios::UserEntry* entry);
extern "C" [[noreturn]] void minios_leave_user(const minios::UserContext* context, uint64_t value);
extern "C" int minios_handle_syscall(minios::SyscallFrame* frame);

namespace minios {
namespace {

/// Pages the layout may ask for, and the kernel stack for entries from user mode.
constexpr unsigned kMaxDataPages = 4;
constexpr uint64_t kKernelStackBytes = 4 * mm::kPageSize;

/// RFLAGS bit 1 is reserved and always 1; IF is the event mask user mode runs with
/// (SDM Vol. 1 3.4.3; XEN-PV-ABI.md 4.3).
constexpr uint64_t kRflagsReserved = uint64_t{1} << 1;
constexpr uint64_t kRflagsIf = uint64_t{1} << 9;

alignas(16) uint8_t kernel_stack[kKernelStackBytes];
uint64_t data_pages[kMaxDataPages];
unsigned data_page_count;
uint64_t user_l4;
SyscallHandler syscall_handler;
uint64_t syscalls;

UserContext kernel_context;
UserExit last_exit;

/// The L1 entry of a user page: like a kernel page's, plus USER. Xen keeps USER, and
/// as bit 52 (_PAGE_GUEST_KERNEL) is clear it adds G: user pages are global (pv/mm.h:
/// adjust_guest_l1e).
uint64_t user_page_entry(mm::Mfn frame, bool writable) {
    return mm::kernel_page_entry(frame, writable) | mm::pte::kUser;
}

/// A fresh frame that the start-of-day mapping still covers, zeroed: its address there
/// is the one user mode uses.
lib::ErrorOr<uint64_t> allocate_zeroed_page() {
    const mm::Pfn pfn = TRY(mm::allocate_frame());
    const mm::Vaddr address = mm::start_of_day_address(pfn);
    const uint64_t mapping = TRY(mm::read_current_entry(address, mm::pte::kL1));
    if (!mm::pte::present(mapping) || !mm::pte::writable(mapping))
        return lib::error(abi::Errno::NoMem, "no free frame left in the start-of-day mapping");
    __builtin_memset(mm::pointer_to<void>(address), 0, mm::kPageSize);
    return address.raw();
}

/// Queue the L1 write that maps `va` to the frame behind the same address in the
/// kernel's tables, with USER. The tree's L2 entry (written and flushed) names the L1.
lib::ErrorOr<void> map_user_page(mm::PageTableBuilder& tree, mm::MmuUpdateBatch& batch, uint64_t va,
                                 bool writable) {
    const mm::Vaddr address(va);
    const mm::Mfn frame = TRY(mm::mfn_of(mm::start_of_day_pfn(address)));
    const mm::Mfn l1 = mm::pte::frame(TRY(tree.read_entry(address, 2)));
    const mm::Maddr slot(mm::maddr_of(l1).raw() + mm::pte::index(address, mm::pte::kL1) * sizeof(uint64_t));
    return batch.write_entry(slot, user_page_entry(frame, writable));
}

lib::ErrorOr<void> build_user_page_table(const UserSpaceLayout& layout) {
    mm::MmuUpdateBatch batch;
    mm::PageTableBuilder tree(batch);
    TRY(tree.start());
    TRY(tree.reserve(mm::Vaddr(layout.code_start), layout.code_end - layout.code_start));
    for (unsigned i = 0; i < data_page_count; ++i) TRY(tree.reserve(mm::Vaddr(data_pages[i]), mm::kPageSize));
    TRY(batch.flush());  // the links, so that read_entry finds each L1
    for (uint64_t va = layout.code_start; va < layout.code_end; va += mm::kPageSize)
        TRY(map_user_page(tree, batch, va, false));
    for (unsigned i = 0; i < data_page_count; ++i) TRY(map_user_page(tree, batch, data_pages[i], true));
    // Pinning validates the whole tree (Xen requires every level of a base to be a
    // validated table) and keeps it typed while no CR3 refers to it.
    TRY(tree.finish());
    user_l4 = tree.l4().raw();
    return {};
}

lib::ErrorOr<void> register_syscall_callback(bool mask_events) {
    abi::CallbackRegister registration{};
    registration.type = static_cast<uint16_t>(abi::CallbackType::Syscall);
    registration.flags = mask_events ? abi::kCallbackfMaskEvents : 0;
    registration.address = reinterpret_cast<uint64_t>(syscall_entry);
    return register_callback(registration);
}

}  // namespace

lib::ErrorOr<void> init_user_mode(const UserSpaceLayout& layout, SyscallHandler handler) {
    if (layout.data_pages == 0 || layout.data_pages > kMaxDataPages || layout.code_end <= layout.code_start ||
        (layout.code_start | layout.code_end) % mm::kPageSize != 0)
        return lib::error(abi::Errno::Inval, "a user space needs page-aligned code and 1-4 data pages");
    for (data_page_count = 0; data_page_count < layout.data_pages; ++data_page_count)
        data_pages[data_page_count] = TRY(allocate_zeroed_page());
    TRY(build_user_page_table(layout));
    TRY(new_user_baseptr(user_l4));
    TRY(stack_switch(abi::kFlatKernelSs, kernel_stack_top()));
    syscall_handler = handler;
    return register_syscall_callback(false);
}

lib::ErrorOr<void> set_syscall_masks_events(bool mask_events) { return register_syscall_callback(mask_events); }

uint64_t user_l4_mfn() { return user_l4; }
uint64_t user_data_page(unsigned index) { return index < data_page_count ? data_pages[index] : 0; }
uint64_t user_stack_top() { return data_pages[data_page_count - 1] + mm::kPageSize; }
uint64_t kernel_stack_bottom() { return reinterpret_cast<uint64_t>(kernel_stack); }
uint64_t kernel_stack_top() { return kernel_stack_bottom() + kKernelStackBytes; }
uint64_t syscall_count() { return syscalls; }

UserExit run_in_user_mode(uint64_t rip, uint64_t rsp, uint64_t argument, bool events_enabled) {
    const bool were_masked = events_masked();
    const UserEntry entry{rip, abi::kFlatUserCs, kRflagsReserved | (events_enabled ? kRflagsIf : 0), rsp,
                          abi::kFlatUserSs, argument};
    minios_enter_user(&kernel_context, &entry);
    // Back from the exit syscall, in kernel mode, with the mask the callback left.
    if (were_masked)
        mask_events();
    else
        unmask_events();
    return last_exit;
}

}  // namespace minios

/// Called by syscall_entry (arch/x86_64/user_entry.S) with the saved frame; answers how
/// to return to user mode (MINIOS_SYSCALL_RETURN_*), or does not return at all for the
/// exit syscall.
extern "C" int minios_handle_syscall(minios::SyscallFrame* frame) {
    using namespace minios;
    const Syscall call{frame, reinterpret_cast<uint64_t>(&frame->rip) - 2 * sizeof(uint64_t),
                       this_vcpu_info().evtchn_upcall_mask};
    ++syscalls;
    if (frame->rax == kSyscallExit) {
        last_exit = {*frame, call.bounce_frame, call.entry_mask};
        minios_leave_user(&kernel_context, 0);
    }
    if (syscall_handler == nullptr) {
        frame->rax = static_cast<uint64_t>(-static_cast<int64_t>(abi::Errno::NoSys));
        return MINIOS_SYSCALL_RETURN_SYSRET;
    }
    return syscall_handler(call) == SyscallReturn::Sysret ? MINIOS_SYSCALL_RETURN_SYSRET : MINIOS_SYSCALL_RETURN_IRETQ;
}
