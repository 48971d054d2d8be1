// SPDX-License-Identifier: MIT
// Checks every abi/ header against Xen's own public headers (/usr/include/xen): sizes, offsets, constants.
//
// Almost everything here is a static_assert, so a mismatch stops the build; the few
// TEST_CASEs repeat the table-driven checks at run time (for readable output) and move
// bytes between Xen's structs and ours to show that the layouts really agree.
//
// Xen's headers compile as C++ (they sit in a system include directory, so their GNU
// extensions — anonymous unions, zero-length arrays — raise no warnings). What matters
// is the interface version: without __XEN_TOOLS__ (or __XEN_INTERFACE_VERSION__) they
// silently describe the *legacy* ABI (other hypercall numbers, no vcpu_time_info.flags,
// a 28-byte dom0_vga_console_info). __XEN_TOOLS__ selects the latest version and also
// exposes the toolstack-only memory_op numbers.

#include <cerrno>  // before xs_wire.h, which declares its xsd_errors table only if EINVAL exists
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include <doctest/doctest.h>

#include "abi/callback.hpp"
#include "abi/elfnote.hpp"
#include "abi/errno.hpp"
#include "abi/event_channel.hpp"
#include "abi/features.hpp"
#include "abi/grant_table.hpp"
#include "abi/hypercall.hpp"
#include "abi/io_console.hpp"
#include "abi/io_xs_wire.hpp"
#include "abi/layout.hpp"
#include "abi/memory.hpp"
#include "abi/physdev.hpp"
#include "abi/sched.hpp"
#include "abi/segments.hpp"
#include "abi/shared_info.hpp"
#include "abi/start_info.hpp"
#include "abi/vcpu.hpp"
#include "abi/version.hpp"
#include "abi/xen.hpp"

#ifndef __XEN_TOOLS__
#define __XEN_TOOLS__ 1
#endif
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
extern "C" {
#include <xen/xen.h>
#include <xen/callback.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>
}
#pragma GCC diagnostic pop

static_assert(__XEN_INTERFACE_VERSION__ == 0x00040e00, "Xen headers must describe interface 4.14+, not the legacy ABI");
static_assert(__HYPERVISOR_sched_op == 29 && __HYPERVISOR_event_channel_op == 32, "legacy hypercall numbering selected");

