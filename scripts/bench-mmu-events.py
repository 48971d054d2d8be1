#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""MMU and event benchmarks: what one operation costs on Xenolith and on real Xen (make bench).

What runs: the boots of scripts/bench-mmu-events.toml, with the guests of minios/apps/bench/:
  mmu     bench-mmu as domain 0: one page-table entry update through mmu_update in
          batches of 1, 16 and 512, through update_va_mapping, and through a trapped
          direct write (writable page tables, emulated by the hypervisor);
  events  bench-events as domain 0: a null hypercall (xen_version), a yield with nothing
          else to run, an event sent to its own IPI port up to its upcall handler;
  pair    two bench-events domains (Xenolith only: real Xen boots one dom0 here):
          interdomain ping-pong round trips, and yields that switch between them.
Each guest runs an operation N times (10,240) between two RDTSCs and prints
`bench: <operation>: <c> tsc cycles/<unit> (<N> <unit>s, <cycles> cycles)`. Every boot
must pass its spec (all lines there, a clean power-off) or the benchmark stops.

1. Instructions per operation, deterministic: each boot under `-icount shift=0,sleep=off`
   (-rtc clock=vm). There QEMU's RDTSC returns its virtual clock, and with shift=0 that
   clock moves 1 ns per instruction executed: a TSC delta is the number of instructions
   the only vCPU executed in between, guest, hypervisor and (in `pair`) the other domain
   alike. Each guest proves it first: a loop of 2 instructions, 1,000,000 times, must take
   2,000,000 ticks (plus the few instructions around it; checked here). The hypervisor's
   published TSC rate, `bench: tsc: N kHz` from vcpu_time_info, is ~1,000,000 kHz there;
   it is shown, not divided by (Xenolith's calibration is 70 ppm off, which would only
   add an error). No measured loop idles (an idle vCPU would warp the clock). The count
   includes the loop around the operation (a few instructions). Each boot runs
   --icount-runs times (default 2, in parallel); the counts must agree exactly.
2. TSC cycles per operation: --runs boots (default 5) under plain TCG, one at a time, the
   hypervisors interleaved; median [min-max]. Under TCG the guest's TSC is the host's, so
   these are host cycles QEMU spent emulating the operation: they depend on the host and
   its load and on TCG's own costs (a CR3 load, for one, flushes QEMU's software TLB), not
   on what the operation would take on hardware.

Derived: a domain switch is about half a yield round trip between two domains (each
round trip is two switches and two yield hypercalls, so the half includes one yield).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import pathlib
import re
import statistics
import sys

from benchlib import (EXIT_CODES_HELP, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, ICOUNT_ARGS, REPO, XEN,
                      XENOLITH, BenchError, boot_argv, chosen_kinds, judged_boot, qemu_or_fail,
                      signals_to_main_thread)

from grader import cli, qemu, spec  # noqa: E402 (benchlib put the repository on sys.path)
from grader.process import REGISTRY  # noqa: E402

SPEC = REPO / "scripts" / "bench-mmu-events.toml"
RESULT = re.compile(r"^bench: (?P<operation>[^:]+): \d+ tsc cycles/(?P<unit>[\w-]+) "
                    r"\((?P<ops>\d+) [\w-]+, (?P<cycles>\d+) cycles\)$")
TSC_RATE = re.compile(r"^bench: tsc: (?P<khz>\d+) kHz")
CALIBRATION = "calibration, a loop of 2 instructions"
CALIBRATION_SLACK = 100  # ticks beyond 2 per iteration: the instructions around the loop
# The table: (boot, operation as the guest names it, what the row says).
ROWS = (
    ("mmu", "mmu_update batch=1", "mmu_update, batch of 1"),
    ("mmu", "mmu_update batch=16", "mmu_update, batch of 16"),
    ("mmu", "mmu_update batch=512", "mmu_update, batch of 512"),
    ("mmu", "update_va_mapping", "update_va_mapping (UVMF_INVLPG)"),
    ("mmu", "trapped direct write", "trapped direct write (ptwr)"),
    ("events", "null hypercall (xen_version)", "null hypercall (xen_version)"),
    ("events", "sched_op yield, one domain", "yield, nothing else to run"),
    ("events", "event send to upcall", "event send -> upcall handler"),
    ("events", "event send, upcall and return", "event send + upcall + iret"),
    ("pair", "interdomain ping-pong", "interdomain ping-pong round trip"),
    ("pair", "sched_op yield, two domains", "yield round trip, two domains"),
)
SWITCH = ("pair", "sched_op yield, two domains")

