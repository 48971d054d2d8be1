# SPDX-License-Identifier: MIT
"""Hypervisor profiles: how each kind of hypervisor (Xenolith, real Xen) talks on the console.

A profile says which image to boot by default, how to tell a guest's line from the
hypervisor's own, which hypervisor lines announce a panic or a crash, and (for a
hypervisor that never exits QEMU by itself, such as real Xen) which hypervisor lines
end the run. A spec may override any field per kind in its `[hypervisor.<kind>]` table.
"""

from __future__ import annotations

import dataclasses
import re

from grader.spec_reader import Reader, SpecError
from grader.verdict import EXPECTABLE_OUTCOMES, Outcome

XENOLITH = "xenolith"
XEN = "xen"
KINDS = (XENOLITH, XEN)


@dataclasses.dataclass(frozen=True)
class EndMarker:
    """A hypervisor line that ends the run with a known outcome."""

    regex: re.Pattern[str]
    outcome: Outcome


@dataclasses.dataclass(frozen=True)
class Profile:
    """Console conventions and defaults of one kind of hypervisor."""

    kind: str
    image: str
    # Tried in order at the start of a line; the first match makes it a guest line.
    # A named group `dom` gives the domain id, otherwise `guest_domain` is used.
    guest_prefix: tuple[re.Pattern[str], ...]
    # Matched at the start of a line that is not a guest line; the rest is the text.
    hypervisor_prefix: re.Pattern[str]
    guest_domain: int
    panic: re.Pattern[str]
    crash: re.Pattern[str]
    end: tuple[EndMarker, ...]
    # Seconds to keep reading after an end marker, so the lines after it are logged.
    end_grace: float


# Raw field values of the built-in profiles, in the same shape a spec uses, so that
# one parser (spec.parse_profile) turns both into a Profile.
BUILTIN: dict[str, dict[str, object]] = {
    XENOLITH: {
        "image": "xenolith.elf",
        "guest_prefix": [r"\(d(?P<dom>\d+)\) "],
        "hypervisor_prefix": "",
        "guest_domain": 0,
        "panic": r"^PANIC: ",
        "crash": r"^domain d(?P<dom>\d+) crashed: (?P<why>.*)$",
        "end": [],
        "end_grace": 0.0,
    },
    XEN: {
        "image": "xen-4.17-amd64",
        # A domU's console_io text is logged as "(XEN) (d1) text"; the hardware
        # domain's is written raw (xen/drivers/char/console.c: guest_console_write).
        "guest_prefix": [r"\(XEN\) \(d(?P<dom>\d+)\) ", r"(?!\(XEN\))"],
        "hypervisor_prefix": r"\(XEN\) ?",
        "guest_domain": 0,
        "panic": r"^Panic on CPU \d+:",
        # The first is Xen's own account of a guest fault (printed with guest_loglvl=all),
        # the second comes for every crash of dom0, however it happened.
        "crash": r"^d\d+v\d+ Unhandled: .*$|^Hardware Dom\d+ crashed.*$",
        # Real Xen never writes to isa-debug-exit: these lines end the run
        # (xen/common/shutdown.c: hwdom_shutdown).
        "end": [
            {"regex": r"^Hardware Dom\d+ halted", "outcome": "poweroff"},
            {"regex": r"^Hardware Dom\d+ crashed", "outcome": "crash"},
            {"regex": r"^Hardware Dom\d+ shutdown", "outcome": "other-shutdown"},
            {"regex": r"^Panic on CPU \d+", "outcome": "panic"},
        ],
        "end_grace": 1.0,
    },
}


def parse_profile(kind: str, overrides: Reader | None) -> Profile:
    """The built-in profile of `kind` with the spec's `[hypervisor.<kind>]` keys over it."""
    raw = dict(BUILTIN[kind])
    where = f"hypervisor.{kind}"
    if overrides is not None:
        overrides.check_keys(raw)
        raw.update(overrides.data)
        where = overrides.where
    reader = Reader(raw, where)
    prefixes = reader.get("guest_prefix", (str, list))
    if isinstance(prefixes, str):
        prefixes = [prefixes]
    end_markers = []
    for entry, entry_where in reader.items("end"):
        if not isinstance(entry, dict):
            raise SpecError(f"{entry_where}: must be a table {{ regex = ..., outcome = ... }}")
        marker = Reader(entry, entry_where)
        marker.check_keys(("regex", "outcome"))
        end_markers.append(EndMarker(
            _regex(marker, "regex", marker.require("regex", str)),
            parse_outcome(marker, marker.require("outcome", str)),
        ))
    end_grace = reader.get("end_grace", float)
    if end_grace < 0:
        raise reader.error("must not be negative", "end_grace")
    return Profile(
        kind=kind,
        image=reader.get("image", str),
        guest_prefix=tuple(_regex(reader, "guest_prefix", _string(reader, "guest_prefix", p))
                           for p in prefixes),
        hypervisor_prefix=_regex(reader, "hypervisor_prefix", reader.get("hypervisor_prefix", str)),
        guest_domain=reader.get("guest_domain", int),
        panic=_regex(reader, "panic", reader.get("panic", str)),
        crash=_regex(reader, "crash", reader.get("crash", str)),
        end=tuple(end_markers),
        end_grace=end_grace,
    )


def parse_outcome(reader: Reader, value: str, key: str = "outcome") -> Outcome:
    """An outcome name such as `poweroff`, or a SpecError listing the valid ones."""
    if value not in EXPECTABLE_OUTCOMES:
        raise reader.error(f"unknown outcome `{value}`; expected one of: "
                           f"{', '.join(EXPECTABLE_OUTCOMES)}", key)
    return Outcome(value)


def _string(reader: Reader, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise reader.error(f"must hold strings, not {value!r}", key)
    return value


def _regex(reader: Reader, key: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise reader.error(f"bad regular expression {pattern!r}: {error}", key) from None
