#!/usr/bin/env python3
"""Runs train_convnet or deep_convnet as a user would: --help names its defaults, a short run learns the digits and
writes its files and summary, each epoch is measured on --eval-samples images, and a run stopped by
Ctrl-C and resumed ends with the weights of one that never stopped (threads 1, 2 and 3).

usage: check_convnet.py PROGRAM

Natively 240 steps (three epochs of the bundled digits); emulated or sanitized
(CTNET_TEST_SIZE=small) 40, where only the files and the resumption are checked.
"""
import csv
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "stress"))
from kill_training import read_checkpoint  # noqa: E402

SMALL = os.environ.get("CTNET_TEST_SIZE") == "small"
EMULATED = os.environ.get("CTNET_EMULATED") is not None


def command(program, *args):
    wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
    return wrapper + [program, *args]


def threads(n):
    # Emulated, one thread: spinning threads on shared emulated cores crawl there.
    return ["--threads", "1" if EMULATED else str(n)]


def run(program, *args):
    return subprocess.run(command(program, *args), capture_output=True, text=True, timeout=900)


def main() -> int:
    program = sys.argv[1]
    failures = []
    usage = run(program, "--help").stdout
    for says in ("(default adam)", "(default 0.001;", "--eval-samples N", "(default 1000)", "(default 20 epochs)"):
        if says not in usage:
            failures.append(f"--help should say {says!r}")

    iters = "40" if SMALL else "240"
    with tempfile.TemporaryDirectory() as out:
        trained = run(program, "--iters", iters, "--eval-samples", "500", "--out", out, "--quiet", *threads(2))
        if trained.returncode != 0:
            failures.append(f"a short run failed: {trained.stderr!r}")
        else:
            summary = json.loads(trained.stdout.strip().splitlines()[-1])
            rows = list(csv.DictReader(open(os.path.join(out, "metrics.csv"))))
            if summary["iters"] != int(iters) or not os.path.exists(os.path.join(out, "training.svg")):
                failures.append(f"the summary or the files are wrong: {summary}")
            if not SMALL and summary["test_acc"] < 0.85:
                failures.append(f"240 Adam steps should reach 0.85 on the test digits, got {summary['test_acc']}")
            # Epochs measured on 500 images: accuracies are multiples of 1/500; the last one, on all
            # 8,000 and 2,000, need not be.
            for row in rows[:-1]:
                if abs(float(row["train_acc"]) * 500 - round(float(row["train_acc"]) * 500)) > 1e-6:
                    failures.append(f"epoch {row['epoch']} was not measured on 500 images: {row['train_acc']}")

    # Ctrl-C, then --resume: the same weights as a run that never stopped.
    iters = "40" if SMALL else "200"
    with tempfile.TemporaryDirectory() as whole, tempfile.TemporaryDirectory() as out:
        run(program, "--iters", iters, "--out", whole, "--quiet", *threads(1))
        proc = subprocess.Popen(command(program, "--iters", iters, "--out", out, *threads(2)),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        proc.stdout.readline()  # the data line: training has begun
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=900)
        if proc.returncode == 0:
            print("note: the run finished before Ctrl-C arrived; the interrupt was not exercised")
        elif proc.returncode != 130 or "add --resume" not in err:
            failures.append(f"Ctrl-C should exit 130 saying how to resume, got {proc.returncode}: {err!r}")
        resumed = run(program, "--out", out, "--resume", "--quiet", *threads(3))
        if resumed.returncode != 0:
            failures.append(f"--resume failed: {resumed.stderr!r}")
        elif read_checkpoint(os.path.join(out, "model.ckpt"))[1] != read_checkpoint(os.path.join(whole, "model.ckpt"))[1]:
            failures.append("the resumed run's weights differ from the uninterrupted run's")
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print(f"{os.path.basename(program)} behaves")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
