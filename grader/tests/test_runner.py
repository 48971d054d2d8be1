# SPDX-License-Identifier: MIT
"""Tests of the runner against the fake QEMU: verdicts, logs, timeouts, cleanup, parallelism."""

from __future__ import annotations

import json
import os
import threading
import unittest

from grader.runner import run_test, run_tests
from grader.tests.helpers import Scratch, wait_for_eof
from grader.verdict import Outcome, Verdict

BOOT = """
[[tests]]
name = "boot"
hypervisor_image = "{image}"
timeout = {timeout}
outcome = "{outcome}"
expect = [ {{ line = "hello", domain = 1 }}, {{ regex = '^d1 powered off', hypervisor = true }} ]
forbid = [ {{ regex = '^PANIC: ', hypervisor = true }} ]
"""

GOOD_CONSOLE = ["Xenolith 0.1", "(d1) hello", "d1 powered off"]


class VerdictTest(unittest.TestCase):
    """One boot per test, judged from the fake's console and exit status."""

    def setUp(self) -> None:
        self.scratch = Scratch(self)

    def run_boot(self, outcome: str = "poweroff", timeout: float = 30, **scenario: object):
        self.scratch.scenario("hv.json", **scenario)
        test = self.scratch.spec(BOOT.format(image="hv.json", timeout=timeout, outcome=outcome)).tests[0]
        return run_test(test, self.scratch.settings())

    def test_poweroff_with_every_line_passes_and_keeps_no_log(self) -> None:
        result = self.run_boot(serial=GOOD_CONSOLE, exit=1)
        self.assertEqual((result.verdict, result.message, result.outcome), (Verdict.PASSED, "", Outcome.POWEROFF))
        self.assertIsNone(result.log_path)
        self.assertEqual(list(self.scratch.logs.glob("**/*.log")), [])

    def test_a_missing_line_fails_naming_it_and_keeps_the_log(self) -> None:
        result = self.run_boot(serial=["(d1) hello", "(d1) d1 powered off"], exit=1)
        self.assertIs(result.verdict, Verdict.FAILED)
        self.assertEqual(result.message, "expected line matching /^d1 powered off/ from the hypervisor not seen")
        assert result.log_path is not None
        self.assertEqual(result.log_path, self.scratch.logs / "group" / "boot.log")
        self.assertEqual(result.log_path.read_text(), "(d1) hello\n(d1) d1 powered off\n")
        self.assertIs(self.run_boot(serial=GOOD_CONSOLE, exit=1).verdict, Verdict.PASSED)
        self.assertFalse(result.log_path.exists(), "a passing run left the old failure's log")

    def test_a_forged_panic_line_from_a_guest_is_not_forbidden(self) -> None:
        result = self.run_boot(serial=GOOD_CONSOLE + ["(d1) PANIC: not really"], exit=1)
        self.assertIs(result.verdict, Verdict.PASSED)
        result = self.run_boot(serial=GOOD_CONSOLE + ["PANIC: really"], exit=1)
        self.assertIs(result.verdict, Verdict.FAILED)
        self.assertIn("forbidden line seen: line 4 `PANIC: really`", result.message)

    def test_an_unexpected_crash_is_a_guest_crash_with_the_hypervisors_words(self) -> None:
        result = self.run_boot(serial=["(d1) hello", "domain d1 crashed: page fault at 0x10"], exit=3)
        self.assertEqual((result.verdict, result.outcome), (Verdict.GUEST_CRASH, Outcome.CRASH))
        self.assertEqual(result.message, "guest crash: d1 crashed: page fault at 0x10")

    def test_an_expected_crash_passes(self) -> None:
        result = self.run_boot(outcome="crash", serial=GOOD_CONSOLE, exit=3)
        self.assertIs(result.verdict, Verdict.PASSED)

    def test_a_panic_is_a_hypervisor_panic_with_its_message(self) -> None:
        result = self.run_boot(serial=["(d1) hello", "PANIC: mfn 0x42: type count overflow"], exit=5)
        self.assertIs(result.verdict, Verdict.HYPERVISOR_PANIC)
        self.assertEqual(result.message, "hypervisor panic: PANIC: mfn 0x42: type count overflow")

    def test_status_zero_is_a_machine_reset(self) -> None:
        result = self.run_boot(serial=["(d1) hello"], exit=0)
        self.assertEqual((result.verdict, result.outcome), (Verdict.HYPERVISOR_PANIC, Outcome.RESET))
        self.assertIn("machine reset", result.message)

    def test_other_shutdown_fails_unless_expected(self) -> None:
        result = self.run_boot(serial=GOOD_CONSOLE, exit=7)
        self.assertIs(result.verdict, Verdict.FAILED)
        self.assertIn("expected outcome poweroff, but domains ended, some by reboot", result.message)
        self.assertIs(self.run_boot(outcome="other-shutdown", serial=GOOD_CONSOLE, exit=7).verdict,
                      Verdict.PASSED)

    def test_a_status_outside_the_protocol_fails(self) -> None:
        result = self.run_boot(serial=GOOD_CONSOLE, exit=9)
        self.assertIs(result.verdict, Verdict.FAILED)
        self.assertIn("unknown value 4", result.message)

    def test_a_last_line_without_newline_counts(self) -> None:
        result = self.run_boot(serial=GOOD_CONSOLE[:2], serial_tail="d1 powered off", exit=1)
        self.assertIs(result.verdict, Verdict.PASSED)

    def test_a_qemu_error_is_not_a_poweroff(self) -> None:
        result = self.run_boot(stderr=["qemu-system-x86_64: -kernel hv: not a multiboot image"], exit=1)
        self.assertIs(result.verdict, Verdict.QEMU_COULD_NOT_START)
        self.assertEqual(result.message, "QEMU failed: qemu-system-x86_64: -kernel hv: not a multiboot image")
        assert result.log_path is not None
        self.assertIn("not a multiboot image", result.log_path.with_name("boot.qemu-stderr.log").read_text())

    def test_missing_binary_and_missing_images_cannot_start(self) -> None:
        self.scratch.scenario("hv.json", serial=GOOD_CONSOLE)
        spec = self.scratch.spec(BOOT.format(image="hv.json", timeout=5, outcome="poweroff"))
        result = run_test(spec.tests[0], self.scratch.settings(qemu="/nonexistent/qemu"))
        self.assertIs(result.verdict, Verdict.QEMU_COULD_NOT_START)
        self.assertIn("QEMU binary `/nonexistent/qemu` not found", result.message)
        spec = self.scratch.spec(BOOT.format(image="nope.elf", timeout=5, outcome="poweroff"))
        result = run_test(spec.tests[0], self.scratch.settings())
        self.assertEqual(result.message, f"hypervisor image not found: {self.scratch.images / 'nope.elf'} "
                                         "(is it built? see --images-dir)")

    def test_the_command_line_reaches_qemu_with_modules_escaped(self) -> None:
        argv_file = self.scratch.root / "argv.json"
        self.scratch.scenario("hv.json", serial=GOOD_CONSOLE, record_argv=str(argv_file))
        self.scratch.file("g.elf")
        spec = self.scratch.spec('[[tests]]\nname = "t"\nhypervisor_image = "hv.json"\n'
                                 'cmdline = "loglvl=all"\nmodules = [ "g.elf name=g,x -- a" ]\n')
        result = run_test(spec.tests[0], self.scratch.settings())
        self.assertIs(result.verdict, Verdict.PASSED)
        argv = json.loads(argv_file.read_text())
        self.assertEqual(argv[argv.index("-append") + 1], "loglvl=all")
        self.assertEqual(argv[argv.index("-initrd") + 1], f"{self.scratch.images / 'g.elf'} name=g,,x -- a")


