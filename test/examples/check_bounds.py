#!/usr/bin/env python3
"""Runs a program that prints `name: value` lines and checks that each named value is at most its bound.

usage: check_bounds.py PROGRAM NAME=BOUND [NAME=BOUND ...]
"""
import os
import shlex
import subprocess
import sys


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
    run = subprocess.run(wrapper + [sys.argv[1]], capture_output=True, text=True, timeout=600)
    print(run.stdout, end="")
    if run.returncode != 0:
        print(f"exited with {run.returncode}: {run.stderr}")
        return 1
    values = {}
    for line in run.stdout.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            values[name.strip()] = float(value)
    failed = False
    for spec in sys.argv[2:]:
        name, bound = spec.split("=")
        if name not in values:
            print(f"no line for {name}")
            failed = True
        elif not values[name] <= float(bound):
            print(f"{name} = {values[name]} exceeds {bound}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
