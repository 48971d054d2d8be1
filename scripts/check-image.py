#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check a freshly linked kernel image: no undefined symbols, and (for the hypervisor) a
Multiboot1 a.out-kludge layout QEMU can load: every loaded segment at the same distance
between file offset and physical address, the header in the first 8 KiB."""
import argparse
import struct
import subprocess
import sys

MB1_MAGIC = 0x1BADB002


def load_segments(data: bytes) -> list[tuple[int, int, int, int]]:
    """(offset, paddr, filesz, memsz) of each PT_LOAD."""
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    segments = []
    for i in range(phnum):
        p_type, _flags, offset, _vaddr, paddr, filesz, memsz, _align = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            segments.append((offset, paddr, filesz, memsz))
    return segments


def check_multiboot(data: bytes) -> list[str]:
    problems = []
    header = next((i for i in range(0, min(len(data), 8192) - 32, 4)
                   if struct.unpack_from("<I", data, i)[0] == MB1_MAGIC), None)
    if header is None:
        return ["no Multiboot1 header in the first 8 KiB"]
    magic, flags, checksum, header_addr, load_addr, load_end, bss_end, entry = struct.unpack_from("<8I", data, header)
    if (magic + flags + checksum) & 0xFFFFFFFF:
        problems.append("Multiboot1 checksum is wrong")
    base = header - (header_addr - load_addr)  # file offset QEMU loads from
    for offset, paddr, filesz, _memsz in load_segments(data):
        if filesz and offset - paddr != base - load_addr:
            problems.append(f"segment at paddr {paddr:#x} has file offset {offset:#x}, expected "
                            f"{paddr - load_addr + base:#x} (the a.out kludge loads the file as one block)")
    if base + (load_end - load_addr) > len(data):
        problems.append("load_end_addr lies beyond the end of the file")
    if not load_addr <= entry < load_end:
        problems.append("entry point lies outside the loaded image")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("elf")
    parser.add_argument("--no-multiboot", action="store_true", help="a guest kernel: only check symbols")
    args = parser.parse_args()
    undefined = subprocess.run(["nm", "-u", args.elf], check=True, capture_output=True, text=True).stdout.split()
    problems = [f"undefined symbol: {name}" for name in undefined if name != "U"]
    if not args.no_multiboot:
        with open(args.elf, "rb") as image:
            problems += check_multiboot(image.read())
    for problem in problems:
        print(f"{args.elf}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
