# SPDX-License-Identifier: MIT
"""Tests of spec parsing: layering of settings, and precise errors for malformed specs."""

from __future__ import annotations

import pathlib
import unittest

from grader import qemu, spec
from grader.matcher import MatchKind
from grader.verdict import Outcome

GOOD = """
[group]
name = "foundation"
description = "first boots"

[defaults]
timeout = 90
forbid = [ { regex = '^PANIC: ', hypervisor = true } ]

[defaults.xen]
cmdline = "console=com1 noreboot"
timeout = 120

[[tests]]
name = "start-of-day"
description = "the guest prints its start_info"
points = 5
hypervisors = ["xenolith", "xen"]
cmdline = "loglvl=debug"
cpu = "max"
modules = [ { image = "guest.elf", string = "name=a,b -- x" }, "other.elf arg1 arg2" ]
ordered = true
expect = [
  { line = "magic: xen-3.0-x86_64", domain = 1 },
  { regex = '^d1 created', hypervisor = true },
]
forbid = [ { contains = "fault" } ]

[tests.xen]
cmdline = "console=com1 noreboot dom0_mem=64M"
cpu = "max,-smap,-pku"
modules = [ "guest.elf" ]
expect = [ { line = "magic: xen-3.0-x86_64", domain = 0 } ]

[[tests]]
name = "iso-boot"
iso = "xenolith.iso"
outcome = "crash"
"""


def parse(text: str, name: str = "group.toml") -> spec.Spec:
    return spec.parse(text, pathlib.Path(name))


class GoodSpecTest(unittest.TestCase):
    def setUp(self) -> None:
        self.spec = parse(GOOD)
        self.tests = {t.id: t for t in self.spec.tests}

    def test_each_hypervisor_of_a_test_is_its_own_case_with_its_own_id(self) -> None:
        self.assertEqual([t.id for t in self.spec.tests], ["start-of-day", "start-of-day@xen", "iso-boot"])
        self.assertEqual(self.spec.group, "foundation")

    def test_test_settings_override_defaults_and_kind_tables_override_both(self) -> None:
        xenolith, xen = self.tests["start-of-day"], self.tests["start-of-day@xen"]
        self.assertEqual(xenolith.cmdline, "loglvl=debug")
        self.assertEqual(xenolith.timeout, 90.0)
        self.assertEqual(xen.cmdline, "console=com1 noreboot dom0_mem=64M")
        self.assertEqual(xen.timeout, 120.0)
        self.assertEqual(xen.expect[0].domain, 0)
        self.assertEqual(xen.points, 5.0)
        self.assertEqual(xenolith.description, "the guest prints its start_info")

    def test_the_cpu_model_layers_like_the_other_settings(self) -> None:
        self.assertEqual(self.tests["start-of-day"].cpu, "max")
        self.assertEqual(self.tests["start-of-day@xen"].cpu, "max,-smap,-pku")
        self.assertEqual(self.tests["iso-boot"].cpu, qemu.DEFAULT_CPU)

    def test_modules_keep_their_strings_and_accept_the_short_form(self) -> None:
        modules = self.tests["start-of-day"].modules
        self.assertEqual([(m.image, m.string) for m in modules],
                         [("guest.elf", "name=a,b -- x"), ("other.elf", "arg1 arg2")])
        self.assertEqual(self.tests["start-of-day@xen"].modules[0].string, "")

    def test_default_forbidden_lines_add_to_the_tests_own(self) -> None:
        forbid = self.tests["start-of-day"].forbid
        self.assertEqual([(f.kind, f.pattern) for f in forbid],
                         [(MatchKind.REGEX, "^PANIC: "), (MatchKind.CONTAINS, "fault")])
        self.assertEqual(len(self.tests["iso-boot"].forbid), 1)

    def test_built_in_defaults_fill_what_nobody_set(self) -> None:
        iso = self.tests["iso-boot"]
        self.assertEqual((iso.iso, iso.outcome, iso.ordered, iso.points), ("xenolith.iso", Outcome.CRASH, False, 0.0))
        self.assertEqual(iso.hypervisor_image, "xenolith.elf")
        self.assertEqual(self.tests["start-of-day@xen"].hypervisor_image, "xen-4.17-amd64")

    def test_group_name_defaults_to_the_file_name(self) -> None:
        self.assertEqual(parse('[[tests]]\nname = "a"\n', "labs-traps.toml").group, "labs-traps")

    def test_select_by_hypervisor_by_id_and_by_name(self) -> None:
        self.assertEqual([t.id for t in spec.select(self.spec, "xen")], ["start-of-day@xen"])
        self.assertEqual([t.id for t in spec.select(self.spec, None, ["start-of-day"])],
                         ["start-of-day", "start-of-day@xen"])
        self.assertEqual([t.id for t in spec.select(self.spec, None, ["start-of-day@xen"])],
                         ["start-of-day@xen"])
        with self.assertRaisesRegex(spec.SpecError, r"no test `iso-boot` on xen \(tests: start-of-day@xen\)"):
            spec.select(self.spec, "xen", ["iso-boot"])

    def test_the_readme_example_is_a_valid_spec(self) -> None:
        readme = (pathlib.Path(__file__).parents[1] / "README.md").read_text()
        example = readme.split("```toml\n")[1].split("```")[0]
        parsed = parse(example, "foundation.toml")
        self.assertEqual([t.id for t in parsed.tests], ["start-of-day", "start-of-day@xen", "grub-boot"])
        self.assertEqual(parsed.tests[1].modules[0].string, "loglevel=debug")

    def test_the_projects_boot_specs_are_valid(self) -> None:
        specs = sorted((pathlib.Path(__file__).parents[2] / "tests" / "boot").glob("*.toml"))
        self.assertTrue(specs)
        for path in specs:
            with self.subTest(spec=path.name):
                self.assertTrue(spec.load(path).tests)

    def test_hypervisor_profile_can_be_tuned_in_the_spec(self) -> None:
        tuned = parse('[hypervisor.xen]\nguest_prefix = "DOM0: "\nend_grace = 0\n'
                      '[[tests]]\nname = "a"\nhypervisor = "xen"\n')
        profile = tuned.tests[0].profile
        self.assertEqual([p.pattern for p in profile.guest_prefix], ["DOM0: "])
        self.assertEqual(profile.end_grace, 0.0)
        self.assertTrue(profile.end)  # untouched keys keep their built-in values


