# SPDX-License-Identifier: MIT
"""Tests of serial input: when each `input` entry is sent, its spec checks, and its bytes reaching QEMU."""

from __future__ import annotations

import pathlib
import unittest

from grader import spec
from grader.console import Classifier, ConsoleLine
from grader.matcher import Expectation, MatchKind
from grader.profiles import XENOLITH, parse_profile
from grader.runner import run_test
from grader.serial_input import InputScript, InputStep
from grader.tests.helpers import Scratch
from grader.verdict import Verdict

LINE, REGEX = MatchKind.LINE, MatchKind.REGEX


def lines(*raw: str) -> list[ConsoleLine]:
    classifier = Classifier(parse_profile(XENOLITH, None))
    return [classifier.classify(r) for r in raw]


def play(script: InputScript, *raw: str) -> list[bytes]:
    """Feed lines one by one, taking what each makes due (as the session does)."""
    sent = []
    for line in lines(*raw):
        script.feed(line)
        sent.append(script.take())
    return sent


class InputScriptTest(unittest.TestCase):
    def test_bytes_are_due_only_once_the_trigger_line_appears(self) -> None:
        script = InputScript((InputStep(Expectation(LINE, "ready", domain=0), b"hello\n"),))
        self.assertEqual(play(script, "(d0) booting", "ready", "(d1) ready", "(d0) ready", "(d0) ready"),
                         [b"", b"", b"", b"hello\n", b""])
        self.assertIsNone(script.first_unsent())

    def test_steps_go_in_order_and_a_line_triggers_at_most_one(self) -> None:
        script = InputScript((
            InputStep(Expectation(LINE, "one"), b"1"),
            InputStep(Expectation(REGEX, "^(one|two)$"), b"2"),
        ))
        # `two` before `one` was answered does not count for the second step; the `one`
        # that triggers the first step does not trigger the second too.
        self.assertEqual(play(script, "two", "one", "two"), [b"", b"1", b"2"])

    def test_the_trigger_keeps_the_source_rules_of_expect(self) -> None:
        script = InputScript((InputStep(Expectation(LINE, "console: ok", hypervisor=True), b"x"),))
        self.assertEqual(play(script, "(d0) console: ok", "console: ok"), [b"", b"x"])

    def test_an_unsent_step_is_named_with_the_last_trigger_seen(self) -> None:
        script = InputScript((
            InputStep(Expectation(LINE, "one"), b"1"),
            InputStep(Expectation(LINE, "two", domain=0), b"\x01\x01\x01h"),
        ))
        self.assertEqual(script.first_unsent(), "input[0] not sent: expected line `one` not seen; "
                                                "it would have sent b'1'")
        play(script, "zero", "one", "(d1) two")
        self.assertEqual(script.first_unsent(), "input[1] not sent: expected line `two` from d0 not seen "
                                                "after line 2 (`one`); it would have sent b'\\x01\\x01\\x01h'")
        self.assertEqual(script.sent, 1)


def parse(text: str) -> spec.Spec:
    return spec.parse(text, pathlib.Path("group.toml"))


class InputSpecTest(unittest.TestCase):
    def assertSpecError(self, text: str, message: str) -> None:
        with self.assertRaises(spec.SpecError) as caught:
            parse(text)
        self.assertIn(message, str(caught.exception))

    def test_entries_keep_their_order_source_and_bytes(self) -> None:
        parsed = parse('[[tests]]\nname = "a"\nhypervisors = ["xenolith", "xen"]\ninput = [\n'
                       '  { after = { line = "ready", domain = 0 }, send = "hello\\n" },\n'
                       '  { after = { regex = "^console: ", hypervisor = true }, send = "\\u0001\\u0001\\u0001h" },\n'
                       ']\n[tests.xen]\ninput = [ { after = { contains = "Xen" }, send = "x" } ]\n')
        xenolith, xen = parsed.tests
        self.assertEqual([(s.after.kind, s.after.pattern, s.after.domain, s.after.hypervisor, s.send)
                          for s in xenolith.input],
                         [(LINE, "ready", 0, False, b"hello\n"), (REGEX, "^console: ", None, True, b"\x01\x01\x01h")])
        self.assertEqual([s.send for s in xen.input], [b"x"])
        self.assertEqual(parse('[[tests]]\nname = "b"\n').tests[0].input, ())

    def test_malformed_entries_are_named_precisely(self) -> None:
        test = '[[tests]]\nname = "a"\ninput = [ {} ]\n'
        self.assertSpecError(test.replace("{}", '"hello"'),
                             "group.toml: tests[0] (a).input[0]: must be a table such as { after = ")
        self.assertSpecError(test.replace("{}", '{ send = "x" }'),
                             "tests[0] (a).input[0]: missing required key `after`")
        self.assertSpecError(test.replace("{}", '{ after = "ready", send = "x" }'),
                             "tests[0] (a).input[0].after: must be a table such as { line = ")
        self.assertSpecError(test.replace("{}", '{ after = { line = "r" } }'),
                             "tests[0] (a).input[0]: missing required key `send`")
        self.assertSpecError(test.replace("{}", '{ after = { line = "r" }, send = "" }'),
                             "tests[0] (a).input[0].send: must not be empty")
        self.assertSpecError(test.replace("{}", '{ after = { line = "r" }, send = 1 }'),
                             "tests[0] (a).input[0].send: must be a string, not 1")
        self.assertSpecError(test.replace("{}", '{ after = { line = "r" }, send = "x", wait = 1 }'),
                             "input[0]: unknown key `wait`; expected one of: after, send")

    def test_the_trigger_is_checked_like_an_expect_entry(self) -> None:
        test = '[[tests]]\nname = "a"\ninput = [ { after = {}, send = "x" } ]\n'
        self.assertSpecError(test.replace("{}", '{ regx = "r" }'), "input[0].after: unknown key `regx`")
        self.assertSpecError(test.replace("{}", '{ line = "r", regex = "s" }'),
                             "input[0].after: needs exactly one of `line`, `contains`, `regex`")
        self.assertSpecError(test.replace("{}", '{ regex = "(" }'), "input[0].after.regex: bad regular expression")
        self.assertSpecError(test.replace("{}", '{ line = "r", domain = 0, hypervisor = true }'),
                             "`domain` and `hypervisor = true` exclude each other")

    def test_the_readme_example_is_a_valid_spec(self) -> None:
        readme = (pathlib.Path(__file__).parents[1] / "README.md").read_text()
        example = readme.split("### Serial input")[1].split("```toml\n")[1].split("```")[0]
        (test,) = parse(example).tests
        self.assertEqual([s.send for s in test.input], [b"hello", b"\x01\x01\x01", b"h"])

    def test_input_belongs_to_a_test_not_to_the_defaults(self) -> None:
        self.assertSpecError('[defaults]\ninput = []\n[[tests]]\nname = "a"\n', "defaults: unknown key `input`")
        self.assertSpecError('[defaults.xen]\ninput = []\n[[tests]]\nname = "a"\n',
                             "defaults.xen: unknown key `input`")


