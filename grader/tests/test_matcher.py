# SPDX-License-Identifier: MIT
"""Tests of expected and forbidden lines: prefix rules, domain filter, match kinds, order."""

from __future__ import annotations

import unittest

from grader.console import Classifier, ConsoleLine
from grader.matcher import Expectation, LineChecker, MatchKind
from grader.profiles import XENOLITH, parse_profile

LINE, CONTAINS, REGEX = MatchKind.LINE, MatchKind.CONTAINS, MatchKind.REGEX


def lines(*raw: str) -> list[ConsoleLine]:
    classifier = Classifier(parse_profile(XENOLITH, None))
    return [classifier.classify(r) for r in raw]


def check(expect: list[Expectation], raw: list[str], ordered: bool = False,
          forbid: list[Expectation] | None = None) -> str | None:
    checker = LineChecker(expect, forbid or [], ordered)
    for line in lines(*raw):
        checker.feed(line)
    return checker.first_problem()


class ExpectationTest(unittest.TestCase):
    def test_a_guest_cannot_produce_a_hypervisor_line(self) -> None:
        panic = Expectation(CONTAINS, "PANIC: x", hypervisor=True)
        guest, hypervisor = lines("(d1) PANIC: x", "PANIC: x")
        self.assertFalse(panic.matches(guest))
        self.assertTrue(panic.matches(hypervisor))

    def test_domain_filter_takes_only_that_domains_lines(self) -> None:
        hello = Expectation(LINE, "hello", domain=1)
        d1, d2, hv = lines("(d1) hello", "(d2) hello", "hello")
        self.assertEqual([hello.matches(x) for x in (d1, d2, hv)], [True, False, False])

    def test_without_a_source_the_pattern_sees_the_raw_line(self) -> None:
        d1, hv = lines("(d1) hello", "hello")
        self.assertTrue(Expectation(REGEX, r"^\(d1\) hello$").matches(d1))
        self.assertFalse(Expectation(LINE, "hello").matches(d1))
        self.assertTrue(Expectation(LINE, "hello").matches(hv))

    def test_line_is_whole_and_literal_contains_is_literal_regex_searches(self) -> None:
        (axb,) = lines("(d0) value a.b = axb ")
        self.assertTrue(Expectation(LINE, "value a.b = axb", domain=0).matches(axb))
        self.assertFalse(Expectation(LINE, "value a.b", domain=0).matches(axb))
        self.assertTrue(Expectation(CONTAINS, "a.b", domain=0).matches(axb))
        self.assertFalse(Expectation(CONTAINS, "a.c", domain=0).matches(axb))
        self.assertTrue(Expectation(REGEX, r"= a.b", domain=0).matches(axb))
        self.assertFalse(Expectation(REGEX, r"^axb", domain=0).matches(axb))

    def test_descriptions_name_pattern_and_source(self) -> None:
        self.assertEqual(Expectation(LINE, "hi", domain=1).describe(), "line `hi` from d1")
        self.assertEqual(Expectation(REGEX, "^ok", hypervisor=True).describe(),
                         "line matching /^ok/ from the hypervisor")
        self.assertEqual(Expectation(CONTAINS, "x").describe(), "line containing `x`")

    def test_a_line_cannot_come_from_both(self) -> None:
        with self.assertRaises(ValueError):
            Expectation(LINE, "x", domain=1, hypervisor=True)


class LineCheckerTest(unittest.TestCase):
    first = Expectation(LINE, "first", domain=1)
    second = Expectation(LINE, "second", domain=1)

    def test_unordered_accepts_any_order(self) -> None:
        self.assertIsNone(check([self.first, self.second], ["(d1) second", "(d1) first"]))

    def test_ordered_names_the_first_line_seen_out_of_order(self) -> None:
        problem = check([self.first, self.second], ["(d1) second", "(d1) first"], ordered=True)
        self.assertEqual(problem, "expected line `second` from d1 not seen after line 2 (`(d1) first`)")
        self.assertIsNone(check([self.first, self.second], ["(d1) first", "x", "(d1) second"], ordered=True))

    def test_ordered_uses_each_line_for_one_expectation_only(self) -> None:
        twice = [Expectation(CONTAINS, "tick"), Expectation(CONTAINS, "tick")]
        self.assertIsNotNone(check(twice, ["tick"], ordered=True))
        self.assertIsNone(check(twice, ["tick", "tick"], ordered=True))

    def test_missing_line_is_named(self) -> None:
        self.assertEqual(check([self.first, self.second], ["(d1) first", "(d2) second"]),
                         "expected line `second` from d1 not seen")

    def test_forbidden_line_wins_over_missing_and_names_the_line(self) -> None:
        problem = check([self.second], ["ok", "(d1) page fault at 0x0"],
                        forbid=[Expectation(CONTAINS, "fault", domain=1)])
        self.assertEqual(problem, "forbidden line seen: line 2 `(d1) page fault at 0x0` "
                                  "(forbid: line containing `fault` from d1)")

    def test_forbidden_hypervisor_line_ignores_a_guest_forgery(self) -> None:
        forbid = [Expectation(REGEX, "^PANIC: ", hypervisor=True)]
        self.assertIsNone(check([], ["(d1) PANIC: fake"], forbid=forbid))
        self.assertIsNotNone(check([], ["PANIC: real"], forbid=forbid))


if __name__ == "__main__":
    unittest.main()