class StopTest(unittest.TestCase):
    """Timeouts, end markers and cancellation: QEMU's whole process group must die."""

    def setUp(self) -> None:
        self.scratch = Scratch(self)
        self.fifo = self.scratch.fifo("held")
        # Opened before the fake so that its blocking open for writing can proceed;
        # end of file comes once every process holding the write end has died.
        self.fifo_fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.addCleanup(os.close, self.fifo_fd)

    def hanging(self, **extra: object) -> None:
        self.scratch.scenario("hv.json", serial=["(d1) hello", "READY"], hang=True,
                              hold_fifo=str(self.fifo), spawn_child=True, **extra)

    def assertGroupDead(self, tail: tuple[str, ...]) -> None:
        self.assertIn("READY", tail)  # the fake and its child held the FIFO by then
        self.assertTrue(wait_for_eof(self.fifo_fd), "a process of QEMU's group survived")

    def test_timeout_kills_qemu_and_its_children(self) -> None:
        self.hanging()
        spec = self.scratch.spec(BOOT.format(image="hv.json", timeout=0.5, outcome="poweroff"))
        result = run_test(spec.tests[0], self.scratch.settings())
        self.assertIs(result.verdict, Verdict.TIMEOUT)
        self.assertEqual(result.message, "no result within the time limit of 0.5 s; expected line matching "
                                         "/^d1 powered off/ from the hypervisor not seen")
        self.assertGroupDead(result.tail)

    def test_timeout_kills_a_qemu_that_ignores_sigterm(self) -> None:
        self.hanging(ignore_sigterm=True)
        spec = self.scratch.spec(BOOT.format(image="hv.json", timeout=0.5, outcome="poweroff"))
        result = run_test(spec.tests[0], self.scratch.settings())
        self.assertIs(result.verdict, Verdict.TIMEOUT)
        self.assertGroupDead(result.tail)

    def test_an_end_marker_ends_a_hypervisor_that_never_exits(self) -> None:
        self.scratch.scenario("xen.json", hang=True, hold_fifo=str(self.fifo), spawn_child=True, serial=[
            "(XEN) Xen version 4.17", "start_info magic: xen-3.0-x86_64", "READY",
            "(XEN) Hardware Dom0 halted: halting machine"])
        spec = self.scratch.spec(
            '[hypervisor.xen]\nend_grace = 0\n'
            '[[tests]]\nname = "sod"\nhypervisor = "xen"\nhypervisor_image = "xen.json"\ntimeout = 30\n'
            'expect = [ { line = "start_info magic: xen-3.0-x86_64", domain = 0 },'
            ' { regex = "^Xen version", hypervisor = true } ]\n')
        result = run_test(spec.tests[0], self.scratch.settings())
        self.assertEqual((result.verdict, result.outcome), (Verdict.PASSED, Outcome.POWEROFF))
        self.assertGroupDead(result.tail)

    def test_xen_panic_marker_gives_the_panic_message(self) -> None:
        self.scratch.scenario("xen.json", hang=True, serial=[
            "(XEN) Panic on CPU 0:", "(XEN) dom0 kernel not specified."])
        spec = self.scratch.spec('[hypervisor.xen]\nend_grace = 0.2\n'
                                 '[[tests]]\nname = "p"\nhypervisor = "xen"\nhypervisor_image = "xen.json"\n')
        result = run_test(spec.tests[0], self.scratch.settings())
        self.assertEqual(result.verdict, Verdict.HYPERVISOR_PANIC)
        self.assertEqual(result.message, "hypervisor panic: Panic on CPU 0: dom0 kernel not specified.")

    def test_xen_crash_gives_xens_account_of_the_fault(self) -> None:
        self.scratch.scenario("xen.json", hang=True, serial=[
            "fault-no-traps: writing to 0x400000000000", "(XEN) d0v0 Unhandled: vec 14, #PF[0002]",
            "(XEN) Domain 0 (vcpu#0) crashed on cpu#0:", "(XEN) Hardware Dom0 crashed: 'noreboot' set"])
        spec = self.scratch.spec('[hypervisor.xen]\nend_grace = 0\n'
                                 '[[tests]]\nname = "c"\nhypervisor = "xen"\nhypervisor_image = "xen.json"\n')
        result = run_test(spec.tests[0], self.scratch.settings())
        self.assertEqual((result.verdict, result.outcome), (Verdict.GUEST_CRASH, Outcome.CRASH))
        self.assertEqual(result.message, "guest crash: d0v0 Unhandled: vec 14, #PF[0002]")

    def test_cancel_stops_a_running_boot(self) -> None:
        self.hanging()
        spec = self.scratch.spec(BOOT.format(image="hv.json", timeout=60, outcome="poweroff"))
        settings = self.scratch.settings()
        ready = threading.Event()
        # The fake has printed READY: cancel as if Ctrl-C had been pressed.
        settings = self.scratch.settings(
            registry=settings.registry,
            echo=lambda test, line: ready.set() if line == "READY" else None)
        results = []
        worker = threading.Thread(target=lambda: results.append(run_test(spec.tests[0], settings)))
        worker.start()
        self.assertTrue(ready.wait(30))
        settings.registry.cancel()
        worker.join(30)
        self.assertFalse(worker.is_alive())
        self.assertIs(results[0].verdict, Verdict.INTERRUPTED)
        self.assertGroupDead(results[0].tail)
        self.assertIs(run_test(spec.tests[0], settings).verdict, Verdict.INTERRUPTED)


