// SPDX-License-Identifier: MIT
// The XenStore wire protocol: message header and types, and the shared ring page (StartInfo::store_mfn).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "abi/errno.hpp"

namespace abi {

/// XsdSockmsg::type (xen/include/public/io/xs_wire.h).
enum class XsdSockmsgType : std::uint32_t {
    Control = 0,              // XS_CONTROL (also XS_DEBUG)
    Directory = 1,            // XS_DIRECTORY
    Read = 2,                 // XS_READ
    GetPerms = 3,             // XS_GET_PERMS
    Watch = 4,                // XS_WATCH
    Unwatch = 5,              // XS_UNWATCH
    TransactionStart = 6,     // XS_TRANSACTION_START
    TransactionEnd = 7,       // XS_TRANSACTION_END
    Introduce = 8,            // XS_INTRODUCE
    Release = 9,              // XS_RELEASE
    GetDomainPath = 10,       // XS_GET_DOMAIN_PATH
    Write = 11,               // XS_WRITE
    Mkdir = 12,               // XS_MKDIR
    Rm = 13,                  // XS_RM
    SetPerms = 14,            // XS_SET_PERMS
    WatchEvent = 15,          // XS_WATCH_EVENT
    Error = 16,               // XS_ERROR
    IsDomainIntroduced = 17,  // XS_IS_DOMAIN_INTRODUCED
    Resume = 18,              // XS_RESUME
    SetTarget = 19,           // XS_SET_TARGET
    // 20 was XS_RESTRICT (removed).
    ResetWatches = 21,        // XS_RESET_WATCHES
    DirectoryPart = 22,       // XS_DIRECTORY_PART
    TypeCount = 23,           // XS_TYPE_COUNT: number of types, not a type
    Invalid = 0xffff,         // XS_INVALID: guaranteed never to be a type
};

/// Header of every XenStore message, request or reply; `len` payload bytes follow
/// (usually NUL-separated strings).
struct XsdSockmsg {  // struct xsd_sockmsg
    std::uint32_t type;    ///< XsdSockmsgType
    std::uint32_t req_id;  ///< chosen by the client, echoed in the reply
    std::uint32_t tx_id;   ///< transaction, 0 = none
    std::uint32_t len;     ///< payload bytes, at most kXenstorePayloadMax
};
static_assert(sizeof(XsdSockmsg) == 16);
static_assert(offsetof(XsdSockmsg, type) == 0);
static_assert(offsetof(XsdSockmsg, req_id) == 4);
static_assert(offsetof(XsdSockmsg, tx_id) == 8);
static_assert(offsetof(XsdSockmsg, len) == 12);

/// The strings of an XS_WATCH_EVENT payload, in order.
enum class XsWatchType : std::uint32_t {
    Path = 0,   // XS_WATCH_PATH
    Token = 1,  // XS_WATCH_TOKEN
};

/// Errors a XenStore server may send in an XS_ERROR reply, whose payload is the
/// errno_name() string ("ENOENT"); listed in Xen's order (xsd_errors in xs_wire.h).
inline constexpr std::array<Errno, 16> kXsdErrors = {
    Errno::Inval, Errno::Acces, Errno::Exist, Errno::IsDir, Errno::NoEnt, Errno::NoMem,
    Errno::NoSpc, Errno::Io,    Errno::NotEmpty, Errno::NoSys, Errno::RoFs, Errno::Busy,
    Errno::Again, Errno::IsConn, Errno::TooBig, Errno::Perm,
};

/// Most payload bytes in one message; more is a protocol violation.
inline constexpr std::uint32_t kXenstorePayloadMax = 4096;  // XENSTORE_PAYLOAD_MAX
/// Longest absolute path accepted.
inline constexpr std::uint32_t kXenstoreAbsPathMax = 3072;  // XENSTORE_ABS_PATH_MAX
/// Longest relative path accepted.
inline constexpr std::uint32_t kXenstoreRelPathMax = 2048;  // XENSTORE_REL_PATH_MAX

/// Bytes in each direction's ring.
inline constexpr std::size_t kXenstoreRingSize = 1024;  // XENSTORE_RING_SIZE
/// A free-running ring index; the slot is index & (kXenstoreRingSize - 1).
using XenstoreRingIndex = std::uint32_t;  // XENSTORE_RING_IDX

// XenstoreDomainInterface::server_features.
inline constexpr std::uint32_t kXenstoreServerFeatureReconnection = 1;  // XENSTORE_SERVER_FEATURE_RECONNECTION
inline constexpr std::uint32_t kXenstoreServerFeatureError = 2;         // XENSTORE_SERVER_FEATURE_ERROR
// XenstoreDomainInterface::connection.
inline constexpr std::uint32_t kXenstoreConnected = 0;  // XENSTORE_CONNECTED
inline constexpr std::uint32_t kXenstoreReconnect = 1;  // XENSTORE_RECONNECT
// XenstoreDomainInterface::error.
inline constexpr std::uint32_t kXenstoreErrorNone = 0;     // XENSTORE_ERROR_NONE
inline constexpr std::uint32_t kXenstoreErrorComm = 1;     // XENSTORE_ERROR_COMM
inline constexpr std::uint32_t kXenstoreErrorRingidx = 2;  // XENSTORE_ERROR_RINGIDX
inline constexpr std::uint32_t kXenstoreErrorProto = 3;    // XENSTORE_ERROR_PROTO

/// The XenStore ring page shared between a guest and the XenStore server. Same
/// producer/consumer rules as the console rings (io_console.hpp); a message may wrap
/// around the ring and may arrive in pieces.
struct XenstoreDomainInterface {  // struct xenstore_domain_interface
    char req[kXenstoreRingSize];  ///< guest -> server requests
    char rsp[kXenstoreRingSize];  ///< server -> guest replies and watch events
    XenstoreRingIndex req_cons;   ///< written by the server
    XenstoreRingIndex req_prod;   ///< written by the guest
    XenstoreRingIndex rsp_cons;   ///< written by the guest
    XenstoreRingIndex rsp_prod;   ///< written by the server
    std::uint32_t server_features;  ///< kXenstoreServerFeature* bits
    std::uint32_t connection;       ///< kXenstoreConnected / kXenstoreReconnect
    std::uint32_t error;            ///< kXenstoreError*
};
static_assert(sizeof(XenstoreDomainInterface) == 2076);
static_assert(offsetof(XenstoreDomainInterface, req) == 0);
static_assert(offsetof(XenstoreDomainInterface, rsp) == 1024);
static_assert(offsetof(XenstoreDomainInterface, req_cons) == 2048);
static_assert(offsetof(XenstoreDomainInterface, req_prod) == 2052);
static_assert(offsetof(XenstoreDomainInterface, rsp_cons) == 2056);
static_assert(offsetof(XenstoreDomainInterface, rsp_prod) == 2060);
static_assert(offsetof(XenstoreDomainInterface, server_features) == 2064);
static_assert(offsetof(XenstoreDomainInterface, connection) == 2068);
static_assert(offsetof(XenstoreDomainInterface, error) == 2072);

}  // namespace abi
