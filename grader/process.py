# SPDX-License-Identifier: MIT
"""Running QEMU: start it in its own process group, stream its console, always kill it.

Every QEMU started here is in the registry until it has been reaped, so that Ctrl-C,
a timeout or the end of the program kills its whole process group and no QEMU is ever
left behind. Output is read with a selector; the process's exit is seen through a
pidfd, so nothing polls or sleeps. Input for the serial port, when a test types some,
is written to QEMU's stdin through the same selector, as soon as a console line has
made it due (see serial_input.py).
"""

from __future__ import annotations

import atexit
import dataclasses
import enum
import os
import selectors
import signal
import subprocess
import threading
import time
from typing import Callable

from grader.console import LineSplitter

# Called with each complete console line; may return a number of seconds after which
# the run should be stopped (an end marker was seen), or None to go on.
LineHandler = Callable[[str], float | None]
BytesHandler = Callable[[bytes], None]
# Called after each console line: the bytes now due for QEMU's serial input (b"" if none).
InputSource = Callable[[], bytes]

_READ_SIZE = 65536
_STDERR_LIMIT = 64 * 1024
_GENTLE_STOP_SECONDS = 3.0
_DRAIN_SECONDS = 2.0


class LaunchError(Exception):
    """QEMU could not be started at all."""


class StopReason(enum.Enum):
    """Why a session ended."""

    EXITED = "exited"        # QEMU exited by itself
    TIMEOUT = "timeout"      # the time limit passed
    REQUESTED = "requested"  # the line handler asked to stop (an end marker)
    CANCELLED = "cancelled"  # Ctrl-C or another cancellation of the whole run


@dataclasses.dataclass(frozen=True)
class SessionEnd:
    """How a QEMU session ended."""

    reason: StopReason
    status: int | None  # QEMU's exit status when reason is EXITED
    stderr: str
    seconds: float


