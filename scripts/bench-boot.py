#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot-time benchmark: the demo boot on Xenolith and on real Xen, under QEMU TCG (make bench).

What is booted: the `demo` test of tests/boot/foundation.toml (the same images, module
strings and command lines as `make test`), once per run, one QEMU at a time. Every run
must pass that test (its lines and outcome, judged by the grader), or the benchmark
stops: a number from a broken boot means nothing.

1. Wall time, N runs per hypervisor (default 10, interleaved), seconds from starting
   QEMU to
   - the first guest line: the first `(d0) ` line on Xenolith; on real Xen the first
     line of dom0's own (unprefixed) output;
   - the end of the run: QEMU's exit on Xenolith; on real Xen, which never exits QEMU,
     the `Hardware Dom0 halted` line (QEMU is then killed).
   It depends on the host and on its load; it is reported as median [min-max].

2. Instructions, deterministic: one more boot per hypervisor (default 2, to show that
   they agree) under `-icount shift=0,sleep=off` with the real-time clock on virtual
   time (`-rtc clock=vm`, fixed date). There the vCPU's virtual clock is its instruction
   count (1 instruction = 1 ns) and an idle vCPU jumps to the next timer deadline, so
   the boot no longer depends on the host. QEMU's gdb stub stops the vCPU at breakpoints
   on the guest's own symbols (minios is domain 0 on both hypervisors; only stops in
   ring 3, the PV guest kernel's ring, count), and QMP `query-replay` reads the number
   of instructions executed since reset:
   - guest entry: minios' `_start`, the first guest instruction;
   - first console write: minios' first call of `console_write` (one call per line; the
     first guest line is on the console a few hundred instructions later);
   - shutdown request: minios' call of `shutdown` (SCHEDOP_shutdown).
   The count includes the firmware (SeaBIOS, QEMU's Multiboot option ROM) and every
   instruction of the busy-wait loops (e.g. timer calibration against the PIT), which
   under icount take a fixed number of instructions; a halted vCPU executes none.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The grader's own pieces (needs the repository root on sys.path):
from grader import qemu, runner, spec  # noqa: E402
from grader.console import Classifier, Source  # noqa: E402
from grader.matcher import LineChecker  # noqa: E402
from grader.monitor import Monitor  # noqa: E402
from grader.process import LaunchError, StopReason, run_session  # noqa: E402
from grader.profiles import KINDS, XEN, XENOLITH  # noqa: E402
from grader.verdict import Verdict  # noqa: E402

SPEC = REPO / "tests" / "boot" / "foundation.toml"
TEST = "demo"
RUN_TIMEOUT = 120.0   # seconds for one boot under TCG; the demo takes a few
STOP_TIMEOUT = 300.0  # seconds for an icount boot to reach the next breakpoint
ICOUNT_ARGS = ["-icount", "shift=0,sleep=off", "-rtc", "base=2024-01-01T00:00:00,clock=vm"]
# (label, minios symbol) where the icount boot stops, in the order the guest reaches them.
STOPS = (
    ("guest entry", "_start"),
    ("first console write", "_ZN6minios13console_writeEPKcm"),   # minios::console_write
    ("shutdown request", "_ZN6minios8shutdownEN3abi14ShutdownReasonE"),  # minios::shutdown
)
END_DESCRIPTION = {XENOLITH: "QEMU exits", XEN: "`Hardware Dom0 halted` (then QEMU is killed)"}
FIRST_DESCRIPTION = {XENOLITH: "first `(d0) ` line", XEN: "first line of dom0's output"}

EXIT_FAILED = 1         # a boot did not pass its test, or icount boots disagreed
EXIT_USAGE = 2
EXIT_TIMEOUT = 3
EXIT_CANNOT_START = 6   # the grader's code: no QEMU, a missing image, a QEMU error


class BenchError(Exception):
    """The benchmark cannot go on; carries the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- wall time

@dataclasses.dataclass(frozen=True)
class Timing:
    """One boot: seconds from QEMU's start to the first guest line and to the end."""

    first_line: float
    end: float
    first_text: str


def time_boot(test: spec.TestCase, argv: list[str]) -> Timing:
    """Boot once, judged like `make test`; raise BenchError unless the test passed."""
    # End the run at the end line itself (no grace period), so that it is timed there.
    test = dataclasses.replace(test, profile=dataclasses.replace(test.profile, end_grace=0.0))
    monitor = Monitor(test.profile, LineChecker(list(test.expect), list(test.forbid), test.ordered))
    classifier = Classifier(test.profile)
    seen: dict[str, tuple[float, str]] = {}

    def on_line(raw: str) -> float | None:
        now = time.monotonic()
        line = classifier.classify(raw)
        if "first" not in seen and line.source is Source.GUEST and line.domain == 0 and line.text.strip():
            seen["first"] = (now, line.text)
        grace = monitor.on_line(raw)
        if grace is not None and "end" not in seen:
            seen["end"] = (now, line.text)
        return grace

    started = time.monotonic()
    try:
        end = run_session(argv, RUN_TIMEOUT, on_line)
    except LaunchError as error:
        raise BenchError(str(error), EXIT_CANNOT_START) from None
    exited = time.monotonic()
    verdict, message, _ = runner.judge(test, monitor, end, RUN_TIMEOUT)
    if verdict is not Verdict.PASSED:
        code = {Verdict.TIMEOUT: EXIT_TIMEOUT, Verdict.QEMU_COULD_NOT_START: EXIT_CANNOT_START}
        raise BenchError(f"{test.id}: {verdict.value}: {message}", code.get(verdict, EXIT_FAILED))
    if "first" not in seen:
        raise BenchError(f"{test.id}: no line from domain 0")
    end_time = seen["end"][0] if end.reason is StopReason.REQUESTED else exited
    return Timing(seen["first"][0] - started, end_time - started, seen["first"][1])


# ---------------------------------------------------------------- instruction counts

def elf_symbols(path: pathlib.Path) -> dict[str, int]:
    """Name -> value of every symbol in an ELF64 little-endian file's .symtab."""
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
        strtab_offset = sections[link][4]
        for at in range(offset, offset + size, entsize):
            name_offset, _info, _other, _shndx, value, _size = struct.unpack_from("<IBBHQQ", data, at)
            end = data.index(b"\0", strtab_offset + name_offset)
            symbols[data[strtab_offset + name_offset:end].decode()] = value
    return symbols


class GdbRemote:
    """Just enough of the gdb remote protocol to set breakpoints and continue."""

    _CS = 0x12  # QEMU's x86-64 register numbering: 16 rip, 17 eflags, 18 cs

    def __init__(self, connection: socket.socket) -> None:
        self._sock = connection
        self._pending = b""
        # QEMU answers `p` (read one register) only to a client that takes its XML
        # register descriptions, as gdb itself does.
        self.command("qSupported:xmlRegisters=i386")

    def command(self, payload: str) -> str:
        checksum = sum(payload.encode()) % 256
        self._sock.sendall(f"${payload}#{checksum:02x}".encode())
        return self._reply()

    def _reply(self) -> str:
        """The next packet (acks before it skipped); acknowledges it."""
        while True:
            start = self._pending.find(b"$")
            end = self._pending.find(b"#", start + 1) if start >= 0 else -1
            if end >= 0 and len(self._pending) >= end + 3:
                packet = self._pending[start + 1:end].decode()
                self._pending = self._pending[end + 3:]
                self._sock.sendall(b"+")
                return packet
            chunk = self._sock.recv(4096)
            if not chunk:
                raise BenchError("QEMU closed the gdb connection (did it exit?)")
            self._pending += chunk

    def set_breakpoint(self, address: int, on: bool) -> None:
        reply = self.command(f"{'Z' if on else 'z'}0,{address:x},1")
        if reply != "OK":
            raise BenchError(f"gdb stub refused a breakpoint at {address:#x}: {reply!r}")

    def continue_to_stop(self) -> None:
        reply = self.command("c")
        if not reply.startswith(("T", "S")):
            raise BenchError(f"the guest did not stop at a breakpoint; gdb stub said {reply!r}")

    def step(self) -> None:
        self.command("s")

    def ring(self) -> int:
        """The privilege level the vCPU runs at: CS's requested privilege level."""
        reply = self.command(f"p{self._CS:x}")
        if not reply or reply.startswith("E"):
            raise BenchError(f"gdb stub cannot read CS: {reply!r}")
        return int.from_bytes(bytes.fromhex(reply), "little") & 3


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


def listening_socket(family: int, address: object) -> socket.socket:
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(1)
    return listener


def count_instructions(test: spec.TestCase, argv: list[str], guest: pathlib.Path) -> list[int]:
    """Instructions executed from reset to each of STOPS, in one icount boot."""
    symbols = elf_symbols(guest)
    missing = [name for _, name in STOPS if name not in symbols]
    if missing:
        raise BenchError(f"{guest}: no symbol {', '.join(missing)} (is it a minios image?)")
    # Listening sockets bound here and handed to QEMU: free ports, no race for them.
    gdb_listener = listening_socket(socket.AF_INET, ("127.0.0.1", 0))
    qmp_listener = listening_socket(socket.AF_UNIX, "")  # an autobound abstract address
    with tempfile.TemporaryDirectory(prefix="xenolith-bench-") as work:
        serial = pathlib.Path(work) / "serial.log"
        argv = list(argv)
        argv[argv.index("-serial") + 1] = f"file:{serial}"
        argv += ICOUNT_ARGS + [
            "-S",
            "-chardev", f"socket,id=gdbstub,fd={gdb_listener.fileno()},server=on,wait=off",
            "-gdb", "chardev:gdbstub",
            "-chardev", f"socket,id=qmp,fd={qmp_listener.fileno()},server=on,wait=off",
            "-qmp", "chardev:qmp",
        ]
        with open(pathlib.Path(work) / "stderr.log", "w+b") as stderr:
            try:
                proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=stderr, start_new_session=True,
                                        pass_fds=(gdb_listener.fileno(), qmp_listener.fileno()))
            except OSError as error:
                raise BenchError(f"cannot run {argv[0]}: {error.strerror or error}", EXIT_CANNOT_START) from None
            try:
                gdb_address, qmp_address = gdb_listener.getsockname(), qmp_listener.getsockname()
                gdb_listener.close()
                qmp_listener.close()
                return _stop_and_count(gdb_address, qmp_address, [symbols[name] for _, name in STOPS])
            except (BenchError, OSError) as error:
                stderr.seek(0)
                said = stderr.read().decode(errors="replace").strip()
                tail = serial.read_text(errors="replace").splitlines()[-5:] if serial.exists() else []
                detail = "".join(f"\n  QEMU: {line}" for line in said.splitlines()[-3:])
                detail += "".join(f"\n  console: {line}" for line in tail)
                raise BenchError(f"{test.id} under icount: {error}{detail}") from None
            finally:
                proc.kill()
                proc.wait()


