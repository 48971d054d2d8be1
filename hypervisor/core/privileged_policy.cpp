// SPDX-License-Identifier: MIT
// The MSR, control-register and I/O rules for PV guests (see privileged_policy.hpp).
#include "core/privileged_policy.hpp"

namespace hv {
namespace {

// IA32_EFER bits (SDM Vol. 4 Table 2-2; AMD APM Vol. 2 3.1.7).
constexpr uint64_t kEferSce = 1u << 0, kEferLme = 1u << 8, kEferLma = 1u << 10, kEferNxe = 1u << 11,
                   kEferFfxse = 1u << 14;

// IA32_MISC_ENABLE bits (SDM Vol. 4 Table 2-2).
constexpr uint64_t kMiscPerfAvailable = 1u << 7, kMiscBtsUnavailable = 1u << 11, kMiscPebsUnavailable = 1u << 12,
                   kMiscMonitorEnable = 1u << 18, kMiscXtprDisable = 1u << 23;

// IA32_APIC_BASE (SDM Vol. 3A 11.4.4): BSP flag bit 8, global enable bit 11, base 0xfee00000.
constexpr uint64_t kApicBaseBsp = 1u << 8, kApicBaseEnable = 1u << 11, kApicDefaultBase = 0xfee00000;

// CR4 bits a PV guest may see but not change (Xen's PV_CR4_GUEST_VISIBLE_MASK).
constexpr uint64_t kCr4Pae = 1u << 5, kCr4Mce = 1u << 6, kCr4Osfxsr = 1u << 9, kCr4Osxmmexcpt = 1u << 10;

constexpr uint64_t kPageOffsetMask = 0xfff;

}  // namespace

GuestMsr classify_msr(uint32_t index) {
    switch (index) {
    case kMsrFsBase: return GuestMsr::FsBase;
    case kMsrGsBase: return GuestMsr::GsBase;
    case kMsrShadowGsBase: return GuestMsr::ShadowGsBase;
    case kMsrEfer: return GuestMsr::Efer;
    case kMsrPat: return GuestMsr::Pat;
    case kMsrApicBase: return GuestMsr::ApicBase;
    case kMsrTsc: return GuestMsr::Tsc;
    case kMsrMiscEnable: return GuestMsr::MiscEnable;
    case abi::kHypercallPageMsr: return GuestMsr::HypercallPage;
    default: return GuestMsr::Unknown;  // including the rest of Xen's 0x40000000 block
    }
}

uint64_t guest_efer(uint64_t host_efer) { return host_efer & (kEferSce | kEferLme | kEferLma | kEferNxe | kEferFfxse); }

uint64_t guest_misc_enable(uint64_t host_misc_enable) {
    return (host_misc_enable & ~(kMiscPerfAvailable | kMiscMonitorEnable)) | kMiscBtsUnavailable |
           kMiscPebsUnavailable | kMiscXtprDisable;
}

uint64_t guest_apic_base(uint32_t vcpu_id) {
    return kApicDefaultBase | kApicBaseEnable | (vcpu_id == 0 ? kApicBaseBsp : 0);
}

MsrWriteAction msr_write_action(GuestMsr msr, uint64_t value) {
    switch (msr) {
    case GuestMsr::FsBase: return is_canonical(value) ? MsrWriteAction::SetFsBase : MsrWriteAction::Refuse;
    case GuestMsr::GsBase: return is_canonical(value) ? MsrWriteAction::SetGsBase : MsrWriteAction::Refuse;
    case GuestMsr::ShadowGsBase: return is_canonical(value) ? MsrWriteAction::SetShadowGsBase : MsrWriteAction::Refuse;
    case GuestMsr::Efer:
    case GuestMsr::MiscEnable:
        return MsrWriteAction::Ignore;
    case GuestMsr::HypercallPage:
        return (value & kPageOffsetMask) == 0 ? MsrWriteAction::FillHypercallPage : MsrWriteAction::Refuse;
    case GuestMsr::Pat:
    case GuestMsr::ApicBase:
    case GuestMsr::Tsc:
    case GuestMsr::Unknown:
        return MsrWriteAction::Refuse;
    }
    return MsrWriteAction::Refuse;
}

uint64_t guest_cr0(uint64_t host_cr0, bool virtual_ts) { return (host_cr0 & ~kCr0Ts) | (virtual_ts ? kCr0Ts : 0); }

lib::ErrorOr<bool> cr0_write_ts(uint64_t host_cr0, uint64_t value) {
    if (((value ^ host_cr0) & ~kCr0Ts) != 0) return lib::error(abi::Errno::Perm, "only CR0.TS may change");
    return (value & kCr0Ts) != 0;
}

uint64_t guest_cr4(uint64_t host_cr4) { return host_cr4 & (kCr4Pae | kCr4Mce | kCr4Osfxsr | kCr4Osxmmexcpt); }

bool iopl_allows(const IoPrivilege& privilege) {
    const unsigned cpl = privilege.user_mode ? 3 : privilege.architectural_iopl ? 0 : 1;
    return cpl <= privilege.iopl;
}

bool io_bitmap_allows(uint32_t limit, uint16_t port, unsigned width, uint16_t bitmap_bytes) {
    // Xen's test is strict (iobmp_limit > port + bytes): the last port of the range the
    // guest declared is never granted through the bitmap.
    if (limit <= uint32_t{port} + width) return false;
    const uint32_t wanted = ((1u << width) - 1) << (port & 7);
    return (bitmap_bytes & wanted) == 0;
}

uint32_t unowned_port_value(unsigned width) { return width >= 4 ? 0xffffffff : (1u << (8 * width)) - 1; }

uint64_t merge_port_read(uint64_t rax, unsigned width, uint32_t value) {
    if (width >= 4) return value;  // a 32-bit destination clears bits 63:32 (SDM Vol. 1 3.4.1.1)
    const uint64_t mask = (uint64_t{1} << (8 * width)) - 1;
    return (rax & ~mask) | (value & mask);
}

}  // namespace hv
