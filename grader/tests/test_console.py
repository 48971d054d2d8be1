# SPDX-License-Identifier: MIT
"""Tests of console line splitting and of telling guest lines from hypervisor lines."""

from __future__ import annotations

import unittest

from grader.console import Classifier, LineSplitter, Source
from grader.profiles import XEN, XENOLITH, parse_profile


class LineSplitterTest(unittest.TestCase):
    def test_lines_split_across_chunks_lose_their_carriage_returns(self) -> None:
        splitter = LineSplitter()
        self.assertEqual(splitter.feed(b"(d1) hel"), [])
        self.assertEqual(splitter.feed(b"lo\r\nsecond\r\nthi"), ["(d1) hello", "second"])
        self.assertEqual(splitter.feed(b"rd\n"), ["third"])
        self.assertEqual(splitter.flush(), [])

    def test_last_line_without_newline_comes_out_at_flush(self) -> None:
        splitter = LineSplitter()
        splitter.feed(b"done\r\nprompt> ")
        self.assertEqual(splitter.flush(), ["prompt> "])

    def test_bytes_that_are_not_utf8_do_not_stop_the_stream(self) -> None:
        self.assertEqual(LineSplitter().feed(b"a\xffb\n"), ["a\ufffdb"])

    def test_grub_line_ends_leave_no_carriage_return_at_the_start(self) -> None:
        # GRUB ends its lines with \n\r, so the next line would begin with \r.
        self.assertEqual(LineSplitter().feed(b"Booting\n\rXenolith: up\r\n"), ["Booting", "Xenolith: up"])

    def test_empty_lines_are_lines(self) -> None:
        self.assertEqual(LineSplitter().feed(b"\r\n\n"), ["", ""])


class XenolithClassifierTest(unittest.TestCase):
    def setUp(self) -> None:
        self.classify = Classifier(parse_profile(XENOLITH, None)).classify

    def test_a_prefixed_line_belongs_to_its_domain(self) -> None:
        line = self.classify("(d12) hello (d3) world")
        self.assertEqual((line.source, line.domain, line.text), (Source.GUEST, 12, "hello (d3) world"))
        self.assertEqual(line.origin(), "d12")

    def test_a_guest_printing_panic_is_still_a_guest(self) -> None:
        line = self.classify("(d1) PANIC: x")
        self.assertEqual((line.source, line.domain, line.text), (Source.GUEST, 1, "PANIC: x"))

    def test_an_unprefixed_line_is_the_hypervisors(self) -> None:
        line = self.classify("PANIC: frame 0x42 freed twice")
        self.assertEqual((line.source, line.domain, line.text),
                         (Source.HYPERVISOR, None, "PANIC: frame 0x42 freed twice"))

    def test_almost_a_prefix_is_not_a_prefix(self) -> None:
        for raw in ("(d1)hello", " (d1) hello", "(dx) hello", "(d) hello"):
            self.assertIs(self.classify(raw).source, Source.HYPERVISOR, raw)

    def test_lines_are_numbered_from_one(self) -> None:
        self.assertEqual([self.classify(x).number for x in "abc"], [1, 2, 3])


class XenClassifierTest(unittest.TestCase):
    def setUp(self) -> None:
        self.classify = Classifier(parse_profile(XEN, None)).classify

    def test_xen_lines_lose_the_xen_prefix(self) -> None:
        line = self.classify("(XEN) Panic on CPU 0:")
        self.assertEqual((line.source, line.text), (Source.HYPERVISOR, "Panic on CPU 0:"))

    def test_raw_lines_are_dom0_and_prefixed_domu_lines_their_domain(self) -> None:
        dom0 = self.classify("start_info magic: xen-3.0-x86_64")
        self.assertEqual((dom0.source, dom0.domain, dom0.text),
                         (Source.GUEST, 0, "start_info magic: xen-3.0-x86_64"))
        domu = self.classify("(XEN) (d2) hello")
        self.assertEqual((domu.source, domu.domain, domu.text), (Source.GUEST, 2, "hello"))


if __name__ == "__main__":
    unittest.main()
