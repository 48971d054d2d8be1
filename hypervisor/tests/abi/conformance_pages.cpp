// SPDX-License-Identifier: MIT
// ABI conformance: the pages a guest reads at start of day: start_info, shared_info, version, sched.
#include "tests/abi/conformance.hpp"

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
