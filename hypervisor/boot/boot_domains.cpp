// SPDX-License-Identifier: MIT
// Boot modules -> domains: parse the module's options, check its kernel, build its
// start of day, and give its vCPU the registers Xen gives a PV guest at entry.
#include "boot/boot_domains.hpp"

#include "abi/segments.hpp"
#include "abi/start_info.hpp"
#include "arch/x86_64/guest_mode.hpp"
#include "arch/x86_64/paging.hpp"
#include "boot/module_options.hpp"
#include "core/clock.hpp"
#include "core/domain.hpp"
#include "core/printk.hpp"
#include "core/scheduler.hpp"
#include "loader/domain_builder.hpp"
#include "mm/machine_memory.hpp"

namespace hv {
namespace {

constexpr uint64_t kDefaultMemory = 32 << 20;  // mem= when the module line has none
constexpr uint64_t kInitialRflags = 0x200;     // IF: a PV guest's hardware IF is always 1

class DirectMapMemory final : public loader::BuildMemory {
public:
    std::span<uint8_t> frames(Mfn first, uint64_t count) override {
        return {arch::frame_to_virt<uint8_t>(first), count * kPageSize};
    }
    void set_m2p(Mfn mfn, uint64_t gfn) override { hv::set_m2p(mfn, gfn); }
};

/// The module's name for messages: its index, and its `name=` when it has one (the
/// loader's path word is gone by now; see boot/multiboot.hpp).
void refuse(size_t index, const boot::ModuleOptions& options, const char* reason) {
    if (options.name[0] != '\0') log_error("module {} ({}) refused: {}\n", index, options.name, reason);
    else log_error("module {} refused: {}\n", index, reason);
    record_refused_domain();
}

/// The vCPU's registers at entry (XEN-PV-ABI.md 2.3): everything else is zero.
arch::CpuUserRegs entry_registers(const loader::StartOfDay& built) {
    arch::CpuUserRegs regs{};
    regs.rip = built.entry;
    regs.rsp = built.stack_top;
    regs.rsi = built.start_info;
    regs.rflags = kInitialRflags;
    regs.cs = abi::kFlatKernelCs;
    regs.ss = abi::kFlatKernelSs;
    return regs;
}

void log_domain(const Domain& domain, const loader::StartOfDay& built) {
    const loader::StartOfDayLayout& l = built.layout;
    log_info("domain d{} ({}): {} MiB at mfn {:#x}, entry {:#x}, start_info {:#x}, page tables {:#x} ({} frames), "
             "stack top {:#x}\n",
             domain.id, domain.name, l.nr_pages >> 8, built.first_mfn, built.entry, built.start_info, l.page_tables_va,
             l.page_table_frames(), built.stack_top);
}

/// Build one domain from a kernel module; false (after saying why) if it cannot be.
bool build_domain(DomId id, size_t index, const boot::BootModule& module, const boot::ModuleOptions& options) {
    std::span<const uint8_t> file(static_cast<const uint8_t*>(arch::phys_to_virt(module.start)), module.size());
    loader::ParseDetail detail;
    auto image = loader::parse_kernel(file, &detail);
    if (image.is_error()) { refuse(index, options, image.error().reason); return false; }
    const bool control = options.roles.has(Role::Control);
    auto role_check = loader::check_kernel_role(image.value(), control ? loader::KernelRole::Initial
                                                                        : loader::KernelRole::Unprivileged);
    if (role_check.is_error()) { refuse(index, options, role_check.error().reason); return false; }

    char default_name[8];
    lib::FixedBuffer name_text(default_name, sizeof default_name);
    lib::format_to(name_text, "d{}", id);
    Domain* domain = allocate_domain(id, options.name[0] ? options.name : default_name, options.roles);
    if (domain == nullptr) { refuse(index, options, "the domain table is full"); return false; }

    const uint64_t memory = options.memory_bytes ? options.memory_bytes : kDefaultMemory;
    DirectMapMemory direct_map;
    loader::DomainRequest request{id, memory >> kPageShift, control ? abi::kSifPrivileged : 0,
                                  options.guest_command_line, {arch::idle_l4() + 256, 16}};
    auto built = loader::build_start_of_day(request, image.value(), file, frame_allocator(), frame_table(), direct_map);
    if (built.is_error()) { free_domain(*domain); refuse(index, options, built.error().reason); return false; }

    domain->nr_pages = domain->max_pages = built.value().layout.nr_pages;
    domain->first_mfn = built.value().first_mfn;
    domain->shared_info_mfn = built.value().shared_info_mfn;
    domain->console_mfn = built.value().console_mfn;
    // One vCPU (Domain::vcpu); the xenstore port waits for its backend, the console port
    // is connected to the hypervisor, every guest's console backend (core/console_service.hpp).
    domain->events.attach(id, *arch::frame_to_virt<abi::SharedInfo>(domain->shared_info_mfn), 1);
    (void)domain->events.reserve(Port(loader::kXenstorePort));  // fresh table: cannot fail
    (void)domain->events.bind_to_hypervisor(Port(loader::kConsolePort));
    domain->vcpu.regs = entry_registers(built.value());
    domain->vcpu.kernel_l4 = built.value().l4_mfn;
    arch::fpu_reset(*domain);
    domain->vcpu.pv.debug_registers[6] = 0xffff0ff0;  // DR6 and DR7 as Xen's builder sets them
    domain->vcpu.pv.debug_registers[7] = 0x400;
    domain->vcpu.pv.kernel_ss = abi::kFlatKernelSs;
    domain->vcpu.pv.kernel_sp = built.value().stack_top & 0xffffffff;  // as libxenguest: the low 32 bits
    clock_start_domain(*domain);
    log_domain(*domain, built.value());
    return true;
}

}  // namespace

void build_boot_domains(const boot::BootInfo& info) {
    uint16_t next_id = 0;
    for (size_t index = 0; index < info.module_count; ++index) {
        const boot::BootModule& module = info.modules[index];
        boot::WordCopy offending;
        auto options = boot::parse_module_options(module.string, offending);
        if (options.is_error()) {
            log_error("module {} (`{}`): `{}`: {}\n", index, module.string, offending.text, options.error().reason);
            record_refused_domain();
            continue;
        }
        for (const boot::IgnoredWord& ignored : options.value().ignored.list())
            log_warning("module {}: ignoring `{}` ({})\n", index, ignored.word.text, ignored.reason);
        if (options.value().is_data_module()) {
            log_info("module {}: a disk for `{}` (served by the block backend, later)\n", index, options.value().disk_of);
            continue;
        }
        // IDs go to the domains that exist, in boot order: the first one built is d0.
        if (build_domain(DomId(next_id), index, module, options.value())) ++next_id;
    }
}

}  // namespace hv