namespace {

/// An enum's number, or the number itself.
template <typename T>
constexpr auto raw(T value) {
    if constexpr (std::is_enum_v<T>) {
        return static_cast<std::underlying_type_t<T>>(value);
    } else {
        return value;
    }
}

constexpr bool same_text(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

}  // namespace

/// Our constant (or enumerator) has Xen's value.
#define CHECK_CONSTANT(ours, xens) \
    static_assert(std::cmp_equal(raw(ours), raw(xens)), #ours " differs from " #xens)

/// Our struct has Xen's size and alignment.
#define CHECK_STRUCT(ours, xens)                                        \
    static_assert(sizeof(ours) == sizeof(xens), #ours ": size differs"); \
    static_assert(alignof(ours) == alignof(xens), #ours ": alignment differs")

/// A field (possibly nested, a.b.c) is at Xen's offset and has Xen's size.
#define CHECK_FIELD(ours, xens, field)                                                          \
    static_assert(offsetof(ours, field) == offsetof(xens, field), #ours "." #field ": offset differs"); \
    static_assert(sizeof(std::declval<ours&>().field) == sizeof(std::declval<xens&>().field),   \
                  #ours "." #field ": size differs")

// ---- errno.hpp ---------------------------------------------------------------------------
// Every error Xen lists exists in abi::Errno with the same number and name (aliases map to
// the primary name). EINTR and ERESTART are hidden from non-Xen builds: checked against the
// host's <cerrno>, whose numbers equal Xen's on x86 Linux.

namespace {

constexpr const char* primary_errno_name(const char* xen_name) {
    if (same_text(xen_name, "EWOULDBLOCK")) return "EAGAIN";
    if (same_text(xen_name, "EDEADLOCK")) return "EDEADLK";
    return xen_name;
}

struct XenErrno {
    const char* name;
    int value;
};

constexpr XenErrno kXenErrnos[] = {
#define XEN_ERRNO(name, value) {#name, value},
#include <xen/errno.h>
};

}  // namespace

#define XEN_ERRNO(name, value)                                                                  \
    static_assert(same_text(abi::errno_name(static_cast<abi::Errno>(value)), primary_errno_name(#name)), \
                  "abi::Errno lacks or misnames " #name);
#include <xen/errno.h>

CHECK_CONSTANT(abi::Errno::Perm, XEN_EPERM);
CHECK_CONSTANT(abi::Errno::NoEnt, XEN_ENOENT);
CHECK_CONSTANT(abi::Errno::Srch, XEN_ESRCH);
CHECK_CONSTANT(abi::Errno::Intr, EINTR);
CHECK_CONSTANT(abi::Errno::Io, XEN_EIO);
CHECK_CONSTANT(abi::Errno::NxIo, XEN_ENXIO);
CHECK_CONSTANT(abi::Errno::TooBig, XEN_E2BIG);
CHECK_CONSTANT(abi::Errno::NoExec, XEN_ENOEXEC);
CHECK_CONSTANT(abi::Errno::BadF, XEN_EBADF);
CHECK_CONSTANT(abi::Errno::Child, XEN_ECHILD);
CHECK_CONSTANT(abi::Errno::Again, XEN_EAGAIN);
CHECK_CONSTANT(abi::Errno::WouldBlock, XEN_EWOULDBLOCK);
CHECK_CONSTANT(abi::Errno::NoMem, XEN_ENOMEM);
CHECK_CONSTANT(abi::Errno::Acces, XEN_EACCES);
CHECK_CONSTANT(abi::Errno::Fault, XEN_EFAULT);
CHECK_CONSTANT(abi::Errno::Busy, XEN_EBUSY);
CHECK_CONSTANT(abi::Errno::Exist, XEN_EEXIST);
CHECK_CONSTANT(abi::Errno::XDev, XEN_EXDEV);
CHECK_CONSTANT(abi::Errno::NoDev, XEN_ENODEV);
CHECK_CONSTANT(abi::Errno::NotDir, XEN_ENOTDIR);
CHECK_CONSTANT(abi::Errno::IsDir, XEN_EISDIR);
CHECK_CONSTANT(abi::Errno::Inval, XEN_EINVAL);
CHECK_CONSTANT(abi::Errno::NFile, XEN_ENFILE);
CHECK_CONSTANT(abi::Errno::MFile, XEN_EMFILE);
CHECK_CONSTANT(abi::Errno::NoSpc, XEN_ENOSPC);
CHECK_CONSTANT(abi::Errno::RoFs, XEN_EROFS);
CHECK_CONSTANT(abi::Errno::MLink, XEN_EMLINK);
CHECK_CONSTANT(abi::Errno::Dom, XEN_EDOM);
CHECK_CONSTANT(abi::Errno::Range, XEN_ERANGE);
CHECK_CONSTANT(abi::Errno::DeadLk, XEN_EDEADLK);
CHECK_CONSTANT(abi::Errno::DeadLock, XEN_EDEADLOCK);
CHECK_CONSTANT(abi::Errno::NameTooLong, XEN_ENAMETOOLONG);
CHECK_CONSTANT(abi::Errno::NoLck, XEN_ENOLCK);
CHECK_CONSTANT(abi::Errno::NoSys, XEN_ENOSYS);
CHECK_CONSTANT(abi::Errno::NotEmpty, XEN_ENOTEMPTY);
CHECK_CONSTANT(abi::Errno::NoData, XEN_ENODATA);
CHECK_CONSTANT(abi::Errno::Time, XEN_ETIME);
CHECK_CONSTANT(abi::Errno::BadMsg, XEN_EBADMSG);
CHECK_CONSTANT(abi::Errno::Overflow, XEN_EOVERFLOW);
CHECK_CONSTANT(abi::Errno::IlSeq, XEN_EILSEQ);
CHECK_CONSTANT(abi::Errno::Restart, ERESTART);
CHECK_CONSTANT(abi::Errno::NotSock, XEN_ENOTSOCK);
CHECK_CONSTANT(abi::Errno::MsgSize, XEN_EMSGSIZE);
CHECK_CONSTANT(abi::Errno::OpNotSupp, XEN_EOPNOTSUPP);
CHECK_CONSTANT(abi::Errno::AddrInUse, XEN_EADDRINUSE);
CHECK_CONSTANT(abi::Errno::AddrNotAvail, XEN_EADDRNOTAVAIL);
CHECK_CONSTANT(abi::Errno::NoBufs, XEN_ENOBUFS);
CHECK_CONSTANT(abi::Errno::IsConn, XEN_EISCONN);
CHECK_CONSTANT(abi::Errno::NotConn, XEN_ENOTCONN);
CHECK_CONSTANT(abi::Errno::TimedOut, XEN_ETIMEDOUT);
CHECK_CONSTANT(abi::Errno::ConnRefused, XEN_ECONNREFUSED);
static_assert(same_text(abi::errno_name(abi::Errno::Intr), "EINTR"));
static_assert(same_text(abi::errno_name(abi::Errno::Restart), "ERESTART"));
static_assert(same_text(abi::errno_name(static_cast<abi::Errno>(10000)), "E?"));

// ---- hypercall.hpp -----------------------------------------------------------------------

CHECK_CONSTANT(abi::Hypercall::SetTrapTable, __HYPERVISOR_set_trap_table);
CHECK_CONSTANT(abi::Hypercall::MmuUpdate, __HYPERVISOR_mmu_update);
CHECK_CONSTANT(abi::Hypercall::SetGdt, __HYPERVISOR_set_gdt);
CHECK_CONSTANT(abi::Hypercall::StackSwitch, __HYPERVISOR_stack_switch);
CHECK_CONSTANT(abi::Hypercall::SetCallbacks, __HYPERVISOR_set_callbacks);
CHECK_CONSTANT(abi::Hypercall::FpuTaskswitch, __HYPERVISOR_fpu_taskswitch);
CHECK_CONSTANT(abi::Hypercall::SchedOpCompat, __HYPERVISOR_sched_op_compat);
CHECK_CONSTANT(abi::Hypercall::PlatformOp, __HYPERVISOR_platform_op);
CHECK_CONSTANT(abi::Hypercall::SetDebugreg, __HYPERVISOR_set_debugreg);
CHECK_CONSTANT(abi::Hypercall::GetDebugreg, __HYPERVISOR_get_debugreg);
CHECK_CONSTANT(abi::Hypercall::UpdateDescriptor, __HYPERVISOR_update_descriptor);
CHECK_CONSTANT(abi::Hypercall::MemoryOp, __HYPERVISOR_memory_op);
CHECK_CONSTANT(abi::Hypercall::Multicall, __HYPERVISOR_multicall);
CHECK_CONSTANT(abi::Hypercall::UpdateVaMapping, __HYPERVISOR_update_va_mapping);
CHECK_CONSTANT(abi::Hypercall::SetTimerOp, __HYPERVISOR_set_timer_op);
CHECK_CONSTANT(abi::Hypercall::EventChannelOpCompat, __HYPERVISOR_event_channel_op_compat);
CHECK_CONSTANT(abi::Hypercall::XenVersion, __HYPERVISOR_xen_version);
CHECK_CONSTANT(abi::Hypercall::ConsoleIo, __HYPERVISOR_console_io);
CHECK_CONSTANT(abi::Hypercall::PhysdevOpCompat, __HYPERVISOR_physdev_op_compat);
CHECK_CONSTANT(abi::Hypercall::GrantTableOp, __HYPERVISOR_grant_table_op);
CHECK_CONSTANT(abi::Hypercall::VmAssist, __HYPERVISOR_vm_assist);
CHECK_CONSTANT(abi::Hypercall::UpdateVaMappingOtherdomain, __HYPERVISOR_update_va_mapping_otherdomain);
CHECK_CONSTANT(abi::Hypercall::Iret, __HYPERVISOR_iret);
CHECK_CONSTANT(abi::Hypercall::VcpuOp, __HYPERVISOR_vcpu_op);
CHECK_CONSTANT(abi::Hypercall::SetSegmentBase, __HYPERVISOR_set_segment_base);
CHECK_CONSTANT(abi::Hypercall::MmuextOp, __HYPERVISOR_mmuext_op);
CHECK_CONSTANT(abi::Hypercall::XsmOp, __HYPERVISOR_xsm_op);
CHECK_CONSTANT(abi::Hypercall::NmiOp, __HYPERVISOR_nmi_op);
CHECK_CONSTANT(abi::Hypercall::SchedOp, __HYPERVISOR_sched_op);
CHECK_CONSTANT(abi::Hypercall::CallbackOp, __HYPERVISOR_callback_op);
CHECK_CONSTANT(abi::Hypercall::XenoprofOp, __HYPERVISOR_xenoprof_op);
CHECK_CONSTANT(abi::Hypercall::EventChannelOp, __HYPERVISOR_event_channel_op);
CHECK_CONSTANT(abi::Hypercall::PhysdevOp, __HYPERVISOR_physdev_op);
CHECK_CONSTANT(abi::Hypercall::HvmOp, __HYPERVISOR_hvm_op);
CHECK_CONSTANT(abi::Hypercall::Sysctl, __HYPERVISOR_sysctl);
CHECK_CONSTANT(abi::Hypercall::Domctl, __HYPERVISOR_domctl);
CHECK_CONSTANT(abi::Hypercall::KexecOp, __HYPERVISOR_kexec_op);
CHECK_CONSTANT(abi::Hypercall::TmemOp, __HYPERVISOR_tmem_op);
CHECK_CONSTANT(abi::Hypercall::ArgoOp, __HYPERVISOR_argo_op);
CHECK_CONSTANT(abi::Hypercall::XenpmuOp, __HYPERVISOR_xenpmu_op);
CHECK_CONSTANT(abi::Hypercall::DmOp, __HYPERVISOR_dm_op);
CHECK_CONSTANT(abi::Hypercall::HypfsOp, __HYPERVISOR_hypfs_op);
CHECK_CONSTANT(abi::Hypercall::Arch0, __HYPERVISOR_arch_0);
CHECK_CONSTANT(abi::Hypercall::Arch1, __HYPERVISOR_arch_1);
CHECK_CONSTANT(abi::Hypercall::Arch2, __HYPERVISOR_arch_2);
CHECK_CONSTANT(abi::Hypercall::Arch3, __HYPERVISOR_arch_3);
CHECK_CONSTANT(abi::Hypercall::Arch4, __HYPERVISOR_arch_4);
CHECK_CONSTANT(abi::Hypercall::Arch5, __HYPERVISOR_arch_5);
CHECK_CONSTANT(abi::Hypercall::Arch6, __HYPERVISOR_arch_6);
CHECK_CONSTANT(abi::Hypercall::Arch7, __HYPERVISOR_arch_7);
static_assert(raw(abi::Hypercall::Arch7) < abi::kHypercallPageSlots, "every hypercall has a stub");

// ---- segments.hpp ------------------------------------------------------------------------

CHECK_CONSTANT(abi::kFirstReservedGdtPage, FIRST_RESERVED_GDT_PAGE);
CHECK_CONSTANT(abi::kFirstReservedGdtByte, FIRST_RESERVED_GDT_BYTE);
CHECK_CONSTANT(abi::kFirstReservedGdtEntry, FIRST_RESERVED_GDT_ENTRY);
CHECK_CONSTANT(abi::kFlatRing3Cs32, FLAT_RING3_CS32);
CHECK_CONSTANT(abi::kFlatRing3Cs64, FLAT_RING3_CS64);
CHECK_CONSTANT(abi::kFlatRing3Ds32, FLAT_RING3_DS32);
CHECK_CONSTANT(abi::kFlatRing3Ds64, FLAT_RING3_DS64);
CHECK_CONSTANT(abi::kFlatRing3Ss32, FLAT_RING3_SS32);
CHECK_CONSTANT(abi::kFlatRing3Ss64, FLAT_RING3_SS64);
CHECK_CONSTANT(abi::kFlatKernelDs64, FLAT_KERNEL_DS64);
CHECK_CONSTANT(abi::kFlatKernelDs32, FLAT_KERNEL_DS32);
CHECK_CONSTANT(abi::kFlatKernelDs, FLAT_KERNEL_DS);
CHECK_CONSTANT(abi::kFlatKernelCs64, FLAT_KERNEL_CS64);
CHECK_CONSTANT(abi::kFlatKernelCs32, FLAT_KERNEL_CS32);
CHECK_CONSTANT(abi::kFlatKernelCs, FLAT_KERNEL_CS);
CHECK_CONSTANT(abi::kFlatKernelSs64, FLAT_KERNEL_SS64);
CHECK_CONSTANT(abi::kFlatKernelSs32, FLAT_KERNEL_SS32);
CHECK_CONSTANT(abi::kFlatKernelSs, FLAT_KERNEL_SS);
CHECK_CONSTANT(abi::kFlatUserDs64, FLAT_USER_DS64);
CHECK_CONSTANT(abi::kFlatUserDs32, FLAT_USER_DS32);
CHECK_CONSTANT(abi::kFlatUserDs, FLAT_USER_DS);
CHECK_CONSTANT(abi::kFlatUserCs64, FLAT_USER_CS64);
CHECK_CONSTANT(abi::kFlatUserCs32, FLAT_USER_CS32);
CHECK_CONSTANT(abi::kFlatUserCs, FLAT_USER_CS);
CHECK_CONSTANT(abi::kFlatUserSs64, FLAT_USER_SS64);
CHECK_CONSTANT(abi::kFlatUserSs32, FLAT_USER_SS32);
CHECK_CONSTANT(abi::kFlatUserSs, FLAT_USER_SS);
CHECK_CONSTANT(abi::SegmentBase::Fs, SEGBASE_FS);
CHECK_CONSTANT(abi::SegmentBase::GsUser, SEGBASE_GS_USER);
CHECK_CONSTANT(abi::SegmentBase::GsKernel, SEGBASE_GS_KERNEL);
CHECK_CONSTANT(abi::SegmentBase::GsUserSelector, SEGBASE_GS_USER_SEL);

// ---- layout.hpp --------------------------------------------------------------------------

CHECK_CONSTANT(abi::kHypervisorVirtStart, HYPERVISOR_VIRT_START);
CHECK_CONSTANT(abi::kHypervisorVirtEnd, HYPERVISOR_VIRT_END);
CHECK_CONSTANT(abi::kMachToPhysVirtStart, MACH2PHYS_VIRT_START);
CHECK_CONSTANT(abi::kMachToPhysVirtEnd, MACH2PHYS_VIRT_END);
CHECK_CONSTANT(abi::kMachToPhysNrEntries, MACH2PHYS_NR_ENTRIES);
// x86 public headers have no page-size constant; the CR3 helper shifts by the page shift.
CHECK_CONSTANT(abi::kPageSize, xen_pfn_to_cr3(1));

// ---- xen.hpp -----------------------------------------------------------------------------

static_assert(sizeof(abi::FrameNumber) == sizeof(xen_pfn_t));
static_assert(sizeof(abi::DomainId) == sizeof(domid_t));
static_assert(std::is_unsigned_v<abi::DomainId> == std::is_unsigned_v<domid_t>);
CHECK_STRUCT(abi::GuestHandle<void>, XEN_GUEST_HANDLE(void));
CHECK_FIELD(abi::GuestHandle<void>, XEN_GUEST_HANDLE(void), p);

CHECK_CONSTANT(abi::kDomidFirstReserved, DOMID_FIRST_RESERVED);
CHECK_CONSTANT(abi::kDomidSelf, DOMID_SELF);
CHECK_CONSTANT(abi::kDomidIo, DOMID_IO);
CHECK_CONSTANT(abi::kDomidXen, DOMID_XEN);
CHECK_CONSTANT(abi::kDomidCow, DOMID_COW);
CHECK_CONSTANT(abi::kDomidInvalid, DOMID_INVALID);
CHECK_CONSTANT(abi::kDomidIdle, DOMID_IDLE);
CHECK_CONSTANT(abi::kDomidMask, DOMID_MASK);

CHECK_CONSTANT(abi::VmAssistCommand::Enable, VMASST_CMD_enable);
CHECK_CONSTANT(abi::VmAssistCommand::Disable, VMASST_CMD_disable);
CHECK_CONSTANT(abi::VmAssistType::FourGbSegments, VMASST_TYPE_4gb_segments);
CHECK_CONSTANT(abi::VmAssistType::FourGbSegmentsNotify, VMASST_TYPE_4gb_segments_notify);
CHECK_CONSTANT(abi::VmAssistType::WritablePagetables, VMASST_TYPE_writable_pagetables);
CHECK_CONSTANT(abi::VmAssistType::PaeExtendedCr3, VMASST_TYPE_pae_extended_cr3);
CHECK_CONSTANT(abi::VmAssistType::ArchitecturalIopl, VMASST_TYPE_architectural_iopl);
CHECK_CONSTANT(abi::VmAssistType::RunstateUpdateFlag, VMASST_TYPE_runstate_update_flag);
CHECK_CONSTANT(abi::VmAssistType::M2pStrict, VMASST_TYPE_m2p_strict);

CHECK_CONSTANT(abi::MmuUpdateCommand::NormalPtUpdate, MMU_NORMAL_PT_UPDATE);
CHECK_CONSTANT(abi::MmuUpdateCommand::MachphysUpdate, MMU_MACHPHYS_UPDATE);
CHECK_CONSTANT(abi::MmuUpdateCommand::PtUpdatePreserveAd, MMU_PT_UPDATE_PRESERVE_AD);
CHECK_CONSTANT(abi::MmuUpdateCommand::PtUpdateNoTranslate, MMU_PT_UPDATE_NO_TRANSLATE);
CHECK_STRUCT(abi::MmuUpdate, mmu_update_t);
CHECK_FIELD(abi::MmuUpdate, mmu_update_t, ptr);
CHECK_FIELD(abi::MmuUpdate, mmu_update_t, val);

CHECK_CONSTANT(abi::MmuextCommand::PinL1Table, MMUEXT_PIN_L1_TABLE);
CHECK_CONSTANT(abi::MmuextCommand::PinL2Table, MMUEXT_PIN_L2_TABLE);
CHECK_CONSTANT(abi::MmuextCommand::PinL3Table, MMUEXT_PIN_L3_TABLE);
CHECK_CONSTANT(abi::MmuextCommand::PinL4Table, MMUEXT_PIN_L4_TABLE);
CHECK_CONSTANT(abi::MmuextCommand::UnpinTable, MMUEXT_UNPIN_TABLE);
CHECK_CONSTANT(abi::MmuextCommand::NewBaseptr, MMUEXT_NEW_BASEPTR);
CHECK_CONSTANT(abi::MmuextCommand::TlbFlushLocal, MMUEXT_TLB_FLUSH_LOCAL);
CHECK_CONSTANT(abi::MmuextCommand::InvlpgLocal, MMUEXT_INVLPG_LOCAL);
CHECK_CONSTANT(abi::MmuextCommand::TlbFlushMulti, MMUEXT_TLB_FLUSH_MULTI);
CHECK_CONSTANT(abi::MmuextCommand::InvlpgMulti, MMUEXT_INVLPG_MULTI);
CHECK_CONSTANT(abi::MmuextCommand::TlbFlushAll, MMUEXT_TLB_FLUSH_ALL);
CHECK_CONSTANT(abi::MmuextCommand::InvlpgAll, MMUEXT_INVLPG_ALL);
CHECK_CONSTANT(abi::MmuextCommand::FlushCache, MMUEXT_FLUSH_CACHE);
CHECK_CONSTANT(abi::MmuextCommand::SetLdt, MMUEXT_SET_LDT);
CHECK_CONSTANT(abi::MmuextCommand::NewUserBaseptr, MMUEXT_NEW_USER_BASEPTR);
CHECK_CONSTANT(abi::MmuextCommand::ClearPage, MMUEXT_CLEAR_PAGE);
CHECK_CONSTANT(abi::MmuextCommand::CopyPage, MMUEXT_COPY_PAGE);
CHECK_CONSTANT(abi::MmuextCommand::FlushCacheGlobal, MMUEXT_FLUSH_CACHE_GLOBAL);
CHECK_CONSTANT(abi::MmuextCommand::MarkSuper, MMUEXT_MARK_SUPER);
CHECK_CONSTANT(abi::MmuextCommand::UnmarkSuper, MMUEXT_UNMARK_SUPER);
CHECK_STRUCT(abi::MmuextOp, mmuext_op_t);
CHECK_FIELD(abi::MmuextOp, mmuext_op_t, cmd);
CHECK_FIELD(abi::MmuextOp, mmuext_op_t, arg1);
CHECK_FIELD(abi::MmuextOp, mmuext_op_t, arg1.mfn);
CHECK_FIELD(abi::MmuextOp, mmuext_op_t, arg1.linear_addr);
CHECK_FIELD(abi::MmuextOp, mmuext_op_t, arg2);
CHECK_FIELD(abi::MmuextOp, mmuext_op_t, arg2.nr_ents);
CHECK_FIELD(abi::MmuextOp, mmuext_op_t, arg2.vcpumask);
CHECK_FIELD(abi::MmuextOp, mmuext_op_t, arg2.src_mfn);

CHECK_CONSTANT(abi::kUvmfNone, UVMF_NONE);
CHECK_CONSTANT(abi::kUvmfTlbFlush, UVMF_TLB_FLUSH);
CHECK_CONSTANT(abi::kUvmfInvlpg, UVMF_INVLPG);
CHECK_CONSTANT(abi::kUvmfFlushTypeMask, UVMF_FLUSHTYPE_MASK);
CHECK_CONSTANT(abi::kUvmfMulti, UVMF_MULTI);
CHECK_CONSTANT(abi::kUvmfLocal, UVMF_LOCAL);
CHECK_CONSTANT(abi::kUvmfAll, UVMF_ALL);

CHECK_CONSTANT(abi::ConsoleIoCommand::Write, CONSOLEIO_write);
CHECK_CONSTANT(abi::ConsoleIoCommand::Read, CONSOLEIO_read);

CHECK_STRUCT(abi::MulticallEntry, multicall_entry_t);
CHECK_FIELD(abi::MulticallEntry, multicall_entry_t, op);
CHECK_FIELD(abi::MulticallEntry, multicall_entry_t, result);
CHECK_FIELD(abi::MulticallEntry, multicall_entry_t, args);

CHECK_STRUCT(abi::TrapInfo, trap_info_t);
CHECK_FIELD(abi::TrapInfo, trap_info_t, vector);
CHECK_FIELD(abi::TrapInfo, trap_info_t, flags);
CHECK_FIELD(abi::TrapInfo, trap_info_t, cs);
CHECK_FIELD(abi::TrapInfo, trap_info_t, address);

// ---- start_info.hpp ----------------------------------------------------------------------

CHECK_CONSTANT(abi::kMaxGuestCmdline, MAX_GUEST_CMDLINE);
CHECK_CONSTANT(abi::kSifPrivileged, SIF_PRIVILEGED);
CHECK_CONSTANT(abi::kSifInitdomain, SIF_INITDOMAIN);
CHECK_CONSTANT(abi::kSifMultibootMod, SIF_MULTIBOOT_MOD);
CHECK_CONSTANT(abi::kSifModStartPfn, SIF_MOD_START_PFN);
CHECK_CONSTANT(abi::kSifVirtP2m4Tools, SIF_VIRT_P2M_4TOOLS);
CHECK_CONSTANT(abi::kSifPmMask, SIF_PM_MASK);

CHECK_STRUCT(abi::StartInfo, start_info_t);
CHECK_FIELD(abi::StartInfo, start_info_t, magic);
CHECK_FIELD(abi::StartInfo, start_info_t, nr_pages);
CHECK_FIELD(abi::StartInfo, start_info_t, shared_info);
CHECK_FIELD(abi::StartInfo, start_info_t, flags);
CHECK_FIELD(abi::StartInfo, start_info_t, store_mfn);
CHECK_FIELD(abi::StartInfo, start_info_t, store_evtchn);
CHECK_FIELD(abi::StartInfo, start_info_t, console);
CHECK_FIELD(abi::StartInfo, start_info_t, console.domU);
CHECK_FIELD(abi::StartInfo, start_info_t, console.domU.mfn);
CHECK_FIELD(abi::StartInfo, start_info_t, console.domU.evtchn);
CHECK_FIELD(abi::StartInfo, start_info_t, console.dom0);
CHECK_FIELD(abi::StartInfo, start_info_t, console.dom0.info_off);
CHECK_FIELD(abi::StartInfo, start_info_t, console.dom0.info_size);
CHECK_FIELD(abi::StartInfo, start_info_t, pt_base);
CHECK_FIELD(abi::StartInfo, start_info_t, nr_pt_frames);
CHECK_FIELD(abi::StartInfo, start_info_t, mfn_list);
CHECK_FIELD(abi::StartInfo, start_info_t, mod_start);
CHECK_FIELD(abi::StartInfo, start_info_t, mod_len);
CHECK_FIELD(abi::StartInfo, start_info_t, cmd_line);
CHECK_FIELD(abi::StartInfo, start_info_t, first_p2m_pfn);
CHECK_FIELD(abi::StartInfo, start_info_t, nr_p2m_frames);

CHECK_STRUCT(abi::MultibootModList, struct xen_multiboot_mod_list);
CHECK_FIELD(abi::MultibootModList, struct xen_multiboot_mod_list, mod_start);
CHECK_FIELD(abi::MultibootModList, struct xen_multiboot_mod_list, mod_end);
CHECK_FIELD(abi::MultibootModList, struct xen_multiboot_mod_list, cmdline);
CHECK_FIELD(abi::MultibootModList, struct xen_multiboot_mod_list, pad);

CHECK_CONSTANT(abi::VgaType::TextMode3, XEN_VGATYPE_TEXT_MODE_3);
CHECK_CONSTANT(abi::VgaType::VesaLfb, XEN_VGATYPE_VESA_LFB);
CHECK_CONSTANT(abi::VgaType::EfiLfb, XEN_VGATYPE_EFI_LFB);
CHECK_STRUCT(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, video_type);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.text_mode_3);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.text_mode_3.font_height);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.text_mode_3.cursor_x);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.text_mode_3.cursor_y);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.text_mode_3.rows);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.text_mode_3.columns);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.width);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.height);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.bytes_per_line);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.bits_per_pixel);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.lfb_base);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.lfb_size);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.red_pos);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.red_size);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.green_pos);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.green_size);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.blue_pos);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.blue_size);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.rsvd_pos);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.rsvd_size);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.gbl_caps);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.mode_attrs);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.pad);
CHECK_FIELD(abi::Dom0VgaConsoleInfo, dom0_vga_console_info_t, u.vesa_lfb.ext_lfb_base);

