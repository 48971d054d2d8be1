# SPDX-License-Identifier: MIT
# The two commands (make run, make test) and a few more; each is a thin wrapper over CMake.
PRESET ?= debug
BUILD  := build/$(PRESET)
IMAGES := $(BUILD)/images
JOBS   ?= $(shell nproc)
GRADER := python3 -m grader

.PHONY: all deps configure build run test iso gdb bench clean help

all: build

help:
	@echo "make run    boot the demo (hypervisor + minios) in QEMU on this terminal"
	@echo "make test   host unit tests, grader tests and boot tests (installs what is missing)"
	@echo "make iso    the GRUB2 rescue ISO ($(IMAGES)/xenolith.iso)"
	@echo "make gdb    boot the demo paused, with gdb attached to QEMU's stub"
	@echo "make bench  boot-time benchmark (median of 10 runs)"
	@echo "PRESET=release|clang selects another CMake preset (default: debug)"

deps:
	@scripts/install-deps

configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake --preset $(PRESET)

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@$(GRADER) boot --build-dir $(BUILD) --demo

test: build
	@scripts/fetch-xen $(BUILD)
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

iso: build
	@cmake --build $(BUILD) --target iso

gdb: build
	@scripts/gdb $(BUILD)

bench: build
	@python3 scripts/bench-boot.py --build-dir $(BUILD)
	@python3 scripts/bench-mmu-events.py --build-dir $(BUILD)

clean:
	rm -rf build
