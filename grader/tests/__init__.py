# SPDX-License-Identifier: MIT
"""Tests of the grader (run from the repo root: python3 -m unittest discover -s grader/tests -t .)."""