// ---- shared_info.hpp ---------------------------------------------------------------------

CHECK_STRUCT(abi::VcpuTimeInfo, vcpu_time_info_t);
CHECK_FIELD(abi::VcpuTimeInfo, vcpu_time_info_t, version);
CHECK_FIELD(abi::VcpuTimeInfo, vcpu_time_info_t, pad0);
CHECK_FIELD(abi::VcpuTimeInfo, vcpu_time_info_t, tsc_timestamp);
CHECK_FIELD(abi::VcpuTimeInfo, vcpu_time_info_t, system_time);
CHECK_FIELD(abi::VcpuTimeInfo, vcpu_time_info_t, tsc_to_system_mul);
CHECK_FIELD(abi::VcpuTimeInfo, vcpu_time_info_t, tsc_shift);
CHECK_FIELD(abi::VcpuTimeInfo, vcpu_time_info_t, flags);
CHECK_FIELD(abi::VcpuTimeInfo, vcpu_time_info_t, pad1);
static_assert(std::is_signed_v<decltype(abi::VcpuTimeInfo::tsc_shift)>, "tsc_shift is signed");
CHECK_CONSTANT(abi::kPvclockTscStableBit, XEN_PVCLOCK_TSC_STABLE_BIT);
CHECK_CONSTANT(abi::kPvclockGuestStopped, XEN_PVCLOCK_GUEST_STOPPED);

CHECK_STRUCT(abi::ArchVcpuInfo, arch_vcpu_info_t);
CHECK_FIELD(abi::ArchVcpuInfo, arch_vcpu_info_t, cr2);
CHECK_FIELD(abi::ArchVcpuInfo, arch_vcpu_info_t, pad);

CHECK_STRUCT(abi::VcpuInfo, vcpu_info_t);
CHECK_FIELD(abi::VcpuInfo, vcpu_info_t, evtchn_upcall_pending);
CHECK_FIELD(abi::VcpuInfo, vcpu_info_t, evtchn_upcall_mask);
CHECK_FIELD(abi::VcpuInfo, vcpu_info_t, evtchn_pending_sel);
CHECK_FIELD(abi::VcpuInfo, vcpu_info_t, arch);
CHECK_FIELD(abi::VcpuInfo, vcpu_info_t, time);

CHECK_STRUCT(abi::ArchSharedInfo, arch_shared_info_t);
CHECK_FIELD(abi::ArchSharedInfo, arch_shared_info_t, max_pfn);
CHECK_FIELD(abi::ArchSharedInfo, arch_shared_info_t, pfn_to_mfn_frame_list_list);
CHECK_FIELD(abi::ArchSharedInfo, arch_shared_info_t, nmi_reason);
CHECK_FIELD(abi::ArchSharedInfo, arch_shared_info_t, p2m_cr3);
CHECK_FIELD(abi::ArchSharedInfo, arch_shared_info_t, p2m_vaddr);
CHECK_FIELD(abi::ArchSharedInfo, arch_shared_info_t, p2m_generation);

CHECK_CONSTANT(abi::kLegacyMaxVcpus, XEN_LEGACY_MAX_VCPUS);
CHECK_CONSTANT(abi::kEventChannelWords, sizeof(xen_ulong_t) * 8);
CHECK_CONSTANT(abi::kEventChannelWordBits, sizeof(xen_ulong_t) * 8);
CHECK_STRUCT(abi::SharedInfo, shared_info_t);
CHECK_FIELD(abi::SharedInfo, shared_info_t, vcpu_info);
CHECK_FIELD(abi::SharedInfo, shared_info_t, evtchn_pending);
CHECK_FIELD(abi::SharedInfo, shared_info_t, evtchn_mask);
CHECK_FIELD(abi::SharedInfo, shared_info_t, wc_version);
CHECK_FIELD(abi::SharedInfo, shared_info_t, wc_sec);
CHECK_FIELD(abi::SharedInfo, shared_info_t, wc_nsec);
CHECK_FIELD(abi::SharedInfo, shared_info_t, wc_sec_hi);
CHECK_FIELD(abi::SharedInfo, shared_info_t, arch);

// ---- version.hpp, features.hpp -----------------------------------------------------------

CHECK_CONSTANT(abi::VersionOp::Version, XENVER_version);
CHECK_CONSTANT(abi::VersionOp::Extraversion, XENVER_extraversion);
CHECK_CONSTANT(abi::VersionOp::CompileInfo, XENVER_compile_info);
CHECK_CONSTANT(abi::VersionOp::Capabilities, XENVER_capabilities);
CHECK_CONSTANT(abi::VersionOp::Changeset, XENVER_changeset);
CHECK_CONSTANT(abi::VersionOp::PlatformParameters, XENVER_platform_parameters);
CHECK_CONSTANT(abi::VersionOp::GetFeatures, XENVER_get_features);
CHECK_CONSTANT(abi::VersionOp::Pagesize, XENVER_pagesize);
CHECK_CONSTANT(abi::VersionOp::GuestHandle, XENVER_guest_handle);
CHECK_CONSTANT(abi::VersionOp::Commandline, XENVER_commandline);
CHECK_CONSTANT(abi::VersionOp::BuildId, XENVER_build_id);

static_assert(sizeof(abi::Extraversion) == sizeof(xen_extraversion_t));
CHECK_CONSTANT(abi::kExtraversionLength, XEN_EXTRAVERSION_LEN);
static_assert(sizeof(abi::CapabilitiesInfo) == sizeof(xen_capabilities_info_t));
CHECK_CONSTANT(abi::kCapabilitiesInfoLength, XEN_CAPABILITIES_INFO_LEN);
static_assert(sizeof(abi::ChangesetInfo) == sizeof(xen_changeset_info_t));
CHECK_CONSTANT(abi::kChangesetInfoLength, XEN_CHANGESET_INFO_LEN);
static_assert(sizeof(abi::DomainHandle) == sizeof(xen_domain_handle_t));
static_assert(sizeof(abi::CommandLine) == sizeof(xen_commandline_t));

CHECK_STRUCT(abi::CompileInfo, xen_compile_info_t);
CHECK_FIELD(abi::CompileInfo, xen_compile_info_t, compiler);
CHECK_FIELD(abi::CompileInfo, xen_compile_info_t, compile_by);
CHECK_FIELD(abi::CompileInfo, xen_compile_info_t, compile_domain);
CHECK_FIELD(abi::CompileInfo, xen_compile_info_t, compile_date);
CHECK_STRUCT(abi::PlatformParameters, xen_platform_parameters_t);
CHECK_FIELD(abi::PlatformParameters, xen_platform_parameters_t, virt_start);
CHECK_STRUCT(abi::FeatureInfo, xen_feature_info_t);
CHECK_FIELD(abi::FeatureInfo, xen_feature_info_t, submap_idx);
CHECK_FIELD(abi::FeatureInfo, xen_feature_info_t, submap);
CHECK_STRUCT(abi::BuildIdHeader, xen_build_id_t);
CHECK_FIELD(abi::BuildIdHeader, xen_build_id_t, len);
static_assert(offsetof(xen_build_id_t, buf) == sizeof(abi::BuildIdHeader), "build ID bytes follow the header");