class Registry:
    """The QEMU processes alive right now; cancel() kills them all and refuses new ones."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: set[subprocess.Popen[bytes]] = set()
        self.cancelled = False

    def start(self, argv: list[str], interactive: bool, piped_input: bool = False) -> subprocess.Popen[bytes]:
        """Start argv in a new process group.

        Its stdin is the terminal if interactive, a pipe if piped_input, else /dev/null.
        """
        stdin = None if interactive else subprocess.PIPE if piped_input else subprocess.DEVNULL
        with self._lock:
            if self.cancelled:
                raise LaunchError("the run was cancelled")
            try:
                proc = subprocess.Popen(
                    argv,
                    stdin=stdin,
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    start_new_session=True,
                )
            except OSError as error:
                raise LaunchError(f"cannot run {argv[0]}: {error.strerror or error}") from None
            self._live.add(proc)
            return proc

    def stop(self, proc: subprocess.Popen[bytes], gentle: bool) -> int:
        """Kill proc's process group, reap proc, forget it; returns its exit status.

        The group is killed before proc is reaped: until then its pid, and so the
        group id, cannot be reused by an unrelated process.
        """
        if gentle and proc.poll() is None:
            _signal_group(proc, signal.SIGTERM)  # lets QEMU restore the terminal
            try:
                proc.wait(timeout=_GENTLE_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        with self._lock:
            _signal_group(proc, signal.SIGKILL)
            status = proc.wait()
            self._live.discard(proc)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()  # stdin holds nothing: input is written with os.write
        return status

    def cancel(self) -> None:
        """Kill every live QEMU now and start no more (Ctrl-C, program exit)."""
        with self._lock:
            self.cancelled = True
            for proc in self._live:
                _signal_group(proc, signal.SIGKILL)


def _signal_group(proc: subprocess.Popen[bytes], signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except ProcessLookupError:
        pass  # the whole group is gone already
    except PermissionError:
        pass  # only the unreaped leader is left (macOS); nothing to kill


REGISTRY = Registry()
atexit.register(REGISTRY.cancel)


def run_session(argv: list[str], timeout: float | None, on_line: LineHandler,
                on_bytes: BytesHandler | None = None, interactive: bool = False,
                registry: Registry = REGISTRY, input_source: InputSource | None = None) -> SessionEnd:
    """Run QEMU until it exits, `timeout` seconds pass, or on_line asks to stop.

    With input_source, QEMU's stdin is a pipe, and what input_source returns after each
    console line is written to it. Raises LaunchError if QEMU cannot be started. QEMU's
    process group is dead when this returns, whatever happened.
    """
    started = time.monotonic()
    proc = registry.start(argv, interactive, piped_input=input_source is not None)
    reader = _Streams(proc, on_line, on_bytes, input_source)
    try:
        reason = reader.pump(None if timeout is None else started + timeout)
    finally:
        status = registry.stop(proc, gentle=interactive)
        reader.close()
    reader.flush()  # a last line without a newline still counts
    if reason is StopReason.EXITED and registry.cancelled and status == -signal.SIGKILL:
        reason = StopReason.CANCELLED
    return SessionEnd(reason, status if reason is StopReason.EXITED else None,
                      reader.stderr.decode("utf-8", errors="replace"),
                      time.monotonic() - started)


class _Streams:
    """Reads QEMU's stdout (the serial console) and stderr until an end condition."""

    def __init__(self, proc: subprocess.Popen[bytes], on_line: LineHandler,
                 on_bytes: BytesHandler | None, input_source: InputSource | None = None) -> None:
        self._proc = proc
        self._on_line = on_line
        self._on_bytes = on_bytes
        self._input_source = input_source
        self._outgoing = b""  # serial input due but not yet taken by the pipe
        self._splitter = LineSplitter()
        self._stop_at: float | None = None
        self.stderr = b""
        self._selector = selectors.DefaultSelector()
        assert proc.stdout is not None and proc.stderr is not None
        self._selector.register(proc.stdout, selectors.EVENT_READ, "stdout")
        self._selector.register(proc.stderr, selectors.EVENT_READ, "stderr")
        if proc.stdin is not None and input_source is not None:
            os.set_blocking(proc.stdin.fileno(), False)  # a full pipe must not stop the reading
        try:
            self._pidfd: int | None = os.pidfd_open(proc.pid)
            self._selector.register(self._pidfd, selectors.EVENT_READ, "exit")
        except (AttributeError, OSError):
            self._pidfd = None  # no pidfd: poll the process between short waits

    def pump(self, deadline: float | None) -> StopReason:
        """Read until QEMU exits (EXITED), the deadline (TIMEOUT) or a stop request."""
        while True:
            now = time.monotonic()
            if self._stop_at is not None and now >= self._stop_at:
                return StopReason.REQUESTED
            if deadline is not None and now >= deadline:
                return StopReason.TIMEOUT
            limits = [t for t in (deadline, self._stop_at) if t is not None]
            wait = min(limits) - now if limits else None
            if self._pidfd is None:
                wait = 0.1 if wait is None else min(wait, 0.1)
            exited = self._read_ready(wait)
            if exited or (self._pidfd is None and self._proc.poll() is not None):
                self._drain()
                return StopReason.EXITED

    def _drain(self) -> None:
        """Read what QEMU wrote before it exited (bounded: a leftover child may keep writing)."""
        give_up = time.monotonic() + _DRAIN_SECONDS
        while self._selector.get_map() and time.monotonic() < give_up:
            if self._read_ready(0) is None:
                return

    def _read_ready(self, wait: float | None) -> bool | None:
        """Handle ready streams; True if QEMU exited, None if nothing was ready."""
        events = self._selector.select(wait)
        if not events:
            return None
        exited = False
        for key, _ in events:
            if key.data == "exit":
                exited = True
                self._selector.unregister(key.fileobj)
                continue
            if key.data == "stdin":
                self._write_input()
                continue
            chunk = os.read(key.fd, _READ_SIZE)
            if not chunk:
                self._selector.unregister(key.fileobj)
            elif key.data == "stderr":
                self.stderr = (self.stderr + chunk)[-_STDERR_LIMIT:]
            else:
                self._serial(chunk)
        return exited

    def _serial(self, chunk: bytes) -> None:
        if self._on_bytes is not None:
            self._on_bytes(chunk)
        for line in self._splitter.feed(chunk):
            self._line(line)

    def flush(self) -> None:
        """Hand over the last line if it had no newline."""
        for line in self._splitter.flush():
            self._line(line)

    def _line(self, line: str) -> None:
        grace = self._on_line(line)
        if grace is not None:
            stop_at = time.monotonic() + grace
            if self._stop_at is None or stop_at < self._stop_at:
                self._stop_at = stop_at
        if self._input_source is not None:
            due = self._input_source()
            if due:
                self._outgoing += due
                self._write_input()

    def _write_input(self) -> None:
        """Write what the pipe takes now; watch stdin for room while some is left."""
        stdin = self._proc.stdin
        if stdin is None or stdin.closed:
            self._outgoing = b""
            return
        try:
            written = os.write(stdin.fileno(), self._outgoing)
        except BlockingIOError:
            written = 0
        except BrokenPipeError:
            written = len(self._outgoing)  # QEMU is gone: its exit ends the session
        self._outgoing = self._outgoing[written:]
        watched = stdin in self._selector.get_map()
        if self._outgoing and not watched:
            self._selector.register(stdin, selectors.EVENT_WRITE, "stdin")
        elif not self._outgoing and watched:
            self._selector.unregister(stdin)

    def close(self) -> None:
        """Release the selector and the pidfd."""
        self._selector.close()
        if self._pidfd is not None:
            os.close(self._pidfd)
