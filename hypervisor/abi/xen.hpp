// SPDX-License-Identifier: MIT
// The core of Xen's guest interface: basic types, domain IDs, MMU, vm_assist, multicall, traps, console_io.
#pragma once

#include <cstddef>
#include <cstdint>

namespace abi {

/// A machine or guest frame number (a physical address >> 12).
using FrameNumber = std::uint64_t;  // xen_pfn_t
/// A domain ID.
using DomainId = std::uint16_t;  // domid_t

/// A guest virtual address of a T, as passed in hypercall argument structures: 8 bytes,
/// never dereferenced by the hypervisor, only copied through. (Xen's XEN_GUEST_HANDLE(T)
/// is a struct holding one pointer named p.)
template <typename T>
struct GuestHandle {  // XEN_GUEST_HANDLE(T)
    std::uint64_t p;  ///< guest virtual address; 0 is NULL
};
static_assert(sizeof(GuestHandle<void>) == 8 && alignof(GuestHandle<void>) == 8);
static_assert(offsetof(GuestHandle<void>, p) == 0);

// ---- Domain IDs (xen/include/public/xen.h) ------------------------------------------

/// IDs at or above this value name something other than an ordinary domain.
inline constexpr DomainId kDomidFirstReserved = 0x7FF0;  // DOMID_FIRST_RESERVED
/// The calling domain.
inline constexpr DomainId kDomidSelf = 0x7FF0;  // DOMID_SELF
/// Owner of I/O memory; used to map MMIO with mmu_update.
inline constexpr DomainId kDomidIo = 0x7FF1;  // DOMID_IO
/// Owner of Xen's own frames that guests may map read-only (e.g. the M2P).
inline constexpr DomainId kDomidXen = 0x7FF2;  // DOMID_XEN
/// Owner of shared (copy-on-write) frames.
inline constexpr DomainId kDomidCow = 0x7FF3;  // DOMID_COW
/// No owner / unknown.
inline constexpr DomainId kDomidInvalid = 0x7FF4;  // DOMID_INVALID
/// The idle domain.
inline constexpr DomainId kDomidIdle = 0x7FFF;  // DOMID_IDLE
/// Mask of the bits a domain ID uses.
inline constexpr DomainId kDomidMask = 0x7FFF;  // DOMID_MASK

// ---- vm_assist (hypercall 21) ----------------------------------------------------------

/// First argument of vm_assist.
enum class VmAssistCommand : std::uint32_t {
    Enable = 0,   // VMASST_CMD_enable
    Disable = 1,  // VMASST_CMD_disable
};

/// Second argument of vm_assist: which assist.
enum class VmAssistType : std::uint32_t {
    FourGbSegments = 0,        // VMASST_TYPE_4gb_segments (32-bit guests; accepted, no effect on 64-bit)
    FourGbSegmentsNotify = 1,  // VMASST_TYPE_4gb_segments_notify (32-bit guests)
    WritablePagetables = 2,    // VMASST_TYPE_writable_pagetables
    PaeExtendedCr3 = 3,        // VMASST_TYPE_pae_extended_cr3
    ArchitecturalIopl = 4,     // VMASST_TYPE_architectural_iopl
    RunstateUpdateFlag = 5,    // VMASST_TYPE_runstate_update_flag
    M2pStrict = 32,            // VMASST_TYPE_m2p_strict
};

/// Bit i set = VmAssistType i is valid for a 64-bit PV guest; any other type gives
/// -EINVAL (xen/arch/x86/include/asm/domain.h: PV64_VM_ASSIST_MASK).
inline constexpr std::uint64_t kVmAssistValidMask64 =
    (std::uint64_t{1} << 0) | (std::uint64_t{1} << 1) | (std::uint64_t{1} << 2) | (std::uint64_t{1} << 3) |
    (std::uint64_t{1} << 4) | (std::uint64_t{1} << 5) | (std::uint64_t{1} << 32);

// ---- mmu_update (hypercall 1) ----------------------------------------------------------

/// The low 3 bits of MmuUpdate::ptr say what the request does; the rest is the
/// 8-byte-aligned machine address it acts on.
enum class MmuUpdateCommand : std::uint64_t {
    NormalPtUpdate = 0,       // MMU_NORMAL_PT_UPDATE: checked *ptr = val
    MachphysUpdate = 1,       // MMU_MACHPHYS_UPDATE: M2P[ptr >> 12] = val
    PtUpdatePreserveAd = 2,   // MMU_PT_UPDATE_PRESERVE_AD: as normal, keeping A/D bits
    PtUpdateNoTranslate = 3,  // MMU_PT_UPDATE_NO_TRANSLATE: as normal, val never translated
};
/// Mask of the command bits in MmuUpdate::ptr.
inline constexpr std::uint64_t kMmuUpdateCommandMask = 7;

/// One request of mmu_update (xen/include/public/xen.h).
struct MmuUpdate {    // struct mmu_update
    std::uint64_t ptr;  ///< machine address of the entry | MmuUpdateCommand
    std::uint64_t val;  ///< new contents
};
static_assert(sizeof(MmuUpdate) == 16);
static_assert(offsetof(MmuUpdate, ptr) == 0);
static_assert(offsetof(MmuUpdate, val) == 8);

// ---- mmuext_op (hypercall 26) ----------------------------------------------------------

/// MmuextOp::cmd.
enum class MmuextCommand : std::uint32_t {
    PinL1Table = 0,          // MMUEXT_PIN_L1_TABLE
    PinL2Table = 1,          // MMUEXT_PIN_L2_TABLE
    PinL3Table = 2,          // MMUEXT_PIN_L3_TABLE
    PinL4Table = 3,          // MMUEXT_PIN_L4_TABLE
    UnpinTable = 4,          // MMUEXT_UNPIN_TABLE
    NewBaseptr = 5,          // MMUEXT_NEW_BASEPTR
    TlbFlushLocal = 6,       // MMUEXT_TLB_FLUSH_LOCAL
    InvlpgLocal = 7,         // MMUEXT_INVLPG_LOCAL
    TlbFlushMulti = 8,       // MMUEXT_TLB_FLUSH_MULTI
    InvlpgMulti = 9,         // MMUEXT_INVLPG_MULTI
    TlbFlushAll = 10,        // MMUEXT_TLB_FLUSH_ALL
    InvlpgAll = 11,          // MMUEXT_INVLPG_ALL
    FlushCache = 12,         // MMUEXT_FLUSH_CACHE
    SetLdt = 13,             // MMUEXT_SET_LDT
    // 14 is unassigned.
    NewUserBaseptr = 15,     // MMUEXT_NEW_USER_BASEPTR
    ClearPage = 16,          // MMUEXT_CLEAR_PAGE
    CopyPage = 17,           // MMUEXT_COPY_PAGE
    FlushCacheGlobal = 18,   // MMUEXT_FLUSH_CACHE_GLOBAL
    MarkSuper = 19,          // MMUEXT_MARK_SUPER
    UnmarkSuper = 20,        // MMUEXT_UNMARK_SUPER
};

/// One request of mmuext_op (xen/include/public/xen.h). Which union member counts
/// depends on cmd.
struct MmuextOp {  // struct mmuext_op
    std::uint32_t cmd;    ///< MmuextCommand
    std::uint32_t hole0;  ///< padding (implicit in Xen's struct)
    union {
        FrameNumber mfn;            ///< pin/unpin, new (user) baseptr, clear/copy page, (un)mark super
        std::uint64_t linear_addr;  ///< invlpg local/all, set_ldt
    } arg1;
    union {
        std::uint32_t nr_ents;                ///< set_ldt
        GuestHandle<const void> vcpumask;     ///< tlb_flush_multi, invlpg_multi
        FrameNumber src_mfn;                  ///< copy_page
    } arg2;
};
static_assert(sizeof(MmuextOp) == 24);
static_assert(offsetof(MmuextOp, cmd) == 0);
static_assert(offsetof(MmuextOp, arg1) == 8);
static_assert(offsetof(MmuextOp, arg1.mfn) == 8);
static_assert(offsetof(MmuextOp, arg1.linear_addr) == 8);
static_assert(offsetof(MmuextOp, arg2) == 16);
static_assert(offsetof(MmuextOp, arg2.nr_ents) == 16);
static_assert(offsetof(MmuextOp, arg2.vcpumask) == 16);
static_assert(offsetof(MmuextOp, arg2.src_mfn) == 16);

// ---- update_va_mapping flags (hypercall 14, third argument) ----------------------------

// Bits 0-1 choose the flush; bit 2 chooses the scope. With "multi" scope the rest of
// the argument is a guest pointer to a vCPU bitmap (NULL = local), hence plain numbers.
inline constexpr std::uint64_t kUvmfNone = 0;           // UVMF_NONE: no flush
inline constexpr std::uint64_t kUvmfTlbFlush = 1;       // UVMF_TLB_FLUSH: flush whole TLB(s)
inline constexpr std::uint64_t kUvmfInvlpg = 2;         // UVMF_INVLPG: flush this address only
inline constexpr std::uint64_t kUvmfFlushTypeMask = 3;  // UVMF_FLUSHTYPE_MASK
inline constexpr std::uint64_t kUvmfMulti = 0;          // UVMF_MULTI: OR in a vCPU-bitmap pointer
inline constexpr std::uint64_t kUvmfLocal = 0;          // UVMF_LOCAL: this vCPU only
inline constexpr std::uint64_t kUvmfAll = 4;            // UVMF_ALL: every vCPU of the domain

// ---- console_io (hypercall 18) ---------------------------------------------------------

/// First argument of console_io.
enum class ConsoleIoCommand : std::uint32_t {
    Write = 0,  // CONSOLEIO_write
    Read = 1,   // CONSOLEIO_read
};

// ---- multicall (hypercall 13) ----------------------------------------------------------

/// One call of a multicall batch; Xen writes the call's return value into result.
struct MulticallEntry {  // struct multicall_entry
    std::uint64_t op;       ///< Hypercall number
    std::uint64_t result;   ///< OUT: what the call returned
    std::uint64_t args[6];  ///< arguments, as the registers would carry them
};
static_assert(sizeof(MulticallEntry) == 64);
static_assert(offsetof(MulticallEntry, op) == 0);
static_assert(offsetof(MulticallEntry, result) == 8);
static_assert(offsetof(MulticallEntry, args) == 16);

// ---- set_trap_table (hypercall 0) ------------------------------------------------------

/// One entry of the virtual IDT (xen/include/public/arch-x86/xen.h). A list passed to
/// set_trap_table ends at the first entry whose address is 0.
struct TrapInfo {  // struct trap_info
    std::uint8_t vector;   ///< exception or interrupt vector
    std::uint8_t flags;    ///< bits 0-1: DPL allowed to raise it with int n; bit 2: mask events on entry
    std::uint16_t cs;      ///< code selector (ignored for 64-bit guests: always FLAT_KERNEL_CS)
    std::uint32_t hole0;   ///< padding (implicit in Xen's struct)
    std::uint64_t address; ///< handler address
};
static_assert(sizeof(TrapInfo) == 16);
static_assert(offsetof(TrapInfo, vector) == 0);
static_assert(offsetof(TrapInfo, flags) == 1);
static_assert(offsetof(TrapInfo, cs) == 2);
static_assert(offsetof(TrapInfo, address) == 8);

/// TrapInfo::flags bits 0-1: the lowest privilege level allowed to raise the vector with int n.
inline constexpr std::uint8_t kTrapInfoDplMask = 3;  // TI_GET_DPL
/// TrapInfo::flags bit 2: deliver with events masked (like an interrupt gate).
inline constexpr std::uint8_t kTrapInfoMaskEvents = 4;  // TI_GET_IF

}  // namespace abi
