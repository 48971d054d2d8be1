// SPDX-License-Identifier: MIT
// The console through console_io: buffered per line, so that each line is one hypercall.
#include "kernel/console.hpp"

#include "abi/xen.hpp"
#include "arch/x86_64/hypercall.hpp"

namespace minios {
namespace {

class LineSink final : public lib::Sink {
public:
    void put(char c) override {
        line_[length_++] = c;
        if (c == '\n' || length_ == sizeof line_) flush();
    }
    void flush() {
        if (length_ != 0) console_write(line_, length_);
        length_ = 0;
    }

private:
    char line_[160];
    unsigned long length_ = 0;
};

LineSink sink;

}  // namespace

long console_write(const char* text, unsigned long length) {
    return raw_hypercall(abi::Hypercall::ConsoleIo, static_cast<uint64_t>(abi::ConsoleIoCommand::Write), length,
                         reinterpret_cast<uint64_t>(text));
}

lib::Sink& console_sink() { return sink; }

}  // namespace minios
