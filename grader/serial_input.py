# SPDX-License-Identifier: MIT
"""Serial input: bytes a test types into QEMU's serial port, each once its trigger line appears.

A test's `input` entries are a script played in order. Entry i waits for a console line
that matches its `after` pattern and that arrives after entry i-1 was sent; then its
bytes go to QEMU's stdin (the serial port, `-serial stdio`). Nothing is sent on a timer:
if a trigger line never comes, its bytes are never sent and the test says which one.
One line triggers at most one entry.
"""

from __future__ import annotations

import dataclasses

from grader.console import ConsoleLine
from grader.matcher import Expectation


@dataclasses.dataclass(frozen=True)
class InputStep:
    """One `input` entry: the line it waits for and the bytes it then sends."""

    after: Expectation
    send: bytes


class InputScript:
    """Follows a test's input steps over the console lines; hands out bytes to send."""

    def __init__(self, steps: tuple[InputStep, ...]) -> None:
        self._steps = steps
        self._next = 0                # the step waiting for its trigger
        self._outgoing = b""          # triggered, not yet taken by the session
        self._last_trigger: ConsoleLine | None = None

    def __bool__(self) -> bool:
        return bool(self._steps)

    @property
    def sent(self) -> int:
        """How many steps have been triggered (their bytes handed out or waiting to be)."""
        return self._next

    def feed(self, line: ConsoleLine) -> None:
        """Account for the next console line: it may trigger the step waited for."""
        if self._next < len(self._steps) and self._steps[self._next].after.matches(line):
            self._outgoing += self._steps[self._next].send
            self._next += 1
            self._last_trigger = line

    def take(self) -> bytes:
        """The bytes triggered since the last call (empty if none), in step order."""
        data, self._outgoing = self._outgoing, b""
        return data

    def first_unsent(self) -> str | None:
        """A sentence naming the first step whose trigger never came, or None."""
        if self._next == len(self._steps):
            return None
        step = self._steps[self._next]
        message = f"input[{self._next}] not sent: expected {step.after.describe()} not seen"
        if self._last_trigger is not None:
            message += f" after line {self._last_trigger.number} (`{self._last_trigger.raw}`)"
        return message + f"; it would have sent {step.send!r}"