CHECK_CONSTANT(abi::Feature::WritablePageTables, XENFEAT_writable_page_tables);
CHECK_CONSTANT(abi::Feature::WritableDescriptorTables, XENFEAT_writable_descriptor_tables);
CHECK_CONSTANT(abi::Feature::AutoTranslatedPhysmap, XENFEAT_auto_translated_physmap);
CHECK_CONSTANT(abi::Feature::SupervisorModeKernel, XENFEAT_supervisor_mode_kernel);
CHECK_CONSTANT(abi::Feature::PaePgdirAbove4gb, XENFEAT_pae_pgdir_above_4gb);
CHECK_CONSTANT(abi::Feature::MmuPtUpdatePreserveAd, XENFEAT_mmu_pt_update_preserve_ad);
CHECK_CONSTANT(abi::Feature::HighmemAssist, XENFEAT_highmem_assist);
CHECK_CONSTANT(abi::Feature::GnttabMapAvailBits, XENFEAT_gnttab_map_avail_bits);
CHECK_CONSTANT(abi::Feature::HvmCallbackVector, XENFEAT_hvm_callback_vector);
CHECK_CONSTANT(abi::Feature::HvmSafePvclock, XENFEAT_hvm_safe_pvclock);
CHECK_CONSTANT(abi::Feature::HvmPirqs, XENFEAT_hvm_pirqs);
CHECK_CONSTANT(abi::Feature::Dom0, XENFEAT_dom0);
CHECK_CONSTANT(abi::Feature::MemoryOpVnodeSupported, XENFEAT_memory_op_vnode_supported);
CHECK_CONSTANT(abi::Feature::ArmSmcccSupported, XENFEAT_ARM_SMCCC_supported);
CHECK_CONSTANT(abi::Feature::LinuxRsdpUnrestricted, XENFEAT_linux_rsdp_unrestricted);
CHECK_CONSTANT(abi::Feature::NotDirectMapped, XENFEAT_not_direct_mapped);
CHECK_CONSTANT(abi::Feature::DirectMapped, XENFEAT_direct_mapped);
CHECK_CONSTANT(abi::kFeatureNrSubmaps, XENFEAT_NR_SUBMAPS);

// ---- sched.hpp ---------------------------------------------------------------------------

CHECK_CONSTANT(abi::SchedOp::Yield, SCHEDOP_yield);
CHECK_CONSTANT(abi::SchedOp::Block, SCHEDOP_block);
CHECK_CONSTANT(abi::SchedOp::Shutdown, SCHEDOP_shutdown);
CHECK_CONSTANT(abi::SchedOp::Poll, SCHEDOP_poll);
CHECK_CONSTANT(abi::SchedOp::RemoteShutdown, SCHEDOP_remote_shutdown);
CHECK_CONSTANT(abi::SchedOp::ShutdownCode, SCHEDOP_shutdown_code);
CHECK_CONSTANT(abi::SchedOp::Watchdog, SCHEDOP_watchdog);
CHECK_CONSTANT(abi::SchedOp::PinOverride, SCHEDOP_pin_override);
CHECK_CONSTANT(abi::ShutdownReason::Poweroff, SHUTDOWN_poweroff);
CHECK_CONSTANT(abi::ShutdownReason::Reboot, SHUTDOWN_reboot);
CHECK_CONSTANT(abi::ShutdownReason::Suspend, SHUTDOWN_suspend);
CHECK_CONSTANT(abi::ShutdownReason::Crash, SHUTDOWN_crash);
CHECK_CONSTANT(abi::ShutdownReason::Watchdog, SHUTDOWN_watchdog);
CHECK_CONSTANT(abi::ShutdownReason::SoftReset, SHUTDOWN_soft_reset);
CHECK_CONSTANT(abi::kShutdownMax, SHUTDOWN_MAX);

CHECK_STRUCT(abi::SchedShutdown, sched_shutdown_t);
CHECK_FIELD(abi::SchedShutdown, sched_shutdown_t, reason);
CHECK_STRUCT(abi::SchedPoll, sched_poll_t);
CHECK_FIELD(abi::SchedPoll, sched_poll_t, ports);
CHECK_FIELD(abi::SchedPoll, sched_poll_t, ports.p);
CHECK_FIELD(abi::SchedPoll, sched_poll_t, nr_ports);
CHECK_FIELD(abi::SchedPoll, sched_poll_t, timeout);
CHECK_STRUCT(abi::SchedRemoteShutdown, sched_remote_shutdown_t);
CHECK_FIELD(abi::SchedRemoteShutdown, sched_remote_shutdown_t, domain_id);
CHECK_FIELD(abi::SchedRemoteShutdown, sched_remote_shutdown_t, reason);
CHECK_STRUCT(abi::SchedWatchdog, sched_watchdog_t);
CHECK_FIELD(abi::SchedWatchdog, sched_watchdog_t, id);
CHECK_FIELD(abi::SchedWatchdog, sched_watchdog_t, timeout);
CHECK_STRUCT(abi::SchedPinOverride, sched_pin_override_t);
CHECK_FIELD(abi::SchedPinOverride, sched_pin_override_t, pcpu);

// ---- memory.hpp --------------------------------------------------------------------------

CHECK_CONSTANT(abi::MemoryOp::IncreaseReservation, XENMEM_increase_reservation);
CHECK_CONSTANT(abi::MemoryOp::DecreaseReservation, XENMEM_decrease_reservation);
CHECK_CONSTANT(abi::MemoryOp::MaximumRamPage, XENMEM_maximum_ram_page);
CHECK_CONSTANT(abi::MemoryOp::CurrentReservation, XENMEM_current_reservation);
CHECK_CONSTANT(abi::MemoryOp::MaximumReservation, XENMEM_maximum_reservation);
CHECK_CONSTANT(abi::MemoryOp::MachphysMfnList, XENMEM_machphys_mfn_list);
CHECK_CONSTANT(abi::MemoryOp::PopulatePhysmap, XENMEM_populate_physmap);
CHECK_CONSTANT(abi::MemoryOp::AddToPhysmap, XENMEM_add_to_physmap);
CHECK_CONSTANT(abi::MemoryOp::MemoryMap, XENMEM_memory_map);
CHECK_CONSTANT(abi::MemoryOp::MachineMemoryMap, XENMEM_machine_memory_map);
CHECK_CONSTANT(abi::MemoryOp::Exchange, XENMEM_exchange);
CHECK_CONSTANT(abi::MemoryOp::MachphysMapping, XENMEM_machphys_mapping);
CHECK_CONSTANT(abi::MemoryOp::SetMemoryMap, XENMEM_set_memory_map);
CHECK_CONSTANT(abi::MemoryOp::MaximumGpfn, XENMEM_maximum_gpfn);
CHECK_CONSTANT(abi::MemoryOp::RemoveFromPhysmap, XENMEM_remove_from_physmap);
CHECK_CONSTANT(abi::MemoryOp::SetPodTarget, XENMEM_set_pod_target);
CHECK_CONSTANT(abi::MemoryOp::GetPodTarget, XENMEM_get_pod_target);
CHECK_CONSTANT(abi::MemoryOp::GetSharingFreedPages, XENMEM_get_sharing_freed_pages);
CHECK_CONSTANT(abi::MemoryOp::GetSharingSharedPages, XENMEM_get_sharing_shared_pages);
CHECK_CONSTANT(abi::MemoryOp::PagingOp, XENMEM_paging_op);
CHECK_CONSTANT(abi::MemoryOp::AccessOp, XENMEM_access_op);
CHECK_CONSTANT(abi::MemoryOp::SharingOp, XENMEM_sharing_op);
CHECK_CONSTANT(abi::MemoryOp::AddToPhysmapBatch, XENMEM_add_to_physmap_batch);
CHECK_CONSTANT(abi::MemoryOp::ClaimPages, XENMEM_claim_pages);
CHECK_CONSTANT(abi::MemoryOp::MachphysCompatMfnList, XENMEM_machphys_compat_mfn_list);
CHECK_CONSTANT(abi::MemoryOp::GetVnumainfo, XENMEM_get_vnumainfo);
CHECK_CONSTANT(abi::MemoryOp::ReservedDeviceMemoryMap, XENMEM_reserved_device_memory_map);
CHECK_CONSTANT(abi::MemoryOp::AcquireResource, XENMEM_acquire_resource);

CHECK_CONSTANT(abi::kXenmemfAddressBitsMask, XENMEMF_get_address_bits(~0u));
CHECK_CONSTANT(std::uint32_t{5 + 1} << abi::kXenmemfNodeShift, XENMEMF_node(5u));
CHECK_CONSTANT(abi::kXenmemfPopulateOnDemand, XENMEMF_populate_on_demand);
CHECK_CONSTANT(abi::kXenmemfExactNodeRequest, XENMEMF_exact_node_request);
CHECK_CONSTANT(abi::kXenmemfVnode, XENMEMF_vnode);

CHECK_STRUCT(abi::MemoryReservation, xen_memory_reservation_t);
CHECK_FIELD(abi::MemoryReservation, xen_memory_reservation_t, extent_start);
CHECK_FIELD(abi::MemoryReservation, xen_memory_reservation_t, nr_extents);
CHECK_FIELD(abi::MemoryReservation, xen_memory_reservation_t, extent_order);
CHECK_FIELD(abi::MemoryReservation, xen_memory_reservation_t, mem_flags);
CHECK_FIELD(abi::MemoryReservation, xen_memory_reservation_t, domid);
CHECK_STRUCT(abi::MemoryExchange, xen_memory_exchange_t);
CHECK_FIELD(abi::MemoryExchange, xen_memory_exchange_t, in);
CHECK_FIELD(abi::MemoryExchange, xen_memory_exchange_t, out);
CHECK_FIELD(abi::MemoryExchange, xen_memory_exchange_t, nr_exchanged);
CHECK_STRUCT(abi::MachphysMfnList, xen_machphys_mfn_list_t);
CHECK_FIELD(abi::MachphysMfnList, xen_machphys_mfn_list_t, max_extents);
CHECK_FIELD(abi::MachphysMfnList, xen_machphys_mfn_list_t, extent_start);
CHECK_FIELD(abi::MachphysMfnList, xen_machphys_mfn_list_t, nr_extents);
CHECK_STRUCT(abi::MachphysMapping, xen_machphys_mapping_t);
CHECK_FIELD(abi::MachphysMapping, xen_machphys_mapping_t, v_start);
CHECK_FIELD(abi::MachphysMapping, xen_machphys_mapping_t, v_end);
CHECK_FIELD(abi::MachphysMapping, xen_machphys_mapping_t, max_mfn);

CHECK_CONSTANT(abi::MapSpace::SharedInfo, XENMAPSPACE_shared_info);
CHECK_CONSTANT(abi::MapSpace::GrantTable, XENMAPSPACE_grant_table);
CHECK_CONSTANT(abi::MapSpace::Gmfn, XENMAPSPACE_gmfn);
CHECK_CONSTANT(abi::MapSpace::GmfnRange, XENMAPSPACE_gmfn_range);
CHECK_CONSTANT(abi::MapSpace::GmfnForeign, XENMAPSPACE_gmfn_foreign);
CHECK_CONSTANT(abi::MapSpace::DevMmio, XENMAPSPACE_dev_mmio);
CHECK_CONSTANT(abi::kXenmapidxGrantTableStatus, XENMAPIDX_grant_table_status);
CHECK_STRUCT(abi::AddToPhysmap, xen_add_to_physmap_t);
CHECK_FIELD(abi::AddToPhysmap, xen_add_to_physmap_t, domid);
CHECK_FIELD(abi::AddToPhysmap, xen_add_to_physmap_t, size);
CHECK_FIELD(abi::AddToPhysmap, xen_add_to_physmap_t, space);
CHECK_FIELD(abi::AddToPhysmap, xen_add_to_physmap_t, idx);
CHECK_FIELD(abi::AddToPhysmap, xen_add_to_physmap_t, gpfn);
CHECK_STRUCT(abi::RemoveFromPhysmap, xen_remove_from_physmap_t);
CHECK_FIELD(abi::RemoveFromPhysmap, xen_remove_from_physmap_t, domid);
CHECK_FIELD(abi::RemoveFromPhysmap, xen_remove_from_physmap_t, gpfn);
CHECK_STRUCT(abi::MemoryMap, xen_memory_map_t);
CHECK_FIELD(abi::MemoryMap, xen_memory_map_t, nr_entries);
CHECK_FIELD(abi::MemoryMap, xen_memory_map_t, buffer);
CHECK_STRUCT(abi::ForeignMemoryMap, xen_foreign_memory_map_t);
CHECK_FIELD(abi::ForeignMemoryMap, xen_foreign_memory_map_t, domid);
CHECK_FIELD(abi::ForeignMemoryMap, xen_foreign_memory_map_t, map);
CHECK_FIELD(abi::ForeignMemoryMap, xen_foreign_memory_map_t, map.nr_entries);
CHECK_FIELD(abi::ForeignMemoryMap, xen_foreign_memory_map_t, map.buffer);
// abi::E820Entry has no counterpart in Xen's public headers (Xen keeps its e820entry in
// asm/e820.h); its 20-byte packed layout is asserted in memory.hpp itself.

