// SPDX-License-Identifier: MIT
// Asking the hypervisor about itself, through the typed hypercall layer.
#include "kernel/xen_info.hpp"

#include "abi/memory.hpp"
#include "abi/version.hpp"
#include "abi/xen.hpp"
#include "arch/x86_64/hypercall.hpp"
#include "kernel/console.hpp"

namespace minios {
namespace {

int failures = 0;

template <typename... Args>
lib::ErrorOr<int64_t> xen_version(abi::VersionOp op, void* argument = nullptr) {
    return hypercall(abi::Hypercall::XenVersion, static_cast<uint64_t>(op), reinterpret_cast<uint64_t>(argument));
}

lib::ErrorOr<int64_t> memory_op(abi::MemoryOp op, void* argument = nullptr) {
    return hypercall(abi::Hypercall::MemoryOp, static_cast<uint64_t>(op), reinterpret_cast<uint64_t>(argument));
}

void report(const char* what, const lib::ErrorOr<int64_t>& result) {
    if (!result.is_error()) return;
    printk("xen.{} failed: -{}\n", what, abi::errno_name(result.error_code()));
    ++failures;
}

void print_version_facts() {
    auto version = xen_version(abi::VersionOp::Version);
    report("version", version);
    if (!version.is_error()) printk("xen.version = {}.{}\n", version.value() >> 16, version.value() & 0xffff);
    char capabilities[sizeof(abi::CapabilitiesInfo)] = {};
    report("capabilities", xen_version(abi::VersionOp::Capabilities, capabilities));
    printk("xen.capabilities = {}\n", capabilities);
    char extraversion[sizeof(abi::Extraversion)] = {};
    report("extraversion", xen_version(abi::VersionOp::Extraversion, extraversion));
    printk("xen.extraversion = {}\n", extraversion);
    auto pagesize = xen_version(abi::VersionOp::Pagesize);
    report("pagesize", pagesize);
    if (!pagesize.is_error()) printk("xen.pagesize = {}\n", pagesize.value());
    abi::PlatformParameters parameters{};
    report("platform_parameters", xen_version(abi::VersionOp::PlatformParameters, &parameters));
    printk("xen.virt_start = {:#x}\n", parameters.virt_start);
    abi::CompileInfo compile{};
    report("compile_info", xen_version(abi::VersionOp::CompileInfo, &compile));
    printk("xen.compiler = {}\n", compile.compiler);
    char changeset[sizeof(abi::ChangesetInfo)] = {};
    report("changeset", xen_version(abi::VersionOp::Changeset, changeset));
    printk("xen.changeset = {}\n", changeset);
    uint8_t handle[sizeof(abi::DomainHandle)] = {};
    report("guest_handle", xen_version(abi::VersionOp::GuestHandle, handle));
    abi::FeatureInfo features{0, 0};
    report("get_features", xen_version(abi::VersionOp::GetFeatures, &features));
    printk("xen.features[0] = {:#x}\n", features.submap);
}

void print_memory_facts() {
    abi::DomainId self = abi::kDomidSelf;
    auto current = memory_op(abi::MemoryOp::CurrentReservation, &self);
    report("current_reservation", current);
    if (!current.is_error()) printk("xen.current_reservation = {} pages\n", current.value());
    auto maximum = memory_op(abi::MemoryOp::MaximumReservation, &self);
    report("maximum_reservation", maximum);
    if (!maximum.is_error()) printk("xen.maximum_reservation = {} pages\n", maximum.value());
    auto ram_page = memory_op(abi::MemoryOp::MaximumRamPage);
    report("maximum_ram_page", ram_page);
    if (!ram_page.is_error()) printk("xen.maximum_ram_page = {:#x}\n", ram_page.value());
    abi::MachphysMapping mapping{};
    report("machphys_mapping", memory_op(abi::MemoryOp::MachphysMapping, &mapping));
    printk("xen.machphys_mapping = {:#x}-{:#x}\n", mapping.v_start, mapping.v_end);
    abi::E820Entry entries[4] = {};
    abi::MemoryMap map{4, 0, {reinterpret_cast<uint64_t>(entries)}};
    auto result = memory_op(abi::MemoryOp::MemoryMap, &map);
    if (result.is_error() && result.error_code() == abi::Errno::NoSys) {
        // Xen answers -ENOSYS when no one set a memory map for the domain (its dom0).
        printk("xen.memory_map = none (-ENOSYS)\n");
        return;
    }
    report("memory_map", result);
    if (result.is_error()) return;
    for (uint32_t i = 0; i < map.nr_entries && i < 4; ++i) {
        const uint64_t addr = entries[i].addr, size = entries[i].size;
        printk("xen.memory_map[{}] = {:#x}+{:#x} type {}\n", i, addr, size, static_cast<uint32_t>(entries[i].type));
    }
}

}  // namespace

int print_xen_info() {
    failures = 0;
    print_version_facts();
    print_memory_facts();
    return failures;
}

}  // namespace minios
