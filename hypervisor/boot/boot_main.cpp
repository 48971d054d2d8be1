// SPDX-License-Identifier: MIT
// boot_main: the hypervisor's boot story, on one screen. Each step is one call; the
// order matters and the comment says why.
#include "arch/x86_64/apic.hpp"
#include "arch/x86_64/descriptors.hpp"
#include "arch/x86_64/guest_mode.hpp"
#include "arch/x86_64/paging.hpp"
#include "arch/x86_64/serial.hpp"
#include "arch/x86_64/smap.hpp"
#include "boot/boot_domains.hpp"
#include "boot/command_line.hpp"
#include "boot/multiboot.hpp"
#include "core/clock.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"
#include "mm/machine_memory.hpp"

namespace hv {
namespace {

/// The loader's information, read through the direct map (the boot page tables map the
/// first 4 GiB there, and loaders put it below that).
class BootPhysicalMemory final : public boot::PhysicalMemory {
public:
    std::span<const uint8_t> view(uint64_t phys, size_t length) const override {
        uint64_t limit = uint64_t{XENOLITH_BOOT_MAP_GIB} << 30;
        if (phys >= limit || length > limit - phys) return {};
        return {static_cast<const uint8_t*>(arch::phys_to_virt(phys)), length};
    }
};

boot::BootInfo boot_info;  // big (module strings): static, not on the 32 KiB stack

extern "C" void (*__init_array_start[])();
extern "C" void (*__init_array_end[])();

void run_global_constructors() {
    for (auto* constructor = __init_array_start; constructor != __init_array_end; ++constructor) (*constructor)();
}

/// The deliberate failures of `selftest=`, after the IDT exists to catch them: their
/// reports (registers, backtrace, exit status) are what the boot tests check.
[[gnu::noinline]] void run_self_test(boot::SelfTest test) {
    constexpr uint64_t kUnmappedHypervisorAddress = 0xffff8100dead0000;  // slot 258: nothing there
    if (test == boot::SelfTest::PageFault) {
        log_info("selftest: writing to {:#x}\n", kUnmappedHypervisorAddress);
        *reinterpret_cast<volatile uint64_t*>(kUnmappedHypervisorAddress) = 1;
    }
    if (test == boot::SelfTest::Panic) lib::panic("selftest: a panic on purpose ({} = {:#x})", "answer", 42);
}

void apply_options(const boot::HypervisorOptions& options) {
    set_log_level(options.log_level);
    set_audit_after_mmu_calls(options.debug_audit);
    for (const boot::IgnoredWord& ignored : options.ignored.list())
        log_warning("command line: ignoring `{}` ({})\n", ignored.word.text, ignored.reason);
}

}  // namespace

extern "C" [[noreturn]] void boot_main(uint32_t magic, uint32_t info_phys) {
    // 0. C++ objects with constructors (the frame allocator's bitmap view, ...).
    run_global_constructors();

    // 1. A console first, so that everything after can explain itself.
    arch::serial_init();
    log_info("Xenolith: a hypervisor with Xen's PV ABI (speaks Xen 4.17)\n");

    // 2. What the loader gave us: memory map, command line, modules.
    if (auto parsed = boot::parse_boot_info(magic, info_phys, BootPhysicalMemory{}, boot_info); parsed.is_error())
        lib::panic("boot information unusable: {}", parsed.error().reason);
    const boot::HypervisorOptions options = boot::parse_hypervisor_options(boot::Text::from_c_string(boot_info.command_line));
    apply_options(options);
    log_info("loader: {} ({}), command line: `{}`\n", boot_info.loader_name,
             boot_info.protocol == boot::BootProtocol::Multiboot1 ? "Multiboot1" : "Multiboot2", boot_info.command_line);

    // 3. Machine memory: allocator, frame table, M2P (needs the memory map).
    machine_memory_init(boot_info);

    // 4. CPU tables: GDT with Xen's selectors, IDT, TSS, SYSCALL (the GDT area needs the
    //    allocator for its page tables), then SMEP, then SMAP where a probe shows that a
    //    guest kernel's IRETQ in ring 3 still works with it (the probe needs the tables).
    arch::descriptors_init();
    arch::enable_protections();
    arch::enable_smap_where_it_works(options.smap);
    arch::fpu_init();
    run_self_test(options.self_test);

    // 5. Time: calibrate the local APIC timer (and the TSC) against the PIT, then start
    //    the system clock that guests read.
    arch::apic_timer_calibrate();
    clock_init();

    // 6. Domains, one per kernel module, in boot order (needs everything above).
    build_boot_domains(boot_info);

    // 7. Run them; the last one to end leaves QEMU with the run's status.
    run_domains();
}

}  // namespace hv
