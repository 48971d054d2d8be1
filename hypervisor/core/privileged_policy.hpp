// SPDX-License-Identifier: MIT
// What a PV guest may do with the privileged instructions it has emulated: MSRs, control registers, I/O ports.
//
// The rules of xen/arch/x86/pv/emul-priv-op.c, msr.c and traps.c (XEN-PV-ABI.md section 8),
// as pure functions of the values involved; arch/x86_64/emulate*.cpp reads the hardware
// and the vCPU, asks here, and applies the answer. Who may ask: RDMSR, WRMSR, MOV CR/DR,
// CLTS and WBINVD only from guest kernel mode (Xen's emulator counts kernel mode as ring
// 0); CLI, STI, IN and OUT from either mode, when the virtual I/O privilege allows.
//
// MSRs: FS_BASE, GS_BASE (the active, kernel one), SHADOW_GS_BASE (the user one) read and
// write, with a canonical check; EFER reads the host's without SVME, and a write is
// dropped (silently when it changes nothing, with a warning otherwise); PAT reads Xen's
// fixed value; APIC_BASE reads the architectural default; TSC reads the TSC; MISC_ENABLE
// reads the host's sanitised (Intel only) and ignores writes; 0x40000000 reads 0, and a
// write of a frame address fills that frame with the hypercall page. Every other RDMSR
// and WRMSR is #GP. XEN-DIFF: Xen 4.17 also reads 0 for an MSR the host has when the
// guest has no #GP handler, and knows the AMD P-state, perf-counter, DR-mask and some
// Intel MSRs; here they are all #GP.
//
// Control registers: CR0 reads the host's with TS replaced by the virtual TS; a write may
// change TS only. CR2 is vcpu_info.arch.cr2. CR3 reads the kernel L4's address (even in
// user mode) and a write is NEW_BASEPTR. CR4 reads the host's PAE, MCE, OSFXSR and
// OSXMMEXCPT, and the guest's own OSXSAVE (where the CPU has XSAVE). XEN-DIFF: Xen also
// lets the guest own TSD, DE and FSGSBASE; Xenolith keeps none of those (CPUID hides
// FSGSBASE).
//
// I/O: the guest's virtual IOPL (PHYSDEVOP_set_iopl) against its CPL, where kernel mode
// is CPL 1 (CPL 0 with VMASST_TYPE_architectural_iopl) and user mode CPL 3; failing that,
// the guest's I/O bitmap (PHYSDEVOP_set_iobitmap). A port the guest may use but the domain
// has no rights to reads as all ones and drops writes, as on Xen for a domU; no Xenolith
// domain has I/O rights. XEN-DIFF: Xen's domU also sees its own PIT channel 2 (ports
// 0x42, 0x43, 0x61), RTC index (0x70) and PCI address latch (0xcf8) read back.
#pragma once

#include <cstdint>

#include "abi/hypercall.hpp"
#include "arch/x86_64/msr.hpp"
#include "lib/error_or.hpp"

