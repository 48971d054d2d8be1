# SPDX-License-Identifier: MIT
"""Test specs: one TOML file per test group, turned into TestCases (format: grader/README.md).

A test's settings come in layers, highest first: `[tests.<kind>]`, the test itself,
`[defaults.<kind>]`, `[defaults]`, then the built-in defaults. The first layer that
sets a key wins, except for `forbid`: the defaults' forbidden lines apply to every
test in addition to the test's own. A test runs once on every kind of hypervisor it
lists; its id is its name on Xenolith and `name@kind` on another kind.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re
import tomllib
from typing import Any

from grader import qemu
from grader.matcher import Expectation, MatchKind
from grader.profiles import KINDS, XENOLITH, Profile, parse_outcome, parse_profile
from grader.serial_input import InputStep
from grader.spec_reader import Reader, SpecError
from grader.verdict import Outcome

__all__ = ["Module", "Spec", "SpecError", "TestCase", "load", "parse", "select"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

# Keys that each layer may set (kind sub-tables are handled apart).
_SETTINGS = ("hypervisor_image", "cmdline", "modules", "iso", "cpu", "timeout", "outcome",
             "ordered", "forbid")
_KIND_LAYER = _SETTINGS + ("expect", "input")
_DEFAULTS_LAYER = _SETTINGS + ("points", "hypervisors", "hypervisor")
_TEST_LAYER = _KIND_LAYER + ("points", "hypervisors", "hypervisor", "name", "description")

_BUILTIN_SETTINGS: dict[str, Any] = {
    "cmdline": "", "modules": (), "iso": None, "cpu": qemu.DEFAULT_CPU, "timeout": 60.0,
    "outcome": Outcome.POWEROFF, "ordered": False, "points": 0.0,
    "hypervisors": (XENOLITH,),
}


@dataclasses.dataclass(frozen=True)
class Module:
    """A boot module: an image (relative to the images folder) and its string."""

    image: str
    string: str = ""


@dataclasses.dataclass(frozen=True)
class TestCase:
    """One test on one kind of hypervisor, with every setting resolved."""

    group: str
    name: str
    kind: str
    description: str
    points: float
    hypervisor_image: str
    cmdline: str
    modules: tuple[Module, ...]
    iso: str | None
    timeout: float
    outcome: Outcome
    ordered: bool
    expect: tuple[Expectation, ...]
    forbid: tuple[Expectation, ...]
    profile: Profile
    input: tuple[InputStep, ...] = ()  # typed into the serial port, each after its trigger line
    cpu: str = qemu.DEFAULT_CPU        # QEMU's -cpu

    @property
    def id(self) -> str:
        """`name` on Xenolith, `name@kind` elsewhere: unique in a group, usable as a file name."""
        return self.name if self.kind == XENOLITH else f"{self.name}@{self.kind}"


@dataclasses.dataclass(frozen=True)
class Spec:
    """A parsed spec file: its group and its tests in file order."""

    path: pathlib.Path
    group: str
    description: str
    tests: tuple[TestCase, ...]


def load(path: pathlib.Path) -> Spec:
    """Read and check a spec file; raises SpecError with the place of the first problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError(f"{path}: cannot read spec: {error.strerror}") from None
    return parse(text, path)


