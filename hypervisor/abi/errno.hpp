// SPDX-License-Identifier: MIT
// Xen's error numbers: what a hypercall returns, negated, in RAX.
#pragma once

namespace abi {

/// An error number as Xen defines it (xen/include/public/errno.h). A failed hypercall
/// returns the negated value; the numbers equal Linux's on x86 for every entry.
enum class Errno : int {
    Perm = 1,            // EPERM / XEN_EPERM
    NoEnt = 2,           // ENOENT
    Srch = 3,            // ESRCH
    Intr = 4,            // EINTR (Xen-internal: never returned to a guest)
    Io = 5,              // EIO
    NxIo = 6,            // ENXIO
    TooBig = 7,          // E2BIG
    NoExec = 8,          // ENOEXEC
    BadF = 9,            // EBADF
    Child = 10,          // ECHILD
    Again = 11,          // EAGAIN
    WouldBlock = 11,     // EWOULDBLOCK (alias of EAGAIN)
    NoMem = 12,          // ENOMEM
    Acces = 13,          // EACCES
    Fault = 14,          // EFAULT
    Busy = 16,           // EBUSY
    Exist = 17,          // EEXIST
    XDev = 18,           // EXDEV
    NoDev = 19,          // ENODEV
    NotDir = 20,         // ENOTDIR
    IsDir = 21,          // EISDIR
    Inval = 22,          // EINVAL
    NFile = 23,          // ENFILE
    MFile = 24,          // EMFILE
    NoSpc = 28,          // ENOSPC
    RoFs = 30,           // EROFS
    MLink = 31,          // EMLINK
    Dom = 33,            // EDOM
    Range = 34,          // ERANGE
    DeadLk = 35,         // EDEADLK
    DeadLock = 35,       // EDEADLOCK (alias of EDEADLK)
    NameTooLong = 36,    // ENAMETOOLONG
    NoLck = 37,          // ENOLCK
    NoSys = 38,          // ENOSYS
    NotEmpty = 39,       // ENOTEMPTY
    NoData = 61,         // ENODATA
    Time = 62,           // ETIME
    BadMsg = 74,         // EBADMSG
    Overflow = 75,       // EOVERFLOW
    IlSeq = 84,          // EILSEQ
    Restart = 85,        // ERESTART (Xen-internal: becomes a continuation, never seen by a guest)
    NotSock = 88,        // ENOTSOCK
    MsgSize = 90,        // EMSGSIZE
    OpNotSupp = 95,      // EOPNOTSUPP
    AddrInUse = 98,      // EADDRINUSE
    AddrNotAvail = 99,   // EADDRNOTAVAIL
    NoBufs = 105,        // ENOBUFS
    IsConn = 106,        // EISCONN
    NotConn = 107,       // ENOTCONN
    TimedOut = 110,      // ETIMEDOUT
    ConnRefused = 111,   // ECONNREFUSED
};

/// The C name of an error ("EINVAL"), as printed in logs and as sent on the XenStore
/// wire in XS_ERROR replies. Aliases answer with the primary name ("EAGAIN").
/// @retval "E?" for a number that is not in Xen's list.
constexpr const char* errno_name(Errno error) {
    switch (error) {
    case Errno::Perm: return "EPERM";
    case Errno::NoEnt: return "ENOENT";
    case Errno::Srch: return "ESRCH";
    case Errno::Intr: return "EINTR";
    case Errno::Io: return "EIO";
    case Errno::NxIo: return "ENXIO";
    case Errno::TooBig: return "E2BIG";
    case Errno::NoExec: return "ENOEXEC";
    case Errno::BadF: return "EBADF";
    case Errno::Child: return "ECHILD";
    case Errno::Again: return "EAGAIN";
    case Errno::NoMem: return "ENOMEM";
    case Errno::Acces: return "EACCES";
    case Errno::Fault: return "EFAULT";
    case Errno::Busy: return "EBUSY";
    case Errno::Exist: return "EEXIST";
    case Errno::XDev: return "EXDEV";
    case Errno::NoDev: return "ENODEV";
    case Errno::NotDir: return "ENOTDIR";
    case Errno::IsDir: return "EISDIR";
    case Errno::Inval: return "EINVAL";
    case Errno::NFile: return "ENFILE";
    case Errno::MFile: return "EMFILE";
    case Errno::NoSpc: return "ENOSPC";
    case Errno::RoFs: return "EROFS";
    case Errno::MLink: return "EMLINK";
    case Errno::Dom: return "EDOM";
    case Errno::Range: return "ERANGE";
    case Errno::DeadLk: return "EDEADLK";
    case Errno::NameTooLong: return "ENAMETOOLONG";
    case Errno::NoLck: return "ENOLCK";
    case Errno::NoSys: return "ENOSYS";
    case Errno::NotEmpty: return "ENOTEMPTY";
    case Errno::NoData: return "ENODATA";
    case Errno::Time: return "ETIME";
    case Errno::BadMsg: return "EBADMSG";
    case Errno::Overflow: return "EOVERFLOW";
    case Errno::IlSeq: return "EILSEQ";
    case Errno::Restart: return "ERESTART";
    case Errno::NotSock: return "ENOTSOCK";
    case Errno::MsgSize: return "EMSGSIZE";
    case Errno::OpNotSupp: return "EOPNOTSUPP";
    case Errno::AddrInUse: return "EADDRINUSE";
    case Errno::AddrNotAvail: return "EADDRNOTAVAIL";
    case Errno::NoBufs: return "ENOBUFS";
    case Errno::IsConn: return "EISCONN";
    case Errno::NotConn: return "ENOTCONN";
    case Errno::TimedOut: return "ETIMEDOUT";
    case Errno::ConnRefused: return "ECONNREFUSED";
    }
    return "E?";
}

}  // namespace abi