// ---- event_channel.hpp -------------------------------------------------------------------

static_assert(sizeof(abi::EventChannelPort) == sizeof(evtchn_port_t));
CHECK_CONSTANT(abi::kEvtchn2lNrChannels, EVTCHN_2L_NR_CHANNELS);
CHECK_CONSTANT(abi::EventChannelOp::BindInterdomain, EVTCHNOP_bind_interdomain);
CHECK_CONSTANT(abi::EventChannelOp::BindVirq, EVTCHNOP_bind_virq);
CHECK_CONSTANT(abi::EventChannelOp::BindPirq, EVTCHNOP_bind_pirq);
CHECK_CONSTANT(abi::EventChannelOp::Close, EVTCHNOP_close);
CHECK_CONSTANT(abi::EventChannelOp::Send, EVTCHNOP_send);
CHECK_CONSTANT(abi::EventChannelOp::Status, EVTCHNOP_status);
CHECK_CONSTANT(abi::EventChannelOp::AllocUnbound, EVTCHNOP_alloc_unbound);
CHECK_CONSTANT(abi::EventChannelOp::BindIpi, EVTCHNOP_bind_ipi);
CHECK_CONSTANT(abi::EventChannelOp::BindVcpu, EVTCHNOP_bind_vcpu);
CHECK_CONSTANT(abi::EventChannelOp::Unmask, EVTCHNOP_unmask);
CHECK_CONSTANT(abi::EventChannelOp::Reset, EVTCHNOP_reset);
CHECK_CONSTANT(abi::EventChannelOp::InitControl, EVTCHNOP_init_control);
CHECK_CONSTANT(abi::EventChannelOp::ExpandArray, EVTCHNOP_expand_array);
CHECK_CONSTANT(abi::EventChannelOp::SetPriority, EVTCHNOP_set_priority);

CHECK_CONSTANT(abi::Virq::Timer, VIRQ_TIMER);
CHECK_CONSTANT(abi::Virq::Debug, VIRQ_DEBUG);
CHECK_CONSTANT(abi::Virq::Console, VIRQ_CONSOLE);
CHECK_CONSTANT(abi::Virq::DomExc, VIRQ_DOM_EXC);
CHECK_CONSTANT(abi::Virq::Tbuf, VIRQ_TBUF);
CHECK_CONSTANT(abi::Virq::Debugger, VIRQ_DEBUGGER);
CHECK_CONSTANT(abi::Virq::Xenoprof, VIRQ_XENOPROF);
CHECK_CONSTANT(abi::Virq::ConRing, VIRQ_CON_RING);
CHECK_CONSTANT(abi::Virq::PcpuState, VIRQ_PCPU_STATE);
CHECK_CONSTANT(abi::Virq::MemEvent, VIRQ_MEM_EVENT);
CHECK_CONSTANT(abi::Virq::Argo, VIRQ_ARGO);
CHECK_CONSTANT(abi::Virq::Enomem, VIRQ_ENOMEM);
CHECK_CONSTANT(abi::Virq::Xenpmu, VIRQ_XENPMU);
CHECK_CONSTANT(abi::Virq::Arch0, VIRQ_ARCH_0);
CHECK_CONSTANT(abi::Virq::Arch1, VIRQ_ARCH_1);
CHECK_CONSTANT(abi::Virq::Arch2, VIRQ_ARCH_2);
CHECK_CONSTANT(abi::Virq::Arch3, VIRQ_ARCH_3);
CHECK_CONSTANT(abi::Virq::Arch4, VIRQ_ARCH_4);
CHECK_CONSTANT(abi::Virq::Arch5, VIRQ_ARCH_5);
CHECK_CONSTANT(abi::Virq::Arch6, VIRQ_ARCH_6);
CHECK_CONSTANT(abi::Virq::Arch7, VIRQ_ARCH_7);
CHECK_CONSTANT(abi::kNrVirqs, NR_VIRQS);
CHECK_CONSTANT(abi::kBindPirqWillShare, BIND_PIRQ__WILL_SHARE);

CHECK_CONSTANT(abi::EventChannelState::Closed, EVTCHNSTAT_closed);
CHECK_CONSTANT(abi::EventChannelState::Unbound, EVTCHNSTAT_unbound);
CHECK_CONSTANT(abi::EventChannelState::Interdomain, EVTCHNSTAT_interdomain);
CHECK_CONSTANT(abi::EventChannelState::Pirq, EVTCHNSTAT_pirq);
CHECK_CONSTANT(abi::EventChannelState::Virq, EVTCHNSTAT_virq);
CHECK_CONSTANT(abi::EventChannelState::Ipi, EVTCHNSTAT_ipi);

CHECK_STRUCT(abi::EventChannelAllocUnbound, evtchn_alloc_unbound_t);
CHECK_FIELD(abi::EventChannelAllocUnbound, evtchn_alloc_unbound_t, dom);
CHECK_FIELD(abi::EventChannelAllocUnbound, evtchn_alloc_unbound_t, remote_dom);
CHECK_FIELD(abi::EventChannelAllocUnbound, evtchn_alloc_unbound_t, port);
CHECK_STRUCT(abi::EventChannelBindInterdomain, evtchn_bind_interdomain_t);
CHECK_FIELD(abi::EventChannelBindInterdomain, evtchn_bind_interdomain_t, remote_dom);
CHECK_FIELD(abi::EventChannelBindInterdomain, evtchn_bind_interdomain_t, remote_port);
CHECK_FIELD(abi::EventChannelBindInterdomain, evtchn_bind_interdomain_t, local_port);
CHECK_STRUCT(abi::EventChannelBindVirq, evtchn_bind_virq_t);
CHECK_FIELD(abi::EventChannelBindVirq, evtchn_bind_virq_t, virq);
CHECK_FIELD(abi::EventChannelBindVirq, evtchn_bind_virq_t, vcpu);
CHECK_FIELD(abi::EventChannelBindVirq, evtchn_bind_virq_t, port);
CHECK_STRUCT(abi::EventChannelBindPirq, evtchn_bind_pirq_t);
CHECK_FIELD(abi::EventChannelBindPirq, evtchn_bind_pirq_t, pirq);
CHECK_FIELD(abi::EventChannelBindPirq, evtchn_bind_pirq_t, flags);
CHECK_FIELD(abi::EventChannelBindPirq, evtchn_bind_pirq_t, port);
CHECK_STRUCT(abi::EventChannelBindIpi, evtchn_bind_ipi_t);
CHECK_FIELD(abi::EventChannelBindIpi, evtchn_bind_ipi_t, vcpu);
CHECK_FIELD(abi::EventChannelBindIpi, evtchn_bind_ipi_t, port);
CHECK_STRUCT(abi::EventChannelClose, evtchn_close_t);
CHECK_FIELD(abi::EventChannelClose, evtchn_close_t, port);
CHECK_STRUCT(abi::EventChannelSend, evtchn_send_t);
CHECK_FIELD(abi::EventChannelSend, evtchn_send_t, port);
CHECK_STRUCT(abi::EventChannelStatus, evtchn_status_t);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, dom);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, port);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, status);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, vcpu);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, u);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, u.unbound.dom);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, u.interdomain);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, u.interdomain.dom);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, u.interdomain.port);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, u.pirq);
CHECK_FIELD(abi::EventChannelStatus, evtchn_status_t, u.virq);
CHECK_STRUCT(abi::EventChannelBindVcpu, evtchn_bind_vcpu_t);
CHECK_FIELD(abi::EventChannelBindVcpu, evtchn_bind_vcpu_t, port);
CHECK_FIELD(abi::EventChannelBindVcpu, evtchn_bind_vcpu_t, vcpu);
CHECK_STRUCT(abi::EventChannelUnmask, evtchn_unmask_t);
CHECK_FIELD(abi::EventChannelUnmask, evtchn_unmask_t, port);
CHECK_STRUCT(abi::EventChannelReset, evtchn_reset_t);
CHECK_FIELD(abi::EventChannelReset, evtchn_reset_t, dom);
CHECK_STRUCT(abi::EventChannelInitControl, evtchn_init_control_t);
CHECK_FIELD(abi::EventChannelInitControl, evtchn_init_control_t, control_gfn);
CHECK_FIELD(abi::EventChannelInitControl, evtchn_init_control_t, offset);
CHECK_FIELD(abi::EventChannelInitControl, evtchn_init_control_t, vcpu);
CHECK_FIELD(abi::EventChannelInitControl, evtchn_init_control_t, link_bits);
CHECK_FIELD(abi::EventChannelInitControl, evtchn_init_control_t, _pad);
CHECK_STRUCT(abi::EventChannelExpandArray, evtchn_expand_array_t);
CHECK_FIELD(abi::EventChannelExpandArray, evtchn_expand_array_t, array_gfn);
CHECK_STRUCT(abi::EventChannelSetPriority, evtchn_set_priority_t);
CHECK_FIELD(abi::EventChannelSetPriority, evtchn_set_priority_t, port);
CHECK_FIELD(abi::EventChannelSetPriority, evtchn_set_priority_t, priority);

// ---- vcpu.hpp ----------------------------------------------------------------------------

CHECK_CONSTANT(abi::VcpuOp::Initialise, VCPUOP_initialise);
CHECK_CONSTANT(abi::VcpuOp::Up, VCPUOP_up);
CHECK_CONSTANT(abi::VcpuOp::Down, VCPUOP_down);
CHECK_CONSTANT(abi::VcpuOp::IsUp, VCPUOP_is_up);
CHECK_CONSTANT(abi::VcpuOp::GetRunstateInfo, VCPUOP_get_runstate_info);
CHECK_CONSTANT(abi::VcpuOp::RegisterRunstateMemoryArea, VCPUOP_register_runstate_memory_area);
CHECK_CONSTANT(abi::VcpuOp::SetPeriodicTimer, VCPUOP_set_periodic_timer);
CHECK_CONSTANT(abi::VcpuOp::StopPeriodicTimer, VCPUOP_stop_periodic_timer);
CHECK_CONSTANT(abi::VcpuOp::SetSingleshotTimer, VCPUOP_set_singleshot_timer);
CHECK_CONSTANT(abi::VcpuOp::StopSingleshotTimer, VCPUOP_stop_singleshot_timer);
CHECK_CONSTANT(abi::VcpuOp::RegisterVcpuInfo, VCPUOP_register_vcpu_info);
CHECK_CONSTANT(abi::VcpuOp::SendNmi, VCPUOP_send_nmi);
CHECK_CONSTANT(abi::VcpuOp::GetPhysid, VCPUOP_get_physid);
CHECK_CONSTANT(abi::VcpuOp::RegisterVcpuTimeMemoryArea, VCPUOP_register_vcpu_time_memory_area);
CHECK_CONSTANT(abi::Runstate::Running, RUNSTATE_running);
CHECK_CONSTANT(abi::Runstate::Runnable, RUNSTATE_runnable);
CHECK_CONSTANT(abi::Runstate::Blocked, RUNSTATE_blocked);
CHECK_CONSTANT(abi::Runstate::Offline, RUNSTATE_offline);
CHECK_CONSTANT(abi::kRunstateUpdate, XEN_RUNSTATE_UPDATE);
CHECK_CONSTANT(abi::kVcpuSshottmrFuture, VCPU_SSHOTTMR_future);

