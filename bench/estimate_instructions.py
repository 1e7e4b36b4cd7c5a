#!/usr/bin/env python3
"""Instructions and allocations of one estimate (a scenario-month) of each shipped scenario
the criterion bench times. Instructions are counted by valgrind's callgrind, so the figure
does not move with the machine's load the way a timer's does: `estimate_loop` runs once with
no estimates after the first and once with N, and the difference over N is one estimate.

    python3 bench/estimate_instructions.py        # needs valgrind (apt-get install valgrind)
"""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = ["ugc-short-form", "premium-ott", "elearning-apple-hls"]
N = 200


def instructions(binary, scenario, n):
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", binary, scenario, str(n)],
        capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", out.stderr).group(1)), out.stdout.strip()


def main():
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "ladderwise-model", "--example", "estimate_loop"],
                   cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    binary = os.path.join(target, "release", "examples", "estimate_loop")
    for scenario in SCENARIOS:
        base, _ = instructions(binary, scenario, 0)
        full, said = instructions(binary, scenario, N)
        print(f"{said}; {(full - base) // N:,} instructions per estimate")


if __name__ == "__main__":
    sys.exit(main())
