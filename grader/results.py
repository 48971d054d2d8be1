# SPDX-License-Identifier: MIT
"""The result of one test, as the runner produces it and every report reads it."""

from __future__ import annotations

import dataclasses
import pathlib

from grader.spec import TestCase
from grader.verdict import Outcome, Verdict


@dataclasses.dataclass(frozen=True)
class TestResult:
    """What happened when one test ran."""

    test: TestCase
    verdict: Verdict
    message: str                 # why it did not pass ("" when it passed)
    seconds: float = 0.0
    outcome: Outcome | None = None  # how the machine ended, if it did
    log_path: pathlib.Path | None = None
    tail: tuple[str, ...] = ()   # the last console lines
    command: tuple[str, ...] = ()
    stderr: str = ""

    @property
    def passed(self) -> bool:
        """True when the verdict is `passed`."""
        return self.verdict is Verdict.PASSED