CHECK_STRUCT(abi::VcpuRunstateInfo, vcpu_runstate_info_t);
CHECK_FIELD(abi::VcpuRunstateInfo, vcpu_runstate_info_t, state);
CHECK_FIELD(abi::VcpuRunstateInfo, vcpu_runstate_info_t, state_entry_time);
CHECK_FIELD(abi::VcpuRunstateInfo, vcpu_runstate_info_t, time);
CHECK_STRUCT(abi::VcpuRegisterRunstateMemoryArea, vcpu_register_runstate_memory_area_t);
CHECK_FIELD(abi::VcpuRegisterRunstateMemoryArea, vcpu_register_runstate_memory_area_t, addr);
CHECK_FIELD(abi::VcpuRegisterRunstateMemoryArea, vcpu_register_runstate_memory_area_t, addr.h);
CHECK_FIELD(abi::VcpuRegisterRunstateMemoryArea, vcpu_register_runstate_memory_area_t, addr.p);
CHECK_STRUCT(abi::VcpuSetPeriodicTimer, vcpu_set_periodic_timer_t);
CHECK_FIELD(abi::VcpuSetPeriodicTimer, vcpu_set_periodic_timer_t, period_ns);
CHECK_STRUCT(abi::VcpuSetSingleshotTimer, vcpu_set_singleshot_timer_t);
CHECK_FIELD(abi::VcpuSetSingleshotTimer, vcpu_set_singleshot_timer_t, timeout_abs_ns);
CHECK_FIELD(abi::VcpuSetSingleshotTimer, vcpu_set_singleshot_timer_t, flags);
CHECK_STRUCT(abi::VcpuRegisterVcpuInfo, vcpu_register_vcpu_info_t);
CHECK_FIELD(abi::VcpuRegisterVcpuInfo, vcpu_register_vcpu_info_t, mfn);
CHECK_FIELD(abi::VcpuRegisterVcpuInfo, vcpu_register_vcpu_info_t, offset);
CHECK_FIELD(abi::VcpuRegisterVcpuInfo, vcpu_register_vcpu_info_t, rsvd);
CHECK_STRUCT(abi::VcpuGetPhysid, vcpu_get_physid_t);
CHECK_FIELD(abi::VcpuGetPhysid, vcpu_get_physid_t, phys_id);
CHECK_STRUCT(abi::VcpuRegisterTimeMemoryArea, vcpu_register_time_memory_area_t);
CHECK_FIELD(abi::VcpuRegisterTimeMemoryArea, vcpu_register_time_memory_area_t, addr);
CHECK_FIELD(abi::VcpuRegisterTimeMemoryArea, vcpu_register_time_memory_area_t, addr.h);
CHECK_FIELD(abi::VcpuRegisterTimeMemoryArea, vcpu_register_time_memory_area_t, addr.p);

CHECK_STRUCT(abi::CpuUserRegs, cpu_user_regs_t);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, r15);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, r14);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, r13);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, r12);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, rbp);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, rbx);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, r11);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, r10);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, r9);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, r8);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, rax);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, rcx);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, rdx);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, rsi);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, rdi);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, error_code);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, entry_vector);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, rip);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, cs);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, _pad0);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, saved_upcall_mask);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, _pad1);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, rflags);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, rsp);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, ss);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, _pad2);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, es);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, _pad3);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, ds);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, _pad4);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, fs);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, _pad5);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, gs);
CHECK_FIELD(abi::CpuUserRegs, cpu_user_regs_t, _pad6);

CHECK_CONSTANT(abi::kVgcfI387Valid, VGCF_i387_valid);
CHECK_CONSTANT(abi::kVgcfI387Valid, VGCF_I387_VALID);
CHECK_CONSTANT(abi::kVgcfInKernel, VGCF_in_kernel);
CHECK_CONSTANT(abi::kVgcfInKernel, VGCF_IN_KERNEL);
CHECK_CONSTANT(abi::kVgcfFailsafeDisablesEvents, VGCF_failsafe_disables_events);
CHECK_CONSTANT(abi::kVgcfSyscallDisablesEvents, VGCF_syscall_disables_events);
CHECK_CONSTANT(abi::kVgcfOnline, VGCF_online);
CHECK_CONSTANT(abi::kVgcfInSyscall, VGCF_in_syscall);

CHECK_STRUCT(abi::VcpuGuestContext, vcpu_guest_context_t);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, fpu_ctxt);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, fpu_ctxt.x);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, flags);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, user_regs);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, trap_ctxt);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, ldt_base);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, ldt_ents);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, gdt_frames);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, gdt_ents);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, kernel_ss);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, kernel_sp);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, ctrlreg);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, debugreg);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, event_callback_eip);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, failsafe_callback_eip);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, syscall_callback_eip);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, vm_assist);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, fs_base);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, gs_base_kernel);
CHECK_FIELD(abi::VcpuGuestContext, vcpu_guest_context_t, gs_base_user);

// ---- callback.hpp ------------------------------------------------------------------------

CHECK_CONSTANT(abi::CallbackOp::Register, CALLBACKOP_register);
CHECK_CONSTANT(abi::CallbackOp::Unregister, CALLBACKOP_unregister);
CHECK_CONSTANT(abi::CallbackType::Event, CALLBACKTYPE_event);
CHECK_CONSTANT(abi::CallbackType::Failsafe, CALLBACKTYPE_failsafe);
CHECK_CONSTANT(abi::CallbackType::Syscall, CALLBACKTYPE_syscall);
CHECK_CONSTANT(abi::CallbackType::SysenterDeprecated, CALLBACKTYPE_sysenter_deprecated);
CHECK_CONSTANT(abi::CallbackType::Nmi, CALLBACKTYPE_nmi);
CHECK_CONSTANT(abi::CallbackType::Sysenter, CALLBACKTYPE_sysenter);
CHECK_CONSTANT(abi::CallbackType::Syscall32, CALLBACKTYPE_syscall32);
CHECK_CONSTANT(abi::kCallbackfMaskEvents, CALLBACKF_mask_events);
CHECK_STRUCT(abi::CallbackRegister, callback_register_t);
CHECK_FIELD(abi::CallbackRegister, callback_register_t, type);
CHECK_FIELD(abi::CallbackRegister, callback_register_t, flags);
CHECK_FIELD(abi::CallbackRegister, callback_register_t, address);
static_assert(sizeof(abi::CallbackRegister::address) == sizeof(xen_callback_t));
CHECK_STRUCT(abi::CallbackUnregister, callback_unregister_t);
CHECK_FIELD(abi::CallbackUnregister, callback_unregister_t, type);
CHECK_FIELD(abi::CallbackUnregister, callback_unregister_t, _unused);
CHECK_STRUCT(abi::IretContext, struct iret_context);
CHECK_FIELD(abi::IretContext, struct iret_context, rax);
CHECK_FIELD(abi::IretContext, struct iret_context, r11);
CHECK_FIELD(abi::IretContext, struct iret_context, rcx);
CHECK_FIELD(abi::IretContext, struct iret_context, flags);
CHECK_FIELD(abi::IretContext, struct iret_context, rip);
CHECK_FIELD(abi::IretContext, struct iret_context, cs);
CHECK_FIELD(abi::IretContext, struct iret_context, rflags);
CHECK_FIELD(abi::IretContext, struct iret_context, rsp);
CHECK_FIELD(abi::IretContext, struct iret_context, ss);

// ---- physdev.hpp -------------------------------------------------------------------------

CHECK_CONSTANT(abi::PhysdevOp::IrqUnmaskNotify, PHYSDEVOP_IRQ_UNMASK_NOTIFY);
CHECK_CONSTANT(abi::PhysdevOp::IrqStatusQuery, PHYSDEVOP_irq_status_query);
CHECK_CONSTANT(abi::PhysdevOp::SetIopl, PHYSDEVOP_set_iopl);
CHECK_CONSTANT(abi::PhysdevOp::SetIobitmap, PHYSDEVOP_set_iobitmap);
CHECK_CONSTANT(abi::PhysdevOp::ApicRead, PHYSDEVOP_apic_read);
CHECK_CONSTANT(abi::PhysdevOp::ApicWrite, PHYSDEVOP_apic_write);
CHECK_CONSTANT(abi::PhysdevOp::AllocIrqVector, PHYSDEVOP_alloc_irq_vector);
CHECK_CONSTANT(abi::PhysdevOp::FreeIrqVector, PHYSDEVOP_free_irq_vector);
CHECK_CONSTANT(abi::PhysdevOp::Eoi, PHYSDEVOP_eoi);
CHECK_CONSTANT(abi::PhysdevOp::MapPirq, PHYSDEVOP_map_pirq);
CHECK_CONSTANT(abi::PhysdevOp::UnmapPirq, PHYSDEVOP_unmap_pirq);
CHECK_CONSTANT(abi::PhysdevOp::ManagePciAdd, PHYSDEVOP_manage_pci_add);
CHECK_CONSTANT(abi::PhysdevOp::ManagePciRemove, PHYSDEVOP_manage_pci_remove);
CHECK_CONSTANT(abi::PhysdevOp::PirqEoiGmfnV1, PHYSDEVOP_pirq_eoi_gmfn_v1);
CHECK_CONSTANT(abi::PhysdevOp::RestoreMsi, PHYSDEVOP_restore_msi);
CHECK_CONSTANT(abi::PhysdevOp::ManagePciAddExt, PHYSDEVOP_manage_pci_add_ext);
CHECK_CONSTANT(abi::PhysdevOp::SetupGsi, PHYSDEVOP_setup_gsi);
CHECK_CONSTANT(abi::PhysdevOp::GetFreePirq, PHYSDEVOP_get_free_pirq);
CHECK_CONSTANT(abi::PhysdevOp::PciMmcfgReserved, PHYSDEVOP_pci_mmcfg_reserved);
CHECK_CONSTANT(abi::PhysdevOp::PciDeviceAdd, PHYSDEVOP_pci_device_add);
CHECK_CONSTANT(abi::PhysdevOp::PciDeviceRemove, PHYSDEVOP_pci_device_remove);
CHECK_CONSTANT(abi::PhysdevOp::RestoreMsiExt, PHYSDEVOP_restore_msi_ext);
CHECK_CONSTANT(abi::PhysdevOp::PirqEoiGmfnV2, PHYSDEVOP_pirq_eoi_gmfn_v2);
CHECK_CONSTANT(abi::PhysdevOp::DbgpOp, PHYSDEVOP_dbgp_op);
CHECK_CONSTANT(abi::PhysdevOp::PrepareMsix, PHYSDEVOP_prepare_msix);
CHECK_CONSTANT(abi::PhysdevOp::ReleaseMsix, PHYSDEVOP_release_msix);
CHECK_STRUCT(abi::PhysdevSetIopl, physdev_set_iopl_t);
CHECK_FIELD(abi::PhysdevSetIopl, physdev_set_iopl_t, iopl);
CHECK_STRUCT(abi::PhysdevSetIobitmap, physdev_set_iobitmap_t);
CHECK_FIELD(abi::PhysdevSetIobitmap, physdev_set_iobitmap_t, bitmap);
CHECK_FIELD(abi::PhysdevSetIobitmap, physdev_set_iobitmap_t, nr_ports);
CHECK_STRUCT(abi::PhysdevEoi, physdev_eoi_t);
CHECK_FIELD(abi::PhysdevEoi, physdev_eoi_t, irq);
CHECK_CONSTANT(abi::kXenirqstatNeedsEoi, XENIRQSTAT_needs_eoi);
CHECK_CONSTANT(abi::kXenirqstatShared, XENIRQSTAT_shared);
CHECK_STRUCT(abi::PhysdevIrqStatusQuery, physdev_irq_status_query_t);
CHECK_FIELD(abi::PhysdevIrqStatusQuery, physdev_irq_status_query_t, irq);
CHECK_FIELD(abi::PhysdevIrqStatusQuery, physdev_irq_status_query_t, flags);

// ---- grant_table.hpp ---------------------------------------------------------------------

