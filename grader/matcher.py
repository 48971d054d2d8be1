# SPDX-License-Identifier: MIT
"""Expected and forbidden lines: what a spec asks to see, checked line by line as they arrive."""

from __future__ import annotations

import dataclasses
import enum
import re

from grader.console import ConsoleLine, Source


class MatchKind(enum.Enum):
    """How a pattern is compared with a line's text."""

    LINE = "line"          # the whole text, exactly (trailing blanks ignored)
    CONTAINS = "contains"  # a substring of the text
    REGEX = "regex"        # re.search on the text


@dataclasses.dataclass(frozen=True)
class Expectation:
    """One `expect` or `forbid` entry of a spec.

    With `hypervisor`, only unprefixed hypervisor lines count (a guest cannot forge
    them) and the pattern sees the text after the hypervisor prefix. With `domain`,
    only that domain's lines count, and the pattern sees the text after `(dN) `.
    With neither, every line counts and the pattern sees the raw line.
    """

    kind: MatchKind
    pattern: str
    domain: int | None = None
    hypervisor: bool = False

    def __post_init__(self) -> None:
        if self.hypervisor and self.domain is not None:
            raise ValueError("a line cannot come both from the hypervisor and from a domain")
        if self.kind is MatchKind.REGEX:
            re.compile(self.pattern)  # raises re.error early, where the spec is parsed

    def matches(self, line: ConsoleLine) -> bool:
        """Whether this entry is satisfied by `line`."""
        if self.hypervisor:
            if line.source is not Source.HYPERVISOR:
                return False
            subject = line.text
        elif self.domain is not None:
            if line.source is not Source.GUEST or line.domain != self.domain:
                return False
            subject = line.text
        else:
            subject = line.raw
        if self.kind is MatchKind.LINE:
            return subject.rstrip() == self.pattern.rstrip()
        if self.kind is MatchKind.CONTAINS:
            return self.pattern in subject
        return _compiled(self.pattern).search(subject) is not None

    def describe(self) -> str:
        """E.g. "line `hello` from d1", "line matching /^ok/ from the hypervisor"."""
        what = {
            MatchKind.LINE: f"line `{self.pattern}`",
            MatchKind.CONTAINS: f"line containing `{self.pattern}`",
            MatchKind.REGEX: f"line matching /{self.pattern}/",
        }[self.kind]
        if self.hypervisor:
            return f"{what} from the hypervisor"
        if self.domain is not None:
            return f"{what} from d{self.domain}"
        return what


_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    regex = _REGEX_CACHE.get(pattern)
    if regex is None:
        regex = _REGEX_CACHE[pattern] = re.compile(pattern)
    return regex


class LineChecker:
    """Follows the expected and forbidden entries of one test over a stream of lines.

    Ordered: each entry must be seen after the line that satisfied the previous one,
    and a line satisfies at most one entry. Unordered: each entry anywhere.
    """

    def __init__(self, expect: list[Expectation], forbid: list[Expectation], ordered: bool) -> None:
        self._expect = expect
        self._forbid = forbid
        self._ordered = ordered
        self._seen: list[ConsoleLine | None] = [None] * len(expect)
        self._next = 0  # ordered mode: index of the entry waited for
        self.forbidden: tuple[Expectation, ConsoleLine] | None = None

    def feed(self, line: ConsoleLine) -> None:
        """Account for the next line of the stream."""
        if self.forbidden is None:
            for entry in self._forbid:
                if entry.matches(line):
                    self.forbidden = (entry, line)
                    break
        if self._ordered:
            if self._next < len(self._expect) and self._expect[self._next].matches(line):
                self._seen[self._next] = line
                self._next += 1
            return
        for index, entry in enumerate(self._expect):
            if self._seen[index] is None and entry.matches(line):
                self._seen[index] = line

    def first_missing(self) -> str | None:
        """A sentence naming the first expected line not seen, or None if all were."""
        for index, entry in enumerate(self._expect):
            if self._seen[index] is not None:
                continue
            message = f"expected {entry.describe()} not seen"
            if self._ordered and index > 0:
                previous = self._seen[index - 1]
                assert previous is not None
                message += f" after line {previous.number} (`{previous.raw}`)"
            return message
        return None

    def first_forbidden(self) -> str | None:
        """A sentence naming the first forbidden line seen, or None."""
        if self.forbidden is None:
            return None
        entry, line = self.forbidden
        return f"forbidden line seen: line {line.number} `{line.raw}` (forbid: {entry.describe()})"

    def first_problem(self) -> str | None:
        """The first reason the lines fail the test: a forbidden line, else a missing one."""
        return self.first_forbidden() or self.first_missing()