def _stop_and_count(gdb_address: object, qmp_address: object, addresses: list[int]) -> list[int]:
    counts = []
    with socket.create_connection(gdb_address, timeout=STOP_TIMEOUT) as gdb_socket, \
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as qmp_socket:
        qmp_socket.settimeout(STOP_TIMEOUT)
        qmp_socket.connect(qmp_address)
        qmp, gdb = Qmp(qmp_socket), GdbRemote(gdb_socket)
        for address in addresses:
            gdb.set_breakpoint(address, True)
            gdb.continue_to_stop()
            while gdb.ring() != 3:  # the same address in the hypervisor or firmware
                gdb.set_breakpoint(address, False)
                gdb.step()
                gdb.set_breakpoint(address, True)
                gdb.continue_to_stop()
            gdb.set_breakpoint(address, False)
            replay = qmp.execute("query-replay")
            assert isinstance(replay, dict)
            counts.append(int(replay["icount"]))
    return counts


# ---------------------------------------------------------------- report

def spread(values: list[float]) -> str:
    return f"{statistics.median(values):7.3f} [{min(values):.3f}-{max(values):.3f}]"


def print_report(kinds: list[str], runs: int, timings: dict[str, list[Timing]],
                 counts: dict[str, list[list[int]]]) -> bool:
    """The tables; returns False if the icount boots of some hypervisor disagreed."""
    print(f"\nWall time under QEMU TCG, {runs} runs each: seconds from QEMU's start, median [min-max]")
    print(f"{'hypervisor':<11} {'first guest line':<24} {'end of run':<24} end means")
    for kind in kinds:
        rows = timings[kind]
        print(f"{kind:<11} {spread([t.first_line for t in rows]):<24} {spread([t.end for t in rows]):<24} "
              f"{END_DESCRIPTION[kind]}")
    for kind in kinds:
        texts = sorted({t.first_text for t in timings[kind]})
        print(f"  {kind}: {FIRST_DESCRIPTION[kind]} was " + ", ".join(f"`{text}`" for text in texts))
    if not counts:
        return True
    repeats = len(next(iter(counts.values())))
    print(f"\nInstructions executed since reset (QEMU -icount shift=0,sleep=off; deterministic, "
          f"{repeats} boot{'s' if repeats > 1 else ''} each)")
    print(f"{'hypervisor':<11} " + " ".join(f"{label:>20}" for label, _ in STOPS))
    agree = True
    for kind in kinds:
        first = counts[kind][0]
        print(f"{kind:<11} " + " ".join(f"{n:>20,}" for n in first))
        for other in counts[kind][1:]:
            if other != first:
                agree = False
                print(f"{'  differs:':<11} " + " ".join(f"{n:>20,}" for n in other))
    print("  counted by the vCPU from reset, firmware included, to minios' _start, its first\n"
          "  console_write call and its shutdown call (breakpoints through QEMU's gdb stub,\n"
          "  ring 3 only; the count is read with QMP query-replay)")
    if repeats > 1:
        print("  the boots agree exactly" if agree else "  the boots DISAGREE: not deterministic")
    return agree


