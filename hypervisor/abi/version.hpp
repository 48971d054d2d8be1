// SPDX-License-Identifier: MIT
// xen_version (hypercall 17): its sub-operations and the buffers they fill.
#pragma once

#include <cstddef>
#include <cstdint>

namespace abi {

/// First argument of xen_version (xen/include/public/version.h). All return 0 on
/// success except Version (major << 16 | minor) and Pagesize (the page size), and
/// BuildId (bytes written).
enum class VersionOp : std::uint32_t {
    Version = 0,             // XENVER_version: arg NULL
    Extraversion = 1,        // XENVER_extraversion: arg Extraversion
    CompileInfo = 2,         // XENVER_compile_info: arg CompileInfo
    Capabilities = 3,        // XENVER_capabilities: arg CapabilitiesInfo
    Changeset = 4,           // XENVER_changeset: arg ChangesetInfo
    PlatformParameters = 5,  // XENVER_platform_parameters: arg PlatformParameters
    GetFeatures = 6,         // XENVER_get_features: arg FeatureInfo
    Pagesize = 7,            // XENVER_pagesize: arg NULL
    GuestHandle = 8,         // XENVER_guest_handle: arg DomainHandle
    Commandline = 9,         // XENVER_commandline: arg CommandLine (privileged)
    BuildId = 10,            // XENVER_build_id: arg BuildIdHeader + buffer (privileged)
};

/// Version suffix such as ".7" or "-rc", NUL-terminated.
using Extraversion = char[16];  // xen_extraversion_t
inline constexpr std::size_t kExtraversionLength = sizeof(Extraversion);  // XEN_EXTRAVERSION_LEN

/// How Xen was built.
struct CompileInfo {  // struct xen_compile_info
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
static_assert(sizeof(CompileInfo) == 144);
static_assert(offsetof(CompileInfo, compiler) == 0);
static_assert(offsetof(CompileInfo, compile_by) == 64);
static_assert(offsetof(CompileInfo, compile_domain) == 80);
static_assert(offsetof(CompileInfo, compile_date) == 112);

/// Space-separated guest types Xen can run, e.g. "xen-3.0-x86_64 hvm-3.0-x86_32 ...".
using CapabilitiesInfo = char[1024];  // xen_capabilities_info_t
inline constexpr std::size_t kCapabilitiesInfoLength = sizeof(CapabilitiesInfo);  // XEN_CAPABILITIES_INFO_LEN

/// Source revision Xen was built from.
using ChangesetInfo = char[64];  // xen_changeset_info_t
inline constexpr std::size_t kChangesetInfoLength = sizeof(ChangesetInfo);  // XEN_CHANGESET_INFO_LEN

/// Where the hypervisor's reserved virtual range starts (0xFFFF800000000000 on x86-64).
struct PlatformParameters {  // struct xen_platform_parameters
    std::uint64_t virt_start;
};
static_assert(sizeof(PlatformParameters) == 8);
static_assert(offsetof(PlatformParameters, virt_start) == 0);

/// One 32-bit word of the Feature bitmap (features.hpp).
struct FeatureInfo {  // struct xen_feature_info
    std::uint32_t submap_idx;  ///< IN: which word (only 0 exists)
    std::uint32_t submap;      ///< OUT: bit i = Feature (32 * submap_idx + i) is present
};
static_assert(sizeof(FeatureInfo) == 8);
static_assert(offsetof(FeatureInfo, submap_idx) == 0);
static_assert(offsetof(FeatureInfo, submap) == 4);

/// The domain's handle, set by the toolstack: normally its UUID.
using DomainHandle = std::uint8_t[16];  // xen_domain_handle_t

/// Xen's command line.
using CommandLine = char[1024];  // xen_commandline_t

/// Header of the XENVER_build_id buffer; len bytes of build ID follow it
/// (Xen's struct ends in a flexible array member named buf).
struct BuildIdHeader {  // struct xen_build_id
    std::uint32_t len;  ///< IN: size of the buffer after this header
};
static_assert(sizeof(BuildIdHeader) == 4);
static_assert(offsetof(BuildIdHeader, len) == 0);

}  // namespace abi
