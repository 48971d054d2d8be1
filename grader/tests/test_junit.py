# SPDX-License-Identifier: MIT
"""Tests of the JUnit XML report: well-formed, counted right, safe for console garbage."""

from __future__ import annotations

import pathlib
import tempfile
import unittest
import xml.etree.ElementTree as ET

from grader import report_junit, spec
from grader.results import TestResult
from grader.verdict import Verdict

SPEC = spec.parse('[[tests]]\nname = "a"\n[[tests]]\nname = "b"\n[[tests]]\nname = "c"\n'
                  '[[tests]]\nname = "d"\nhypervisors = ["xenolith", "xen"]\n', pathlib.Path("g.toml"))
A, B, C, D, D_XEN = SPEC.tests


def results() -> list[TestResult]:
    return [
        TestResult(A, Verdict.PASSED, "", 1.5, tail=("ok",)),
        TestResult(B, Verdict.FAILED, "expected line `x` from d1 not seen", 2.0,
                   log_path=pathlib.Path("/logs/g/b.log"), tail=("\x1b[31mred\x00", "<&>")),
        TestResult(C, Verdict.QEMU_COULD_NOT_START, "hypervisor image not found: /x"),
        TestResult(D, Verdict.TIMEOUT, "no result within the time limit of 60 s", 60.0),
        TestResult(D_XEN, Verdict.PASSED, "", 3.0),
    ]


class JunitTest(unittest.TestCase):
    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.path = pathlib.Path(folder.name) / "out" / "junit.xml"
        report_junit.write(results(), self.path)
        self.root = ET.parse(self.path).getroot()  # raises if not well-formed

    def test_counts(self) -> None:
        self.assertEqual(self.root.tag, "testsuites")
        self.assertEqual((self.root.get("tests"), self.root.get("failures"), self.root.get("errors")),
                         ("5", "2", "1"))
        (suite,) = self.root
        self.assertEqual((suite.get("name"), suite.get("tests"), suite.get("time")), ("g", "5", "66.500"))

    def test_each_case_says_how_it_ended(self) -> None:
        cases = {c.get("name"): c for c in self.root.iter("testcase")}
        self.assertEqual(list(cases), ["a", "b", "c", "d", "d@xen"])
        self.assertEqual(cases["d@xen"].get("classname"), "g.xen")
        self.assertIsNone(cases["a"].find("failure"))
        failure = cases["b"].find("failure")
        assert failure is not None and failure.text is not None
        self.assertEqual(failure.get("type"), "failed")
        self.assertEqual(failure.get("message"), "expected line `x` from d1 not seen")
        self.assertIn("log: /logs/g/b.log", failure.text)
        error = cases["c"].find("error")
        assert error is not None
        self.assertEqual(error.get("type"), "qemu-could-not-start")
        timeout = cases["d"].find("failure")
        assert timeout is not None
        self.assertEqual(timeout.get("type"), "timeout")

    def test_control_characters_are_shown_not_written(self) -> None:
        out = next(self.root.iter("testcase"))
        self.assertEqual(out.findtext("system-out"), "ok")
        case_b = [c for c in self.root.iter("testcase") if c.get("name") == "b"][0]
        self.assertEqual(case_b.findtext("system-out"), "\\x1b[31mred\\x00\n<&>")


if __name__ == "__main__":
    unittest.main()