class MalformedSpecTest(unittest.TestCase):
    def assertSpecError(self, text: str, message: str) -> None:
        with self.assertRaises(spec.SpecError) as caught:
            parse(text)
        self.assertIn(message, str(caught.exception))

    def test_toml_syntax_error_names_file_and_line(self) -> None:
        self.assertSpecError('[[tests]]\nname = "a\n', "group.toml: TOML syntax error:")
        self.assertSpecError('[[tests]]\nname = "a\n', "line 2")

    def test_unknown_key_names_its_place_and_the_valid_keys(self) -> None:
        self.assertSpecError('[[tests]]\nname = "boot"\nexpect = [ { regx = "x" } ]\n',
                             "group.toml: tests[0] (boot).expect[0]: unknown key `regx`; "
                             "expected one of: contains, domain, hypervisor, line, regex")
        self.assertSpecError('[[tests]]\nname = "a"\ntimout = 3\n', "unknown key `timout`")
        self.assertSpecError('[group]\nnom = "x"\n[[tests]]\nname = "a"\n', "group.toml: group: unknown key `nom`")

    def test_wrong_types(self) -> None:
        self.assertSpecError('[[tests]]\nname = "a"\ntimeout = "60"\n',
                             "tests[0] (a).timeout: must be a number, not '60'")
        self.assertSpecError('[[tests]]\nname = "a"\nexpect = [ { line = "x", domain = true } ]\n',
                             "expect[0].domain: must be an integer, not True")
        self.assertSpecError('[[tests]]\nname = "a"\nordered = 1\n', "ordered: must be true or false")
        self.assertSpecError('[[tests]]\nname = "a"\nexpect = [ "hello" ]\n',
                             "expect[0]: must be a table")

    def test_missing_and_bad_names(self) -> None:
        self.assertSpecError('[[tests]]\ndescription = "x"\n', "tests[0]: missing required key `name`")
        self.assertSpecError('[[tests]]\nname = "two words"\n', "'two words' must be letters, digits")
        self.assertSpecError('[[tests]]\nname = "a"\n[[tests]]\nname = "a"\n', "two tests are named `a`")
        self.assertSpecError('[group]\nname = "x"\n', "defines no test")

    def test_bad_values(self) -> None:
        self.assertSpecError('[[tests]]\nname = "a"\noutcome = "halt"\n',
                             "unknown outcome `halt`; expected one of: poweroff, crash, panic")
        self.assertSpecError('[[tests]]\nname = "a"\nhypervisor = "kvm"\n', "unknown hypervisor 'kvm'")
        self.assertSpecError('[[tests]]\nname = "a"\ntimeout = 0\n', "must be a positive number of seconds")
        self.assertSpecError('[[tests]]\nname = "a"\nexpect = [ { regex = "(" } ]\n',
                             "expect[0].regex: bad regular expression '('")
        self.assertSpecError('[[tests]]\nname = "a"\nmodules = [ { image = "a b" } ]\n',
                             "modules[0].image: must be a path without blanks")
        self.assertSpecError('[[tests]]\nname = "a"\ncpu = "max -smap"\n', "tests[0] (a).cpu: contains a blank")
        self.assertSpecError('[defaults]\ncpu = ""\n[[tests]]\nname = "a"\n', "defaults.cpu: is empty")

    def test_contradictions(self) -> None:
        self.assertSpecError('[[tests]]\nname = "a"\nexpect = [ { line = "x", contains = "y" } ]\n',
                             "needs exactly one of `line`, `contains`, `regex`")
        self.assertSpecError('[[tests]]\nname = "a"\nexpect = [ { line = "x", domain = 1, hypervisor = true } ]\n',
                             "`domain` and `hypervisor = true` exclude each other")
        self.assertSpecError('[[tests]]\nname = "a"\n[tests.xen]\ncmdline = "x"\n',
                             "has a [tests.xen] table but does not run on xen")
        self.assertSpecError('[[tests]]\nname = "a"\niso = "x.iso"\nmodules = ["m.elf"]\n',
                             "on xenolith: `iso` excludes `modules` and `cmdline`")
        self.assertSpecError('[[tests]]\nname = "a"\nhypervisor = "xen"\nhypervisors = ["xen"]\n',
                             "set `hypervisor` or `hypervisors`, not both")
        self.assertSpecError('[[tests]]\nname = "a"\n[tests.xen]\nname = "b"\n', "unknown key `name`")

    def test_missing_file(self) -> None:
        with self.assertRaisesRegex(spec.SpecError, "cannot read spec"):
            spec.load(pathlib.Path("/nonexistent/spec.toml"))


if __name__ == "__main__":
    unittest.main()
