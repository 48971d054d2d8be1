# SPDX-License-Identifier: MIT
"""Tests of the command line: list, run, boot, their output and exit codes, and Ctrl-C."""

from __future__ import annotations

import contextlib
import io
import json
import os
import pathlib
import signal
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

from grader.cli import main
from grader.tests.helpers import Scratch, wait_for_eof

REPO = pathlib.Path(__file__).resolve().parents[2]

SPEC = """
[group]
name = "cli"

[defaults]
hypervisors = ["xenolith", "xen"]
timeout = 30

[defaults.xen]
cmdline = "console=com1"

[[tests]]
name = "good"
hypervisor_image = "good.json"
expect = [ { line = "hello", domain = 1 } ]

[tests.xen]
hypervisor_image = "good.json"
expect = [ { line = "(d1) hello" } ]

[[tests]]
name = "crashy"
hypervisor = "xenolith"
hypervisor_image = "crash.json"
"""


class CliTest(unittest.TestCase):
    def setUp(self) -> None:
        self.scratch = Scratch(self)
        self.scratch.scenario("good.json", serial=["(d1) hello"], exit=1)
        self.scratch.scenario("crash.json", serial=["domain d1 crashed: #GP at 0x1000"], exit=3)
        self.spec = self.scratch.root / "cli.toml"
        self.spec.write_text(SPEC)

    def cli(self, *args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
        return code, out.getvalue(), err.getvalue()

    def run_args(self, *args: str) -> list[str]:
        return ["run", str(self.spec), "--qemu", self.scratch.qemu, "--images-dir",
                str(self.scratch.images), "--log-dir", str(self.scratch.logs), *args]

    def test_list_prints_one_id_per_line(self) -> None:
        self.assertEqual(self.cli("list", str(self.spec)), (0, "good\ngood@xen\ncrashy\n", ""))
        self.assertEqual(self.cli("list", str(self.spec), "--hypervisor", "xen")[1], "good@xen\n")

    def test_malformed_spec_is_a_usage_error_with_the_place(self) -> None:
        self.spec.write_text('[[tests]]\nname = "a"\ntimeout = "x"\n')
        code, out, err = self.cli("list", str(self.spec))
        self.assertEqual((code, out), (2, ""))
        self.assertIn("cli.toml: tests[0] (a).timeout: must be a number", err)

    def test_run_of_passing_tests_exits_0_with_a_summary(self) -> None:
        code, out, _ = self.cli(*self.run_args("--test", "good", "--jobs", "2"))
        self.assertEqual(code, 0)
        lines = out.splitlines()
        self.assertEqual(sorted(line.split()[1] for line in lines[:2]), ["cli/good", "cli/good@xen"])
        self.assertEqual(lines[-1], "2 passed, 0 failed")

    def test_run_with_a_crash_exits_5_explains_and_reports(self) -> None:
        report = self.scratch.root / "junit.xml"
        code, out, _ = self.cli(*self.run_args("--report", "junit", str(report)))
        self.assertEqual(code, 5)
        self.assertIn("CRASH cli/crashy", out)
        self.assertIn("---- cli/crashy: guest-crash ----", out)
        self.assertIn("why:     guest crash: d1 crashed: #GP at 0x1000", out)
        self.assertIn(f"log:     {self.scratch.logs / 'cli' / 'crashy.log'}", out)
        self.assertIn("  | domain d1 crashed: #GP at 0x1000", out)
        self.assertTrue(out.endswith("2 passed, 1 failed\n"))
        self.assertEqual(ET.parse(report).getroot().get("failures"), "1")

    def test_unknown_test_and_unknown_report_are_usage_errors(self) -> None:
        code, _, err = self.cli(*self.run_args("--test", "nope"))
        self.assertEqual(code, 2)
        self.assertIn("no test `nope` (tests: good, good@xen, crashy)", err)
        self.assertEqual(self.cli(*self.run_args("--report", "gradescope", "x.json"))[0], 2)

    def test_missing_qemu_exits_6(self) -> None:
        code, out, _ = self.cli(*self.run_args("--qemu", "/nonexistent/qemu", "--test", "good@xen"))
        self.assertEqual(code, 6)
        self.assertIn("QEMU binary `/nonexistent/qemu` not found", out)

    def test_boot_maps_outcomes_to_exit_codes(self) -> None:
        for scenario, expected in (("good.json", 0), ("crash.json", 5)):
            kernel = str(self.scratch.images / scenario)
            code, out, err = self.cli("boot", "--kernel", kernel, "--qemu", self.scratch.qemu)
            self.assertEqual(code, expected, err)
        self.assertIn("a domain crashed (QEMU status 3) (d1 crashed: #GP at 0x1000)", err)
        self.scratch.scenario("panic.json", serial=["PANIC: x"], exit=5)
        code, _, err = self.cli("boot", "--kernel", str(self.scratch.images / "panic.json"),
                                "--qemu", self.scratch.qemu)
        self.assertEqual(code, 4)
        code, _, err = self.cli("boot", "--kernel", "/nonexistent.elf", "--qemu", self.scratch.qemu)
        self.assertEqual(code, 6)


    def test_boot_demo_takes_its_images_from_the_build_tree(self) -> None:
        argv_file = self.scratch.root / "argv.json"
        build = self.scratch.root / "build"
        (build / "images").mkdir(parents=True)
        (build / "images" / "xenolith.elf").write_text(
            json.dumps({"serial": ["(d0) hi"], "record_argv": str(argv_file)}))
        (build / "images" / "test-events.elf").write_text("")
        code, out, _ = self.cli("boot", "--demo", "--build-dir", str(build), "--qemu", self.scratch.qemu)
        self.assertEqual((code, out), (0, "(d0) hi\r\n"))
        argv = json.loads(argv_file.read_text())
        self.assertEqual(argv[argv.index("-kernel") + 1], str((build / "images" / "xenolith.elf").absolute()))
        guest = str((build / "images" / "test-events.elf").absolute())
        # Two domains of the events program: one pings, the other answers.
        self.assertEqual(argv[argv.index("-initrd") + 1],
                         f"{guest} name=ping -- role=ping remote=1,{guest} name=pong -- role=pong remote=0")


class InterruptTest(unittest.TestCase):
    def test_ctrl_c_stops_every_qemu_and_exits_130(self) -> None:
        self.interrupt(signal.SIGINT, 130)

    def test_sigterm_stops_every_qemu_and_exits_143(self) -> None:
        self.interrupt(signal.SIGTERM, 143)

    def interrupt(self, signum: int, expected_code: int) -> None:
        scratch = Scratch(self)
        fifo = scratch.fifo("held")
        fifo_fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.addCleanup(os.close, fifo_fd)
        scratch.scenario("hang.json", serial=["READY"], hang=True, hold_fifo=str(fifo), spawn_child=True)
        spec = scratch.root / "hang.toml"
        spec.write_text('[[tests]]\nname = "a"\nhypervisor_image = "hang.json"\ntimeout = 600\n'
                        '[[tests]]\nname = "b"\nhypervisor_image = "hang.json"\ntimeout = 600\n')
        grader = subprocess.Popen(
            [sys.executable, "-m", "grader", "run", str(spec), "-v", "--jobs", "2", "--qemu", scratch.qemu,
             "--images-dir", str(scratch.images), "--log-dir", str(scratch.logs)],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(grader.kill)
        assert grader.stdout is not None
        ready = set()
        while len(ready) < 2:
            line = grader.stdout.readline()
            self.assertTrue(line, "the grader ended before both boots were ready")
            if line.strip().endswith("] READY"):
                ready.add(line.split("]")[0])
        grader.send_signal(signum)
        out, err = grader.communicate(timeout=30)
        self.assertEqual(grader.returncode, expected_code, err)
        if signum == signal.SIGINT:
            self.assertIn("interrupted; every QEMU was stopped", err)
        self.assertTrue(wait_for_eof(fifo_fd), "a QEMU survived Ctrl-C")


if __name__ == "__main__":
    unittest.main()
