// SPDX-License-Identifier: MIT
// Reading start_info (the first lab: start-of-day). On Xen and on Xenolith alike, a PV
// kernel learns everything about its memory from this one page: how many pages it has,
// where its page tables and its p2m list are, where the shared_info page lives.
#include "kernel/start_of_day.hpp"

#include "abi/layout.hpp"
#include "kernel/console.hpp"
#include "lib/string.hpp"

extern "C" char _start[], _end[];

namespace minios {
namespace {

constexpr uint64_t kPage = 4096;

bool is_dom0(const abi::StartInfo& info) { return (info.flags & abi::kSifInitdomain) != 0; }

void print_flags(uint32_t flags) {
    printk("start_info.flags = {:#x} (", flags);
    const char* separator = "";
    auto name = [&](uint32_t bit, const char* text) {
        if (flags & bit) { printk("{}{}", separator, text); separator = " "; }
    };
    name(abi::kSifPrivileged, "privileged");
    name(abi::kSifInitdomain, "initdomain");
    name(abi::kSifMultibootMod, "multiboot_mod");
    name(abi::kSifModStartPfn, "mod_start_pfn");
    name(abi::kSifVirtP2m4Tools, "virt_p2m_4tools");
    printk("{})\n", *separator ? "" : "none");
}

}  // namespace

void print_start_of_day(const abi::StartInfo& info) {
    // BEGIN LAB start-of-day: print every field of start_info and the layout it describes
    char magic[sizeof info.magic + 1] = {};
    lib::copy_string(magic, sizeof magic, info.magic, lib::string_length(info.magic, sizeof info.magic));
    printk("start of day:\n");
    printk("start_info.magic = {}\n", magic);
    printk("start_info.nr_pages = {} ({} MiB)\n", info.nr_pages, info.nr_pages >> 8);
    printk("start_info.shared_info = {:#x} (machine address)\n", info.shared_info);
    print_flags(info.flags);
    printk("start_info.store_mfn = {:#x}, store_evtchn = {}\n", info.store_mfn, info.store_evtchn);
    if (is_dom0(info))
        printk("start_info.console.dom0 = info_off {}, info_size {}\n", info.console.dom0.info_off,
               info.console.dom0.info_size);
    else
        printk("start_info.console.domU = mfn {:#x}, evtchn {}\n", info.console.domU.mfn, info.console.domU.evtchn);
    printk("start_info.pt_base = {:#x}, nr_pt_frames = {}\n", info.pt_base, info.nr_pt_frames);
    printk("start_info.mfn_list = {:#x}\n", info.mfn_list);
    printk("start_info.mod_start = {:#x}, mod_len = {}\n", info.mod_start, info.mod_len);
    printk("start_info.cmd_line = \"{}\"\n", reinterpret_cast<const char*>(info.cmd_line));
    printk("start_info.first_p2m_pfn = {}, nr_p2m_frames = {}\n", info.first_p2m_pfn, info.nr_p2m_frames);

    printk("memory layout:\n");
    printk("  kernel       {:#014x}-{:#014x}\n", reinterpret_cast<uint64_t>(_start), reinterpret_cast<uint64_t>(_end));
    printk("  p2m list     {:#014x}-{:#014x}\n", info.mfn_list, info.mfn_list + info.nr_pages * 8);
    printk("  start_info   {:#014x}\n", reinterpret_cast<uint64_t>(&info));
    printk("  page tables  {:#014x}-{:#014x}\n", info.pt_base, info.pt_base + info.nr_pt_frames * kPage);
    // END LAB
}

bool check_start_of_day(const abi::StartInfo& info) {
    // BEGIN LAB start-of-day: check the promises start_info makes
    if (!lib::starts_with(info.magic, "xen-3.0-x86_64")) {
        printk("check: magic is wrong\n");
        return false;
    }
    printk("check: magic ok\n");
    // Every pseudo-physical page's machine frame, looked up in the read-only M2P at its
    // fixed address, must lead back to the same page.
    const auto* p2m = reinterpret_cast<const uint64_t*>(info.mfn_list);
    const auto* m2p = reinterpret_cast<const uint64_t*>(abi::kMachToPhysVirtStart);
    for (uint64_t pfn = 0; pfn < info.nr_pages; ++pfn) {
        if (m2p[p2m[pfn]] != pfn) {
            printk("check: p2m[{}] = {:#x} but m2p[{:#x}] = {:#x}\n", pfn, p2m[pfn], p2m[pfn], m2p[p2m[pfn]]);
            return false;
        }
    }
    printk("check: p2m and m2p agree for all {} pages\n", info.nr_pages);
    // The initial page tables map themselves: the L4 at pt_base is readable, and its own
    // frame is the p2m's entry for its page.
    const uint64_t l4_pfn = (info.pt_base - reinterpret_cast<uint64_t>(_start)) / kPage;
    const auto* l4 = reinterpret_cast<const uint64_t*>(info.pt_base);
    bool hypervisor_slots_hidden = true;
    for (unsigned slot = 257; slot <= 271; ++slot)
        if (l4[slot] & 4) hypervisor_slots_hidden = false;  // USER: reachable from the guest kernel
    printk("check: page tables at pfn {} (mfn {:#x}), hypervisor slots {}\n", l4_pfn, p2m[l4_pfn],
           hypervisor_slots_hidden ? "not guest-accessible" : "GUEST-ACCESSIBLE");
    return hypervisor_slots_hidden;
    // END LAB
}

}  // namespace minios
