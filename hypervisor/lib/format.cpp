// SPDX-License-Identifier: MIT
// The formatter behind printk, panic and every message the hypervisor writes.
#include "lib/format.hpp"

namespace lib {
namespace {

struct Spec {
    bool left = false;
    bool alternate = false;
    char pad = ' ';
    unsigned width = 0;
    char type = 0;
};

const char* parse_spec(const char* p, Spec& spec) {
    if (*p == '<') { spec.left = true; ++p; } else if (*p == '>') { ++p; }
    if (*p == '#') { spec.alternate = true; ++p; }
    if (*p == '0') { spec.pad = '0'; ++p; }
    while (*p >= '0' && *p <= '9') spec.width = spec.width * 10 + static_cast<unsigned>(*p++ - '0');
    if (*p != '}' && *p != '\0') spec.type = *p++;
    while (*p != '}' && *p != '\0') ++p;  // ignore what we do not understand
    return p;
}

void emit_padded(Sink& sink, const Spec& spec, const char* text, size_t length) {
    size_t fill = spec.width > length ? spec.width - length : 0;
    if (!spec.left) for (size_t i = 0; i < fill; ++i) sink.put(spec.pad);
    sink.write(text, length);
    if (spec.left) for (size_t i = 0; i < fill; ++i) sink.put(' ');
}

void emit_number(Sink& sink, const Spec& spec, uint64_t magnitude, bool negative) {
    const unsigned base = (spec.type == 'x' || spec.type == 'p') ? 16 : (spec.type == 'b' ? 2 : 10);
    char digits[72];
    size_t n = 0;
    do {
        unsigned digit = static_cast<unsigned>(magnitude % base);
        digits[n++] = static_cast<char>(digit < 10 ? '0' + digit : 'a' + digit - 10);
        magnitude /= base;
    } while (magnitude != 0);
    const bool prefix = spec.alternate && base != 10;
    char text[80];
    size_t length = 0;
    if (negative) text[length++] = '-';
    if (prefix) { text[length++] = '0'; text[length++] = base == 16 ? 'x' : 'b'; }
    // Zero padding goes between the sign/prefix and the digits.
    if (spec.pad == '0' && !spec.left)
        while (length + n < spec.width && length < sizeof text - n) text[length++] = '0';
    while (n > 0) text[length++] = digits[--n];
    Spec rest = spec;
    rest.pad = ' ';
    emit_padded(sink, rest, text, length);
}

size_t text_length(const char* text) {
    size_t n = 0;
    while (text[n] != '\0') ++n;
    return n;
}

void emit_arg(Sink& sink, const Spec& spec, const FormatArg& arg) {
    switch (arg.kind) {
    case FormatArg::Kind::Unsigned: emit_number(sink, spec, arg.u, false); break;
    case FormatArg::Kind::Signed:
        if (arg.s < 0) emit_number(sink, spec, 0 - static_cast<uint64_t>(arg.s), true);
        else emit_number(sink, spec, static_cast<uint64_t>(arg.s), false);
        break;
    case FormatArg::Kind::Text: {
        const char* text = arg.text != nullptr ? arg.text : "(null)";
        emit_padded(sink, spec, text, text_length(text));
        break;
    }
    case FormatArg::Kind::Pointer: {
        Spec hex = spec;
        hex.type = 'x';
        hex.alternate = true;
        emit_number(sink, hex, reinterpret_cast<uintptr_t>(arg.pointer), false);
        break;
    }
    case FormatArg::Kind::Boolean: {
        const char* text = arg.u != 0 ? "true" : "false";
        emit_padded(sink, spec, text, text_length(text));
        break;
    }
    case FormatArg::Kind::Character: {
        char c = static_cast<char>(arg.u);
        emit_padded(sink, spec, &c, 1);
        break;
    }
    }
}

}  // namespace

void vformat_to(Sink& sink, const char* fmt, const FormatArg* args, size_t count) {
    size_t next = 0;
    for (const char* p = fmt; *p != '\0'; ++p) {
        if (*p == '{' && p[1] == '{') { sink.put('{'); ++p; continue; }
        if (*p == '}' && p[1] == '}') { sink.put('}'); ++p; continue; }
        if (*p != '{') { sink.put(*p); continue; }
        Spec spec;
        ++p;
        if (*p == ':') p = parse_spec(p + 1, spec);
        while (*p != '}' && *p != '\0') ++p;
        if (next < count) emit_arg(sink, spec, args[next++]);
        else sink.write("{?}", 3);
        if (*p == '\0') break;
    }
}

}  // namespace lib
