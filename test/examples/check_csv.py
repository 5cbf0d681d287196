#!/usr/bin/env python3
"""Trains train_csv on CSV files written here, as a user would write them, and checks what it says.

usage: check_csv.py PROGRAM

The files: three classes of flowers (names, not numbers), four measurements
each drawn around a class centre, a header, one quoted field and CRLF line
ends; then a file with a typo in a number, a test file with a class the
training file never had, and a file of the wrong width.
"""
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile

CENTRES = {"setosa": (5.0, 3.4, 1.5, 0.2), "versicolor": (5.9, 2.8, 4.3, 1.3), "virginica": (6.6, 3.0, 5.6, 2.0)}


def write(path, rows, header="sepal_length,sepal_width,petal_length,petal_width,species", end="\n"):
    with open(path, "w", newline="") as f:
        f.write(header + end)
        for r in rows:
            f.write(",".join(r) + end)


def samples(rng, n):
    rows = []
    for i in range(n):
        name = list(CENTRES)[i % 3]
        values = [f"{c + rng.gauss(0, 0.25):.2f}" for c in CENTRES[name]]
        rows.append(values + ([f'"{name}"'] if i == 5 else [name]))
    return rows


def run(program, *args):
    wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
    # Emulated (qemu), one thread: threads spinning on shared emulated cores crawl there
    # (the programs default to every core).
    one = ["--threads", "1"] if os.environ.get("CTNET_EMULATED") else []
    return subprocess.run(wrapper + [program, *args, *one], capture_output=True, text=True, timeout=600)


def main():
    program = sys.argv[1]
    rng = random.Random(3)
    failures = []
    with tempfile.TemporaryDirectory() as d:
        train, test = os.path.join(d, "train.csv"), os.path.join(d, "test.csv")
        write(train, samples(rng, 150), end="\r\n")
        write(test, samples(rng, 60))
        out = os.path.join(d, "out")
        r = run(program, "--train", train, "--test", test, "--label", "species", "--optimizer", "adam",
                "--iters", "600", "--out", out)
        last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
        if r.returncode != 0:
            failures.append(f"training failed: {r.stderr.strip()}")
        else:
            if "setosa, versicolor, virginica" not in r.stdout:
                failures.append(f"the classes are not named in order of appearance: {r.stdout[:200]!r}")
            summary = json.loads(last)
            if summary["test_acc"] < 0.9:
                failures.append(f"test accuracy {summary['test_acc']} below 0.9 on well-separated classes")
            for name in ("metrics.csv", "training.svg", "model.ckpt"):
                if not os.path.isfile(os.path.join(out, name)):
                    failures.append(f"{name} was not written")
        # The label column by index gives the same data.
        r2 = run(program, "--train", train, "--test", test, "--label", "4", "--iters", "50", "--out",
                 os.path.join(d, "out2"), "--quiet")
        if r2.returncode != 0:
            failures.append(f"--label 4 failed: {r2.stderr.strip()}")
        # Mistakes a user makes, each named with file, line and column.
        bad = os.path.join(d, "bad.csv")
        rows = samples(rng, 30)
        rows[6][2] = "1.4O"
        write(bad, rows)
        for args, says in [
            (["--train", bad, "--test", test, "--label", "species"], f"{bad}:8: column 'petal_length' (3): '1.4O' is not a finite number"),
            (["--train", train, "--test", test, "--label", "kind"], "no label column 'kind'"),
        ]:
            r = run(program, *args, "--out", os.path.join(d, "x"))
            if r.returncode != 1 or says not in r.stderr:
                failures.append(f"{args} should fail saying {says!r}, got {r.returncode}: {r.stderr.strip()!r}")
        unknown = os.path.join(d, "unknown.csv")
        write(unknown, samples(rng, 9)[:8] + [["5.0", "3.0", "1.0", "0.1", "iris-x"]])
        r = run(program, "--train", train, "--test", unknown, "--label", "species", "--out", os.path.join(d, "y"))
        if r.returncode != 1 or "the class 'iris-x' does not occur in the training file" not in r.stderr:
            failures.append(f"an unknown test class should be refused, got {r.stderr.strip()!r}")
        wide = os.path.join(d, "wide.csv")
        write(wide, [r[:4] + ["1.0"] + r[4:] for r in samples(rng, 9)], header="a,b,c,d,e,species")
        r = run(program, "--train", wide, "--test", wide, "--label", "species", "--out", os.path.join(d, "z"))
        if r.returncode != 1 or "have 5 values" not in r.stderr or "takes 4" not in r.stderr:
            failures.append(f"a file of the wrong width should name both widths, got {r.stderr.strip()!r}")
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("train_csv behaves:", last)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
