// SPDX-License-Identifier: MIT
// xen_version (hypercall 17): which Xen this is, and what it offers a PV guest.
// Xenolith reports itself as Xen 4.17, the version whose ABI it implements; the
// extraversion and the compile information name Xenolith, so a guest can tell.
#include "abi/features.hpp"
#include "abi/layout.hpp"
#include "abi/version.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "hypercall/hypercall.hpp"
#include "lib/string.hpp"

#ifndef XENOLITH_CHANGESET
#define XENOLITH_CHANGESET "unknown"
#endif

namespace hv {
namespace {

constexpr uint64_t kMajor = 4, kMinor = 17;

template <size_t N>
HypercallResult copy_string_out(GuestVaddr destination, const char* text) {
    char buffer[N] = {};
    lib::copy_string(buffer, N, text, lib::string_length(text, N));
    TRY(arch::copy_to_guest(destination, buffer, N));
    return uint64_t{0};
}

/// Feature word 0 as Xen 4.17 reports it to a 64-bit PV domU (common/kernel.c,
/// XENVER_get_features): not translated, so direct-mapped; PRESERVE_AD; highmem assist;
/// grant-map available bits; vNUMA memory ops.
uint32_t pv_feature_word(const Domain& caller) {
    auto bit = [](abi::Feature f) { return uint32_t{1} << static_cast<uint32_t>(f); };
    uint32_t word = bit(abi::Feature::MemoryOpVnodeSupported) | bit(abi::Feature::MmuPtUpdatePreserveAd) |
                    bit(abi::Feature::HighmemAssist) | bit(abi::Feature::GnttabMapAvailBits) |
                    bit(abi::Feature::DirectMapped);
    constexpr uint32_t kPaeExtendedCr3 = 3;  // VMASST_TYPE_pae_extended_cr3
    if (caller.vm_assist & (uint64_t{1} << kPaeExtendedCr3)) word |= bit(abi::Feature::PaePgdirAbove4gb);
    return word;
}

HypercallResult get_features(const Domain& caller, GuestVaddr argument) {
    abi::FeatureInfo info;
    TRY(arch::copy_from_guest(info, argument));
    if (info.submap_idx != 0) return lib::error(abi::Errno::Inval, "no such feature word");
    info.submap = pv_feature_word(caller);
    TRY(arch::copy_to_guest(argument, info));
    return uint64_t{0};
}

HypercallResult compile_info(GuestVaddr argument) {
    abi::CompileInfo info = {};
    auto fill = [](char* field, size_t size, const char* text) {
        lib::copy_string(field, size, text, lib::string_length(text, size));
    };
    fill(info.compiler, sizeof info.compiler, __VERSION__);
    fill(info.compile_by, sizeof info.compile_by, "xenolith");
    fill(info.compile_domain, sizeof info.compile_domain, "xenolith.invalid");
    fill(info.compile_date, sizeof info.compile_date, __DATE__ " " __TIME__);
    TRY(arch::copy_to_guest(argument, info));
    return uint64_t{0};
}

}  // namespace

HypercallResult do_xen_version(Domain& caller, const HypercallArgs& args) {
    const auto command = static_cast<abi::VersionOp>(static_cast<uint32_t>(args.arg1));
    const GuestVaddr argument(args.arg2);
    switch (command) {
    case abi::VersionOp::Version: return (kMajor << 16) | kMinor;
    case abi::VersionOp::Extraversion: return copy_string_out<abi::kExtraversionLength>(argument, ".0-xenolith");
    case abi::VersionOp::CompileInfo: return compile_info(argument);
    case abi::VersionOp::Capabilities: return copy_string_out<abi::kCapabilitiesInfoLength>(argument, "xen-3.0-x86_64");
    case abi::VersionOp::Changeset: return copy_string_out<abi::kChangesetInfoLength>(argument, XENOLITH_CHANGESET);
    case abi::VersionOp::PlatformParameters: {
        abi::PlatformParameters parameters{abi::kHypervisorVirtStart};
        TRY(arch::copy_to_guest(argument, parameters));
        return uint64_t{0};
    }
    case abi::VersionOp::GetFeatures: return get_features(caller, argument);
    case abi::VersionOp::Pagesize: return uint64_t{4096};
    case abi::VersionOp::GuestHandle: {
        // The toolstack's UUID for the domain; Xenolith has no toolstack: all zeros.
        uint8_t handle[sizeof(abi::DomainHandle)] = {};
        TRY(arch::copy_to_guest(argument, handle, sizeof handle));
        return uint64_t{0};
    }
    case abi::VersionOp::Commandline:
    case abi::VersionOp::BuildId:
        // Privileged sub-ops (XSM's default policy): refused to a guest without the role.
        if (!caller.has_role(Role::Control)) return lib::error(abi::Errno::Perm, "privileged xen_version sub-op");
        return lib::error(abi::Errno::NoSys, "not implemented yet");
    }
    return lib::error(abi::Errno::NoSys, "unknown xen_version sub-op");
}

}  // namespace hv
