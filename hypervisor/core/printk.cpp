// SPDX-License-Identifier: MIT
// The log level filter and the sink behind printk.
#include "core/printk.hpp"

namespace hv {
namespace {

LogLevel current_level = LogLevel::Info;

class ConsoleSink final : public lib::Sink {
public:
    void put(char c) override { console_write(&c, 1); }
};

ConsoleSink sink;

}  // namespace

void set_log_level(LogLevel level) { current_level = level; }
LogLevel log_level() { return current_level; }
lib::Sink& console_sink() { return sink; }

}  // namespace hv
