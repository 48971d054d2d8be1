# SPDX-License-Identifier: MIT
"""Entry point for `python3 -m grader`."""

import sys

from grader.cli import main, stop_on_signals

stop_on_signals()
sys.exit(main())
