// SPDX-License-Identifier: MIT
// A guest's console output, made safe to print: filtered, prefixed "(dN) ", one line at a time.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lib/format.hpp"

namespace hv {

/// Collects what one domain writes until a newline (or kLineCapacity bytes), then emits
/// it as a single line "(dN) text\n". As Xen does for a domU, only printable ASCII and tab
/// pass; every other control byte is dropped, so a guest can neither end our line early
/// with '\r' nor move the cursor with escape sequences.
class GuestLineBuffer {
public:
    static constexpr size_t kLineCapacity = 200;  // Xen's per-domain line buffer size

    GuestLineBuffer() = default;
    explicit GuestLineBuffer(uint16_t domain_id) : domain_id_(domain_id) {}

    /// Take guest bytes; complete lines go to `out`.
    void write(const char* bytes, size_t length, lib::Sink& out);
    /// Emit a partial line, if any (when the domain dies).
    void flush(lib::Sink& out);

private:
    void emit(lib::Sink& out);

    uint16_t domain_id_ = 0;
    char line_[kLineCapacity] = {};
    size_t length_ = 0;
};

}  // namespace hv
