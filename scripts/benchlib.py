# SPDX-License-Identifier: MIT
"""What the benchmark scripts share: exit codes, QEMU's icount arguments, a boot judged
like `make test`, and formatting. Imported by scripts/bench-*.py (their folder is on
sys.path when they run); it puts the repository root on sys.path for the grader."""

from __future__ import annotations

import dataclasses
import pathlib
import signal
import statistics
import sys
import time
from typing import Callable

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from grader import qemu, runner, spec  # noqa: E402
from grader.console import Classifier, ConsoleLine, Source  # noqa: E402
from grader.matcher import LineChecker  # noqa: E402
from grader.monitor import Monitor  # noqa: E402
from grader.process import LaunchError, StopReason, run_session  # noqa: E402
from grader.profiles import KINDS, XEN, XENOLITH  # noqa: E402
from grader.verdict import Verdict  # noqa: E402

# Deterministic runs: the virtual clock is the instruction count (shift=0: 1 instruction
# = 1 ns), an idle vCPU jumps to the next timer deadline (sleep=off), and the RTC runs on
# that clock from a fixed date, so nothing depends on the host.
ICOUNT_ARGS = ["-icount", "shift=0,sleep=off", "-rtc", "base=2024-01-01T00:00:00,clock=vm"]

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_TIMEOUT = 3
EXIT_CANNOT_START = 6   # the grader's code: no QEMU, a missing image, a QEMU error
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = """exit codes: 0 done; 1 a boot failed its test, or counts that must agree differ;
2 usage error; 3 a boot timed out; 6 QEMU or an image is missing, or QEMU failed;
130 interrupted (143 SIGTERM, 129 SIGHUP); every QEMU is stopped first."""


class BenchError(Exception):
    """The benchmark cannot go on; carries the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


@dataclasses.dataclass(frozen=True)
class Boot:
    """One boot that passed its test: when it started and ended, and what it printed."""

    started: float          # time.monotonic() when QEMU was started
    end_line: float | None  # when the hypervisor's end line came (real Xen only)
    exited: float           # when the session was over
    reason: StopReason
    lines: tuple[ConsoleLine, ...]

    def guest_lines(self, domain: int) -> list[str]:
        """The text of every line the guest `domain` printed, in order."""
        return [line.text for line in self.lines if line.source is Source.GUEST and line.domain == domain]


def judged_boot(test: spec.TestCase, argv: list[str], timeout: float,
                watch: Callable[[float, ConsoleLine], None] | None = None) -> Boot:
    """Boot once, judged like `make test`; raise BenchError unless the test passed.
    `watch(now, line)` sees every console line as it comes."""
    # End the run at the end line itself (no grace period), so that it is timed there.
    test = dataclasses.replace(test, profile=dataclasses.replace(test.profile, end_grace=0.0))
    monitor = Monitor(test.profile, LineChecker(list(test.expect), list(test.forbid), test.ordered))
    classifier = Classifier(test.profile)
    lines: list[ConsoleLine] = []
    end_line: list[float] = []

    def on_line(raw: str) -> float | None:
        now = time.monotonic()
        line = classifier.classify(raw)
        lines.append(line)
        if watch is not None:
            watch(now, line)
        grace = monitor.on_line(raw)
        if grace is not None and not end_line:
            end_line.append(now)
        return grace

    started = time.monotonic()
    try:
        end = run_session(argv, timeout, on_line)
    except LaunchError as error:
        raise BenchError(str(error), EXIT_CANNOT_START) from None
    exited = time.monotonic()
    verdict, message, _ = runner.judge(test, monitor, end, timeout)
    if verdict is not Verdict.PASSED:
        code = {Verdict.TIMEOUT: EXIT_TIMEOUT, Verdict.QEMU_COULD_NOT_START: EXIT_CANNOT_START}
        raise BenchError(f"{test.id}: {verdict.value}: {message}", code.get(verdict, EXIT_FAILED))
    return Boot(started, end_line[0] if end_line else None, exited, end.reason, tuple(lines))


def boot_argv(test: spec.TestCase, images: pathlib.Path, binary: str) -> list[str]:
    """QEMU's command line for `test` under TCG, as the grader builds it; every file must exist."""
    image = runner.boot_image(test, images)
    for what, file in image.files():
        if not file.is_file():
            raise BenchError(f"{what} not found: {file}", EXIT_CANNOT_START)
    return qemu.build_command(binary, "tcg", image)


def qemu_or_fail(option: str | None) -> str:
    """The QEMU binary to run (option, $XENOLITH_QEMU, PATH), or BenchError."""
    binary = qemu.resolve_binary(qemu.qemu_binary(option))
    if binary is None:
        raise BenchError(f"QEMU binary `{qemu.qemu_binary(option)}` not found", EXIT_CANNOT_START)
    return binary


def chosen_kinds(choice: str | None, images: pathlib.Path, xen_image: str) -> list[str]:
    """The hypervisors to run: `choice` (xenolith, xen or both), or by default both when
    the Xen image is there, else Xenolith alone (with a note)."""
    if choice is None:
        if not (images / xen_image).is_file():
            print(f"bench: no {images / xen_image}, Xenolith only (scripts/fetch-xen downloads Xen)",
                  file=sys.stderr)
            return [XENOLITH]
        choice = "both"
    return list(KINDS) if choice == "both" else [choice]


def spread(values: list[float], digits: int = 3, width: int = 0) -> str:
    """`median [min-max]`, the median right-aligned in `width` characters."""
    return f"{statistics.median(values):{width}.{digits}f} [{min(values):.{digits}f}-{max(values):.{digits}f}]"


def signals_to_main_thread() -> None:
    """In a worker thread: leave Ctrl-C, SIGTERM and SIGHUP to the main thread, which
    handles them at once (a signal taken by a blocked worker would wait for it)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})


__all__ = ["BenchError", "Boot", "ICOUNT_ARGS", "EXIT_CODES_HELP", "EXIT_FAILED", "EXIT_USAGE", "EXIT_TIMEOUT",
           "EXIT_CANNOT_START", "EXIT_INTERRUPTED", "REPO", "XEN", "XENOLITH", "KINDS", "boot_argv",
           "chosen_kinds", "judged_boot", "qemu_or_fail", "signals_to_main_thread", "spread"]
