#!/usr/bin/env python3
"""Runs an example program and compares its standard output with the expected text, line by line."""
import os
import shlex
import subprocess
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: check_output.py PROGRAM EXPECTED_FILE", file=sys.stderr)
        return 2
    program, expected_file = sys.argv[1], sys.argv[2]
    # Cross builds run the program under meson's exe wrapper (qemu for NEON).
    wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
    run = subprocess.run(wrapper + [program], capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        print(f"{program} exited with {run.returncode}\n{run.stderr}")
        return 1
    with open(expected_file, encoding="utf-8") as f:
        expected = f.read().splitlines()
    actual = run.stdout.splitlines()
    if actual != expected:
        print(f"{program}: output differs from {expected_file}")
        for i in range(max(len(actual), len(expected))):
            a = actual[i] if i < len(actual) else "<missing>"
            e = expected[i] if i < len(expected) else "<missing>"
            print(f"{'  ' if a == e else '! '}line {i + 1}: got {a!r}, expected {e!r}")
        return 1
    print(f"{program}: {len(actual)} lines as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
