# SPDX-License-Identifier: MIT
"""Typed access to one TOML table of a spec, with errors that say exactly where and what."""

from __future__ import annotations

from typing import Any, Iterable


class SpecError(Exception):
    """A spec that cannot be read or does not follow the format (see grader/README.md)."""


_TOML_TYPES = {
    str: "a string",
    bool: "true or false",
    int: "an integer",
    float: "a number",
    list: "an array",
    dict: "a table",
}


def _describe(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_TOML_TYPES[k] for k in kinds)


class Reader:
    """One table of the spec and where it is, e.g. `foundation.toml: tests[2] (boot)`."""

    def __init__(self, data: dict[str, Any], where: str, top: bool = False) -> None:
        self.data = data
        self.where = where
        self._top = top  # the file itself: its keys read `file.toml: key`

    def place(self, key: str) -> str:
        """Where one of this table's keys is."""
        return f"{self.where}: {key}" if self._top else f"{self.where}.{key}"

    def error(self, message: str, key: str | None = None) -> SpecError:
        """An error located at this table, or at one of its keys."""
        return SpecError(f"{self.place(key) if key else self.where}: {message}")

    def check_keys(self, allowed: Iterable[str]) -> None:
        """Refuse keys this table does not know (catches typos such as `regx`)."""
        known = sorted(set(allowed))
        for key in self.data:
            if key not in known:
                raise self.error(f"unknown key `{key}`; expected one of: {', '.join(known)}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        """The value of `key` checked to be of `kind`, or `default` when absent."""
        if key not in self.data:
            return default
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if kind is int and isinstance(value, bool):
            raise self.error(f"must be {_describe(int)}, not {value!r}", key)
        if not isinstance(value, kind):
            raise self.error(f"must be {_describe(kind)}, not {value!r}", key)
        return value

    def require(self, key: str, kind: type) -> Any:
        """Like get(), for a key that must be present."""
        if key not in self.data:
            raise self.error(f"missing required key `{key}`")
        return self.get(key, kind)

    def table(self, key: str) -> Reader | None:
        """The sub-table `key`, or None when absent."""
        value = self.get(key, dict)
        return None if value is None else Reader(value, self.place(key))

    def items(self, key: str) -> list[tuple[Any, str]]:
        """The entries of array `key` with their locations, e.g. `...expect[0]`."""
        values = self.get(key, list, [])
        return [(value, f"{self.place(key)}[{index}]") for index, value in enumerate(values)]
