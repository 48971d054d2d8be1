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

# The CPU model, unless a test chooses another (spec key `cpu`, `boot --cpu`). It hides
# SMAP: Xen 4.17, the oracle, turns SMAP on whenever the CPU has it, and Debian 12's QEMU
# 7.2 then faults a PV guest kernel's own IRETQ in ring 3 on its stack. Xenolith probes
# for that at boot (hypervisor/arch/x86_64/smap.cpp); tests that want to see the probe
# ask for `max`.
DEFAULT_CPU = "max,-smap"

# The machine every boot gets. isa-debug-exit at 0xf4 turns the hypervisor's
# `out 0xf4, v` into QEMU's exit status (v << 1) | 1; -no-reboot turns a reset or a
# triple fault into exit status 0.
MACHINE_ARGS = (
    "-m", "512", "-smp", "1",
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


def check_cpu(cpu: str) -> str | None:
    """Why `cpu` cannot be a -cpu value (empty, or with a blank), or None if it can."""
    if not cpu:
        return "is empty"
    if any(c.isspace() for c in cpu):
        return "contains a blank (a -cpu value is one word, such as max,-smap)"
    return None


def build_command(qemu: str, accel: str, image: BootImage, cpu: str = DEFAULT_CPU) -> list[str]:
    """The complete argv for booting `image` under `accel` (tcg or kvm) on CPU model `cpu`."""
    if accel not in ACCELS:
        raise ValueError(f"unknown accelerator {accel!r}")
    if (problem := check_cpu(cpu)) is not None:
        raise ValueError(f"CPU model {cpu!r} {problem}")
    argv = [qemu, "-accel", accel, "-cpu", cpu, *MACHINE_ARGS]
    if image.iso is not None:
        return argv + ["-cdrom", str(image.iso), "-boot", "d"]
    if image.kernel is None:
        raise ValueError("nothing to boot: neither a kernel nor an ISO")
    argv += ["-kernel", str(image.kernel), "-append", image.append]
    if image.modules:
        argv += ["-initrd", initrd_argument(image.modules)]
    return argv
