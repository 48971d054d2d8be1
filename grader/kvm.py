# SPDX-License-Identifier: MIT
"""Choosing the accelerator: TCG always works; KVM is used only after a short probe boot.

The probe boots a 40-byte Multiboot kernel that writes 0 to isa-debug-exit, with the
same machine arguments as a real boot, and gives up after a few seconds: on some hosts
/dev/kvm exists but a KVM guest never runs, or QEMU aborts on a CPU feature.
"""

from __future__ import annotations

import os
import pathlib
import struct
import tempfile

from grader import qemu
from grader.process import LaunchError, StopReason, run_session

PROBE_SECONDS = 5.0
KVM_DEVICE = "/dev/kvm"

_MULTIBOOT_MAGIC = 0x1BADB002
_MULTIBOOT_AOUT_KLUDGE = 1 << 16  # header carries load addresses (Multiboot 0.6.96, 3.1.1)
_LOAD_ADDRESS = 0x100000          # 1 MiB, where QEMU's Multiboot loader expects kernels
# 32-bit protected mode, as Multiboot enters the kernel:
#   mov al, 0 ; out 0xf4, al  -> QEMU exits with status (0 << 1) | 1 = 1
#   cli ; hlt ; jmp cli       -> never reached
_PROBE_CODE = bytes([0xB0, 0x00, 0xE6, 0xF4, 0xFA, 0xF4, 0xEB, 0xFC])


class AccelError(Exception):
    """KVM was required but cannot be used."""


def probe_kernel() -> bytes:
    """A minimal Multiboot1 kernel (a.out kludge) that powers the machine off."""
    header_size = 8 * 4
    end = _LOAD_ADDRESS + header_size + len(_PROBE_CODE)
    checksum = -(_MULTIBOOT_MAGIC + _MULTIBOOT_AOUT_KLUDGE) & 0xFFFFFFFF
    header = struct.pack("<8I", _MULTIBOOT_MAGIC, _MULTIBOOT_AOUT_KLUDGE, checksum,
                         _LOAD_ADDRESS,                 # header_addr: the header is at the start
                         _LOAD_ADDRESS,                 # load_addr
                         end,                           # load_end_addr
                         end,                           # bss_end_addr: no bss
                         _LOAD_ADDRESS + header_size)   # entry_addr: right after the header
    return header + _PROBE_CODE


def probe(qemu_binary: str, accel: str = "kvm", seconds: float = PROBE_SECONDS) -> str | None:
    """None if `accel` boots the probe kernel within `seconds`, else why it did not."""
    if accel == "kvm" and not os.access(KVM_DEVICE, os.R_OK | os.W_OK):
        return f"{KVM_DEVICE} is missing or not accessible"
    with tempfile.TemporaryDirectory(prefix="grader-kvm-probe.") as folder:
        kernel = pathlib.Path(folder) / "probe.elf"
        kernel.write_bytes(probe_kernel())
        argv = qemu.build_command(qemu_binary, accel, qemu.BootImage(kernel=kernel))
        try:
            end = run_session(argv, seconds, lambda line: None)
        except LaunchError as error:
            return str(error)
    if end.reason is StopReason.TIMEOUT:
        return f"a trivial {accel} boot did not finish within {seconds:g} s"
    if end.reason is not StopReason.EXITED:
        return "the probe was interrupted"
    if end.status != 1:
        errors = [line for line in end.stderr.splitlines() if line.strip()]
        detail = f": {errors[0].strip()}" if errors else ""
        assert end.status is not None
        how = (f"QEMU died of signal {-end.status}" if end.status < 0
               else f"QEMU status {end.status}")
        return f"a trivial {accel} boot failed ({how}){detail}"
    return None


def choose_accel(requested: str, qemu_binary: str) -> tuple[str, str | None]:
    """The accelerator to use and a note for the user.

    `tcg`: TCG, no probe. `auto`: KVM if the probe passes, else TCG with a note.
    `kvm`: KVM if the probe passes, else AccelError.
    """
    if requested == "tcg":
        return "tcg", None
    problem = probe(qemu_binary)
    if problem is None:
        return "kvm", None
    if requested == "kvm":
        raise AccelError(f"KVM cannot be used: {problem} (use --accel tcg or auto)")
    return "tcg", f"note: KVM cannot be used ({problem}); falling back to TCG"
