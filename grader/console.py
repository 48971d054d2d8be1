# SPDX-License-Identifier: MIT
"""Serial console lines: split the byte stream into lines and tell who printed each one.

On Xenolith every guest line starts with `(dN) ` and the hypervisor's own lines have
no prefix; a guest cannot print an unprefixed line, so a hypervisor line is trusted.
Other kinds of hypervisor differ (see profiles.py); the Profile holds the rules.
"""

from __future__ import annotations

import dataclasses
import enum

from grader.profiles import Profile


class Source(enum.Enum):
    """Who printed a line."""

    HYPERVISOR = "hypervisor"
    GUEST = "guest"
    UNKNOWN = "unknown"  # neither prefix matched (possible only with some profiles)


@dataclasses.dataclass(frozen=True)
class ConsoleLine:
    """One serial line, numbered from 1, with its origin and its text after the prefix."""

    number: int
    raw: str
    source: Source
    domain: int | None
    text: str

    def origin(self) -> str:
        """`d1`, `hypervisor` or `unknown`, for messages."""
        if self.source is Source.GUEST:
            return f"d{self.domain}"
        return self.source.value


class LineSplitter:
    """Turns chunks of serial bytes into text lines without their `\\r\\n`."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, chunk: bytes) -> list[str]:
        """Add bytes; return the lines they completed."""
        self._pending += chunk
        *complete, self._pending = self._pending.split(b"\n")
        return [_decode(line) for line in complete]

    def flush(self) -> list[str]:
        """At end of stream: the last line if it had no newline."""
        rest, self._pending = self._pending, b""
        return [_decode(rest)] if rest else []


def _decode(line: bytes) -> str:
    # Carriage returns are line-end noise on both sides: ours end lines with \r\n, GRUB's
    # with \n\r (so the next line would start with \r). A guest's own \r never gets here:
    # the hypervisor's console filter drops it.
    return line.decode("utf-8", errors="replace").strip("\r")


class Classifier:
    """Numbers lines and classifies them by the rules of one profile."""

    def __init__(self, profile: Profile) -> None:
        self._profile = profile
        self._count = 0

    def classify(self, raw: str) -> ConsoleLine:
        """Classify the next line of the stream."""
        self._count += 1
        profile = self._profile
        for prefix in profile.guest_prefix:
            match = prefix.match(raw)
            if match:
                dom = match.groupdict().get("dom")
                domain = int(dom) if dom is not None else profile.guest_domain
                return ConsoleLine(self._count, raw, Source.GUEST, domain, raw[match.end():])
        match = profile.hypervisor_prefix.match(raw)
        if match:
            return ConsoleLine(self._count, raw, Source.HYPERVISOR, None, raw[match.end():])
        return ConsoleLine(self._count, raw, Source.UNKNOWN, None, raw)
