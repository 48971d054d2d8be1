// SPDX-License-Identifier: MIT
// Xen ELF notes: the type numbers a PV kernel uses to tell the domain builder how to load it.
#pragma once

#include <cstdint>

namespace abi {

/// Every Xen note has this owner name (namesz 4, NUL included).
inline constexpr char kElfNoteOwner[] = "Xen";

/// Note types (xen/include/public/elfnote.h). "numeric" descriptors are 1, 2, 4 or 8
/// bytes, little-endian; "string" ones are NUL-terminated.
enum class ElfNote : std::uint32_t {
    Info = 0,                   // XEN_ELFNOTE_INFO: (unused)
    Entry = 1,                  // XEN_ELFNOTE_ENTRY: numeric, entry virtual address
    HypercallPage = 2,          // XEN_ELFNOTE_HYPERCALL_PAGE: numeric, virtual address to fill
    VirtBase = 3,               // XEN_ELFNOTE_VIRT_BASE: numeric, where PFN 0 is mapped (default 0)
    PaddrOffset = 4,            // XEN_ELFNOTE_PADDR_OFFSET: numeric, subtracted from p_paddr
    XenVersion = 5,             // XEN_ELFNOTE_XEN_VERSION: string, must start with "xen-3.0"
    GuestOs = 6,                // XEN_ELFNOTE_GUEST_OS: string, e.g. "linux", "Mini-OS"
    GuestVersion = 7,           // XEN_ELFNOTE_GUEST_VERSION: string
    Loader = 8,                 // XEN_ELFNOTE_LOADER: string, must start with "generic"
    PaeMode = 9,                // XEN_ELFNOTE_PAE_MODE: string, "yes" / "no" / "bimodal"
    Features = 10,              // XEN_ELFNOTE_FEATURES: string, '|'-separated, '!' = required
    BsdSymtab = 11,             // XEN_ELFNOTE_BSD_SYMTAB: string, "yes" = load the symbol table too
    HvStartLow = 12,            // XEN_ELFNOTE_HV_START_LOW: numeric, lowest start of the hypervisor hole (32-bit guests)
    L1MfnValid = 13,            // XEN_ELFNOTE_L1_MFN_VALID: numeric mask/value pairs for non-present PTEs holding MFNs
    SuspendCancel = 14,         // XEN_ELFNOTE_SUSPEND_CANCEL: numeric, 1 = supports cancelled suspend
    InitP2m = 15,               // XEN_ELFNOTE_INIT_P2M: numeric, virtual address for the p2m list
    ModStartPfn = 16,           // XEN_ELFNOTE_MOD_START_PFN: numeric, 1 = module may stay unmapped, passed as a PFN
    SupportedFeatures = 17,     // XEN_ELFNOTE_SUPPORTED_FEATURES: numeric, bitmap of Feature bits supported
    Phys32Entry = 18,           // XEN_ELFNOTE_PHYS32_ENTRY: numeric, PVH 32-bit entry point
    CrashInfo = 0x1000001,      // XEN_ELFNOTE_CRASH_INFO: in crash dumps
    CrashRegs = 0x1000002,      // XEN_ELFNOTE_CRASH_REGS: in crash dumps
    DumpcoreNone = 0x2000000,            // XEN_ELFNOTE_DUMPCORE_NONE
    DumpcoreHeader = 0x2000001,          // XEN_ELFNOTE_DUMPCORE_HEADER
    DumpcoreXenVersion = 0x2000002,      // XEN_ELFNOTE_DUMPCORE_XEN_VERSION
    DumpcoreFormatVersion = 0x2000003,   // XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION
};
/// Highest note type a domain builder looks for.
inline constexpr ElfNote kElfNoteMax = ElfNote::Phys32Entry;  // XEN_ELFNOTE_MAX

/// The note's name without the XEN_ELFNOTE_ prefix ("HYPERCALL_PAGE"), for loader logs.
/// @retval "UNKNOWN" for a type not in the list.
constexpr const char* elfnote_name(ElfNote type) {
    switch (type) {
    case ElfNote::Info: return "INFO";
    case ElfNote::Entry: return "ENTRY";
    case ElfNote::HypercallPage: return "HYPERCALL_PAGE";
    case ElfNote::VirtBase: return "VIRT_BASE";
    case ElfNote::PaddrOffset: return "PADDR_OFFSET";
    case ElfNote::XenVersion: return "XEN_VERSION";
    case ElfNote::GuestOs: return "GUEST_OS";
    case ElfNote::GuestVersion: return "GUEST_VERSION";
    case ElfNote::Loader: return "LOADER";
    case ElfNote::PaeMode: return "PAE_MODE";
    case ElfNote::Features: return "FEATURES";
    case ElfNote::BsdSymtab: return "BSD_SYMTAB";
    case ElfNote::HvStartLow: return "HV_START_LOW";
    case ElfNote::L1MfnValid: return "L1_MFN_VALID";
    case ElfNote::SuspendCancel: return "SUSPEND_CANCEL";
    case ElfNote::InitP2m: return "INIT_P2M";
    case ElfNote::ModStartPfn: return "MOD_START_PFN";
    case ElfNote::SupportedFeatures: return "SUPPORTED_FEATURES";
    case ElfNote::Phys32Entry: return "PHYS32_ENTRY";
    case ElfNote::CrashInfo: return "CRASH_INFO";
    case ElfNote::CrashRegs: return "CRASH_REGS";
    case ElfNote::DumpcoreNone: return "DUMPCORE_NONE";
    case ElfNote::DumpcoreHeader: return "DUMPCORE_HEADER";
    case ElfNote::DumpcoreXenVersion: return "DUMPCORE_XEN_VERSION";
    case ElfNote::DumpcoreFormatVersion: return "DUMPCORE_FORMAT_VERSION";
    }
    return "UNKNOWN";
}

}  // namespace abi
