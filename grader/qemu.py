# SPDX-License-Identifier: MIT
"""The QEMU command line for a Xenolith boot (a fixed contract with the hypervisor side)."""

from __future__ import annotations

import dataclasses
import os
import pathlib
import shutil

QEMU_ENV = "XENOLITH_QEMU"
DEFAULT_QEMU = "qemu-system-x86_64"
ACCELS = ("tcg", "kvm")

# The machine every boot gets. isa-debug-exit at 0xf4 turns the hypervisor's
# `out 0xf4, v` into QEMU's exit status (v << 1) | 1; -no-reboot turns a reset or a
# triple fault into exit status 0. SMAP is off: a PV guest kernel runs in ring 3 and
# touches its user pages, so the hypervisor keeps it off like Xen does for PV.
MACHINE_ARGS = (
    "-cpu", "max,-smap", "-m", "512", "-smp", "1",
    "-nodefaults", "-no-reboot", "-display", "none", "-monitor", "none",
    "-serial", "stdio",
    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
)


@dataclasses.dataclass(frozen=True)
class BootModule:
    """A Multiboot module: a file and the string after its path."""

    path: pathlib.Path
    string: str = ""


@dataclasses.dataclass(frozen=True)
class BootImage:
    """What QEMU boots: a Multiboot kernel with command line and modules, or an ISO."""

    kernel: pathlib.Path | None = None
    append: str = ""
    modules: tuple[BootModule, ...] = ()
    iso: pathlib.Path | None = None

    def files(self) -> list[tuple[str, pathlib.Path]]:
        """Every file the boot reads, with what it is, e.g. ("module 1", path)."""
        if self.iso is not None:
            return [("ISO", self.iso)]
        assert self.kernel is not None
        named = [("hypervisor image", self.kernel)]
        named += [(f"module {i}", m.path) for i, m in enumerate(self.modules, start=1)]
        return named


def qemu_binary(override: str | None = None) -> str:
    """The QEMU to run: the option, else $XENOLITH_QEMU, else qemu-system-x86_64 on PATH."""
    return override or os.environ.get(QEMU_ENV) or DEFAULT_QEMU


def resolve_binary(name: str) -> str | None:
    """The full path of the QEMU binary, or None if it cannot be found or run."""
    if os.sep in name:
        return name if os.access(name, os.X_OK) and os.path.isfile(name) else None
    return shutil.which(name)


def initrd_entry(module: BootModule) -> str:
    """One module in -initrd syntax: `path string`, with commas doubled.

    QEMU splits -initrd at single commas and reads `,,` as a literal comma; it takes
    the module's file name to be the text before the first blank.
    """
    text = str(module.path)
    if not text or any(c.isspace() for c in text):
        raise ValueError(f"module path {text!r} is empty or contains a blank, which QEMU cannot load")
    if module.string:
        text += " " + module.string
    return text.replace(",", ",,")


def initrd_argument(modules: tuple[BootModule, ...]) -> str:
    """The value of -initrd for all modules, in boot order."""
    return ",".join(initrd_entry(m) for m in modules)


def build_command(qemu: str, accel: str, image: BootImage) -> list[str]:
    """The complete argv for booting `image` under `accel` (tcg or kvm)."""
    if accel not in ACCELS:
        raise ValueError(f"unknown accelerator {accel!r}")
    argv = [qemu, "-accel", accel, *MACHINE_ARGS]
    if image.iso is not None:
        return argv + ["-cdrom", str(image.iso), "-boot", "d"]
    if image.kernel is None:
        raise ValueError("nothing to boot: neither a kernel nor an ISO")
    argv += ["-kernel", str(image.kernel), "-append", image.append]
    if image.modules:
        argv += ["-initrd", initrd_argument(image.modules)]
    return argv
