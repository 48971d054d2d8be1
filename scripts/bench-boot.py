#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot-time benchmark: the demo boot on Xenolith and on real Xen, under QEMU TCG (make bench).

What is booted: the `demo` test of tests/boot/foundation.toml (the images, module
strings and command lines of `make test`). Every timed boot must pass that test (its
lines and its outcome, judged by the grader), or the benchmark stops: a number from a
broken boot means nothing.

1. Wall time: N boots per hypervisor (default 10), one QEMU at a time, the hypervisors
   interleaved; seconds from starting QEMU to
   - the first guest line: the first `(d0) ` line on Xenolith; on real Xen the first
     line of dom0's own (unprefixed) output;
   - the end: QEMU's exit on Xenolith; on real Xen, which never exits QEMU, the
     `Hardware Dom0 halted` line (QEMU is then killed).
   This depends on the host and its load: reported as median [min-max].

2. Instructions, deterministic: boots under `-icount shift=0,sleep=off` with the
   real-time clock on virtual time (`-rtc clock=vm`, fixed date). There the virtual
   clock is the instruction count (1 instruction = 1 ns) and an idle vCPU jumps to the
   next timer deadline, so nothing depends on the host. QEMU starts paused; a breakpoint
   (QEMU's gdb stub) stops the vCPU at one point and QMP `query-replay` reads how many
   instructions it has executed since reset. The points:
   - hypervisor entry: the hypervisor's Multiboot entry (before it: SeaBIOS and QEMU's
     Multiboot option ROM);
   - guest entry: minios' `_start`, the guest's first instruction (minios-demo.elf is
     domain 0 on both hypervisors);
   - first console write: the guest enters its first console_io(CONSOLEIO_write)
     hypercall, which prints its first line (one hypercall per line);
   - shutdown request: the guest enters sched_op(SCHEDOP_shutdown).
   Guest points count only in ring 3, where a PV guest kernel runs; hypercalls are
   caught at their stub in the guest's hypercall page, which every hypercall goes
   through on both hypervisors.
   One boot per point: a stop is not free under icount (while the vCPU is stopped QEMU
   moves the virtual clock on to the next timer deadline, and what follows changes; one
   stop at Xen's entry makes its boot 50,000,000 instructions shorter). Each point is
   measured twice by default, in parallel; the counts must agree exactly.
   Busy-waits count in full (1 ms of polling a timer, as in a timer calibration, is
   1,000,000 instructions), a halted vCPU executes nothing:
   this is what the CPU executes, waiting included, not only useful work. Real Xen
   waits for the CMOS RTC's next second before it reads the date (xen/arch/x86/time.c:
   get_cmos_time); QEMU's RTC starts its first second with QEMU, so Xen polls until
   about 1 s after the start, in wall time as in virtual time (1,000,000,000
   instructions): most of Xen's numbers are that wait, not boot work.

exit codes: 0 done; 1 a boot failed its test, or counts of the same point differ;
2 usage error; 3 a boot timed out; 6 QEMU or an image is missing, or QEMU failed;
130 interrupted (143 SIGTERM, 129 SIGHUP); every QEMU is stopped first.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import pathlib
import socket
import struct
import subprocess
import sys
import tempfile
import threading

# Shared with the other benchmarks; it also puts the repository root on sys.path.
from benchlib import (EXIT_CANNOT_START, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, ICOUNT_ARGS, REPO,
                      BenchError, boot_argv, chosen_kinds, judged_boot, qemu_or_fail, signals_to_main_thread,
                      spread)

# The grader's own pieces:
from grader import cli, qemu, runner, spec  # noqa: E402
from grader.console import ConsoleLine, Source  # noqa: E402
from grader.process import StopReason  # noqa: E402
from grader.profiles import KINDS, XEN, XENOLITH  # noqa: E402

