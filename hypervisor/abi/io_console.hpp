// SPDX-License-Identifier: MIT
// The PV console ring page (StartInfo::console.domU.mfn): two byte rings between a guest and its console backend.
#pragma once

#include <cstddef>
#include <cstdint>

namespace abi {

/// A free-running ring index; the slot is index & (ring size - 1).
using ConsoleRingIndex = std::uint32_t;  // XENCONS_RING_IDX

/// Bytes in the backend-to-guest ring.
inline constexpr std::size_t kConsoleInSize = 1024;
/// Bytes in the guest-to-backend ring.
inline constexpr std::size_t kConsoleOutSize = 2048;

/// The console page (xen/include/public/io/console.h). The producer writes bytes,
/// issues a write barrier, advances *_prod and notifies the event channel; the consumer
/// reads *_prod, barriers, copies, barriers again and advances *_cons. A ring is full
/// when prod - cons == its size.
struct ConsoleInterface {  // struct xencons_interface
    char in[kConsoleInSize];    ///< backend -> guest (keyboard input)
    char out[kConsoleOutSize];  ///< guest -> backend (output)
    ConsoleRingIndex in_cons;   ///< written by the guest
    ConsoleRingIndex in_prod;   ///< written by the backend
    ConsoleRingIndex out_cons;  ///< written by the backend
    ConsoleRingIndex out_prod;  ///< written by the guest
};
static_assert(sizeof(ConsoleInterface) == 3088);
static_assert(offsetof(ConsoleInterface, in) == 0);
static_assert(offsetof(ConsoleInterface, out) == 1024);
static_assert(offsetof(ConsoleInterface, in_cons) == 3072);
static_assert(offsetof(ConsoleInterface, in_prod) == 3076);
static_assert(offsetof(ConsoleInterface, out_cons) == 3080);
static_assert(offsetof(ConsoleInterface, out_prod) == 3084);
static_assert((kConsoleInSize & (kConsoleInSize - 1)) == 0 && (kConsoleOutSize & (kConsoleOutSize - 1)) == 0,
              "ring sizes must be powers of two for index masking");

}  // namespace abi
