#!/usr/bin/env python3
"""Runs train_neuralnet as a user would: --help, bad flags, missing data, and a short run whose last
line must be the JSON summary with a test accuracy of at least the given bound; then what a user
meets next: a second run into the same --out (refused), --overwrite, Ctrl-C and --resume, and a
standard output that cannot be written.

usage: check_train.py PROGRAM MIN_TEST_ACC
"""
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

# The checkpoint reader of the kill test: parameters as bytes, every check load_checkpoint makes.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "stress"))
from kill_training import read_checkpoint  # noqa: E402


def command(program, *args):
    """The command line for program: under the exe wrapper, and emulated (qemu) on one thread, where
    threads spinning on shared emulated cores crawl (the programs default to every core)."""
    wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
    one = ["--threads", "1"] if os.environ.get("CTNET_EMULATED") and "--threads" not in args else []
    return wrapper + [program, *args, *one]


def run(program, *args):
    return subprocess.run(command(program, *args), capture_output=True, text=True, timeout=600)


def main() -> int:
    program, min_acc = sys.argv[1], float(sys.argv[2])
    failures = []
    helped = run(program, "--help")
    if helped.returncode != 0 or "--data" not in helped.stdout:
        failures.append("--help should print the options and exit 0")
    for args, says in [(["--iters", "ten"], "--iters takes a whole number"),
                       (["--seed", " -1"], "--seed takes a whole number"),  # strtoull would give 2^64-1
                       (["--data", "--iters", "5"], "--data needs a value, but the next argument is the option '--iters'"),
                       (["--lr", "1e-320"], "is too small"),  # rounds to 0 in float
                       (["--quiet=maybe"], "--quiet takes yes or no"),
                       (["--resume", "--overwrite"], "contradict"),
                       (["--resume", "--lr", "0.5"], "leave out --lr")]:
        bad = run(program, *args)
        if bad.returncode != 1 or says not in bad.stderr:
            failures.append(f"{args} should exit 1 saying {says!r}, got {bad.returncode}: {bad.stderr!r}")
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
        for key in ("iters", "train_acc", "test_acc", "final_loss", "wall_s", "ms_per_iter", "threads", "data"):
            if summary and key not in summary:
                failures.append(f"summary lacks {key}")
        for name in ("metrics.csv", "training.svg", "model.ckpt"):
            if not os.path.isfile(os.path.join(out, name)):
                failures.append(f"{name} was not written")
        # A second run into the same --out would mix two runs' files: refused, files untouched.
        before = open(os.path.join(out, "model.ckpt"), "rb").read()
        again = run(program, "--iters", "600", "--out", out, "--quiet=yes")
        if again.returncode != 1 or "holds another run's files" not in again.stderr:
            failures.append(f"a second run into the same --out should be refused, got {again.returncode}: {again.stderr!r}")
        if open(os.path.join(out, "model.ckpt"), "rb").read() != before:
            failures.append("a refused run changed model.ckpt")
        # --quiet=no means not quiet; --overwrite replaces the old run.
        loud = run(program, "--iters", "100", "--out", out, "--overwrite", "--quiet=no")
        if loud.returncode != 0 or "epoch   0" not in loud.stdout:
            failures.append(f"--overwrite --quiet=no should train and print epochs, got {loud.returncode}: {loud.stderr!r}")
    # Ctrl-C: the step finishes, the checkpoint is written, exit 130; --resume ends as an uninterrupted run.
    # Emulated or sanitized (CTNET_TEST_SIZE=small, 20-50x slower) a shorter run is still interrupted.
    iters = "200" if os.environ.get("CTNET_TEST_SIZE") == "small" else "3000"
    with tempfile.TemporaryDirectory() as whole, tempfile.TemporaryDirectory() as out:
        # The threads change nothing (parallel/pool.hpp): the whole run on one, the interrupted run on
        # two and its resumption on three end with the same weights, bit for bit.
        threads = (lambda n: ["--threads", "1" if os.environ.get("CTNET_EMULATED") else n])  # see command()
        run(program, "--iters", iters, "--out", whole, "--quiet", *threads("1"))
        proc = subprocess.Popen(command(program, "--iters", iters, "--out", out, *threads("2")), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        proc.stdout.readline()  # the data line: training has begun
        time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=600)
        if proc.returncode == 0:
            print("note: the run finished before Ctrl-C arrived; the interrupt was not exercised")
        elif proc.returncode != 130 or "add --resume" not in err:
            failures.append(f"Ctrl-C should exit 130 saying how to resume, got {proc.returncode}: {err!r}")
        resumed = run(program, "--out", out, "--resume", "--quiet", *threads("3"))
        if resumed.returncode != 0:
            failures.append(f"--resume failed: {resumed.stderr!r}")
        elif read_checkpoint(os.path.join(out, "model.ckpt"))[1] != read_checkpoint(os.path.join(whole, "model.ckpt"))[1]:
            failures.append("the resumed run's weights differ from the uninterrupted run's")
    # A result that cannot be written is a failure, not exit 0.
    if os.path.exists("/dev/full"):
        with tempfile.TemporaryDirectory() as out, open("/dev/full", "w") as full:
            lost = subprocess.run(command(program, "--iters", "100", "--out", out), stdout=full,
                                  stderr=subprocess.PIPE, text=True, timeout=600)
            if lost.returncode != 1 or "cannot write the output" not in lost.stderr:
                failures.append(f"writing to /dev/full should exit 1, got {lost.returncode}: {lost.stderr!r}")
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("train_neuralnet behaves:", last)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