def parse(text: str, path: pathlib.Path) -> Spec:
    """Parse spec text; `path` names the file in errors and gives the default group name."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{path}: TOML syntax error: {error}") from None
    top = Reader(data, str(path), top=True)
    top.check_keys(("group", "defaults", "hypervisor", "tests"))
    group = top.table("group") or Reader({}, top.place("group"))
    group.check_keys(("name", "description"))
    group_name = _checked_name(group, "name", group.get("name", str, path.stem))
    profiles = _parse_profiles(top.table("hypervisor"))
    defaults = _parse_layer(top.table("defaults") or Reader({}, top.place("defaults")),
                            _DEFAULTS_LAYER)
    tests: list[TestCase] = []
    for raw, where in top.items("tests"):
        if not isinstance(raw, dict):
            raise SpecError(f"{where}: must be a table ([[tests]])")
        name = raw.get("name")
        label = where + (f" ({name})" if isinstance(name, str) else "")
        tests.extend(_resolve(Reader(raw, label), group_name, defaults, profiles))
    if not tests:
        raise top.error("defines no test; add a [[tests]] table")
    seen: set[str] = set()
    for test in tests:
        if test.id in seen:
            raise top.error(f"two tests are named `{test.name}`")
        seen.add(test.id)
    return Spec(path, group_name, group.get("description", str, ""), tuple(tests))


def select(spec: Spec, kind: str | None = None, names: list[str] | None = None) -> list[TestCase]:
    """Tests on `kind` (all kinds if None) whose id or name is in `names` (all if empty)."""
    tests = [t for t in spec.tests if kind is None or t.kind == kind]
    if not names:
        return tests
    chosen = []
    for wanted in names:
        found = [t for t in tests if wanted in (t.id, t.name)]
        if not found:
            on = f" on {kind}" if kind else ""
            known = ", ".join(t.id for t in tests) or "none"
            raise SpecError(f"{spec.path}: no test `{wanted}`{on} (tests: {known})")
        chosen.extend(t for t in found if t not in chosen)
    return chosen


def _parse_profiles(table: Reader | None) -> dict[str, Profile]:
    if table is not None:
        table.check_keys(KINDS)
    return {kind: parse_profile(kind, table.table(kind) if table else None) for kind in KINDS}


def _parse_layer(reader: Reader, allowed: tuple[str, ...], with_kinds: bool = True) -> dict[str, Any]:
    """Check one layer's keys and values; returns key -> parsed value, kinds -> sub-layers."""
    reader.check_keys(allowed + (KINDS if with_kinds else ()))
    layer: dict[str, Any] = {}
    if "name" in allowed:
        layer["name"] = _checked_name(reader, "name", reader.require("name", str))
        layer["description"] = reader.get("description", str, "")
    for key in ("cmdline", "hypervisor_image", "iso"):
        if key in reader.data:
            layer[key] = reader.get(key, str)
    if "cpu" in reader.data:
        layer["cpu"] = reader.get("cpu", str)
        if (problem := qemu.check_cpu(layer["cpu"])) is not None:
            raise reader.error(problem, "cpu")
    if "timeout" in reader.data:
        layer["timeout"] = reader.get("timeout", float)
        if layer["timeout"] <= 0:
            raise reader.error("must be a positive number of seconds", "timeout")
    if "points" in reader.data:
        layer["points"] = reader.get("points", float)
        if layer["points"] < 0:
            raise reader.error("must not be negative", "points")
    if "ordered" in reader.data:
        layer["ordered"] = reader.get("ordered", bool)
    if "outcome" in reader.data:
        layer["outcome"] = parse_outcome(reader, reader.get("outcome", str))
    if "hypervisors" in reader.data or "hypervisor" in reader.data:
        layer["hypervisors"] = _parse_kinds(reader)
    if "modules" in reader.data:
        layer["modules"] = tuple(_parse_module(raw, where) for raw, where in reader.items("modules"))
    for key in ("expect", "forbid"):
        if key in reader.data:
            layer[key] = tuple(_parse_expectation(raw, where) for raw, where in reader.items(key))
    if "input" in reader.data:
        layer["input"] = tuple(_parse_input(raw, where) for raw, where in reader.items("input"))
    if with_kinds:
        # A test's kind table may replace its expect and input; the defaults' may not set them.
        kind_keys = _KIND_LAYER if "name" in allowed else _SETTINGS
        for kind in KINDS:
            sub = reader.table(kind)
            if sub is not None:
                layer[kind] = _parse_layer(sub, kind_keys, with_kinds=False)
    return layer


def _parse_kinds(reader: Reader) -> tuple[str, ...]:
    if "hypervisors" in reader.data and "hypervisor" in reader.data:
        raise reader.error("set `hypervisor` or `hypervisors`, not both")
    if "hypervisor" in reader.data:
        kinds = [reader.get("hypervisor", str)]
    else:
        kinds = reader.get("hypervisors", list)
    key = "hypervisor" if "hypervisor" in reader.data else "hypervisors"
    if not kinds:
        raise reader.error("must name at least one hypervisor", key)
    for kind in kinds:
        if kind not in KINDS:
            raise reader.error(f"unknown hypervisor {kind!r}; expected one of: {', '.join(KINDS)}", key)
    if len(set(kinds)) != len(kinds):
        raise reader.error("names a hypervisor twice", key)
    return tuple(kinds)


