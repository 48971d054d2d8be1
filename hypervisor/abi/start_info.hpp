// SPDX-License-Identifier: MIT
// start_info: the page a PV guest finds at RSI when it starts, and dom0's VGA console info.
#pragma once

#include <cstddef>
#include <cstdint>

#include "abi/xen.hpp"

namespace abi {

/// The magic string at the start of StartInfo for a 64-bit PV guest. Dom0's builder
/// appends "p" when the kernel's PAE_MODE note asks for it.
inline constexpr char kStartInfoMagic[] = "xen-3.0-x86_64";
/// Bytes of the guest command line in StartInfo, NUL included.
inline constexpr std::size_t kMaxGuestCmdline = 1024;  // MAX_GUEST_CMDLINE

// StartInfo::flags (xen/include/public/xen.h, SIF_*).
/// The domain is privileged (may control others).
inline constexpr std::uint32_t kSifPrivileged = 1u << 0;  // SIF_PRIVILEGED
/// The domain is the initial control domain (dom0).
inline constexpr std::uint32_t kSifInitdomain = 1u << 1;  // SIF_INITDOMAIN
/// The module is a package that starts with MultibootModList descriptors, not a single module.
inline constexpr std::uint32_t kSifMultibootMod = 1u << 2;  // SIF_MULTIBOOT_MOD
/// mod_start is a PFN (the module is not mapped), not a virtual address.
inline constexpr std::uint32_t kSifModStartPfn = 1u << 3;  // SIF_MOD_START_PFN
/// Tools understand a virtually mapped p2m list (no 3-level p2m tree needed).
inline constexpr std::uint32_t kSifVirtP2m4Tools = 1u << 4;  // SIF_VIRT_P2M_4TOOLS
/// Bits 8-15 are reserved for power-management options of dom0.
inline constexpr std::uint32_t kSifPmMask = 0xFFu << 8;  // SIF_PM_MASK

/// Filled by the domain builder before the guest's first instruction
/// (xen/include/public/xen.h; see XEN-PV-ABI.md §2.4 for who fills what).
/// The first block is also rewritten on resume; from pt_base on only at boot.
struct StartInfo {  // struct start_info
    char magic[32];              ///< kStartInfoMagic, NUL-padded
    std::uint64_t nr_pages;      ///< pages allocated to the domain
    std::uint64_t shared_info;   ///< MACHINE address of the SharedInfo page (not mapped for the guest)
    std::uint32_t flags;         ///< kSif* bits
    std::uint32_t hole0;         ///< padding (implicit in Xen's struct)
    FrameNumber store_mfn;       ///< MFN of the XenStore ring page (XenstoreDomainInterface)
    std::uint32_t store_evtchn;  ///< event channel for XenStore
    std::uint32_t hole1;         ///< padding (implicit in Xen's struct)
    union {
        /// Any domain but dom0: the PV console ring (ConsoleInterface).
        struct {
            FrameNumber mfn;       ///< MFN of the console ring page
            std::uint32_t evtchn;  ///< event channel for the console
            std::uint32_t hole0;   ///< padding (implicit in Xen's struct)
        } domU;
        /// Dom0: where its Dom0VgaConsoleInfo is, relative to this page.
        struct {
            std::uint32_t info_off;   ///< byte offset from the start of StartInfo
            std::uint32_t info_size;  ///< bytes of it that are valid; 0 = none
        } dom0;
    } console;
    std::uint64_t pt_base;       ///< VIRTUAL address of the initial L4 table
    std::uint64_t nr_pt_frames;  ///< frames of initial page tables
    std::uint64_t mfn_list;      ///< VIRTUAL address of the p2m list (8 bytes per PFN)
    std::uint64_t mod_start;     ///< VIRTUAL address of the first module (PFN with kSifModStartPfn)
    std::uint64_t mod_len;       ///< its length in bytes
    std::int8_t cmd_line[kMaxGuestCmdline];  ///< NUL-terminated guest command line
    std::uint64_t first_p2m_pfn;  ///< first PFN of the initial p2m table's frames
    std::uint64_t nr_p2m_frames;  ///< number of those frames
};
static_assert(sizeof(StartInfo) == 1168);
static_assert(offsetof(StartInfo, magic) == 0);
static_assert(offsetof(StartInfo, nr_pages) == 32);
static_assert(offsetof(StartInfo, shared_info) == 40);
static_assert(offsetof(StartInfo, flags) == 48);
static_assert(offsetof(StartInfo, store_mfn) == 56);
static_assert(offsetof(StartInfo, store_evtchn) == 64);
static_assert(offsetof(StartInfo, console) == 72);
static_assert(offsetof(StartInfo, console.domU.mfn) == 72);
static_assert(offsetof(StartInfo, console.domU.evtchn) == 80);
static_assert(offsetof(StartInfo, console.dom0.info_off) == 72);
static_assert(offsetof(StartInfo, console.dom0.info_size) == 76);
static_assert(offsetof(StartInfo, pt_base) == 88);
static_assert(offsetof(StartInfo, nr_pt_frames) == 96);
static_assert(offsetof(StartInfo, mfn_list) == 104);
static_assert(offsetof(StartInfo, mod_start) == 112);
static_assert(offsetof(StartInfo, mod_len) == 120);
static_assert(offsetof(StartInfo, cmd_line) == 128);
static_assert(offsetof(StartInfo, first_p2m_pfn) == 1152);
static_assert(offsetof(StartInfo, nr_p2m_frames) == 1160);
static_assert(sizeof(kStartInfoMagic) <= sizeof(StartInfo{}.magic));

/// A descriptor at the start of a kSifMultibootMod package (xen/include/public/xen.h).
/// Addresses are offsets from the start of the package; an entry with mod_start 0 ends
/// the list.
struct MultibootModList {  // struct xen_multiboot_mod_list
    std::uint32_t mod_start;  ///< first byte of the module
    std::uint32_t mod_end;    ///< last byte of the module (inclusive)
    std::uint32_t cmdline;    ///< its NUL-terminated command line
    std::uint32_t pad;        ///< must be zero
};
static_assert(sizeof(MultibootModList) == 16);
static_assert(offsetof(MultibootModList, mod_start) == 0);
static_assert(offsetof(MultibootModList, mod_end) == 4);
static_assert(offsetof(MultibootModList, cmdline) == 8);
static_assert(offsetof(MultibootModList, pad) == 12);

/// Dom0VgaConsoleInfo::video_type.
enum class VgaType : std::uint8_t {
    TextMode3 = 0x03,  // XEN_VGATYPE_TEXT_MODE_3
    VesaLfb = 0x23,    // XEN_VGATYPE_VESA_LFB
    EfiLfb = 0x70,     // XEN_VGATYPE_EFI_LFB
};

/// What the firmware left on the screen, for dom0 (xen/include/public/xen.h). This is
/// the current 40-byte layout; the legacy interface stops after rsvd_size (28 bytes).
struct Dom0VgaConsoleInfo {  // struct dom0_vga_console_info
    std::uint8_t video_type;  ///< VgaType
    std::uint8_t hole0[3];    ///< padding (implicit in Xen's struct)
    union {
        /// VgaType::TextMode3.
        struct {
            std::uint16_t font_height;  ///< pixels
            std::uint16_t cursor_x;     ///< column
            std::uint16_t cursor_y;     ///< row
            std::uint16_t rows;
            std::uint16_t columns;
        } text_mode_3;
        /// VgaType::VesaLfb and EfiLfb: a linear frame buffer.
        struct {
            std::uint16_t width;           ///< pixels
            std::uint16_t height;          ///< pixels
            std::uint16_t bytes_per_line;
            std::uint16_t bits_per_pixel;
            std::uint32_t lfb_base;        ///< physical address, low 32 bits
            std::uint32_t lfb_size;        ///< in 64 KiB units
            std::uint8_t red_pos;          ///< RGB field positions and sizes (VBE 1.2+)
            std::uint8_t red_size;
            std::uint8_t green_pos;
            std::uint8_t green_size;
            std::uint8_t blue_pos;
            std::uint8_t blue_size;
            std::uint8_t rsvd_pos;
            std::uint8_t rsvd_size;
            std::uint32_t gbl_caps;        ///< VBE capabilities
            std::uint16_t mode_attrs;      ///< VBE mode attributes
            std::uint16_t pad;
            std::uint32_t ext_lfb_base;    ///< physical address, high 32 bits
        } vesa_lfb;
    } u;
};
static_assert(sizeof(Dom0VgaConsoleInfo) == 40);
static_assert(offsetof(Dom0VgaConsoleInfo, video_type) == 0);
static_assert(offsetof(Dom0VgaConsoleInfo, u) == 4);
static_assert(offsetof(Dom0VgaConsoleInfo, u.text_mode_3.font_height) == 4);
static_assert(offsetof(Dom0VgaConsoleInfo, u.text_mode_3.cursor_x) == 6);
static_assert(offsetof(Dom0VgaConsoleInfo, u.text_mode_3.cursor_y) == 8);
static_assert(offsetof(Dom0VgaConsoleInfo, u.text_mode_3.rows) == 10);
static_assert(offsetof(Dom0VgaConsoleInfo, u.text_mode_3.columns) == 12);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.width) == 4);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.height) == 6);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.bytes_per_line) == 8);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.bits_per_pixel) == 10);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.lfb_base) == 12);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.lfb_size) == 16);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.red_pos) == 20);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.red_size) == 21);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.green_pos) == 22);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.green_size) == 23);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.blue_pos) == 24);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.blue_size) == 25);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.rsvd_pos) == 26);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.rsvd_size) == 27);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.gbl_caps) == 28);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.mode_attrs) == 32);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.pad) == 34);
static_assert(offsetof(Dom0VgaConsoleInfo, u.vesa_lfb.ext_lfb_base) == 36);

}  // namespace abi