# ---------------------------------------------------------------- command line

def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/bench-boot.py", description=__doc__.split("\n", 1)[0],
        epilog=__doc__.split("\n", 2)[2] + "\nexit codes: 0 done; 1 a boot failed its test or icount "
        "boots disagreed;\n2 usage error; 3 a boot timed out; 6 QEMU or an image is missing, or QEMU failed.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
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
                        help="deterministic (icount) boots per hypervisor, 0 to skip (default: 2)")
    parser.add_argument("--qemu", metavar="PATH",
                        help=f"the QEMU binary (default: ${qemu.QEMU_ENV} or {qemu.DEFAULT_QEMU})")
    args = parser.parse_args()
    if args.runs < 1 or args.icount_runs < 0:
        parser.error("--runs must be at least 1 and --icount-runs at least 0")
    return args


def chosen_tests(args: argparse.Namespace, images: pathlib.Path) -> list[spec.TestCase]:
    tests = {t.kind: t for t in spec.select(spec.load(SPEC), names=[TEST])}
    if args.hypervisor is None:
        has_xen = (images / tests[XEN].hypervisor_image).is_file()
        if not has_xen:
            print(f"bench: no {images / tests[XEN].hypervisor_image}, timing Xenolith only "
                  "(scripts/fetch-xen downloads Xen)", file=sys.stderr)
        kinds = list(KINDS) if has_xen else [XENOLITH]
    else:
        kinds = list(KINDS) if args.hypervisor == "both" else [args.hypervisor]
    return [tests[kind] for kind in kinds]