def _parse_module(raw: Any, where: str) -> Module:
    if isinstance(raw, str):
        image, _, string = raw.strip().partition(" ")
        if not image:
            raise SpecError(f"{where}: empty module")
        return Module(image, string.strip())
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: must be \"image string\" or {{ image = ..., string = ... }}")
    reader = Reader(raw, where)
    reader.check_keys(("image", "string"))
    image = reader.require("image", str)
    if not image or any(c.isspace() for c in image):
        raise reader.error("must be a path without blanks (QEMU splits a module at its first blank)",
                           "image")
    return Module(image, reader.get("string", str, ""))


def _parse_expectation(raw: Any, where: str) -> Expectation:
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: must be a table such as {{ line = \"...\", domain = 1 }}")
    reader = Reader(raw, where)
    reader.check_keys([k.value for k in MatchKind] + ["domain", "hypervisor"])
    kinds = [k for k in MatchKind if k.value in raw]
    if len(kinds) != 1:
        raise reader.error("needs exactly one of `line`, `contains`, `regex`")
    kind = kinds[0]
    pattern = reader.get(kind.value, str)
    domain = reader.get("domain", int)
    hypervisor = reader.get("hypervisor", bool, False)
    if domain is not None and domain < 0:
        raise reader.error("must not be negative", "domain")
    if domain is not None and hypervisor:
        raise reader.error("`domain` and `hypervisor = true` exclude each other")
    try:
        return Expectation(kind, pattern, domain, hypervisor)
    except re.error as error:
        raise reader.error(f"bad regular expression {pattern!r}: {error}", "regex") from None


def _parse_input(raw: Any, where: str) -> InputStep:
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: must be a table such as "
                        "{ after = { line = \"ready\", domain = 0 }, send = \"hello\\n\" }")
    reader = Reader(raw, where)
    reader.check_keys(("after", "send"))
    if "after" not in raw:
        raise reader.error("missing required key `after` (input is sent only once a line "
                           "matching it has appeared, never on a timer)")
    if not isinstance(raw["after"], dict):
        raise reader.error(f"must be a table such as {{ line = \"ready\", domain = 0 }}, "
                           f"not {raw['after']!r}", "after")
    send = reader.require("send", str)
    if not send:
        raise reader.error("must not be empty", "send")
    return InputStep(_parse_expectation(raw["after"], reader.place("after")), send.encode("utf-8"))


def _checked_name(reader: Reader, key: str, name: str) -> str:
    if not _NAME.fullmatch(name):
        raise reader.error(f"{name!r} must be letters, digits, `.`, `_` or `-` "
                           "(it names ctest tests and log files)", key)
    return name


def _resolve(reader: Reader, group: str, defaults: dict[str, Any],
             profiles: dict[str, Profile]) -> list[TestCase]:
    """The TestCases of one [[tests]] entry, one per kind of hypervisor it runs on."""
    test = _parse_layer(reader, _TEST_LAYER)
    kinds = test.get("hypervisors", defaults.get("hypervisors", _BUILTIN_SETTINGS["hypervisors"]))
    for kind in KINDS:
        if kind in test and kind not in kinds:
            raise reader.error(f"has a [tests.{kind}] table but does not run on {kind} "
                               f"(hypervisors = {list(kinds)})")
    cases = []
    for kind in kinds:
        layers = [test.get(kind, {}), test, defaults.get(kind, {}), defaults, _BUILTIN_SETTINGS]

        def value(key: str) -> Any:
            return next(layer[key] for layer in layers if key in layer)

        profile = profiles[kind]
        modules = value("modules")
        iso = value("iso")
        cmdline = value("cmdline")
        if iso is not None and (modules or cmdline):
            raise reader.error(f"on {kind}: `iso` excludes `modules` and `cmdline` "
                               "(the ISO's grub.cfg holds them)")
        forbid = (_first(layers[2:4], "forbid") or ()) + (_first(layers[0:2], "forbid") or ())
        cases.append(TestCase(
            group=group, name=test["name"], kind=kind, description=test["description"],
            points=value("points"),
            hypervisor_image=next((layer["hypervisor_image"] for layer in layers[:4]
                                   if "hypervisor_image" in layer), profile.image),
            cmdline=cmdline, modules=modules, iso=iso, timeout=value("timeout"),
            outcome=value("outcome"), ordered=value("ordered"),
            expect=_first(layers[0:2], "expect") or (), forbid=forbid, profile=profile,
            input=_first(layers[0:2], "input") or (), cpu=value("cpu"),
        ))
    return cases


def _first(layers: list[dict[str, Any]], key: str) -> Any:
    return next((layer[key] for layer in layers if key in layer), None)
