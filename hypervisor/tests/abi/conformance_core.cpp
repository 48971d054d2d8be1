// SPDX-License-Identifier: MIT
// ABI conformance: the core numbers: hypercalls, selectors, layout, xen.hpp.
#include "tests/abi/conformance.hpp"

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