namespace hv {

// ---- MSRs (SDM Vol. 4, Table 2-2) -----------------------------------------------------

using arch::kMsrApicBase;
using arch::kMsrEfer;
using arch::kMsrFsBase;
using arch::kMsrGsBase;
using arch::kMsrMiscEnable;
using arch::kMsrPat;
using arch::kMsrTsc;
inline constexpr uint32_t kMsrShadowGsBase = arch::kMsrKernelGsBase;  // Xen's MSR_SHADOW_GS_BASE

/// The MSRs a PV guest can reach through the emulator.
enum class GuestMsr : uint8_t {
    FsBase,
    GsBase,         ///< the active GS base: the kernel's, since only the kernel may ask
    ShadowGsBase,   ///< the other one: the user's
    Efer,
    Pat,
    ApicBase,
    Tsc,
    MiscEnable,
    HypercallPage,  ///< 0x40000000 (abi::kHypercallPageMsr)
    Unknown,        ///< #GP, both ways
};

GuestMsr classify_msr(uint32_t index);

/// The PAT a PV guest reads: Xen's own (WB, WT, UC-, UC, WC, WP, UC, UC), which its PTE
/// cache bits are interpreted with (XEN_MSR_PAT).
inline constexpr uint64_t kXenPat = 0x0000050100070406;

/// EFER as the guest reads it: the host's known bits (SCE, LME, LMA, NXE, FFXSE), never
/// SVME (pv/emul-priv-op.c: guest_efer).
uint64_t guest_efer(uint64_t host_efer);
/// MISC_ENABLE as the guest reads it: no perfmon, no MONITOR; BTS, PEBS and xTPR
/// unavailable (guest_misc_enable).
uint64_t guest_misc_enable(uint64_t host_misc_enable);
/// APIC_BASE as the guest reads it: the default 0xfee00000, enabled, BSP on vCPU 0.
uint64_t guest_apic_base(uint32_t vcpu_id);

/// What a WRMSR does.
enum class MsrWriteAction : uint8_t {
    SetFsBase,
    SetGsBase,
    SetShadowGsBase,
    Ignore,             ///< accepted and dropped (EFER, MISC_ENABLE)
    FillHypercallPage,  ///< write the hypercall page into frame `value >> 12`
    Refuse,             ///< #GP
};

/// The WRMSR rules, before any frame is looked at: base MSRs need a canonical address,
/// the hypercall-page MSR a page-aligned one (Xen: guest_wrmsr_xen, "page index").
MsrWriteAction msr_write_action(GuestMsr msr, uint64_t value);

/// Is `address` canonical with 48-bit linear addresses (SDM Vol. 1 3.3.7.1)?
constexpr bool is_canonical(uint64_t address) {
    const uint64_t upper = address >> 47;
    return upper == 0 || upper == (uint64_t{1} << 17) - 1;
}

// ---- Control registers (SDM Vol. 3A 2.5) ----------------------------------------------

inline constexpr uint64_t kCr0Ts = uint64_t{1} << 3;

/// MOV from CR0: the host's CR0 with TS replaced by the guest's virtual TS.
uint64_t guest_cr0(uint64_t host_cr0, bool virtual_ts);
/// MOV to CR0: the new virtual TS, if nothing but TS differs from the host's CR0.
/// @retval Perm another bit would change (the guest gets #GP)
lib::ErrorOr<bool> cr0_write_ts(uint64_t host_cr0, uint64_t value);
/// MOV from CR4: the host bits a PV guest may see (PAE, MCE, OSFXSR, OSXMMEXCPT).
uint64_t guest_cr4(uint64_t host_cr4);

// ---- I/O ports (xen/arch/x86/pv/emul-priv-op.c: iopl_ok, guest_io_okay) ---------------

/// What decides a PV vCPU's right to IN/OUT (and CLI/STI).
struct IoPrivilege {
    uint8_t iopl;             ///< PHYSDEVOP_set_iopl, 0-3
    bool user_mode;           ///< guest user mode: CPL 3
    bool architectural_iopl;  ///< VMASST_TYPE_architectural_iopl: kernel mode is CPL 0
};

/// Does the virtual IOPL cover the guest's CPL? (CLI and STI need exactly this.)
bool iopl_allows(const IoPrivilege& privilege);

/// Does the guest's I/O bitmap allow `width` bytes at `port`? `limit` is the bitmap's
/// nr_ports; Xen consults it only when limit > port + width. `bitmap_bytes` are the two
/// bytes from offset port / 8 (little-endian; 0xff for each byte that could not be read).
bool io_bitmap_allows(uint32_t limit, uint16_t port, unsigned width, uint16_t bitmap_bytes);

/// What an IN reads from a port the domain has no rights to: all ones, `width` bytes.
uint32_t unowned_port_value(unsigned width);
/// RAX after IN of `width` bytes: AL and AX keep the rest of RAX, EAX zero-extends.
uint64_t merge_port_read(uint64_t rax, unsigned width, uint32_t value);

}  // namespace hv
