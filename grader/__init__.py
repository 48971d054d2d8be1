# SPDX-License-Identifier: MIT
"""Xenolith's grader: boots images in QEMU, watches the serial console, checks TOML specs."""
