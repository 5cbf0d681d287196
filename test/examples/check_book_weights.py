#!/usr/bin/env python3
"""Runs book_weights as a user would: both of the book's trained networks load, print their shapes,
and classify the bundled test digits as the book reports (at least 99%); a wrong data directory is
a clear error. (interop-book-convnets checks every prediction against the book's NumPy code.)

usage: check_book_weights.py PROGRAM
"""
import re
import subprocess
import sys


def main() -> int:
    program = sys.argv[1]
    failures = []
    r = subprocess.run([program], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        print(f"FAIL: book_weights exited with {r.returncode}: {r.stderr}")
        return 1
    for name in ("simple_convnet", "deep_convnet"):
        m = re.search(name + r": test accuracy ([0-9.]+) on 2000 images", r.stdout)
        if not m or float(m[1]) < 0.99:
            failures.append(f"{name} should reach 0.99 on the bundled test digits: {m[0] if m else r.stdout!r}")
    for shape in ("Convolution(1x28x28 -> 30x24x24)", "Convolution(32x14x14 -> 32x16x16)", "Affine(64x4x4 -> 50)"):
        if shape not in r.stdout:
            failures.append(f"the shapes printed should include {shape}")
    bad = subprocess.run([program, "/nonexistent-ctnet-data"], capture_output=True, text=True, timeout=60)
    if bad.returncode != 1 or "/nonexistent-ctnet-data" not in bad.stderr:
        failures.append(f"a missing data directory should be named in an error, got {bad.returncode}: {bad.stderr!r}")
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print(r.stdout, end="")
        print("book_weights behaves")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
