#!/usr/bin/env python3
"""Runs train_neuralnet as a user would: --help, a bad flag, missing data, and a short run whose last
line must be the JSON summary with a test accuracy of at least the given bound.

usage: check_train.py PROGRAM MIN_TEST_ACC
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile


def run(program, *args):
    wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
    return subprocess.run(wrapper + [program, *args], capture_output=True, text=True, timeout=600)


def main() -> int:
    program, min_acc = sys.argv[1], float(sys.argv[2])
    failures = []
    helped = run(program, "--help")
    if helped.returncode != 0 or "--data" not in helped.stdout:
        failures.append("--help should print the options and exit 0")
    bad = run(program, "--iters", "ten")
    if bad.returncode != 1 or "--iters takes a whole number" not in bad.stderr:
        failures.append(f"a bad flag should exit 1 with an explanation, got {bad.returncode}: {bad.stderr!r}")
    with tempfile.TemporaryDirectory() as empty:
        missing = run(program, "--data", empty)
        if missing.returncode != 1 or "lacks the MNIST file" not in missing.stderr:
            failures.append(f"missing data should exit 1 naming the files, got {missing.stderr!r}")
    with tempfile.TemporaryDirectory() as out:
        trained = run(program, "--iters", "600", "--out", out)
        last = trained.stdout.strip().splitlines()[-1] if trained.stdout.strip() else ""
        try:
            summary = json.loads(last)
        except json.JSONDecodeError:
            summary = {}
            failures.append(f"the last line is not JSON: {last!r}")
        if summary and summary.get("test_acc", 0) < min_acc:
            failures.append(f"test accuracy {summary.get('test_acc')} below {min_acc}")
        for key in ("iters", "train_acc", "test_acc", "final_loss", "wall_s", "ms_per_iter", "data"):
            if summary and key not in summary:
                failures.append(f"summary lacks {key}")
        for name in ("metrics.csv", "training.svg", "model.ckpt"):
            if not os.path.isfile(os.path.join(out, name)):
                failures.append(f"{name} was not written")
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("train_neuralnet behaves:", last)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
