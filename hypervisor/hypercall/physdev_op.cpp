// SPDX-License-Identifier: MIT
// physdev_op (hypercall 33): a PV guest's I/O privilege, its virtual IOPL and I/O bitmap
// (Xen's do_physdev_op, xen/arch/x86/physdev.c). The emulated IN, OUT, CLI and STI
// consult them (core/privileged_policy.hpp). The operations on physical IRQs, MSI and PCI
// devices are for a domain with devices, which Xenolith has not.
#include "abi/physdev.hpp"
#include "arch/x86_64/guest_access.hpp"
#include "hypercall/hypercall.hpp"

namespace hv {
namespace {

constexpr uint32_t kMaxIopl = 3;
/// A bitmap for every port: 65536 bits (Xen's IOBMP_BYTES).
constexpr uint32_t kIoBitmapBytes = 8192;
constexpr uint32_t kPortCount = 65536;

/// PHYSDEVOP_set_iopl: 0 (the default) lets no mode use ports, 1 the kernel, 3 everyone.
HypercallResult set_iopl(Domain& caller, GuestVaddr request_address) {
    abi::PhysdevSetIopl request;
    TRY(arch::copy_from_guest(request, request_address));
    if (request.iopl > kMaxIopl) return lib::error(abi::Errno::Inval, "IOPL above 3");
    caller.vcpu.pv.iopl = static_cast<uint8_t>(request.iopl);
    return uint64_t{0};
}

/// PHYSDEVOP_set_iobitmap: the bitmap stays in guest memory and is read at each access;
/// its whole 8 KiB must be guest addresses, whatever nr_ports says.
HypercallResult set_iobitmap(Domain& caller, GuestVaddr request_address) {
    abi::PhysdevSetIobitmap request;
    TRY(arch::copy_from_guest(request, request_address));
    if (!arch::guest_range_ok(GuestVaddr(request.bitmap.p), kIoBitmapBytes))
        return lib::error(abi::Errno::Inval, "I/O bitmap outside the guest's space");
    if (request.nr_ports > kPortCount) return lib::error(abi::Errno::Inval, "more than 65536 ports");
    caller.vcpu.pv.io_bitmap = request.bitmap.p;
    caller.vcpu.pv.io_bitmap_ports = request.nr_ports;
    return uint64_t{0};
}

}  // namespace

HypercallResult do_physdev_op(Domain& caller, const HypercallArgs& args) {
    const GuestVaddr request(args.arg2);
    // Xen's `int cmd`: only the low 32 bits of the first argument count.
    switch (static_cast<abi::PhysdevOp>(static_cast<uint32_t>(args.arg1))) {
    case abi::PhysdevOp::SetIopl: return set_iopl(caller, request);
    case abi::PhysdevOp::SetIobitmap: return set_iobitmap(caller, request);
    default:
        // XEN-DIFF: Xen answers the IRQ, MSI and PCI operations of a domain without
        // devices one by one (-EINVAL for a bad IRQ, -EPERM for the hardware domain's).
        return lib::error(abi::Errno::NoSys, "physdev_op for devices: Xenolith gives domains none");
    }
}

}  // namespace hv
