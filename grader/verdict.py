# SPDX-License-Identifier: MIT
"""Outcomes of a boot, verdicts of a test, and the exit codes of the CLI."""

from __future__ import annotations

import enum


class Outcome(enum.Enum):
    """How the machine ended, as told by QEMU's exit status or an end-marker line."""

    POWEROFF = "poweroff"              # every domain shut down with reason poweroff
    CRASH = "crash"                    # some domain crashed
    PANIC = "panic"                    # the hypervisor panicked
    OTHER_SHUTDOWN = "other-shutdown"  # domains ended, some by reboot, suspend or watchdog
    RESET = "reset"                    # QEMU exited 0: reset or triple fault under -no-reboot
    UNKNOWN = "unknown"                # QEMU exited with a status outside the protocol


# The hypervisor writes v to isa-debug-exit and QEMU exits with (v << 1) | 1.
_STATUS_TO_OUTCOME = {
    0: Outcome.RESET,
    (0 << 1) | 1: Outcome.POWEROFF,
    (1 << 1) | 1: Outcome.CRASH,
    (2 << 1) | 1: Outcome.PANIC,
    (3 << 1) | 1: Outcome.OTHER_SHUTDOWN,
}

EXPECTABLE_OUTCOMES = tuple(o.value for o in Outcome if o is not Outcome.UNKNOWN)


def outcome_from_status(status: int) -> Outcome:
    """Map QEMU's exit status to what the hypervisor reported."""
    return _STATUS_TO_OUTCOME.get(status, Outcome.UNKNOWN)


def describe_status(status: int) -> str:
    """A sentence for a QEMU exit status, e.g. for `grader boot`."""
    if status < 0:
        return f"QEMU was killed by signal {-status}"
    outcome = outcome_from_status(status)
    if outcome is Outcome.RESET:
        return "machine reset (QEMU exited with status 0: reset or triple fault)"
    if outcome is Outcome.UNKNOWN:
        if status & 1:
            return f"hypervisor wrote unknown value {status >> 1} to isa-debug-exit (status {status})"
        return f"QEMU exited with unexpected status {status}"
    sentences = {
        Outcome.POWEROFF: "every domain powered off",
        Outcome.CRASH: "a domain crashed",
        Outcome.PANIC: "the hypervisor panicked",
        Outcome.OTHER_SHUTDOWN: "domains ended, some by reboot, suspend or watchdog",
    }
    return f"{sentences[outcome]} (QEMU status {status})"


class Verdict(enum.Enum):
    """The result of one test; each has its own exit code."""

    PASSED = "passed"
    FAILED = "failed"
    TIMEOUT = "timeout"
    HYPERVISOR_PANIC = "hypervisor-panic"
    GUEST_CRASH = "guest-crash"
    QEMU_COULD_NOT_START = "qemu-could-not-start"
    INTERRUPTED = "interrupted"


EXIT_OK = 0
EXIT_USAGE = 2  # bad arguments or a malformed spec (argparse uses 2 too)

EXIT_CODES: dict[Verdict, int] = {
    Verdict.PASSED: EXIT_OK,
    Verdict.FAILED: 1,
    Verdict.TIMEOUT: 3,
    Verdict.HYPERVISOR_PANIC: 4,
    Verdict.GUEST_CRASH: 5,
    Verdict.QEMU_COULD_NOT_START: 6,
    Verdict.INTERRUPTED: 130,
}

# When several tests fail differently, the run's exit code is that of the verdict
# that comes first here: problems of the setup before problems of the code.
_SEVERITY = (
    Verdict.INTERRUPTED,
    Verdict.QEMU_COULD_NOT_START,
    Verdict.HYPERVISOR_PANIC,
    Verdict.TIMEOUT,
    Verdict.GUEST_CRASH,
    Verdict.FAILED,
    Verdict.PASSED,
)


def worst(verdicts: list[Verdict]) -> Verdict:
    """The verdict that decides the exit code of a run of several tests."""
    for verdict in _SEVERITY:
        if verdict in verdicts:
            return verdict
    return Verdict.PASSED


def outcome_exit_code(outcome: Outcome) -> int:
    """Exit code of `grader boot` for how the machine ended."""
    return {
        Outcome.POWEROFF: EXIT_OK,
        Outcome.CRASH: EXIT_CODES[Verdict.GUEST_CRASH],
        Outcome.PANIC: EXIT_CODES[Verdict.HYPERVISOR_PANIC],
        Outcome.RESET: EXIT_CODES[Verdict.HYPERVISOR_PANIC],
        Outcome.OTHER_SHUTDOWN: EXIT_CODES[Verdict.FAILED],
        Outcome.UNKNOWN: EXIT_CODES[Verdict.FAILED],
    }[outcome]
