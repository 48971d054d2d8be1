# SPDX-License-Identifier: MIT
"""Shared test fixtures: a scratch folder with a fake QEMU, scenario images and specs."""

from __future__ import annotations

import json
import os
import pathlib
import select
import shlex
import sys
import tempfile
import unittest
from typing import Any

from grader import spec
from grader.process import Registry
from grader.runner import Settings

FAKE_QEMU = pathlib.Path(__file__).parent / "fakes" / "fake_qemu.py"


class Scratch:
    """A temporary folder holding images/, logs/, spec files and the fake QEMU wrapper."""

    def __init__(self, case: unittest.TestCase) -> None:
        folder = tempfile.TemporaryDirectory(prefix="grader-test.")
        case.addCleanup(folder.cleanup)
        self.root = pathlib.Path(folder.name)
        self.images = self.root / "images"
        self.logs = self.root / "logs"
        self.images.mkdir()
        self.qemu = self.wrapper("qemu")

    def wrapper(self, name: str, scenario: pathlib.Path | None = None) -> str:
        """An executable that runs the fake QEMU (with a fixed scenario if given)."""
        path = self.root / name
        extra = f"--scenario {shlex.quote(str(scenario))} " if scenario else ""
        path.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} "
                        f"{shlex.quote(str(FAKE_QEMU))} {extra}\"$@\"\n")
        path.chmod(0o755)
        return str(path)

    def scenario(self, name: str, **keys: Any) -> pathlib.Path:
        """Write images/<name> as a fake-QEMU scenario (see fakes/fake_qemu.py)."""
        path = self.images / name
        path.write_text(json.dumps(keys))
        return path

    def file(self, name: str, text: str = "") -> pathlib.Path:
        """Write images/<name> (e.g. a module the fake ignores)."""
        path = self.images / name
        path.write_text(text)
        return path

    def fifo(self, name: str) -> pathlib.Path:
        """A named pipe in the scratch folder."""
        path = self.root / name
        os.mkfifo(path)
        return path

    def spec(self, text: str, name: str = "group.toml") -> spec.Spec:
        """Parse spec text as if it were the file <name>."""
        path = self.root / name
        path.write_text(text)
        return spec.load(path)

    def settings(self, **overrides: Any) -> Settings:
        """Runner settings pointing at this folder and the fake QEMU."""
        values: dict[str, Any] = dict(images_dir=self.images, log_dir=self.logs,
                                      qemu=self.qemu, registry=Registry())
        values.update(overrides)
        return Settings(**values)


def wait_for_eof(fd: int, seconds: float = 10.0) -> bool:
    """Read fd until end of file (every writer closed it); False if that takes too long."""
    while True:
        ready, _, _ = select.select([fd], [], [], seconds)
        if not ready:
            return False
        if os.read(fd, 4096) == b"":
            return True