# One boot's numbers: operation (as the guest names it) -> (operations, TSC cycles in total).
Results = dict[str, tuple[int, int]]


def parse(test: spec.TestCase, lines: list[str]) -> tuple[Results, int]:
    """The results a boot printed (domain 0's lines) and its TSC rate in kHz."""
    results: Results = {}
    khz = 0
    for line in lines:
        if match := RESULT.match(line):
            results[match["operation"]] = (int(match["ops"]), int(match["cycles"]))
        elif match := TSC_RATE.match(line):
            khz = int(match["khz"])
    missing = [op for name, op, _ in ROWS if name == test.name and op not in results]
    if missing or CALIBRATION not in results:
        raise BenchError(f"{test.id}: passed, but printed no result for {', '.join(missing) or CALIBRATION}")
    return results, khz


def run(test: spec.TestCase, argv: list[str], icount: bool) -> tuple[Results, int]:
    boot = judged_boot(test, argv + (ICOUNT_ARGS if icount else []), test.timeout)
    results, khz = parse(test, boot.guest_lines(0))
    if icount:
        iterations, ticks = results[CALIBRATION]
        if not 0 <= ticks - 2 * iterations <= CALIBRATION_SLACK:
            raise BenchError(f"{test.id}: under icount the 2-instruction loop took {ticks} ticks for "
                             f"{iterations} iterations: the TSC does not count instructions here")
    return results, khz


def icount_boots(boots: list[tuple[spec.TestCase, list[str]]], repeats: int,
                 jobs: int) -> dict[str, list[tuple[Results, int]]]:
    counts: dict[str, list[tuple[Results, int]]] = {test.id: [] for test, _ in boots}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs, initializer=signals_to_main_thread)
    try:
        futures = {pool.submit(run, test, argv, True): test for test, argv in boots for _ in range(repeats)}
        for future in concurrent.futures.as_completed(futures):
            counts[futures[future].id].append(future.result())
            print(f"bench: icount boot {futures[future].id} done", file=sys.stderr)
    except BaseException:
        REGISTRY.cancel()  # kill every QEMU still running, so that the workers end
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return counts


def timed_boots(boots: list[tuple[spec.TestCase, list[str]]], runs: int) -> dict[str, list[Results]]:
    timings: dict[str, list[Results]] = {test.id: [] for test, _ in boots}
    for index in range(1, runs + 1):
        for test, argv in boots:  # interleaved: a change in the host's load hits all alike
            timings[test.id].append(run(test, argv, False)[0])
            print(f"bench: TCG boot {index}/{runs} {test.id} done", file=sys.stderr)
    return timings


def per_op(results: Results, operation: str) -> float:
    ops, cycles = results[operation]
    return cycles / ops


def test_id(name: str, kind: str) -> str:
    return name if kind == XENOLITH else f"{name}@{kind}"


def instructions_cell(values: list[float]) -> str:
    if not values:
        return "-"
    distinct = sorted(set(values))
    return f"{distinct[0]:,.1f}" if len(distinct) == 1 else "differ: " + ", ".join(f"{v:.1f}" for v in distinct)


def cycles_cell(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):,.0f} [{min(values):,.0f}-{max(values):,.0f}]"


