// SPDX-License-Identifier: MIT
// console_io (hypercall 18): a guest writes lines to the hypervisor's console.
// XEN-DIFF: Xen accepts CONSOLEIO_write only from the control domain unless it was
// built with CONFIG_VERBOSE_DEBUG (a release Xen answers a domU -EPERM); Xenolith accepts
// it from every domain, as a debug Xen does, so that a student's first kernel can print.
// Like Xen, a write returns 0 (not a count), and the text passes the guest line filter.
#include "abi/xen.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "core/debug_keys.hpp"
#include "core/printk.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {
namespace {

constexpr size_t kChunk = 128;  // copied in pieces: no big buffer on the stack

constexpr uint32_t kBytesPerCall = 4096;  // then the rest continues (Xen preempts here too)

HypercallResult console_write_from(Domain& caller, GuestVaddr buffer, uint32_t count) {
    char chunk[kChunk];
    for (uint32_t done = 0; done < count;) {
        if (done == kBytesPerCall)
            return continue_later({static_cast<uint64_t>(abi::ConsoleIoCommand::Write), count - done,
                                   buffer.raw() + done, 0, 0});
        uint32_t length = count - done < kChunk ? count - done : static_cast<uint32_t>(kChunk);
        TRY(arch::copy_from_guest(chunk, GuestVaddr(buffer.raw() + done), length));
        caller.console.write(chunk, length, console_sink());
        done += length;
    }
    return uint64_t{0};
}

HypercallResult read_input_for(GuestVaddr buffer, uint32_t count) {
    char chunk[kChunk];
    const size_t n = read_console_input(chunk, count < kChunk ? count : kChunk);
    TRY(arch::copy_to_guest(buffer, chunk, n));
    return uint64_t{n};
}

}  // namespace

HypercallResult do_console_io(Domain& caller, const HypercallArgs& args) {
    const auto command = static_cast<abi::ConsoleIoCommand>(static_cast<uint32_t>(args.arg1));
    const auto count = static_cast<uint32_t>(args.arg2);  // Xen: unsigned int count
    const GuestVaddr buffer(args.arg3);
    switch (command) {
    case abi::ConsoleIoCommand::Write:
        return console_write_from(caller, buffer, count);
    case abi::ConsoleIoCommand::Read:
        // As Xen: only the control domain reads the hypervisor's console input.
        if (!caller.has_role(Role::Control)) return lib::error(abi::Errno::Perm, "console_io read needs the control role");
        return read_input_for(buffer, count);
    }
    return lib::error(abi::Errno::NoSys, "unknown console_io command");
}

}  // namespace hv
