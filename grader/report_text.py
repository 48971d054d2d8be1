# SPDX-License-Identifier: MIT
"""What the runner prints on the terminal: one line per test, then why each failure failed."""

from __future__ import annotations

import shlex

from grader.results import TestResult
from grader.verdict import Verdict

_LABELS = {
    Verdict.PASSED: "PASS",
    Verdict.FAILED: "FAIL",
    Verdict.TIMEOUT: "TIME",
    Verdict.HYPERVISOR_PANIC: "PANIC",
    Verdict.GUEST_CRASH: "CRASH",
    Verdict.QEMU_COULD_NOT_START: "ERROR",
    Verdict.INTERRUPTED: "STOP",
}


def result_line(result: TestResult) -> str:
    """E.g. `FAIL  foundation/boot  (3.1 s)  failed: expected line ... not seen`."""
    test = result.test
    line = f"{_LABELS[result.verdict]:<5} {test.group}/{test.id}  ({result.seconds:.1f} s)"
    if not result.passed:
        line += f"  {result.verdict.value}: {result.message}"
    return line


def explanation(result: TestResult) -> str:
    """A block telling why a test did not pass: verdict, log, command, last lines."""
    test = result.test
    lines = [f"---- {test.group}/{test.id}: {result.verdict.value} ----"]
    if test.description:
        lines.append(f"test:    {test.description}")
    lines.append(f"why:     {result.message}")
    if result.log_path is not None:
        lines.append(f"log:     {result.log_path}")
    if result.command:
        lines.append(f"command: {shlex.join(result.command)}")
    if result.tail:
        lines.append(f"last {len(result.tail)} console lines:")
        lines += [f"  | {line}" for line in result.tail]
    elif result.command:
        lines.append("the console stayed silent")
    stderr = [line for line in result.stderr.splitlines() if line.strip()]
    if stderr:
        lines.append("QEMU's stderr:")
        lines += [f"  ! {line}" for line in stderr[-10:]]
    return "\n".join(lines)


def summary(results: list[TestResult]) -> str:
    """The closing line, e.g. `3 passed, 1 failed` (the form CI systems read)."""
    passed = sum(1 for r in results if r.passed)
    return f"{passed} passed, {len(results) - passed} failed"
