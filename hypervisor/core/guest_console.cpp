// SPDX-License-Identifier: MIT
// Filtering and prefixing of guest console output (see guest_console.hpp).
#include "core/guest_console.hpp"

namespace hv {

namespace {
bool is_printable(char c) { return (c >= 0x20 && c < 0x7f) || c == '\t'; }
}  // namespace

void GuestLineBuffer::write(const char* bytes, size_t length, lib::Sink& out) {
    for (size_t i = 0; i < length; ++i) {
        char c = bytes[i];
        if (c == '\n') { emit(out); continue; }
        if (!is_printable(c)) continue;
        line_[length_++] = c;
        if (length_ == kLineCapacity) emit(out);
    }
}

void GuestLineBuffer::flush(lib::Sink& out) {
    if (length_ != 0) emit(out);
}

void GuestLineBuffer::emit(lib::Sink& out) {
    lib::format_to(out, "(d{}) ", domain_id_);
    out.write(line_, length_);
    out.put('\n');
    length_ = 0;
}

}  // namespace hv
