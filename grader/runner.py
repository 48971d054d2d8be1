# SPDX-License-Identifier: MIT
"""Runs tests: boots each in QEMU, judges what happened, keeps the log of each failure."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import pathlib
import tempfile
from typing import Callable

from grader import qemu
from grader.matcher import LineChecker
from grader.monitor import Monitor
from grader.process import REGISTRY, LaunchError, Registry, SessionEnd, StopReason, run_session
from grader.results import TestResult
from grader.serial_input import InputScript
from grader.spec import TestCase
from grader.verdict import Outcome, Verdict, describe_status, outcome_from_status


@dataclasses.dataclass(frozen=True)
class Settings:
    """Where things are and how to boot, shared by all tests of a run."""

    images_dir: pathlib.Path
    log_dir: pathlib.Path
    qemu: str = qemu.DEFAULT_QEMU
    accel: str = "tcg"
    keep_logs: bool = False        # keep the logs of passed tests too
    timeout_factor: float = 1.0    # scales every test's time limit (slow CI machines)
    echo: Callable[[TestCase, str], None] | None = None  # streams console lines (-v)
    registry: Registry = REGISTRY


def boot_image(test: TestCase, images_dir: pathlib.Path) -> qemu.BootImage:
    """The files and strings a test boots, with paths made absolute."""
    def path(name: str) -> pathlib.Path:
        return (images_dir / name).absolute()

    if test.iso is not None:
        return qemu.BootImage(iso=path(test.iso))
    return qemu.BootImage(
        kernel=path(test.hypervisor_image), append=test.cmdline,
        modules=tuple(qemu.BootModule(path(m.image), m.string) for m in test.modules),
    )


def run_test(test: TestCase, settings: Settings) -> TestResult:
    """Boot one test and judge it. Never raises for problems of the test itself."""
    image = boot_image(test, settings.images_dir)
    binary = qemu.resolve_binary(settings.qemu)
    if binary is None:
        return TestResult(test, Verdict.QEMU_COULD_NOT_START,
                          f"QEMU binary `{settings.qemu}` not found or not executable "
                          f"(install QEMU, or set {qemu.QEMU_ENV} or --qemu)")
    for what, file in image.files():
        if not file.is_file():
            return TestResult(test, Verdict.QEMU_COULD_NOT_START,
                              f"{what} not found: {file} (is it built? see --images-dir)")
    try:
        argv = qemu.build_command(binary, settings.accel, image, test.cpu)
    except ValueError as error:
        return TestResult(test, Verdict.QEMU_COULD_NOT_START, str(error))

    log_folder = settings.log_dir / test.group
    log_folder.mkdir(parents=True, exist_ok=True)
    limit = test.timeout * settings.timeout_factor
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=log_folder, delete=False,
                                     prefix=f".{test.id}.", suffix=".partial") as log:
        echo = settings.echo
        checker = LineChecker(list(test.expect), list(test.forbid), test.ordered)
        script = InputScript(test.input)
        monitor = Monitor(test.profile, checker, log,
                          None if echo is None else lambda line: echo(test, line), script)
        try:
            end: SessionEnd | LaunchError = run_session(
                argv, limit, monitor.on_line, registry=settings.registry,
                input_source=script.take if script else None)
        except LaunchError as error:
            end = error
    if isinstance(end, LaunchError):
        verdict = Verdict.INTERRUPTED if settings.registry.cancelled else Verdict.QEMU_COULD_NOT_START
        verdict_message, outcome, seconds, stderr = str(end), None, 0.0, ""
    else:
        verdict, verdict_message, outcome = judge(test, monitor, end, limit)
        seconds, stderr = end.seconds, end.stderr
    log_path = _keep_log(pathlib.Path(log.name), log_folder / f"{test.id}.log", stderr,
                         keep=settings.keep_logs or verdict is not Verdict.PASSED)
    return TestResult(test, verdict, verdict_message, seconds, outcome, log_path,
                      tuple(monitor.tail), tuple(argv), stderr)


def judge(test: TestCase, monitor: Monitor, end: SessionEnd,
          limit: float) -> tuple[Verdict, str, Outcome | None]:
    """The verdict, its explanation and the machine's outcome, from what was seen."""
    if end.reason is StopReason.CANCELLED:
        return Verdict.INTERRUPTED, "interrupted", None
    if end.reason is StopReason.TIMEOUT:
        message = f"no result within the time limit of {limit:g} s"
        detail = (monitor.panic or monitor.crash or monitor.script.first_unsent()
                  or monitor.checker.first_missing())
        return Verdict.TIMEOUT, message + (f"; {detail}" if detail else ""), None
    if end.reason is StopReason.REQUESTED:
        assert monitor.end is not None
        outcome, said = monitor.end
        how = f"hypervisor said `{said}`"
    else:
        assert end.status is not None
        if _qemu_failed(end, monitor):
            first = next(line for line in end.stderr.splitlines() if line.strip())
            return Verdict.QEMU_COULD_NOT_START, f"QEMU failed: {first.strip()}", None
        outcome = outcome_from_status(end.status)
        how = describe_status(end.status)
    if outcome is not test.outcome:
        if outcome is Outcome.PANIC:
            return Verdict.HYPERVISOR_PANIC, f"hypervisor panic: {monitor.panic or how}", outcome
        if outcome is Outcome.RESET:
            return Verdict.HYPERVISOR_PANIC, how, outcome
        if outcome is Outcome.CRASH:
            return Verdict.GUEST_CRASH, f"guest crash: {monitor.crash or how}", outcome
        return Verdict.FAILED, f"expected outcome {test.outcome.value}, but {how}", outcome
    # An input that was never sent explains the lines that its answer would have given.
    problem = (monitor.checker.first_forbidden() or monitor.script.first_unsent()
               or monitor.checker.first_missing())
    if problem is not None:
        return Verdict.FAILED, problem, outcome
    return Verdict.PASSED, "", outcome


def _qemu_failed(end: SessionEnd, monitor: Monitor) -> bool:
    """QEMU exits 1 both for a poweroff and for its own errors; its errors print no console."""
    return end.status == 1 and monitor.line_count == 0 and bool(end.stderr.strip())


def _keep_log(partial: pathlib.Path, final: pathlib.Path, stderr: str, keep: bool) -> pathlib.Path | None:
    """Move the console log to its final name (and QEMU's stderr beside it), or delete it.

    Not keeping a log also removes the one an earlier run left, which would mislead.
    """
    stderr_path = final.with_name(final.stem + ".qemu-stderr.log")
    if not keep:
        for path in (partial, final, stderr_path):
            path.unlink(missing_ok=True)
        return None
    os.replace(partial, final)
    final.chmod(0o644)  # tempfile made it private; a log is meant to be read and uploaded
    if stderr.strip():
        stderr_path.write_text(stderr, encoding="utf-8")
    else:
        stderr_path.unlink(missing_ok=True)
    return final


def run_tests(tests: list[TestCase], settings: Settings, jobs: int = 1,
              on_result: Callable[[TestResult], None] | None = None) -> list[TestResult]:
    """Run tests, `jobs` at a time; results in the order of `tests`.

    on_result is called (in this thread) as each test finishes. On KeyboardInterrupt
    every QEMU is killed before the exception propagates.
    """
    results: dict[int, TestResult] = {}
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = {executor.submit(run_test, test, settings): index
                   for index, test in enumerate(tests)}
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            results[futures[future]] = result
            if on_result is not None:
                on_result(result)
    except BaseException:
        settings.registry.cancel()
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return [results[index] for index in range(len(tests))]
