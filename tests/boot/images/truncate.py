#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the first N bytes of a file to another: a kernel cut short, for refusal tests."""
import sys

source, destination, length = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(source, "rb") as data, open(destination, "wb") as out:
    out.write(data.read()[:length])