def main() -> int:
    args = parse_arguments()
    images: pathlib.Path = args.images_dir or args.build_dir / "images"
    binary = qemu.resolve_binary(qemu.qemu_binary(args.qemu))
    if binary is None:
        print(f"bench: QEMU binary `{qemu.qemu_binary(args.qemu)}` not found", file=sys.stderr)
        return EXIT_CANNOT_START
    try:
        tests = chosen_tests(args, images)
        argvs = {}
        for test in tests:
            image = runner.boot_image(test, images)
            for what, file in image.files():
                if not file.is_file():
                    raise BenchError(f"{what} not found: {file}", EXIT_CANNOT_START)
            argvs[test.kind] = qemu.build_command(binary, "tcg", image)
        kinds = [test.kind for test in tests]
        timings: dict[str, list[Timing]] = {kind: [] for kind in kinds}
        for run in range(1, args.runs + 1):
            for test in tests:  # interleaved, so that a change in the host's load hits both
                timing = time_boot(test, argvs[test.kind])
                timings[test.kind].append(timing)
                print(f"bench: run {run}/{args.runs} {test.kind:<9} first guest line {timing.first_line:6.3f} s, "
                      f"end {timing.end:6.3f} s", file=sys.stderr)
        counts: dict[str, list[list[int]]] = {}
        for test in tests:
            guest = runner.boot_image(test, images).modules[0].path
            for run in range(1, args.icount_runs + 1):
                counts.setdefault(test.kind, []).append(count_instructions(test, argvs[test.kind], guest))
                print(f"bench: icount boot {run}/{args.icount_runs} {test.kind}: "
                      + ", ".join(f"{n:,}" for n in counts[test.kind][-1]), file=sys.stderr)
    except (BenchError, spec.SpecError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return error.code if isinstance(error, BenchError) else EXIT_USAGE
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    return 0 if print_report(kinds, args.runs, timings, counts) else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
