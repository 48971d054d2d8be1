# SPDX-License-Identifier: MIT
"""`grader boot`: one interactive boot (used by `make run`), serial console on the terminal."""

from __future__ import annotations

import argparse
import pathlib
import sys
from typing import Any, Callable

from grader import kvm, qemu
from grader.monitor import Monitor
from grader.process import LaunchError, StopReason, run_session
from grader.profiles import BUILTIN, KINDS, XENOLITH, parse_profile
from grader.verdict import (EXIT_CODES, Outcome, Verdict, describe_status,
                            outcome_exit_code, outcome_from_status)


# The demo (make run): two minios domains, each printing its start-of-day page, then
# exchanging 10,000 events over an interdomain channel and timing the round trips.
DEMO_GUEST = "test-events.elf"
DEMO_MODULES = (("name=ping -- role=ping remote=1"), ("name=pong -- role=pong remote=0"))


def add_parser(commands: Any, add_common: list[Callable[[argparse.ArgumentParser], None]],
               epilog: str) -> None:
    """Register the `boot` sub-command."""
    parser = commands.add_parser(
        "boot", help="boot once, with the serial console on this terminal (make run)",
        description="Boot the hypervisor with its modules in QEMU, show the serial console "
                    "here (typing goes to the guest), and say how the machine ended.",
        epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--kernel", type=pathlib.Path, metavar="HV",
                      help="the hypervisor image (Multiboot)")
    what.add_argument("--iso", type=pathlib.Path, help="a bootable ISO (GRUB2; its grub.cfg names the modules)")
    what.add_argument("--demo", action="store_true",
                      help=f"boot the demo: IMAGES/{BUILTIN[XENOLITH]['image']} with two domains of "
                           f"IMAGES/{DEMO_GUEST} that exchange events and time them (make run)")
    parser.add_argument("--module", action="append", default=[], metavar='"PATH STRING"',
                        help="a boot module: its file, a blank, then its string; repeat, in boot order")
    parser.add_argument("--append", default="", metavar="CMDLINE", help="the hypervisor's command line")
    parser.add_argument("--hypervisor", choices=KINDS, default=XENOLITH,
                        help="which hypervisor this is; on xen the run ends when Xen reports "
                             "that dom0 halted or crashed, or that it panicked")
    parser.add_argument("--cpu", default=qemu.DEFAULT_CPU, metavar="MODEL",
                        help=f"QEMU's -cpu (default: {qemu.DEFAULT_CPU}; `max` shows SMAP to the hypervisor)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="stop QEMU after this many seconds (default: never)")
    for add in add_common:
        add(parser)
    parser.set_defaults(handler=run)


def _modules(texts: list[str]) -> tuple[qemu.BootModule, ...]:
    modules = []
    for text in texts:
        path, _, string = text.strip().partition(" ")
        modules.append(qemu.BootModule(pathlib.Path(path).absolute(), string.strip()))
    return tuple(modules)


def run(args: argparse.Namespace) -> int:
    """Boot once and map how the machine ended to the exit code."""
    binary = qemu.resolve_binary(qemu.qemu_binary(args.qemu))
    if binary is None:
        return _say(f"QEMU binary `{qemu.qemu_binary(args.qemu)}` not found", Verdict.QEMU_COULD_NOT_START)
    images: pathlib.Path = args.images_dir or args.build_dir / "images"
    if args.demo:
        image = qemu.BootImage(kernel=(images / str(BUILTIN[XENOLITH]["image"])).absolute(),
                               append=args.append, modules=_modules(args.module) or
                               tuple(qemu.BootModule((images / DEMO_GUEST).absolute(), string)
                                     for string in DEMO_MODULES))
    elif args.iso is not None:
        image = qemu.BootImage(iso=args.iso.absolute())
    else:
        image = qemu.BootImage(kernel=args.kernel.absolute(), append=args.append,
                               modules=_modules(args.module))
    for what, file in image.files():
        if not file.is_file():
            return _say(f"{what} not found: {file}", Verdict.QEMU_COULD_NOT_START)
    try:
        accel, note = kvm.choose_accel(args.accel, binary)
        argv = qemu.build_command(binary, accel, image, args.cpu)
    except (kvm.AccelError, ValueError) as error:
        return _say(str(error), Verdict.QEMU_COULD_NOT_START)
    if note:
        print(f"grader: {note}", file=sys.stderr)
    monitor = Monitor(parse_profile(args.hypervisor, None))

    def show(chunk: bytes) -> None:
        raw = getattr(sys.stdout, "buffer", None)  # the bytes as sent, escape codes and all
        if raw is None:
            sys.stdout.write(chunk.decode("utf-8", errors="replace"))
        else:
            raw.write(chunk)
        sys.stdout.flush()

    try:
        end = run_session(argv, args.timeout, monitor.on_line, on_bytes=show, interactive=True)
    except LaunchError as error:
        return _say(str(error), Verdict.QEMU_COULD_NOT_START)
    if end.reason is StopReason.TIMEOUT:
        return _say(f"stopped QEMU after {args.timeout:g} s", Verdict.TIMEOUT)
    if end.reason is StopReason.CANCELLED:
        return _say("interrupted", Verdict.INTERRUPTED)
    if end.reason is StopReason.REQUESTED:
        assert monitor.end is not None
        outcome, said = monitor.end
        how = f"{outcome.value}: the hypervisor said `{said}`"
    else:
        assert end.status is not None
        if end.status == 1 and monitor.line_count == 0 and end.stderr.strip():
            sys.stderr.write(end.stderr)
            return _say("QEMU failed to start", Verdict.QEMU_COULD_NOT_START)
        outcome = outcome_from_status(end.status)
        how = describe_status(end.status)
    detail = {Outcome.PANIC: monitor.panic, Outcome.CRASH: monitor.crash}.get(outcome)
    print(f"\ngrader: {how}" + (f" ({detail})" if detail else ""), file=sys.stderr)
    if end.stderr.strip():
        sys.stderr.write(end.stderr)
    return outcome_exit_code(outcome)


def _say(message: str, verdict: Verdict) -> int:
    print(f"grader: {message}", file=sys.stderr)
    return EXIT_CODES[verdict]