static_assert(sizeof(abi::GrantReference) == sizeof(grant_ref_t));
static_assert(sizeof(abi::GrantHandle) == sizeof(grant_handle_t));
CHECK_STRUCT(abi::GrantEntryV1, grant_entry_v1_t);
CHECK_FIELD(abi::GrantEntryV1, grant_entry_v1_t, flags);
CHECK_FIELD(abi::GrantEntryV1, grant_entry_v1_t, domid);
CHECK_FIELD(abi::GrantEntryV1, grant_entry_v1_t, frame);
CHECK_CONSTANT(abi::kGnttabNrReservedEntries, GNTTAB_NR_RESERVED_ENTRIES);
CHECK_CONSTANT(abi::kGnttabReservedConsole, GNTTAB_RESERVED_CONSOLE);
CHECK_CONSTANT(abi::kGnttabReservedXenstore, GNTTAB_RESERVED_XENSTORE);
CHECK_CONSTANT(abi::kGtfInvalid, GTF_invalid);
CHECK_CONSTANT(abi::kGtfPermitAccess, GTF_permit_access);
CHECK_CONSTANT(abi::kGtfAcceptTransfer, GTF_accept_transfer);
CHECK_CONSTANT(abi::kGtfTransitive, GTF_transitive);
CHECK_CONSTANT(abi::kGtfTypeMask, GTF_type_mask);
CHECK_CONSTANT(abi::kGtfReadonly, GTF_readonly);
CHECK_CONSTANT(abi::kGtfReading, GTF_reading);
CHECK_CONSTANT(abi::kGtfWriting, GTF_writing);
CHECK_CONSTANT(abi::kGtfPwt, GTF_PWT);
CHECK_CONSTANT(abi::kGtfPcd, GTF_PCD);
CHECK_CONSTANT(abi::kGtfPat, GTF_PAT);
CHECK_CONSTANT(abi::kGtfSubPage, GTF_sub_page);
CHECK_CONSTANT(abi::kGtfTransferCommitted, GTF_transfer_committed);
CHECK_CONSTANT(abi::kGtfTransferCompleted, GTF_transfer_completed);

CHECK_CONSTANT(abi::GrantTableOp::MapGrantRef, GNTTABOP_map_grant_ref);
CHECK_CONSTANT(abi::GrantTableOp::UnmapGrantRef, GNTTABOP_unmap_grant_ref);
CHECK_CONSTANT(abi::GrantTableOp::SetupTable, GNTTABOP_setup_table);
CHECK_CONSTANT(abi::GrantTableOp::DumpTable, GNTTABOP_dump_table);
CHECK_CONSTANT(abi::GrantTableOp::Transfer, GNTTABOP_transfer);
CHECK_CONSTANT(abi::GrantTableOp::Copy, GNTTABOP_copy);
CHECK_CONSTANT(abi::GrantTableOp::QuerySize, GNTTABOP_query_size);
CHECK_CONSTANT(abi::GrantTableOp::UnmapAndReplace, GNTTABOP_unmap_and_replace);
CHECK_CONSTANT(abi::GrantTableOp::SetVersion, GNTTABOP_set_version);
CHECK_CONSTANT(abi::GrantTableOp::GetStatusFrames, GNTTABOP_get_status_frames);
CHECK_CONSTANT(abi::GrantTableOp::GetVersion, GNTTABOP_get_version);
CHECK_CONSTANT(abi::GrantTableOp::SwapGrantRef, GNTTABOP_swap_grant_ref);
CHECK_CONSTANT(abi::GrantTableOp::CacheFlush, GNTTABOP_cache_flush);

CHECK_CONSTANT(abi::GrantStatus::Okay, GNTST_okay);
CHECK_CONSTANT(abi::GrantStatus::GeneralError, GNTST_general_error);
CHECK_CONSTANT(abi::GrantStatus::BadDomain, GNTST_bad_domain);
CHECK_CONSTANT(abi::GrantStatus::BadGntref, GNTST_bad_gntref);
CHECK_CONSTANT(abi::GrantStatus::BadHandle, GNTST_bad_handle);
CHECK_CONSTANT(abi::GrantStatus::BadVirtAddr, GNTST_bad_virt_addr);
CHECK_CONSTANT(abi::GrantStatus::BadDevAddr, GNTST_bad_dev_addr);
CHECK_CONSTANT(abi::GrantStatus::NoDeviceSpace, GNTST_no_device_space);
CHECK_CONSTANT(abi::GrantStatus::PermissionDenied, GNTST_permission_denied);
CHECK_CONSTANT(abi::GrantStatus::BadPage, GNTST_bad_page);
CHECK_CONSTANT(abi::GrantStatus::BadCopyArg, GNTST_bad_copy_arg);
CHECK_CONSTANT(abi::GrantStatus::AddressTooBig, GNTST_address_too_big);
CHECK_CONSTANT(abi::GrantStatus::Eagain, GNTST_eagain);
CHECK_CONSTANT(abi::GrantStatus::NoSpace, GNTST_no_space);

CHECK_CONSTANT(abi::kGntmapDeviceMap, GNTMAP_device_map);
CHECK_CONSTANT(abi::kGntmapHostMap, GNTMAP_host_map);
CHECK_CONSTANT(abi::kGntmapReadonly, GNTMAP_readonly);
CHECK_CONSTANT(abi::kGntmapApplicationMap, GNTMAP_application_map);
CHECK_CONSTANT(abi::kGntmapContainsPte, GNTMAP_contains_pte);
CHECK_CONSTANT(abi::kGntmapGuestAvail0, _GNTMAP_guest_avail0);
CHECK_CONSTANT(abi::kGntmapGuestAvailMask, GNTMAP_guest_avail_mask);
CHECK_CONSTANT(abi::kGntcopySourceGref, GNTCOPY_source_gref);
CHECK_CONSTANT(abi::kGntcopyDestGref, GNTCOPY_dest_gref);

CHECK_STRUCT(abi::GrantMap, gnttab_map_grant_ref_t);
CHECK_FIELD(abi::GrantMap, gnttab_map_grant_ref_t, host_addr);
CHECK_FIELD(abi::GrantMap, gnttab_map_grant_ref_t, flags);
CHECK_FIELD(abi::GrantMap, gnttab_map_grant_ref_t, ref);
CHECK_FIELD(abi::GrantMap, gnttab_map_grant_ref_t, dom);
CHECK_FIELD(abi::GrantMap, gnttab_map_grant_ref_t, status);
CHECK_FIELD(abi::GrantMap, gnttab_map_grant_ref_t, handle);
CHECK_FIELD(abi::GrantMap, gnttab_map_grant_ref_t, dev_bus_addr);
CHECK_STRUCT(abi::GrantUnmap, gnttab_unmap_grant_ref_t);
CHECK_FIELD(abi::GrantUnmap, gnttab_unmap_grant_ref_t, host_addr);
CHECK_FIELD(abi::GrantUnmap, gnttab_unmap_grant_ref_t, dev_bus_addr);
CHECK_FIELD(abi::GrantUnmap, gnttab_unmap_grant_ref_t, handle);
CHECK_FIELD(abi::GrantUnmap, gnttab_unmap_grant_ref_t, status);
CHECK_STRUCT(abi::GrantSetupTable, gnttab_setup_table_t);
CHECK_FIELD(abi::GrantSetupTable, gnttab_setup_table_t, dom);
CHECK_FIELD(abi::GrantSetupTable, gnttab_setup_table_t, nr_frames);
CHECK_FIELD(abi::GrantSetupTable, gnttab_setup_table_t, status);
CHECK_FIELD(abi::GrantSetupTable, gnttab_setup_table_t, frame_list);
CHECK_STRUCT(abi::GrantDumpTable, gnttab_dump_table_t);
CHECK_FIELD(abi::GrantDumpTable, gnttab_dump_table_t, dom);
CHECK_FIELD(abi::GrantDumpTable, gnttab_dump_table_t, status);
CHECK_STRUCT(abi::GrantTransfer, gnttab_transfer_t);
CHECK_FIELD(abi::GrantTransfer, gnttab_transfer_t, mfn);
CHECK_FIELD(abi::GrantTransfer, gnttab_transfer_t, domid);
CHECK_FIELD(abi::GrantTransfer, gnttab_transfer_t, ref);
CHECK_FIELD(abi::GrantTransfer, gnttab_transfer_t, status);
// C puts a struct declared inside another at file scope; C++ nests it.
CHECK_STRUCT(abi::GrantCopyPointer, gnttab_copy_t::gnttab_copy_ptr);
CHECK_FIELD(abi::GrantCopyPointer, gnttab_copy_t::gnttab_copy_ptr, u);
CHECK_FIELD(abi::GrantCopyPointer, gnttab_copy_t::gnttab_copy_ptr, u.ref);
CHECK_FIELD(abi::GrantCopyPointer, gnttab_copy_t::gnttab_copy_ptr, u.gmfn);
CHECK_FIELD(abi::GrantCopyPointer, gnttab_copy_t::gnttab_copy_ptr, domid);
CHECK_FIELD(abi::GrantCopyPointer, gnttab_copy_t::gnttab_copy_ptr, offset);
CHECK_STRUCT(abi::GrantCopy, gnttab_copy_t);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, source);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, source.u.ref);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, source.domid);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, source.offset);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, dest);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, dest.u.gmfn);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, dest.domid);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, dest.offset);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, len);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, flags);
CHECK_FIELD(abi::GrantCopy, gnttab_copy_t, status);
CHECK_STRUCT(abi::GrantQuerySize, gnttab_query_size_t);
CHECK_FIELD(abi::GrantQuerySize, gnttab_query_size_t, dom);
CHECK_FIELD(abi::GrantQuerySize, gnttab_query_size_t, nr_frames);
CHECK_FIELD(abi::GrantQuerySize, gnttab_query_size_t, max_nr_frames);
CHECK_FIELD(abi::GrantQuerySize, gnttab_query_size_t, status);
CHECK_STRUCT(abi::GrantUnmapAndReplace, gnttab_unmap_and_replace_t);
CHECK_FIELD(abi::GrantUnmapAndReplace, gnttab_unmap_and_replace_t, host_addr);
CHECK_FIELD(abi::GrantUnmapAndReplace, gnttab_unmap_and_replace_t, new_addr);
CHECK_FIELD(abi::GrantUnmapAndReplace, gnttab_unmap_and_replace_t, handle);
CHECK_FIELD(abi::GrantUnmapAndReplace, gnttab_unmap_and_replace_t, status);
CHECK_STRUCT(abi::GrantSetVersion, gnttab_set_version_t);
CHECK_FIELD(abi::GrantSetVersion, gnttab_set_version_t, version);
CHECK_STRUCT(abi::GrantGetVersion, gnttab_get_version_t);
CHECK_FIELD(abi::GrantGetVersion, gnttab_get_version_t, dom);
CHECK_FIELD(abi::GrantGetVersion, gnttab_get_version_t, pad);
CHECK_FIELD(abi::GrantGetVersion, gnttab_get_version_t, version);

// ---- elfnote.hpp -------------------------------------------------------------------------

CHECK_CONSTANT(abi::ElfNote::Info, XEN_ELFNOTE_INFO);
CHECK_CONSTANT(abi::ElfNote::Entry, XEN_ELFNOTE_ENTRY);
CHECK_CONSTANT(abi::ElfNote::HypercallPage, XEN_ELFNOTE_HYPERCALL_PAGE);
CHECK_CONSTANT(abi::ElfNote::VirtBase, XEN_ELFNOTE_VIRT_BASE);
CHECK_CONSTANT(abi::ElfNote::PaddrOffset, XEN_ELFNOTE_PADDR_OFFSET);
CHECK_CONSTANT(abi::ElfNote::XenVersion, XEN_ELFNOTE_XEN_VERSION);
CHECK_CONSTANT(abi::ElfNote::GuestOs, XEN_ELFNOTE_GUEST_OS);
CHECK_CONSTANT(abi::ElfNote::GuestVersion, XEN_ELFNOTE_GUEST_VERSION);
CHECK_CONSTANT(abi::ElfNote::Loader, XEN_ELFNOTE_LOADER);
CHECK_CONSTANT(abi::ElfNote::PaeMode, XEN_ELFNOTE_PAE_MODE);
CHECK_CONSTANT(abi::ElfNote::Features, XEN_ELFNOTE_FEATURES);
CHECK_CONSTANT(abi::ElfNote::BsdSymtab, XEN_ELFNOTE_BSD_SYMTAB);
CHECK_CONSTANT(abi::ElfNote::HvStartLow, XEN_ELFNOTE_HV_START_LOW);
CHECK_CONSTANT(abi::ElfNote::L1MfnValid, XEN_ELFNOTE_L1_MFN_VALID);
CHECK_CONSTANT(abi::ElfNote::SuspendCancel, XEN_ELFNOTE_SUSPEND_CANCEL);
CHECK_CONSTANT(abi::ElfNote::InitP2m, XEN_ELFNOTE_INIT_P2M);
CHECK_CONSTANT(abi::ElfNote::ModStartPfn, XEN_ELFNOTE_MOD_START_PFN);
CHECK_CONSTANT(abi::ElfNote::SupportedFeatures, XEN_ELFNOTE_SUPPORTED_FEATURES);
CHECK_CONSTANT(abi::ElfNote::Phys32Entry, XEN_ELFNOTE_PHYS32_ENTRY);
CHECK_CONSTANT(abi::kElfNoteMax, XEN_ELFNOTE_MAX);
CHECK_CONSTANT(abi::ElfNote::CrashInfo, XEN_ELFNOTE_CRASH_INFO);
CHECK_CONSTANT(abi::ElfNote::CrashRegs, XEN_ELFNOTE_CRASH_REGS);
CHECK_CONSTANT(abi::ElfNote::DumpcoreNone, XEN_ELFNOTE_DUMPCORE_NONE);
CHECK_CONSTANT(abi::ElfNote::DumpcoreHeader, XEN_ELFNOTE_DUMPCORE_HEADER);
CHECK_CONSTANT(abi::ElfNote::DumpcoreXenVersion, XEN_ELFNOTE_DUMPCORE_XEN_VERSION);
CHECK_CONSTANT(abi::ElfNote::DumpcoreFormatVersion, XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION);