CONVERSATION = """
[[tests]]
name = "typing"
hypervisor_image = "hv.json"
timeout = {timeout}
ordered = true
input = [
  {{ after = {{ line = "login:", domain = 0 }}, send = "alice\\n" }},
  {{ after = {{ regex = '^console: input goes to', hypervisor = true }}, send = "\\u0001\\u0001\\u0001h" }},
]
expect = [ {{ line = 'got "alice\\n"' }}, {{ line = 'got "\\u0001\\u0001\\u0001h"' }} ]
"""


class TypingTest(unittest.TestCase):
    """Input through the fake QEMU's stdin: it reads only after printing, and echoes what came."""

    def setUp(self) -> None:
        self.scratch = Scratch(self)

    def run_typing(self, timeout: float = 30, **scenario: object):
        self.scratch.scenario("hv.json", **scenario)
        return run_test(self.scratch.spec(CONVERSATION.format(timeout=timeout)).tests[0], self.scratch.settings())

    def test_each_entry_reaches_the_serial_port_once_its_line_has_appeared(self) -> None:
        result = self.run_typing(serial=["Xenolith 0.1", "(d0) booting"], conversation=[
            "(d0) login:", {"read": 100}, "(d0) console: input goes to d0", "console: input goes to d0",
            {"read": 100}, "d0 powered off"])
        self.assertEqual((result.verdict, result.message), (Verdict.PASSED, ""))
        # The guest's forged console line did not trigger the second entry: the hypervisor's did.
        self.assertEqual(result.tail[-3:], ("console: input goes to d0", 'got "\\u0001\\u0001\\u0001h"',
                                            "d0 powered off"))

    def test_two_entries_are_not_sent_together_when_their_triggers_come_apart(self) -> None:
        # The fake reads whatever has arrived; a grader that sent both entries at the first
        # trigger would show up as one `got` with both.
        result = self.run_typing(conversation=[
            "console: input goes to the hypervisor", "(d0) login:", {"read": 100},
            "console: input goes to d0", {"read": 100}])
        self.assertIs(result.verdict, Verdict.PASSED, result.message)

    def test_nothing_is_sent_before_the_trigger_line(self) -> None:
        # The fake blocks reading stdin: any byte sent without the trigger would let it
        # print and exit; only the time limit may end this run.
        result = self.run_typing(timeout=0.5, conversation=["(d0) login", {"read": 100}, "d0 powered off"])
        self.assertIs(result.verdict, Verdict.TIMEOUT)
        self.assertEqual(result.message, "no result within the time limit of 0.5 s; input[0] not sent: expected "
                                         "line `login:` from d0 not seen; it would have sent b'alice\\n'")

    def test_an_input_never_sent_fails_the_test_before_the_lines_it_would_have_caused(self) -> None:
        result = self.run_typing(conversation=["(d0) login:", {"read": 100}, "d0 powered off"])
        self.assertIs(result.verdict, Verdict.FAILED)
        self.assertEqual(result.message, "input[1] not sent: expected line matching /^console: input goes to/ "
                                         "from the hypervisor not seen after line 1 (`(d0) login:`); "
                                         "it would have sent b'\\x01\\x01\\x01h'")

    def test_without_input_qemus_stdin_is_empty(self) -> None:
        self.scratch.scenario("hv.json", conversation=[{"read": 100}])
        result = run_test(self.scratch.spec('[[tests]]\nname = "quiet"\nhypervisor_image = "hv.json"\n'
                                            'expect = [ { line = "stdin closed" } ]\n').tests[0],
                          self.scratch.settings())
        self.assertIs(result.verdict, Verdict.PASSED, result.message)


if __name__ == "__main__":
    unittest.main()
