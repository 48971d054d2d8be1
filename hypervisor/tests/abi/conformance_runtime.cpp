// SPDX-License-Identifier: MIT
// ABI conformance: errno values, and the run-time checks (tables, byte copies between Xen's structs and ours).
#include "tests/abi/conformance.hpp"

// ---- errno.hpp ---------------------------------------------------------------------------
// Every error Xen lists exists in abi::Errno with the same number and name (aliases map to
// the primary name). EINTR and ERESTART are hidden from non-Xen builds: checked against the
// host's <cerrno>, whose numbers equal Xen's on x86 Linux.

namespace {

constexpr const char* primary_errno_name(const char* xen_name) {
    if (same_text(xen_name, "EWOULDBLOCK")) return "EAGAIN";
    if (same_text(xen_name, "EDEADLOCK")) return "EDEADLK";
    return xen_name;
}

struct XenErrno {
    const char* name;
    int value;
};

constexpr XenErrno kXenErrnos[] = {
#define XEN_ERRNO(name, value) {#name, value},
#include <xen/errno.h>
};

}  // namespace

#define XEN_ERRNO(name, value)                                                                  \
    static_assert(same_text(abi::errno_name(static_cast<abi::Errno>(value)), primary_errno_name(#name)), \
                  "abi::Errno lacks or misnames " #name);
#include <xen/errno.h>

CHECK_CONSTANT(abi::Errno::Perm, XEN_EPERM);
CHECK_CONSTANT(abi::Errno::NoEnt, XEN_ENOENT);
CHECK_CONSTANT(abi::Errno::Srch, XEN_ESRCH);
CHECK_CONSTANT(abi::Errno::Intr, EINTR);
CHECK_CONSTANT(abi::Errno::Io, XEN_EIO);
CHECK_CONSTANT(abi::Errno::NxIo, XEN_ENXIO);
CHECK_CONSTANT(abi::Errno::TooBig, XEN_E2BIG);
CHECK_CONSTANT(abi::Errno::NoExec, XEN_ENOEXEC);
CHECK_CONSTANT(abi::Errno::BadF, XEN_EBADF);
CHECK_CONSTANT(abi::Errno::Child, XEN_ECHILD);
CHECK_CONSTANT(abi::Errno::Again, XEN_EAGAIN);
CHECK_CONSTANT(abi::Errno::WouldBlock, XEN_EWOULDBLOCK);
CHECK_CONSTANT(abi::Errno::NoMem, XEN_ENOMEM);
CHECK_CONSTANT(abi::Errno::Acces, XEN_EACCES);
CHECK_CONSTANT(abi::Errno::Fault, XEN_EFAULT);
CHECK_CONSTANT(abi::Errno::Busy, XEN_EBUSY);
CHECK_CONSTANT(abi::Errno::Exist, XEN_EEXIST);
CHECK_CONSTANT(abi::Errno::XDev, XEN_EXDEV);
CHECK_CONSTANT(abi::Errno::NoDev, XEN_ENODEV);
CHECK_CONSTANT(abi::Errno::NotDir, XEN_ENOTDIR);
CHECK_CONSTANT(abi::Errno::IsDir, XEN_EISDIR);
CHECK_CONSTANT(abi::Errno::Inval, XEN_EINVAL);
CHECK_CONSTANT(abi::Errno::NFile, XEN_ENFILE);
CHECK_CONSTANT(abi::Errno::MFile, XEN_EMFILE);
CHECK_CONSTANT(abi::Errno::NoSpc, XEN_ENOSPC);
CHECK_CONSTANT(abi::Errno::RoFs, XEN_EROFS);
CHECK_CONSTANT(abi::Errno::MLink, XEN_EMLINK);
CHECK_CONSTANT(abi::Errno::Dom, XEN_EDOM);
CHECK_CONSTANT(abi::Errno::Range, XEN_ERANGE);
CHECK_CONSTANT(abi::Errno::DeadLk, XEN_EDEADLK);
CHECK_CONSTANT(abi::Errno::DeadLock, XEN_EDEADLOCK);
CHECK_CONSTANT(abi::Errno::NameTooLong, XEN_ENAMETOOLONG);
CHECK_CONSTANT(abi::Errno::NoLck, XEN_ENOLCK);
CHECK_CONSTANT(abi::Errno::NoSys, XEN_ENOSYS);
CHECK_CONSTANT(abi::Errno::NotEmpty, XEN_ENOTEMPTY);
CHECK_CONSTANT(abi::Errno::NoData, XEN_ENODATA);
CHECK_CONSTANT(abi::Errno::Time, XEN_ETIME);
CHECK_CONSTANT(abi::Errno::BadMsg, XEN_EBADMSG);
CHECK_CONSTANT(abi::Errno::Overflow, XEN_EOVERFLOW);
CHECK_CONSTANT(abi::Errno::IlSeq, XEN_EILSEQ);
CHECK_CONSTANT(abi::Errno::Restart, ERESTART);
CHECK_CONSTANT(abi::Errno::NotSock, XEN_ENOTSOCK);
CHECK_CONSTANT(abi::Errno::MsgSize, XEN_EMSGSIZE);
CHECK_CONSTANT(abi::Errno::OpNotSupp, XEN_EOPNOTSUPP);
CHECK_CONSTANT(abi::Errno::AddrInUse, XEN_EADDRINUSE);
CHECK_CONSTANT(abi::Errno::AddrNotAvail, XEN_EADDRNOTAVAIL);
CHECK_CONSTANT(abi::Errno::NoBufs, XEN_ENOBUFS);
CHECK_CONSTANT(abi::Errno::IsConn, XEN_EISCONN);
CHECK_CONSTANT(abi::Errno::NotConn, XEN_ENOTCONN);
CHECK_CONSTANT(abi::Errno::TimedOut, XEN_ETIMEDOUT);
CHECK_CONSTANT(abi::Errno::ConnRefused, XEN_ECONNREFUSED);
static_assert(same_text(abi::errno_name(abi::Errno::Intr), "EINTR"));
static_assert(same_text(abi::errno_name(abi::Errno::Restart), "ERESTART"));
static_assert(same_text(abi::errno_name(static_cast<abi::Errno>(10000)), "E?"));

// ---- run-time checks ---------------------------------------------------------------------

TEST_CASE("abi::Errno has Xen's number and name for every error in Xen's errno.h") {
    for (const XenErrno& xen : kXenErrnos) {
        CAPTURE(xen.name);
        CHECK(same_text(abi::errno_name(static_cast<abi::Errno>(xen.value)), primary_errno_name(xen.name)));
    }
}

TEST_CASE("kXsdErrors lists XenStore's error strings in Xen's order") {
    for (std::size_t i = 0; i < abi::kXsdErrors.size(); ++i) {
        CAPTURE(i);
        CHECK(std::strcmp(abi::errno_name(abi::kXsdErrors[i]), xsd_errors[i].errstring) == 0);
        CHECK(static_cast<int>(abi::kXsdErrors[i]) == xsd_errors[i].errnum);
    }
}

TEST_CASE("a start_info laid out by Xen's struct reads back field by field through abi::StartInfo") {
    start_info_t xen{};
    std::strcpy(xen.magic, abi::kStartInfoMagic);
    xen.nr_pages = 0x4000;
    xen.shared_info = 0x12345000;
    xen.flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    xen.store_mfn = 0xabcde;
    xen.store_evtchn = 1;
    xen.console.domU.mfn = 0xbcdef;
    xen.console.domU.evtchn = 2;
    xen.pt_base = 0x7000;
    xen.nr_pt_frames = 6;
    xen.mfn_list = 0x5000;
    xen.mod_start = 0x9000;
    xen.mod_len = 777;
    std::strcpy(reinterpret_cast<char*>(xen.cmd_line), "console=hvc0");
    xen.first_p2m_pfn = 5;
    xen.nr_p2m_frames = 2;

    abi::StartInfo ours{};
    std::memcpy(&ours, &xen, sizeof(ours));

    CHECK(std::strcmp(ours.magic, "xen-3.0-x86_64") == 0);
    CHECK(ours.nr_pages == 0x4000);
    CHECK(ours.shared_info == 0x12345000);
    CHECK(ours.flags == (abi::kSifPrivileged | abi::kSifInitdomain));
    CHECK(ours.store_mfn == 0xabcde);
    CHECK(ours.store_evtchn == 1);
    CHECK(ours.console.domU.mfn == 0xbcdef);
    CHECK(ours.console.domU.evtchn == 2);
    CHECK(ours.pt_base == 0x7000);
    CHECK(ours.nr_pt_frames == 6);
    CHECK(ours.mfn_list == 0x5000);
    CHECK(ours.mod_start == 0x9000);
    CHECK(ours.mod_len == 777);
    CHECK(std::strcmp(reinterpret_cast<const char*>(ours.cmd_line), "console=hvc0") == 0);
    CHECK(ours.first_p2m_pfn == 5);
    CHECK(ours.nr_p2m_frames == 2);
}

TEST_CASE("event bits and vcpu time written through abi::SharedInfo appear where Xen's struct has them") {
    abi::SharedInfo ours{};
    ours.vcpu_info[3].evtchn_upcall_pending = 1;
    ours.vcpu_info[3].evtchn_upcall_mask = 1;
    ours.vcpu_info[3].evtchn_pending_sel = std::uint64_t{1} << 17;
    ours.vcpu_info[3].arch.cr2 = 0xdead000;
    ours.vcpu_info[3].time.version = 42;
    ours.vcpu_info[3].time.tsc_shift = -1;
    ours.vcpu_info[3].time.flags = abi::kPvclockTscStableBit;
    ours.evtchn_pending[17] = std::uint64_t{1} << 5;
    ours.evtchn_mask[63] = ~std::uint64_t{0};
    ours.wc_sec = 1700000000;
    ours.wc_sec_hi = 1;
    ours.arch.max_pfn = 0x8000;

    shared_info_t xen{};
    std::memcpy(&xen, &ours, sizeof(xen));

    CHECK(xen.vcpu_info[3].evtchn_upcall_pending == 1);
    CHECK(xen.vcpu_info[3].evtchn_upcall_mask == 1);
    CHECK(xen.vcpu_info[3].evtchn_pending_sel == (1ul << 17));
    CHECK(xen.vcpu_info[3].arch.cr2 == 0xdead000);
    CHECK(xen.vcpu_info[3].time.version == 42);
    CHECK(xen.vcpu_info[3].time.tsc_shift == -1);
    CHECK(xen.vcpu_info[3].time.flags == XEN_PVCLOCK_TSC_STABLE_BIT);
    CHECK(xen.evtchn_pending[17] == (1ul << 5));
    CHECK(xen.evtchn_mask[63] == ~0ul);
    CHECK(xen.wc_sec == 1700000000);
    CHECK(xen.wc_sec_hi == 1);
    CHECK(xen.arch.max_pfn == 0x8000);
}
