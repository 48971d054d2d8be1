# SPDX-License-Identifier: MIT
"""Tests of the exit-status protocol and of the CLI's exit codes."""

from __future__ import annotations

import unittest

from grader.verdict import (EXIT_CODES, EXIT_USAGE, Outcome, Verdict, describe_status,
                            outcome_exit_code, outcome_from_status, worst)


class StatusTest(unittest.TestCase):
    def test_protocol_statuses(self) -> None:
        expected = {0: Outcome.RESET, 1: Outcome.POWEROFF, 3: Outcome.CRASH,
                    5: Outcome.PANIC, 7: Outcome.OTHER_SHUTDOWN}
        for status, outcome in expected.items():
            self.assertIs(outcome_from_status(status), outcome, status)

    def test_statuses_outside_the_protocol_are_unknown(self) -> None:
        for status in (2, 9, 255, -9):
            self.assertIs(outcome_from_status(status), Outcome.UNKNOWN, status)
        self.assertIn("unknown value 4", describe_status(9))
        self.assertIn("signal 9", describe_status(-9))
        self.assertIn("triple fault", describe_status(0))


class ExitCodeTest(unittest.TestCase):
    def test_every_verdict_has_its_own_code_and_none_is_the_usage_code(self) -> None:
        codes = list(EXIT_CODES.values())
        self.assertEqual(len(codes), len(set(codes)))
        self.assertEqual(set(EXIT_CODES), set(Verdict))
        self.assertNotIn(EXIT_USAGE, codes)
        self.assertEqual(EXIT_CODES[Verdict.PASSED], 0)

    def test_worst_verdict_puts_setup_problems_first(self) -> None:
        self.assertIs(worst([]), Verdict.PASSED)
        self.assertIs(worst([Verdict.PASSED, Verdict.FAILED, Verdict.GUEST_CRASH]), Verdict.GUEST_CRASH)
        self.assertIs(worst([Verdict.TIMEOUT, Verdict.QEMU_COULD_NOT_START]), Verdict.QEMU_COULD_NOT_START)

    def test_boot_exit_codes(self) -> None:
        self.assertEqual(outcome_exit_code(Outcome.POWEROFF), 0)
        self.assertEqual(outcome_exit_code(Outcome.RESET), EXIT_CODES[Verdict.HYPERVISOR_PANIC])
        self.assertEqual(outcome_exit_code(Outcome.CRASH), EXIT_CODES[Verdict.GUEST_CRASH])
        self.assertNotEqual(outcome_exit_code(Outcome.OTHER_SHUTDOWN), 0)


if __name__ == "__main__":
    unittest.main()
