# SPDX-License-Identifier: MIT
"""Tests of the QEMU command line: the fixed contract and the -initrd comma escaping."""

from __future__ import annotations

import os
import pathlib
import unittest
from unittest import mock

from grader import qemu
from grader.qemu import BootImage, BootModule


class InitrdTest(unittest.TestCase):
    def test_commas_in_strings_and_paths_are_doubled(self) -> None:
        module = BootModule(pathlib.Path("/b/a,b.elf"), "name=x cpus=0,1 -- arg")
        self.assertEqual(qemu.initrd_entry(module), "/b/a,,b.elf name=x cpus=0,,1 -- arg")

    def test_a_module_without_string_is_just_its_path(self) -> None:
        self.assertEqual(qemu.initrd_entry(BootModule(pathlib.Path("/b/m.elf"))), "/b/m.elf")

    def test_modules_are_joined_by_single_commas_in_boot_order(self) -> None:
        modules = (BootModule(pathlib.Path("/b/dom0.elf"), "role=control --"),
                   BootModule(pathlib.Path("/b/disk.img")),
                   BootModule(pathlib.Path("/b/g.elf"), "a,b"))
        self.assertEqual(qemu.initrd_argument(modules),
                         "/b/dom0.elf role=control --,/b/disk.img,/b/g.elf a,,b")

    def test_a_path_with_a_blank_is_refused(self) -> None:
        with self.assertRaisesRegex(ValueError, "contains a blank"):
            qemu.initrd_entry(BootModule(pathlib.Path("/my images/g.elf")))


class CommandTest(unittest.TestCase):
    def test_kernel_boot_follows_the_contract(self) -> None:
        image = BootImage(kernel=pathlib.Path("/b/xenolith.elf"), append="loglvl=debug",
                          modules=(BootModule(pathlib.Path("/b/g.elf"), "x,y"),))
        self.assertEqual(qemu.build_command("qemu", "tcg", image), [
            "qemu", "-accel", "tcg", "-cpu", "max,-smap", "-m", "512", "-smp", "1",
            "-nodefaults", "-no-reboot", "-display", "none", "-monitor", "none",
            "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-kernel", "/b/xenolith.elf", "-append", "loglvl=debug", "-initrd", "/b/g.elf x,,y"])

    def test_a_test_may_choose_the_cpu_model(self) -> None:
        argv = qemu.build_command("qemu", "tcg", BootImage(kernel=pathlib.Path("/b/x")), "max")
        self.assertEqual(argv[3:5], ["-cpu", "max"])
        self.assertEqual(argv.count("-cpu"), 1)

    def test_a_cpu_model_with_a_blank_is_refused(self) -> None:
        with self.assertRaisesRegex(ValueError, "contains a blank"):
            qemu.build_command("qemu", "tcg", BootImage(kernel=pathlib.Path("/b/x")), "max -smap")

    def test_iso_boot_has_no_kernel_append_or_initrd(self) -> None:
        argv = qemu.build_command("qemu", "kvm", BootImage(iso=pathlib.Path("/b/x.iso")))
        self.assertEqual(argv[1:3], ["-accel", "kvm"])
        self.assertEqual(argv[-4:], ["-cdrom", "/b/x.iso", "-boot", "d"])
        for flag in ("-kernel", "-append", "-initrd"):
            self.assertNotIn(flag, argv)

    def test_no_modules_means_no_initrd(self) -> None:
        argv = qemu.build_command("qemu", "tcg", BootImage(kernel=pathlib.Path("/b/xen")))
        self.assertNotIn("-initrd", argv)
        self.assertEqual(argv[-2:], ["-append", ""])

    def test_unknown_accelerator_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            qemu.build_command("qemu", "hvf", BootImage(kernel=pathlib.Path("/b/x")))

    def test_binary_comes_from_option_then_environment_then_default(self) -> None:
        with mock.patch.dict(os.environ, {qemu.QEMU_ENV: "/opt/q"}):
            self.assertEqual(qemu.qemu_binary("/x/q"), "/x/q")
            self.assertEqual(qemu.qemu_binary(None), "/opt/q")
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertEqual(qemu.qemu_binary(None), "qemu-system-x86_64")

    def test_resolve_binary_refuses_missing_files(self) -> None:
        self.assertIsNone(qemu.resolve_binary("/nonexistent/qemu"))
        self.assertIsNone(qemu.resolve_binary("no-such-qemu-binary-anywhere"))


if __name__ == "__main__":
    unittest.main()