SPEC = REPO / "tests" / "boot" / "foundation.toml"
TEST = "demo"
RUN_TIMEOUT = 120.0   # seconds for one timed boot under TCG (the demo takes a few)
STOP_TIMEOUT = 300.0  # seconds for an icount boot to reach its breakpoint
FIRST_MEANS = {XENOLITH: "the first `(d0) ` line", XEN: "the first line of dom0's output"}
END_MEANS = {XENOLITH: "QEMU exits", XEN: "`Hardware Dom0 halted` (then QEMU is killed)"}
# Real Xen reads the date from the CMOS RTC at the start of a second: it polls the RTC's
# update-in-progress flag for up to 1 s first (xen/arch/x86/time.c: get_cmos_time).
# QEMU's RTC begins a second when QEMU starts, so that wait ends 1 s after the start
# (2 s if Xen reaches it late) in wall time, and at 1,000,000,000 instructions under icount.
XEN_RTC_NOTE = {
    "time": "  xen: waits for the CMOS RTC's next second before reading the date (xen/arch/x86/time.c:\n"
            "  get_cmos_time); QEMU's RTC starts a second with QEMU, so that is ~1 s after QEMU's start\n"
            "  (2 s when Xen gets there late): most of Xen's time to its first guest line is that wait",
    "count": "  xen: most of its count is that wait for the RTC's next second, which under icount comes\n"
             "  at virtual time 1 s = 1,000,000,000 instructions",
}

# ---------------------------------------------------------------- wall time

@dataclasses.dataclass(frozen=True)
class Timing:
    """One boot: seconds from QEMU's start to the first guest line and to the end."""

    first_line: float
    end: float
    first_text: str


def time_boot(test: spec.TestCase, argv: list[str]) -> Timing:
    """Boot once, judged like `make test`; raise BenchError unless the test passed."""
    first: list[tuple[float, str]] = []

    def watch(now: float, line: ConsoleLine) -> None:
        if not first and line.source is Source.GUEST and line.domain == 0 and line.text.strip():
            first.append((now, line.text))

    boot = judged_boot(test, argv, RUN_TIMEOUT, watch)
    if not first:
        raise BenchError(f"{test.id}: passed, but printed no line from domain 0")
    end_time = boot.end_line if boot.reason is StopReason.REQUESTED and boot.end_line is not None else boot.exited
    return Timing(first[0][0] - boot.started, end_time - boot.started, first[0][1])


# ---------------------------------------------------------------- where to stop

@dataclasses.dataclass(frozen=True)
class Stop:
    """A point of the boot where an icount run reads the instruction count."""

    label: str
    address: int
    ring: int | None = None  # the privilege level the vCPU must be at, if it matters
    rdi: int | None = None   # a hypercall's first argument (its sub-operation), if it must match

    def matches(self, ring: int, rdi: int) -> bool:
        return (self.ring is None or ring == self.ring) and (self.rdi is None or rdi == self.rdi)


STOP_LABELS = ("hypervisor entry", "guest entry", "first console write", "shutdown request")
# Hypercall stub n is at hypercall_page + 32 * n (xen/include/public/xen.h:
# __HYPERVISOR_console_io 18, __HYPERVISOR_sched_op 29; CONSOLEIO_write 0; sched.h:
# SCHEDOP_shutdown 2). A PV guest kernel runs in ring 3.
_STUB_SIZE = 32
_GUEST_RING = 3
_MULTIBOOT_MAGIC = 0x1BADB002
_MULTIBOOT_AOUT_KLUDGE = 1 << 16


def stops(hypervisor: pathlib.Path, guest: pathlib.Path) -> list[Stop]:
    """The STOP_LABELS points of a boot of `hypervisor` with the minios image `guest` as dom0."""
    symbols = elf_symbols(guest)
    missing = [name for name in ("_start", "hypercall_page") if name not in symbols]
    if missing:
        raise BenchError(f"{guest}: no symbol {', '.join(missing)} (is it a minios image?)")
    page = symbols["hypercall_page"]
    return [
        Stop(STOP_LABELS[0], multiboot_entry(hypervisor)),
        Stop(STOP_LABELS[1], symbols["_start"], _GUEST_RING),
        Stop(STOP_LABELS[2], page + 18 * _STUB_SIZE, _GUEST_RING, rdi=0),
        Stop(STOP_LABELS[3], page + 29 * _STUB_SIZE, _GUEST_RING, rdi=2),
    ]