class ParallelTest(unittest.TestCase):
    def test_jobs_boot_tests_at_the_same_time(self) -> None:
        # Each fake opens one end of a FIFO, which blocks until the other end is
        # opened: with one job at a time both would hang until the time limit.
        scratch = Scratch(self)
        meeting = scratch.fifo("meeting")
        for name, mode in (("reader.json", "read"), ("writer.json", "write")):
            scratch.scenario(name, rendezvous={"path": str(meeting), "mode": mode}, serial=GOOD_CONSOLE)
        spec = scratch.spec("".join(BOOT.format(image=i, timeout=30, outcome="poweroff").replace(
            '"boot"', f'"{i[:-5]}"') for i in ("reader.json", "writer.json")))
        seen = []
        results = run_tests(list(spec.tests), scratch.settings(), jobs=2, on_result=seen.append)
        self.assertEqual([r.test.id for r in results], ["reader", "writer"])
        self.assertEqual([r.verdict for r in results], [Verdict.PASSED, Verdict.PASSED])
        self.assertCountEqual([r.test.id for r in seen], ["reader", "writer"])

    def test_logs_of_passed_tests_are_kept_on_request(self) -> None:
        scratch = Scratch(self)
        scratch.scenario("hv.json", serial=GOOD_CONSOLE)
        spec = scratch.spec(BOOT.format(image="hv.json", timeout=30, outcome="poweroff"), name="keep.toml")
        (result,) = run_tests(list(spec.tests), scratch.settings(keep_logs=True))
        self.assertIs(result.verdict, Verdict.PASSED)
        self.assertEqual((scratch.logs / "keep" / "boot.log").read_text(), "\n".join(GOOD_CONSOLE) + "\n")
        self.assertEqual(sorted(p.name for p in (scratch.logs / "keep").iterdir()), ["boot.log"])


if __name__ == "__main__":
    unittest.main()
