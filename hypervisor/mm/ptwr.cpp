// SPDX-License-Identifier: MIT
// Emulating a trapped write to an L1 entry (see ptwr.hpp; Xen: pv/ro-page-fault.c).
#include "mm/ptwr.hpp"

#include "arch/x86_64/guest_access.hpp"
#include "arch/x86_64/tlb.hpp"
#include "mm/machine_memory.hpp"
#include "mm/ptwr_decode.hpp"
#include "mm/pte.hpp"

namespace hv {
namespace {

constexpr uint32_t kFaultPresent = 1 << 0, kFaultWrite = 1 << 1, kFaultReserved = 1 << 3, kFaultFetch = 1 << 4;
constexpr uint64_t kWritablePagetables = 2;  // VMASST_TYPE_writable_pagetables
constexpr uint64_t kZeroFlag = 1 << 6;       // RFLAGS.ZF

uint64_t& register_by_number(arch::CpuUserRegs& regs, unsigned number) {
    uint64_t* const by_number[16] = {&regs.rax, &regs.rcx, &regs.rdx, &regs.rbx, &regs.rsp, &regs.rbp,
                                     &regs.rsi, &regs.rdi, &regs.r8,  &regs.r9,  &regs.r10, &regs.r11,
                                     &regs.r12, &regs.r13, &regs.r14, &regs.r15};
    return *by_number[number & 15];
}

/// The L1 frame that `cr2` falls in, if the fault is one ptwr handles.
lib::ErrorOr<Mfn> target_l1(const Domain& domain, uint64_t error_code, uint64_t cr2) {
    if (!(domain.vm_assist & (uint64_t{1} << kWritablePagetables))) return lib::error(abi::Errno::Inval);
    if (domain.vcpu.pv.user_mode) return lib::error(abi::Errno::Inval);  // Xen emulates kernel-mode writes only
    if ((error_code & (kFaultPresent | kFaultWrite)) != (kFaultPresent | kFaultWrite)) return lib::error(abi::Errno::Inval);
    if (error_code & (kFaultReserved | kFaultFetch)) return lib::error(abi::Errno::Inval);
    const L1Slot slot = TRY(mmu().find_l1(domain.vcpu.kernel_l4, cr2));
    const uint64_t mapping = direct_map_memory().entries(slot.table)[slot.index];
    const Mfn target = pte::mfn(mapping);
    if (!frame_table().owned_by(target, domain.id) || frame_table()[target].type != FrameType::L1)
        return lib::error(abi::Errno::Inval);
    return target;
}

/// The instruction bytes at RIP: 15 if they can be read, fewer at the end of a mapping.
lib::ErrorOr<ptwr::DecodedWrite> read_instruction(uint64_t rip) {
    uint8_t bytes[15];
    for (size_t length = sizeof bytes; length > 0; --length)
        if (!arch::copy_from_guest(bytes, GuestVaddr(rip), length).is_error())
            return ptwr::decode_write({bytes, length});
    return lib::error(abi::Errno::Fault);
}

}  // namespace

bool emulate_page_table_write(Domain& domain, arch::CpuUserRegs& regs, uint64_t cr2) {
    auto l1 = target_l1(domain, regs.error_code, cr2);
    if (l1.is_error()) return false;
    auto decoded = read_instruction(regs.rip);
    if (decoded.is_error()) return false;
    const ptwr::DecodedWrite write = decoded.value();
    const unsigned offset = cr2 & (kPageSize - 1);
    if (offset % write.width != 0) return false;  // naturally aligned writes only
    const unsigned shift = (offset & 7) * 8;
    const uint64_t mask = write.width == 8 ? ~uint64_t{0} : ((uint64_t{1} << (8 * write.width)) - 1);
    const uint64_t current = direct_map_memory().entries(l1.value())[offset / 8];
    const uint64_t value = (write.from_register ? register_by_number(regs, write.source) : write.immediate) & mask;
    if (write.kind == ptwr::WriteKind::CompareExchange) {
        const uint64_t seen = (current >> shift) & mask;
        if (seen != (regs.rax & mask)) {
            // As CMPXCHG: the accumulator gets what memory holds (32-bit forms zero-extend).
            regs.rax = write.width == 8 ? seen : write.width == 4 ? seen : (regs.rax & ~mask) | seen;
            regs.rflags &= ~kZeroFlag;
            regs.rip += write.length;
            return true;
        }
        regs.rflags |= kZeroFlag;
    }
    const uint64_t updated = (current & ~(mask << shift)) | (value << shift);
    const uint64_t entry_address = maddr_of(l1.value()).raw() + (offset & ~7u);
    if (mmu().update_entry(domain.id, entry_address, updated, EntryUpdate::Normal).is_error()) return false;
    arch::flush_tlb_all();
    regs.rip += write.length;
    return true;
}

}  // namespace hv
