# SPDX-License-Identifier: MIT
"""Tests of the KVM probe: its kernel, its time limit, and the choice of accelerator."""

from __future__ import annotations

import shutil
import struct
import time
import unittest
from unittest import mock

from grader import kvm
from grader.tests.helpers import Scratch


class ProbeKernelTest(unittest.TestCase):
    def test_multiboot_header_is_valid(self) -> None:
        image = kvm.probe_kernel()
        magic, flags, checksum, header, load, load_end, bss_end, entry = struct.unpack_from("<8I", image)
        self.assertEqual(magic, 0x1BADB002)
        self.assertEqual((magic + flags + checksum) & 0xFFFFFFFF, 0)
        self.assertTrue(flags & (1 << 16))
        self.assertEqual(load_end - load, len(image))
        self.assertEqual(image[entry - load:entry - load + 4], bytes([0xB0, 0x00, 0xE6, 0xF4]))

    @unittest.skipUnless(shutil.which("qemu-system-x86_64"), "needs qemu-system-x86_64")
    def test_probe_kernel_powers_off_under_tcg(self) -> None:
        self.assertIsNone(kvm.probe(shutil.which("qemu-system-x86_64") or "", accel="tcg", seconds=30))


class ProbeTest(unittest.TestCase):
    def setUp(self) -> None:
        self.scratch = Scratch(self)

    def fake(self, **scenario: object) -> str:
        return self.scratch.wrapper("probe-qemu", self.scratch.scenario("probe.json", **scenario))

    def test_a_hanging_accelerator_is_given_up_quickly(self) -> None:
        started = time.monotonic()
        problem = kvm.probe(self.fake(hang=True), accel="tcg", seconds=0.5)
        self.assertEqual(problem, "a trivial tcg boot did not finish within 0.5 s")
        self.assertLess(time.monotonic() - started, 5)

    def test_a_failing_accelerator_reports_qemus_words(self) -> None:
        problem = kvm.probe(self.fake(stderr=["qemu: failed to set MSR"], exit=134), accel="tcg")
        self.assertEqual(problem, "a trivial tcg boot failed (QEMU status 134): qemu: failed to set MSR")

    def test_a_working_accelerator_passes(self) -> None:
        self.assertIsNone(kvm.probe(self.fake(exit=1), accel="tcg"))


class ChooseTest(unittest.TestCase):
    def test_tcg_needs_no_probe(self) -> None:
        with mock.patch.object(kvm, "probe") as probe:
            self.assertEqual(kvm.choose_accel("tcg", "qemu"), ("tcg", None))
        probe.assert_not_called()

    def test_auto_falls_back_with_a_note_and_kvm_fails(self) -> None:
        with mock.patch.object(kvm, "probe", return_value="it hung"):
            accel, note = kvm.choose_accel("auto", "qemu")
            self.assertEqual(accel, "tcg")
            self.assertEqual(note, "note: KVM cannot be used (it hung); falling back to TCG")
            with self.assertRaisesRegex(kvm.AccelError, "KVM cannot be used: it hung"):
                kvm.choose_accel("kvm", "qemu")

    def test_working_kvm_is_used(self) -> None:
        with mock.patch.object(kvm, "probe", return_value=None):
            self.assertEqual(kvm.choose_accel("kvm", "qemu"), ("kvm", None))
            self.assertEqual(kvm.choose_accel("auto", "qemu"), ("kvm", None))


if __name__ == "__main__":
    unittest.main()
