# SPDX-License-Identifier: MIT
"""Watches one test's console as it streams: logs it, checks lines, notes panics and crashes."""

from __future__ import annotations

import collections
from typing import Callable, TextIO

from grader.console import Classifier, ConsoleLine, Source
from grader.matcher import LineChecker
from grader.profiles import Profile
from grader.serial_input import InputScript
from grader.verdict import Outcome

TAIL_LINES = 30


class Monitor:
    """The line handler of one test's QEMU session (see process.run_session)."""

    def __init__(self, profile: Profile, checker: LineChecker | None = None,
                 log: TextIO | None = None, echo: Callable[[str], None] | None = None,
                 script: InputScript | None = None) -> None:
        self._profile = profile
        self._classifier = Classifier(profile)
        self._log = log
        self._echo = echo
        self.checker = checker or LineChecker([], [], ordered=False)
        self.script = script or InputScript(())  # serial input, typed as its trigger lines appear
        self.tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        self.line_count = 0
        self.panic: str | None = None       # the hypervisor's panic message
        self.crash: str | None = None       # the hypervisor's report of a domain crash
        self.end: tuple[Outcome, str] | None = None  # end-marker outcome and its line
        self._panic_continues = False

    def on_line(self, raw: str) -> float | None:
        """Take one console line; returns a grace period once an end marker is seen."""
        line = self._classifier.classify(raw)
        self.line_count += 1
        self.tail.append(raw)
        if self._log is not None:
            self._log.write(raw + "\n")
        if self._echo is not None:
            self._echo(raw)
        self.checker.feed(line)
        self.script.feed(line)
        if line.source is Source.HYPERVISOR:
            return self._hypervisor_line(line)
        return None

    def _hypervisor_line(self, line: ConsoleLine) -> float | None:
        profile = self._profile
        text = line.text
        if self._panic_continues:
            # A panic line ending in a colon ("Panic on CPU 0:") continues on the next one.
            self.panic = f"{self.panic} {text.strip()}"
            self._panic_continues = False
        elif self.panic is None and profile.panic.search(text):
            self.panic = text.strip()
            self._panic_continues = self.panic.endswith(":")
        match = profile.crash.search(text)
        if match and self.crash is None:
            groups = match.groupdict()
            if groups.get("dom") is not None and groups.get("why") is not None:
                self.crash = f"d{groups['dom']} crashed: {groups['why'].strip(' :')}"
            else:
                self.crash = text.strip()
        if self.end is None:
            for marker in profile.end:
                if marker.regex.search(text):
                    self.end = (marker.outcome, text.strip())
                    return profile.end_grace
        return None