def report(kinds: list[str], names: list[str], counts: dict[str, list[tuple[Results, int]]],
           timings: dict[str, list[Results]], runs: int) -> bool:
    """Print the table; False if two icount boots of the same benchmark counted differently."""
    rows = [(name, operation, label, 1) for name, operation, label in ROWS if name in names]
    if SWITCH[0] in names:
        rows.append((*SWITCH, "domain switch (half of the above)", 2))
    print(f"\nPer operation: instructions (QEMU -icount shift=0, exact) and TSC cycles under TCG "
          f"(median [min-max] of {runs} boots)")
    print(f"{'operation':<34}" + "".join(f"{kind + ' instr':>15}" for kind in kinds)
          + "".join(f"{kind + ' TSC cycles (TCG)':>30}" for kind in kinds))
    agree = True
    for name, operation, label, divisor in rows:
        cells = []
        for kind in kinds:
            values = [per_op(results, operation) / divisor for results, _ in counts.get(test_id(name, kind), [])]
            agree = agree and len(set(values)) <= 1
            cells.append(f"{instructions_cell(values):>15}")
        for kind in kinds:
            values = [per_op(results, operation) / divisor for results in timings.get(test_id(name, kind), [])]
            cells.append(f"{cycles_cell(values):>30}")
        print(f"{label:<34}" + "".join(cells))
    rates = [f"{test_id(name, kind)} {runs_[0][1]:,} kHz" for name in names for kind in kinds
             if (runs_ := counts.get(test_id(name, kind)))]
    print("  instructions: TSC ticks under -icount shift=0, where the TSC is QEMU's virtual clock, one tick per\n"
          "  instruction executed (checked in every boot with a loop of known length); each count includes its\n"
          "  loop (a few instructions). The TSC rates the hypervisors published there: " + (", ".join(rates) or "-"))
    print("  TSC cycles under plain TCG are host cycles spent emulating, not what hardware would take.\n"
          "  '-': not run (pair needs two domains: Xenolith only). A yield round trip between two domains is\n"
          "  two domain switches and two yield hypercalls, so its half is one switch plus one yield.")
    if any(len(v) > 1 for v in counts.values()):
        print("  every icount boot of a benchmark counted the same" if agree
              else "  NOT DETERMINISTIC: icount boots of the same benchmark differ")
    return agree


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/bench-mmu-events.py", description=__doc__.split("\n", 1)[0],
        epilog=__doc__.split("\n", 2)[2] + "\n" + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", type=pathlib.Path, required=True, metavar="DIR",
                        help="the CMake build folder, e.g. build/debug")
    parser.add_argument("--images-dir", type=pathlib.Path, metavar="DIR",
                        help="where the images are (default: DIR/images)")
    parser.add_argument("--runs", type=int, default=5, metavar="N",
                        help="TCG boots per benchmark and hypervisor, for the TSC medians, 0 to skip (default: 5)")
    parser.add_argument("--icount-runs", type=int, default=2, metavar="N",
                        help="icount boots per benchmark and hypervisor, 0 to skip (default: 2)")
    parser.add_argument("--hypervisor", choices=(XENOLITH, XEN, "both"),
                        help="default: both if the Xen image is there, else xenolith")
    parser.add_argument("--test", action="append", choices=("mmu", "events", "pair"), metavar="NAME",
                        help="only this benchmark: mmu, events or pair (repeatable; default: all)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="icount boots at a time (default: the number of CPUs); TCG boots run one at a time")
    parser.add_argument("--qemu", metavar="PATH",
                        help=f"the QEMU binary (default: ${qemu.QEMU_ENV} or {qemu.DEFAULT_QEMU})")
    args = parser.parse_args()
    if args.runs < 0 or args.icount_runs < 0 or args.jobs < 1 or args.runs + args.icount_runs == 0:
        parser.error("--runs and --icount-runs must not be negative (nor both 0), --jobs at least 1")
    return args


def main() -> int:
    args = parse_arguments()
    cli.stop_on_signals()  # SIGTERM and SIGHUP unwind like Ctrl-C: every QEMU is stopped
    images = args.images_dir or args.build_dir / "images"
    names = args.test or ["mmu", "events", "pair"]
    try:
        binary = qemu_or_fail(args.qemu)
        chosen = spec.select(spec.load(SPEC), names=names)
        xen_image = next((t.hypervisor_image for t in spec.load(SPEC).tests if t.kind == XEN), "")
        kinds = chosen_kinds(args.hypervisor, images, xen_image)
        boots = [(test, boot_argv(test, images, binary)) for test in chosen if test.kind in kinds]
        counts = icount_boots(boots, args.icount_runs, args.jobs) if args.icount_runs else {}
        timings = timed_boots(boots, args.runs) if args.runs else {}
    except spec.SpecError as error:
        print(f"bench: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0 if report(kinds, names, counts, timings, args.runs) else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
