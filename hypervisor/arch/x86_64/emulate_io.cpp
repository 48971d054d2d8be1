// SPDX-License-Identifier: MIT
// Emulated CLI, STI, IN and OUT (Xen's iopl_ok, guest_io_okay, guest_io_read/write): the rules are in core/privileged_policy.hpp.
#include "abi/xen.hpp"
#include "arch/x86_64/emulate_parts.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "arch/x86_64/tlb.hpp"
#include "core/privileged_policy.hpp"

namespace arch {
namespace {

constexpr uint8_t kUnreadable = 0xff;  // an unreadable bitmap byte denies its ports

hv::IoPrivilege io_privilege(const hv::Domain& domain) {
    const unsigned architectural_iopl = static_cast<unsigned>(abi::VmAssistType::ArchitecturalIopl);
    return {domain.vcpu.pv.iopl, domain.vcpu.pv.user_mode, ((domain.vm_assist >> architectural_iopl) & 1) != 0};
}

/// Two bytes of the guest's I/O bitmap from `address`, as Xen reads them: through the
/// kernel's page tables (the bitmap is kernel memory, so user mode switches for the read),
/// with a byte that cannot be read taken as 0xff. Both little-endian in the result.
uint16_t read_io_bitmap(const hv::Domain& domain, uint64_t address) {
    uint8_t bytes[2] = {kUnreadable, kUnreadable};
    const bool user_mode = domain.vcpu.pv.user_mode;
    if (user_mode) switch_address_space(hv::maddr_of(domain.vcpu.kernel_l4).raw());
    // Byte by byte: Xen's copy stops at the first fault, and what it did copy counts.
    if (!copy_from_guest(&bytes[0], hv::GuestVaddr(address), 1).is_error() &&
        copy_from_guest(&bytes[1], hv::GuestVaddr(address + 1), 1).is_error())
        bytes[1] = kUnreadable;
    if (user_mode) switch_address_space(hv::maddr_of(domain.vcpu.user_l4).raw());
    return static_cast<uint16_t>(bytes[0] | (bytes[1] << 8));
}

/// Has the guest given itself this port (Xen's guest_io_okay)? Its virtual IOPL first,
/// then its I/O bitmap.
bool guest_may_use_port(const hv::Domain& domain, uint16_t port, unsigned width) {
    if (hv::iopl_allows(io_privilege(domain))) return true;
    const hv::PvState& pv = domain.vcpu.pv;
    if (pv.io_bitmap_ports <= uint32_t{port} + width) return false;  // the bitmap does not cover it
    return hv::io_bitmap_allows(pv.io_bitmap_ports, port, width, read_io_bitmap(domain, pv.io_bitmap + port / 8));
}

}  // namespace

bool emulate_interrupt_flag(hv::Domain& domain) {
    // A no-op either way: the guest's "interrupts off" is evtchn_upcall_mask, which only
    // the guest writes (Xen deliberately leaves it alone here).
    return hv::iopl_allows(io_privilege(domain));
}

bool emulate_port_io(hv::Domain& domain, CpuUserRegs& regs, const hv::PrivilegedInstruction& instruction) {
    const uint16_t port = instruction.port_in_dx ? static_cast<uint16_t>(regs.rdx) : instruction.port;
    const unsigned width = instruction.io_width;
    if (!guest_may_use_port(domain, port, width)) return false;
    // The guest may use the port, but no Xenolith domain has rights to the hardware
    // (Xen's admin_io_okay): a read gives all ones, a write goes nowhere.
    if (instruction.opcode == hv::PrivilegedOpcode::In)
        regs.rax = hv::merge_port_read(regs.rax, width, hv::unowned_port_value(width));
    return true;
}

}  // namespace arch
