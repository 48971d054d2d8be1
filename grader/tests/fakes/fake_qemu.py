# SPDX-License-Identifier: MIT
"""A stand-in for qemu-system-x86_64 that plays a scripted scenario, for the grader's tests.

The scenario is a JSON file: the one given as `--scenario FILE` before QEMU's own
arguments, else the `-kernel` (or `-cdrom`) image itself. Its keys, all optional:

  record_argv    path: write the argument list there (JSON) first
  rendezvous     {"path": FIFO, "mode": "read"|"write"}: open the FIFO, which blocks
                 until another process opens its other end
  hold_fifo      path of a FIFO to open for writing and keep open (with the child)
  spawn_child    true: fork a child that inherits everything and sleeps forever
  ignore_sigterm true: ignore SIGTERM, so only SIGKILL ends this process
  serial         list of lines printed on stdout, each ending in \\r\\n
  conversation   after those lines, in order: a string is printed as one more line;
                 {"read": N} waits for stdin (the serial input), takes what has arrived
                 (at most N bytes, in one read) and prints `got "..."`, the bytes as a
                 JSON string; `stdin closed` at end of file
  serial_tail    text printed on stdout without a newline after the lines
  stderr         list of lines printed on stderr
  hang           true: after printing, never exit
  exit           exit status (default 1, i.e. poweroff)
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading


def _scenario_path(argv: list[str]) -> str:
    if argv[:1] == ["--scenario"]:
        return argv[1]
    for flag in ("-kernel", "-cdrom"):
        if flag in argv:
            return argv[argv.index(flag) + 1]
    sys.exit("fake qemu: no -kernel, -cdrom or --scenario given")


def _converse(step: str | dict[str, int]) -> str:
    """One conversation step: the line to print (after reading stdin, for a read)."""
    if isinstance(step, str):
        return step
    got = os.read(0, step["read"])  # blocks until the grader types
    return f"got {json.dumps(got.decode('utf-8'))}" if got else "stdin closed"


def main() -> int:
    """Play the scenario."""
    argv = sys.argv[1:]
    with open(_scenario_path(argv), encoding="utf-8") as file:
        scenario = json.load(file)
    if argv[:1] == ["--scenario"]:
        argv = argv[2:]
    if "record_argv" in scenario:
        with open(scenario["record_argv"], "w", encoding="utf-8") as file:
            json.dump(argv, file)
    if scenario.get("ignore_sigterm"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if "rendezvous" in scenario:
        meeting = scenario["rendezvous"]
        flags = os.O_RDONLY if meeting["mode"] == "read" else os.O_WRONLY
        os.open(meeting["path"], flags)  # blocks until the other side opens
    if "hold_fifo" in scenario:
        os.open(scenario["hold_fifo"], os.O_WRONLY)  # kept open until this process dies
    if scenario.get("spawn_child") and os.fork() == 0:
        threading.Event().wait()  # the child: hold every inherited descriptor forever
    out = sys.stdout.buffer
    for line in scenario.get("serial", []):
        out.write(line.encode("utf-8") + b"\r\n")
    for step in scenario.get("conversation", []):
        out.flush()  # the grader answers only the lines it has seen
        out.write(_converse(step).encode("utf-8") + b"\r\n")
    out.write(scenario.get("serial_tail", "").encode("utf-8"))
    out.flush()
    for line in scenario.get("stderr", []):
        sys.stderr.write(line + "\n")
    sys.stderr.flush()
    if scenario.get("hang"):
        threading.Event().wait()
    return int(scenario.get("exit", 1))


if __name__ == "__main__":
    sys.exit(main())
