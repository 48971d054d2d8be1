# SPDX-License-Identifier: MIT
"""JUnit XML report (GitHub Actions, GitLab, Jenkins): one testsuite per spec group."""

from __future__ import annotations

import pathlib
import re
import xml.etree.ElementTree as ET

from grader.results import TestResult
from grader.verdict import Verdict

# Verdicts that mean the test could not be carried out, rather than that it failed.
_ERRORS = (Verdict.QEMU_COULD_NOT_START, Verdict.INTERRUPTED)

# Characters XML 1.0 cannot hold at all (serial consoles print them: NUL, ESC, ...).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def build(results: list[TestResult]) -> ET.ElementTree:
    """The XML tree for the results, grouped by spec group in order of appearance."""
    root = ET.Element("testsuites", name="xenolith-grader")
    groups: dict[str, list[TestResult]] = {}
    for result in results:
        groups.setdefault(result.test.group, []).append(result)
    for group, members in groups.items():
        errors = sum(1 for r in members if r.verdict in _ERRORS)
        failures = sum(1 for r in members if not r.passed) - errors
        suite = ET.SubElement(root, "testsuite", name=group, tests=str(len(members)),
                              failures=str(failures), errors=str(errors), skipped="0",
                              time=f"{sum(r.seconds for r in members):.3f}")
        for result in members:
            _testcase(suite, result)
    root.set("tests", str(len(results)))
    root.set("failures", str(sum(int(s.get("failures", "0")) for s in root)))
    root.set("errors", str(sum(int(s.get("errors", "0")) for s in root)))
    return ET.ElementTree(root)


def _testcase(suite: ET.Element, result: TestResult) -> None:
    test = result.test
    case = ET.SubElement(suite, "testcase", classname=f"{test.group}.{test.kind}",
                         name=test.id, time=f"{result.seconds:.3f}")
    if not result.passed:
        tag = "error" if result.verdict in _ERRORS else "failure"
        problem = ET.SubElement(case, tag, type=result.verdict.value, message=_clean(result.message))
        details = [result.message]
        if result.log_path is not None:
            details.append(f"log: {result.log_path}")
        details += result.tail
        problem.text = _clean("\n".join(details))
    if result.tail:
        ET.SubElement(case, "system-out").text = _clean("\n".join(result.tail))


def write(results: list[TestResult], path: pathlib.Path) -> None:
    """Write the JUnit XML report to `path`."""
    tree = build(results)
    ET.indent(tree)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