def elf_symbols(path: pathlib.Path) -> dict[str, int]:
    """Name -> value of every symbol in the .symtab of a little-endian ELF64 file."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise BenchError(f"{path}: not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    symbols: dict[str, int] = {}
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 2:  # SHT_SYMTAB
            continue
        strings = sections[link][4]
        for at in range(offset, offset + size, entsize):
            name, _info, _other, _shndx, value, _size = struct.unpack_from("<IBBHQQ", data, at)
            symbols[data[strings + name:data.index(b"\0", strings + name)].decode()] = value
    return symbols


def multiboot_entry(path: pathlib.Path) -> int:
    """Where QEMU's Multiboot1 loader jumps: the header's entry_addr if it has the a.out
    kludge flag, else the ELF entry (Multiboot 0.6.96 section 3.1: the header is 4-byte
    aligned in the first 8 KiB)."""
    data = path.read_bytes()
    for at in range(0, min(len(data), 8192) - 32, 4):
        magic, flags, checksum = struct.unpack_from("<3I", data, at)
        if magic == _MULTIBOOT_MAGIC and (magic + flags + checksum) & 0xFFFFFFFF == 0:
            if flags & _MULTIBOOT_AOUT_KLUDGE:
                return struct.unpack_from("<I", data, at + 28)[0]
            break
    if data[:4] != b"\x7fELF":
        raise BenchError(f"{path}: neither an a.out-kludge Multiboot image nor ELF")
    return struct.unpack_from("<I" if data[4] == 1 else "<Q", data, 0x18)[0]


# ---------------------------------------------------------------- talking to QEMU

class GdbRemote:
    """Just enough of the gdb remote protocol to set a breakpoint, continue and step."""

    # The reply to `g` (all registers) from QEMU's x86-64 stub without XML descriptions:
    # rax rbx rcx rdx rsi rdi rbp rsp r8-r15 (8 bytes each), rip (8), eflags (4), cs (4)...
    _RDI_OFFSET = 5 * 8
    _CS_OFFSET = 16 * 8 + 8 + 4

    def __init__(self, connection: socket.socket) -> None:
        self._sock = connection
        self._pending = b""

    def command(self, payload: str) -> str:
        checksum = sum(payload.encode()) % 256
        self._sock.sendall(f"${payload}#{checksum:02x}".encode())
        while True:  # the reply packet, after any `+` acknowledgements
            start = self._pending.find(b"$")
            end = self._pending.find(b"#", start + 1) if start >= 0 else -1
            if end >= 0 and len(self._pending) >= end + 3:
                reply = self._pending[start + 1:end].decode()
                self._pending = self._pending[end + 3:]
                self._sock.sendall(b"+")
                return reply
            chunk = self._sock.recv(4096)
            if not chunk:
                raise BenchError("QEMU closed the gdb connection (did the boot end before the breakpoint?)")
            self._pending += chunk

    def breakpoint(self, address: int, insert: bool) -> None:
        reply = self.command(f"{'Z' if insert else 'z'}0,{address:x},1")
        if reply != "OK":
            raise BenchError(f"the gdb stub refused a breakpoint at {address:#x}: {reply!r}")

    def resume(self, step: bool = False) -> None:
        reply = self.command("s" if step else "c")
        if not reply.startswith(("T", "S")):
            raise BenchError(f"the vCPU did not stop at the breakpoint; the gdb stub said {reply!r}")

    def ring_and_rdi(self) -> tuple[int, int]:
        """The privilege level the vCPU runs at (CS's low bits), and RDI."""
        registers = bytes.fromhex(self.command("g"))
        if len(registers) < self._CS_OFFSET + 4:
            raise BenchError(f"the gdb stub sent {len(registers)} bytes of registers, too few")
        cs = int.from_bytes(registers[self._CS_OFFSET:self._CS_OFFSET + 4], "little")
        return cs & 3, int.from_bytes(registers[self._RDI_OFFSET:self._RDI_OFFSET + 8], "little")


class Qmp:
    """A QMP connection: one command at a time, events skipped."""

    def __init__(self, connection: socket.socket) -> None:
        self._file = connection.makefile("rw", encoding="utf-8")
        self._read()  # the greeting
        self.execute("qmp_capabilities")

    def _read(self) -> dict[str, object]:
        line = self._file.readline()
        if not line:
            raise BenchError("QEMU closed the QMP connection")
        return json.loads(line)

    def execute(self, command: str) -> object:
        self._file.write(json.dumps({"execute": command}) + "\n")
        self._file.flush()
        while True:
            answer = self._read()
            if "return" in answer:
                return answer["return"]
            if "error" in answer:
                raise BenchError(f"QMP {command}: {answer['error']}")


class LiveQemus:
    """The icount QEMUs running now: kill_all() stops them on any way out (Xen never exits)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen[bytes]] = set()
        self._stopped = False

    def start(self, argv: list[str], stderr: object, pass_fds: tuple[int, ...]) -> subprocess.Popen[bytes]:
        with self._lock:
            if self._stopped:
                raise BenchError("stopped")
            try:
                proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=stderr, pass_fds=pass_fds, start_new_session=True)
            except OSError as error:
                raise BenchError(f"cannot run {argv[0]}: {error.strerror or error}", EXIT_CANNOT_START) from None
            self._procs.add(proc)
            return proc

    def finish(self, proc: subprocess.Popen[bytes]) -> None:
        proc.kill()
        proc.wait()
        with self._lock:
            self._procs.discard(proc)

    def kill_all(self) -> None:
        with self._lock:
            self._stopped = True
            for proc in self._procs:
                proc.kill()


@dataclasses.dataclass(frozen=True)
class Count:
    """Instructions executed from reset to a stop, and how many other stops came first."""

    instructions: int
    extra_stops: int  # hits of the address that did not match (each perturbs the count)


def count_instructions(argv: list[str], stop: Stop, live: LiveQemus) -> Count:
    """Boot under icount, paused at reset, run to `stop` and read the instruction count."""
    # Listening sockets bound here and handed to QEMU: free ports, nobody can take them.
    gdb_listener = socket.create_server(("127.0.0.1", 0))
    qmp_listener = socket.socket(socket.AF_UNIX)
    qmp_listener.bind("")  # an autobound abstract address
    qmp_listener.listen(1)
    with tempfile.TemporaryDirectory(prefix="xenolith-bench-") as work, \
            open(pathlib.Path(work) / "stderr", "w+b") as stderr:
        serial = pathlib.Path(work) / "serial"
        argv = list(argv)
        argv[argv.index("-serial") + 1] = f"file:{serial}"
        argv += ICOUNT_ARGS + [
            "-S",
            "-chardev", f"socket,id=gdbstub,fd={gdb_listener.fileno()},server=on,wait=off",
            "-gdb", "chardev:gdbstub",
            "-chardev", f"socket,id=qmp,fd={qmp_listener.fileno()},server=on,wait=off",
            "-qmp", "chardev:qmp",
        ]
        with gdb_listener, qmp_listener:
            proc = live.start(argv, stderr, (gdb_listener.fileno(), qmp_listener.fileno()))
            addresses = gdb_listener.getsockname(), qmp_listener.getsockname()
        try:
            return _run_to(stop, *addresses)
        except (BenchError, OSError) as error:
            stderr.seek(0)
            said = stderr.read().decode(errors="replace").splitlines()[-3:]
            tail = serial.read_text(errors="replace").splitlines()[-5:] if serial.exists() else []
            raise BenchError(f"icount boot to `{stop.label}`: {error}"
                             + "".join(f"\n  QEMU: {line}" for line in said)
                             + "".join(f"\n  console: {line}" for line in tail)) from None
        finally:
            live.finish(proc)


def _run_to(stop: Stop, gdb_address: object, qmp_address: object) -> Count:
    with socket.create_connection(gdb_address, timeout=STOP_TIMEOUT) as gdb_socket, \
            socket.socket(socket.AF_UNIX) as qmp_socket:
        qmp_socket.settimeout(STOP_TIMEOUT)
        qmp_socket.connect(qmp_address)
        qmp, gdb = Qmp(qmp_socket), GdbRemote(gdb_socket)
        gdb.breakpoint(stop.address, insert=True)
        gdb.resume()
        extra = 0
        while not stop.matches(*gdb.ring_and_rdi()):
            extra += 1  # the address in another ring, or another sub-operation: step past it
            gdb.breakpoint(stop.address, insert=False)
            gdb.resume(step=True)
            gdb.breakpoint(stop.address, insert=True)
            gdb.resume()
        replay = qmp.execute("query-replay")
        assert isinstance(replay, dict)
        return Count(int(replay["icount"]), extra)


# ---------------------------------------------------------------- report

def print_times(kinds: list[str], runs: int, timings: dict[str, list[Timing]]) -> None:
    print(f"Wall time under QEMU TCG, {runs} boot{'s' if runs > 1 else ''} each: "
          "seconds from QEMU's start, median [min-max]")
    print(f"{'hypervisor':<11} {'first guest line':<22} {'end':<22} end means")
    for kind in kinds:
        rows = timings[kind]
        print(f"{kind:<11} {spread([t.first_line for t in rows], width=6):<22} "
              f"{spread([t.end for t in rows], width=6):<22} {END_MEANS[kind]}")
    for kind in kinds:
        texts = ", ".join(f"`{text}`" for text in sorted({t.first_text for t in timings[kind]}))
        print(f"  {kind}: the first guest line is {FIRST_MEANS[kind]}: {texts}")
    if XEN in kinds:
        print(XEN_RTC_NOTE["time"])


def print_counts(kinds: list[str], counts: dict[tuple[str, int], list[Count]]) -> bool:
    """The instruction table; False if two boots to the same point disagree."""
    repeats = len(next(iter(counts.values())))
    print(f"\nInstructions executed since reset (QEMU -icount shift=0,sleep=off, one boot per "
          f"point{f', {repeats} boots each' if repeats > 1 else ''})")
    print(f"{'hypervisor':<11}" + "".join(f"{label:>21}" for label in STOP_LABELS))
    agree = True
    notes = []
    for kind in kinds:
        cells = []
        for index, label in enumerate(STOP_LABELS):
            results = counts[(kind, index)]
            values = sorted({c.instructions for c in results})
            agree = agree and len(values) == 1
            cells.append(f"{values[0]:,}" if len(values) == 1 else "differ")
            if len(values) > 1:
                notes.append(f"  {kind} {label}: the boots counted " + ", ".join(f"{v:,}" for v in values))
            if any(c.extra_stops for c in results):
                cells[-1] += "*"
                notes.append(f"  * {kind} {label}: the vCPU also stopped at that address "
                             f"{max(c.extra_stops for c in results)} time(s) before, which perturbs the count")
        print(f"{kind:<11}" + "".join(f"{cell:>21}" for cell in cells))
    print("\n".join(notes + [
        "  to the hypervisor's Multiboot entry (before it: firmware), the guest's first instruction,",
        "  its first console_io(CONSOLEIO_write) hypercall, and its sched_op(SCHEDOP_shutdown) hypercall;",
        "  busy-waits count in full (1 ms of polling = 1,000,000 instructions)"]
        + ([XEN_RTC_NOTE["count"]] if XEN in kinds else [])))
    if repeats > 1:
        print("  every point: the same count in each boot" if agree else "  NOT DETERMINISTIC: counts differ")
    return agree


# ---------------------------------------------------------------- command line

def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/bench-boot.py", description=__doc__.split("\n", 1)[0],
        epilog=__doc__.split("\n", 2)[2], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", type=pathlib.Path, required=True, metavar="DIR",
                        help="the CMake build folder, e.g. build/debug")
    parser.add_argument("--images-dir", type=pathlib.Path, metavar="DIR",
                        help="where the images are (default: DIR/images)")
    parser.add_argument("--runs", type=int, default=10, metavar="N",
                        help="timed boots per hypervisor (default: 10)")
    parser.add_argument("--hypervisor", choices=(*KINDS, "both"),
                        help="what to boot (default: both if the Xen image is there, else xenolith; "
                             "scripts/fetch-xen BUILD_DIR downloads it)")
    parser.add_argument("--icount-runs", type=int, default=2, metavar="N",
                        help="icount boots per point and hypervisor, 0 to skip (default: 2)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="icount boots at a time (default: the number of CPUs); "
                             "timed boots always run one at a time")
    parser.add_argument("--qemu", metavar="PATH",
                        help=f"the QEMU binary (default: ${qemu.QEMU_ENV} or {qemu.DEFAULT_QEMU})")
    args = parser.parse_args()
    if args.runs < 1 or args.icount_runs < 0 or args.jobs < 1:
        parser.error("--runs and --jobs must be at least 1, --icount-runs at least 0")
    return args


def chosen_tests(choice: str | None, images: pathlib.Path) -> list[spec.TestCase]:
    tests = {t.kind: t for t in spec.select(spec.load(SPEC), names=[TEST])}
    return [tests[kind] for kind in chosen_kinds(choice, images, tests[XEN].hypervisor_image)]


def timed_boots(tests: list[spec.TestCase], argvs: dict[str, list[str]], runs: int) -> dict[str, list[Timing]]:
    timings: dict[str, list[Timing]] = {test.kind: [] for test in tests}
    for run in range(1, runs + 1):
        for test in tests:  # interleaved: a change in the host's load hits both alike
            timing = time_boot(test, argvs[test.kind])
            timings[test.kind].append(timing)
            print(f"bench: boot {run}/{runs} {test.kind:<9} first guest line {timing.first_line:6.3f} s, "
                  f"end {timing.end:6.3f} s", file=sys.stderr)
    return timings


def icount_boots(tests: list[spec.TestCase], argvs: dict[str, list[str]], images: pathlib.Path,
                 repeats: int, jobs: int) -> dict[tuple[str, int], list[Count]]:
    work = []
    for test in tests:
        image = runner.boot_image(test, images)
        assert image.kernel is not None
        points = stops(image.kernel, image.modules[0].path)
        work += [(test.kind, index, stop) for index, stop in enumerate(points) for _ in range(repeats)]
    counts: dict[tuple[str, int], list[Count]] = {(kind, index): [] for kind, index, _ in work}
    live = LiveQemus()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs, initializer=signals_to_main_thread)
    try:
        futures = {pool.submit(count_instructions, argvs[kind], stop, live): (kind, index, stop)
                   for kind, index, stop in work}
        for future in concurrent.futures.as_completed(futures):
            kind, index, stop = futures[future]
            count = future.result()
            counts[(kind, index)].append(count)
            print(f"bench: icount boot {kind:<9} {stop.label:<20} {count.instructions:>15,}", file=sys.stderr)
    finally:
        live.kill_all()
        pool.shutdown(wait=True, cancel_futures=True)
    return counts


def main() -> int:
    args = parse_arguments()
    cli.stop_on_signals()  # SIGTERM and SIGHUP unwind like Ctrl-C: every QEMU is stopped
    images: pathlib.Path = args.images_dir or args.build_dir / "images"
    try:
        binary = qemu_or_fail(args.qemu)
        tests = chosen_tests(args.hypervisor, images)
        argvs = {test.kind: boot_argv(test, images, binary) for test in tests}
        timings = timed_boots(tests, argvs, args.runs)
        counts = icount_boots(tests, argvs, images, args.icount_runs, args.jobs) if args.icount_runs else {}
    except spec.SpecError as error:
        print(f"bench: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    kinds = [test.kind for test in tests]
    print()
    print_times(kinds, args.runs, timings)
    agree = print_counts(kinds, counts) if counts else True
    return 0 if agree else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