// ---- io_console.hpp ----------------------------------------------------------------------

static_assert(sizeof(abi::ConsoleRingIndex) == sizeof(XENCONS_RING_IDX));
CHECK_STRUCT(abi::ConsoleInterface, struct xencons_interface);
CHECK_FIELD(abi::ConsoleInterface, struct xencons_interface, in);
CHECK_FIELD(abi::ConsoleInterface, struct xencons_interface, out);
CHECK_FIELD(abi::ConsoleInterface, struct xencons_interface, in_cons);
CHECK_FIELD(abi::ConsoleInterface, struct xencons_interface, in_prod);
CHECK_FIELD(abi::ConsoleInterface, struct xencons_interface, out_cons);
CHECK_FIELD(abi::ConsoleInterface, struct xencons_interface, out_prod);

// ---- io_xs_wire.hpp ----------------------------------------------------------------------

CHECK_CONSTANT(abi::XsdSockmsgType::Control, XS_CONTROL);
CHECK_CONSTANT(abi::XsdSockmsgType::Control, XS_DEBUG);
CHECK_CONSTANT(abi::XsdSockmsgType::Directory, XS_DIRECTORY);
CHECK_CONSTANT(abi::XsdSockmsgType::Read, XS_READ);
CHECK_CONSTANT(abi::XsdSockmsgType::GetPerms, XS_GET_PERMS);
CHECK_CONSTANT(abi::XsdSockmsgType::Watch, XS_WATCH);
CHECK_CONSTANT(abi::XsdSockmsgType::Unwatch, XS_UNWATCH);
CHECK_CONSTANT(abi::XsdSockmsgType::TransactionStart, XS_TRANSACTION_START);
CHECK_CONSTANT(abi::XsdSockmsgType::TransactionEnd, XS_TRANSACTION_END);
CHECK_CONSTANT(abi::XsdSockmsgType::Introduce, XS_INTRODUCE);
CHECK_CONSTANT(abi::XsdSockmsgType::Release, XS_RELEASE);
CHECK_CONSTANT(abi::XsdSockmsgType::GetDomainPath, XS_GET_DOMAIN_PATH);
CHECK_CONSTANT(abi::XsdSockmsgType::Write, XS_WRITE);
CHECK_CONSTANT(abi::XsdSockmsgType::Mkdir, XS_MKDIR);
CHECK_CONSTANT(abi::XsdSockmsgType::Rm, XS_RM);
CHECK_CONSTANT(abi::XsdSockmsgType::SetPerms, XS_SET_PERMS);
CHECK_CONSTANT(abi::XsdSockmsgType::WatchEvent, XS_WATCH_EVENT);
CHECK_CONSTANT(abi::XsdSockmsgType::Error, XS_ERROR);
CHECK_CONSTANT(abi::XsdSockmsgType::IsDomainIntroduced, XS_IS_DOMAIN_INTRODUCED);
CHECK_CONSTANT(abi::XsdSockmsgType::Resume, XS_RESUME);
CHECK_CONSTANT(abi::XsdSockmsgType::SetTarget, XS_SET_TARGET);
CHECK_CONSTANT(abi::XsdSockmsgType::ResetWatches, XS_RESET_WATCHES);
CHECK_CONSTANT(abi::XsdSockmsgType::DirectoryPart, XS_DIRECTORY_PART);
CHECK_CONSTANT(abi::XsdSockmsgType::TypeCount, XS_TYPE_COUNT);
CHECK_CONSTANT(abi::XsdSockmsgType::Invalid, XS_INVALID);
CHECK_CONSTANT(abi::XsWatchType::Path, XS_WATCH_PATH);
CHECK_CONSTANT(abi::XsWatchType::Token, XS_WATCH_TOKEN);
CHECK_STRUCT(abi::XsdSockmsg, struct xsd_sockmsg);
CHECK_FIELD(abi::XsdSockmsg, struct xsd_sockmsg, type);
CHECK_FIELD(abi::XsdSockmsg, struct xsd_sockmsg, req_id);
CHECK_FIELD(abi::XsdSockmsg, struct xsd_sockmsg, tx_id);
CHECK_FIELD(abi::XsdSockmsg, struct xsd_sockmsg, len);

CHECK_CONSTANT(abi::kXenstorePayloadMax, XENSTORE_PAYLOAD_MAX);
CHECK_CONSTANT(abi::kXenstoreAbsPathMax, XENSTORE_ABS_PATH_MAX);
CHECK_CONSTANT(abi::kXenstoreRelPathMax, XENSTORE_REL_PATH_MAX);
CHECK_CONSTANT(abi::kXenstoreRingSize, XENSTORE_RING_SIZE);
static_assert(sizeof(abi::XenstoreRingIndex) == sizeof(XENSTORE_RING_IDX));
CHECK_CONSTANT(abi::kXenstoreServerFeatureReconnection, XENSTORE_SERVER_FEATURE_RECONNECTION);
CHECK_CONSTANT(abi::kXenstoreServerFeatureError, XENSTORE_SERVER_FEATURE_ERROR);
CHECK_CONSTANT(abi::kXenstoreConnected, XENSTORE_CONNECTED);
CHECK_CONSTANT(abi::kXenstoreReconnect, XENSTORE_RECONNECT);
CHECK_CONSTANT(abi::kXenstoreErrorNone, XENSTORE_ERROR_NONE);
CHECK_CONSTANT(abi::kXenstoreErrorComm, XENSTORE_ERROR_COMM);
CHECK_CONSTANT(abi::kXenstoreErrorRingidx, XENSTORE_ERROR_RINGIDX);
CHECK_CONSTANT(abi::kXenstoreErrorProto, XENSTORE_ERROR_PROTO);
CHECK_STRUCT(abi::XenstoreDomainInterface, struct xenstore_domain_interface);
CHECK_FIELD(abi::XenstoreDomainInterface, struct xenstore_domain_interface, req);
CHECK_FIELD(abi::XenstoreDomainInterface, struct xenstore_domain_interface, rsp);
CHECK_FIELD(abi::XenstoreDomainInterface, struct xenstore_domain_interface, req_cons);
CHECK_FIELD(abi::XenstoreDomainInterface, struct xenstore_domain_interface, req_prod);
CHECK_FIELD(abi::XenstoreDomainInterface, struct xenstore_domain_interface, rsp_cons);
CHECK_FIELD(abi::XenstoreDomainInterface, struct xenstore_domain_interface, rsp_prod);
CHECK_FIELD(abi::XenstoreDomainInterface, struct xenstore_domain_interface, server_features);
CHECK_FIELD(abi::XenstoreDomainInterface, struct xenstore_domain_interface, connection);
CHECK_FIELD(abi::XenstoreDomainInterface, struct xenstore_domain_interface, error);
static_assert(abi::kXsdErrors.size() == sizeof(xsd_errors) / sizeof(xsd_errors[0]));

// ---- run-time checks ---------------------------------------------------------------------

TEST_CASE("abi::Errno has Xen's number and name for every error in Xen's errno.h") {
    for (const XenErrno& xen : kXenErrnos) {
        CAPTURE(xen.name);
        CHECK(same_text(abi::errno_name(static_cast<abi::Errno>(xen.value)), primary_errno_name(xen.name)));
    }
}

TEST_CASE("kXsdErrors lists XenStore's error strings in Xen's order") {
    for (std::size_t i = 0; i < abi::kXsdErrors.size(); ++i) {
        CAPTURE(i);
        CHECK(std::strcmp(abi::errno_name(abi::kXsdErrors[i]), xsd_errors[i].errstring) == 0);
        CHECK(static_cast<int>(abi::kXsdErrors[i]) == xsd_errors[i].errnum);
    }
}

TEST_CASE("a start_info laid out by Xen's struct reads back field by field through abi::StartInfo") {
    start_info_t xen{};
    std::strcpy(xen.magic, abi::kStartInfoMagic);
    xen.nr_pages = 0x4000;
    xen.shared_info = 0x12345000;
    xen.flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    xen.store_mfn = 0xabcde;
    xen.store_evtchn = 1;
    xen.console.domU.mfn = 0xbcdef;
    xen.console.domU.evtchn = 2;
    xen.pt_base = 0x7000;
    xen.nr_pt_frames = 6;
    xen.mfn_list = 0x5000;
    xen.mod_start = 0x9000;
    xen.mod_len = 777;
    std::strcpy(reinterpret_cast<char*>(xen.cmd_line), "console=hvc0");
    xen.first_p2m_pfn = 5;
    xen.nr_p2m_frames = 2;

    abi::StartInfo ours{};
    std::memcpy(&ours, &xen, sizeof(ours));

    CHECK(std::strcmp(ours.magic, "xen-3.0-x86_64") == 0);
    CHECK(ours.nr_pages == 0x4000);
    CHECK(ours.shared_info == 0x12345000);
    CHECK(ours.flags == (abi::kSifPrivileged | abi::kSifInitdomain));
    CHECK(ours.store_mfn == 0xabcde);
    CHECK(ours.store_evtchn == 1);
    CHECK(ours.console.domU.mfn == 0xbcdef);
    CHECK(ours.console.domU.evtchn == 2);
    CHECK(ours.pt_base == 0x7000);
    CHECK(ours.nr_pt_frames == 6);
    CHECK(ours.mfn_list == 0x5000);
    CHECK(ours.mod_start == 0x9000);
    CHECK(ours.mod_len == 777);
    CHECK(std::strcmp(reinterpret_cast<const char*>(ours.cmd_line), "console=hvc0") == 0);
    CHECK(ours.first_p2m_pfn == 5);
    CHECK(ours.nr_p2m_frames == 2);
}

TEST_CASE("event bits and vcpu time written through abi::SharedInfo appear where Xen's struct has them") {
    abi::SharedInfo ours{};
    ours.vcpu_info[3].evtchn_upcall_pending = 1;
    ours.vcpu_info[3].evtchn_upcall_mask = 1;
    ours.vcpu_info[3].evtchn_pending_sel = std::uint64_t{1} << 17;
    ours.vcpu_info[3].arch.cr2 = 0xdead000;
    ours.vcpu_info[3].time.version = 42;
    ours.vcpu_info[3].time.tsc_shift = -1;
    ours.vcpu_info[3].time.flags = abi::kPvclockTscStableBit;
    ours.evtchn_pending[17] = std::uint64_t{1} << 5;
    ours.evtchn_mask[63] = ~std::uint64_t{0};
    ours.wc_sec = 1700000000;
    ours.wc_sec_hi = 1;
    ours.arch.max_pfn = 0x8000;

    shared_info_t xen{};
    std::memcpy(&xen, &ours, sizeof(xen));

    CHECK(xen.vcpu_info[3].evtchn_upcall_pending == 1);
    CHECK(xen.vcpu_info[3].evtchn_upcall_mask == 1);
    CHECK(xen.vcpu_info[3].evtchn_pending_sel == (1ul << 17));
    CHECK(xen.vcpu_info[3].arch.cr2 == 0xdead000);
    CHECK(xen.vcpu_info[3].time.version == 42);
    CHECK(xen.vcpu_info[3].time.tsc_shift == -1);
    CHECK(xen.vcpu_info[3].time.flags == XEN_PVCLOCK_TSC_STABLE_BIT);
    CHECK(xen.evtchn_pending[17] == (1ul << 5));
    CHECK(xen.evtchn_mask[63] == ~0ul);
    CHECK(xen.wc_sec == 1700000000);
    CHECK(xen.wc_sec_hi == 1);
    CHECK(xen.arch.max_pfn == 0x8000);
}
