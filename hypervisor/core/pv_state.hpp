// SPDX-License-Identifier: MIT
// What a PV vCPU registers with the hypervisor: its trap table, callbacks, kernel stack,
// segment bases and virtual control bits (Xen's struct pv_vcpu).
#pragma once

#include <cstdint>
#include <span>

#include "abi/segments.hpp"
#include "mm/frame.hpp"

namespace hv {

/// The guest's part of a vCPU's GDT (set_gdt; Xen's gdt_frames and gdt_ents): up to 14
/// descriptor pages, entries 0-7167. Each frame in use holds a general and a SegDesc type
/// reference; the 14 GDT pages show these frames, then the null page.
struct GuestGdt {
    static constexpr unsigned kMaxFrames = abi::kFirstReservedGdtPage;  // FIRST_RESERVED_GDT_PAGE
    static constexpr unsigned kEntriesPerFrame = 512;

    Mfn frames[kMaxFrames];
    uint32_t entries;  ///< as set_gdt gave it; frames in use: ceil(entries / 512)

    static constexpr unsigned frames_for(uint32_t entries) {
        return (entries + kEntriesPerFrame - 1) / kEntriesPerFrame;
    }
    std::span<const Mfn> frames_in_use() const { return {frames, frames_for(entries)}; }
};

/// A vCPU's DS, ES, FS and GS selectors (null, 0, at the start of day as on Xen).
struct DataSegments {
    uint16_t ds, es, fs, gs;
};

/// One trap_info entry, as set_trap_table recorded it (address 0 = no handler).
struct TrapHandler {
    uint64_t address;
    uint8_t flags;  ///< bits 0-1: the DPL `int n` needs; bit 2: mask events on entry
};

inline constexpr uint8_t kTrapFlagDplMask = 0x3;
inline constexpr uint8_t kTrapFlagMaskEvents = 0x4;

/// A callback registered with callback_op or set_callbacks.
struct Callback {
    uint64_t address;  ///< 0 = none
    bool mask_events;  ///< CALLBACKF_mask_events
};

/// The per-vCPU FPU area: the XSAVE image of x87, SSE and AVX (512 bytes of legacy
/// area, the 64-byte header, 256 bytes of YMM upper halves); boot panics if the CPU
/// needs more for that set.
inline constexpr size_t kFpuAreaSize = 832;

struct PvState {
    TrapHandler traps[256];
    Callback event;     ///< the event upcall (always masks events)
    Callback failsafe;
    Callback syscall;   ///< SYSCALL from 64-bit guest user mode
    Callback nmi;

    uint64_t kernel_sp;   ///< stack_switch: the kernel stack for entries from user mode
    uint16_t kernel_ss;

    bool user_mode;       ///< the guest is in user mode (its user L4 is loaded)
    /// The data segments: in the CPU while the vCPU runs (a guest may load a selector, or
    /// change a base by loading one, at any time); here while it is switched out
    /// (arch/x86_64/segments.hpp; Xen's save_segments and load_segments).
    DataSegments selectors;
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
    GuestGdt gdt;         ///< set_gdt: the guest's descriptor pages

    bool virtual_ts;      ///< fpu_taskswitch: the guest's CR0.TS
    uint64_t xcr0;        ///< the guest's XCR0 (emulated XSETBV); x87|SSE at start, as on Xen
    bool cr4_osxsave;     ///< the guest's virtual CR4.OSXSAVE (guest-owned, as on Xen)
    /// The guest's x87/SSE/AVX state while not loaded: an XSAVE image (standard form) of
    /// the hypervisor's XCR0, or an FXSAVE image (the first 512 bytes) without XSAVE.
    alignas(64) uint8_t fpu[kFpuAreaSize];
    bool in_nmi;          ///< an NMI callback runs until the iret hypercall
    uint64_t periodic_period_ns;      ///< VIRQ_TIMER period (0: off); 10 ms from boot, as Xen
    uint64_t periodic_last_event_ns;  ///< when the periodic timer last fired
    uint64_t debug_registers[8];  ///< set_debugreg: DR0-DR3, DR6, DR7 (4 and 5 unused)
    uint8_t iopl;               ///< PHYSDEVOP_set_iopl: the virtual I/O privilege level, 0-3
    uint64_t io_bitmap;         ///< PHYSDEVOP_set_iobitmap: the bitmap's guest address (Xen's iobmp)
    uint32_t io_bitmap_ports;   ///< ports the bitmap covers, 0 = none (Xen's iobmp_limit)
    Mfn vcpu_info_mfn;          ///< register_vcpu_info: the frame now holding this vCPU's vcpu_info,
                                ///< or 0 (it is still in shared_info); holds a general and a
                                ///< Writable type reference for good (Xen's vcpu_info_mfn)
    uint32_t vcpu_info_offset;  ///< the vcpu_info's byte offset in that frame
};

}  // namespace hv
