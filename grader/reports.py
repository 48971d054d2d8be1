# SPDX-License-Identifier: MIT
"""Report formats for `run --report FORMAT FILE`; a new format is one module and one line here."""

from __future__ import annotations

import pathlib
from typing import Callable

from grader import report_junit
from grader.results import TestResult

Writer = Callable[[list[TestResult], pathlib.Path], None]

WRITERS: dict[str, Writer] = {
    "junit": report_junit.write,
}
