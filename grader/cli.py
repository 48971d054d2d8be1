# SPDX-License-Identifier: MIT
"""Command line of the grader: `list` and `run` a spec's tests, or `boot` interactively."""

from __future__ import annotations

import argparse
import os
import pathlib
import signal
import sys
import threading

from grader import boot, kvm, qemu, reports, spec
from grader.profiles import KINDS
from grader.report_text import explanation, result_line, summary
from grader.results import TestResult
from grader.runner import Settings, run_tests
from grader.verdict import EXIT_CODES, EXIT_USAGE, Verdict, worst

BUILD_DIR_ENV = "XENOLITH_BUILD_DIR"

EXIT_CODES_HELP = """\
exit codes:
  0    every test passed (boot: every domain powered off)
  1    failed: a wrong or missing line, or the wrong outcome
       (boot: domains ended by reboot, suspend or watchdog)
  2    usage error or malformed spec
  3    timeout
  4    hypervisor panic, or machine reset (triple fault)
  5    guest crash that the test did not expect
  6    QEMU could not start (missing binary or image, QEMU error, KVM required but unusable)
  130  interrupted (Ctrl-C); every QEMU was stopped (SIGTERM: 143, SIGHUP: 129)
When tests fail differently, the code is the first that applies of: 130, 6, 4, 3, 5, 1.
"""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except (spec.SpecError, OSError) as error:  # OSError: e.g. an unwritable --log-dir
        print(f"grader: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("grader: interrupted; every QEMU was stopped", file=sys.stderr)
        return EXIT_CODES[Verdict.INTERRUPTED]


def stop_on_signals() -> None:
    """Make SIGTERM and SIGHUP unwind like Ctrl-C, so that every QEMU is stopped first."""
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 -m grader",
        description="Boot Xenolith (or real Xen) in QEMU and check what happens against "
                    "declarative TOML test specs. The spec format is in grader/README.md.",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser(
        "list", help="print the ids of a spec's tests, one per line",
        description="Print the ids of a spec's tests, one per line (CMake registers one "
                    "ctest per id). A test's id is its name on Xenolith, name@xen on Xen.")
    listing.add_argument("spec", type=pathlib.Path, help="the spec file (TOML)")
    listing.add_argument("--hypervisor", choices=KINDS, help="only tests that run on this hypervisor")
    listing.set_defaults(handler=_list)

    run = commands.add_parser(
        "run", help="run a spec's tests in QEMU",
        description="Boot each selected test in QEMU and check it; print one line per test, "
                    "then why each failure failed.",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("spec", type=pathlib.Path, help="the spec file (TOML)")
    run.add_argument("--test", action="append", default=[], metavar="NAME",
                     help="run only this test (an id such as boot@xen, or a name for all "
                          "its hypervisors); repeat for more")
    run.add_argument("--hypervisor", choices=KINDS, help="only the tests' runs on this hypervisor")
    _add_paths(run)
    _add_qemu(run)
    run.add_argument("--jobs", "-j", type=_positive_int, default=1, metavar="N",
                     help="boot up to N tests at once (default: 1)")
    run.add_argument("--keep-logs", action="store_true",
                     help="keep the console logs of passed tests too (failures' are always kept)")
    run.add_argument("--timeout-factor", type=_positive_float, default=1.0, metavar="F",
                     help="multiply every test's time limit by F (slow machines)")
    run.add_argument("--report", nargs=2, action="append", default=[], metavar=("FORMAT", "FILE"),
                     help=f"also write a report; FORMAT is one of: {', '.join(reports.WRITERS)}")
    run.add_argument("-v", "--verbose", action="store_true",
                     help="stream every console line as it arrives, prefixed with the test id")
    run.set_defaults(handler=_run)

    boot.add_parser(commands, [_add_build_dirs, _add_qemu], EXIT_CODES_HELP)
    return parser


def _add_build_dirs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--build-dir", type=pathlib.Path, metavar="DIR",
                        default=pathlib.Path(os.environ.get(BUILD_DIR_ENV, "build")),
                        help=f"the build tree (default: ${BUILD_DIR_ENV} or ./build)")
    parser.add_argument("--images-dir", type=pathlib.Path, metavar="DIR",
                        help="where images are; spec paths are relative to it "
                             "(default: BUILD_DIR/images)")


def _add_paths(parser: argparse.ArgumentParser) -> None:
    _add_build_dirs(parser)
    parser.add_argument("--log-dir", type=pathlib.Path, metavar="DIR",
                        help="where console logs go, as GROUP/TEST.log "
                             "(default: BUILD_DIR/grader-logs)")


def _add_qemu(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--qemu", metavar="PATH",
                        help=f"the QEMU binary (default: ${qemu.QEMU_ENV} or {qemu.DEFAULT_QEMU})")
    parser.add_argument("--accel", choices=("tcg", "kvm", "auto"), default="tcg",
                        help="tcg (default); kvm: probe KVM with a 5 s trial boot and fail if "
                             "it does not work; auto: probe, and fall back to tcg with a note")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def _list(args: argparse.Namespace) -> int:
    for test in spec.select(spec.load(args.spec), args.hypervisor):
        print(test.id)
    return 0


def _run(args: argparse.Namespace) -> int:
    for fmt, _ in args.report:
        if fmt not in reports.WRITERS:
            raise spec.SpecError(f"unknown report format `{fmt}`; expected one of: "
                                 f"{', '.join(reports.WRITERS)}")
    tests = spec.select(spec.load(args.spec), args.hypervisor, args.test)
    if not tests:
        raise spec.SpecError(f"{args.spec}: no test runs on {args.hypervisor}")
    binary = qemu.qemu_binary(args.qemu)
    try:
        accel, note = kvm.choose_accel(args.accel, binary)
    except kvm.AccelError as error:
        print(f"grader: error: {error}", file=sys.stderr)
        return EXIT_CODES[Verdict.QEMU_COULD_NOT_START]
    if note:
        print(f"grader: {note}", file=sys.stderr)
    printing = threading.Lock()

    def echo(test: spec.TestCase, line: str) -> None:
        with printing:
            print(f"[{test.id}] {line}", flush=True)

    def report(result: TestResult) -> None:
        with printing:
            print(result_line(result), flush=True)

    build_dir: pathlib.Path = args.build_dir
    settings = Settings(
        images_dir=args.images_dir or build_dir / "images",
        log_dir=args.log_dir or build_dir / "grader-logs",
        qemu=binary, accel=accel, keep_logs=args.keep_logs,
        timeout_factor=args.timeout_factor, echo=echo if args.verbose else None)
    results = run_tests(tests, settings, args.jobs, on_result=report)
    for result in results:
        if not result.passed:
            print("\n" + explanation(result))
    for fmt, path in args.report:
        reports.WRITERS[fmt](results, pathlib.Path(path))
        print(f"grader: wrote {fmt} report {path}", file=sys.stderr)
    print(summary(results))
    return EXIT_CODES[worst([r.verdict for r in results])]
