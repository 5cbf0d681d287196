#!/usr/bin/env python3
"""The book's whole training run (train_neuralnet's defaults: 10,000 steps of batch 100, 18
evaluations of both sets) on 1 thread and on n, alternating, `--runs` times each: the median of
each figure, and the ratio of 1 thread's to n threads' in the same run of this script.

    bench/whole_run.py build/examples/train_neuralnet [--data fashion] [--threads N] [--runs 5]

Prints one line per thread count (process seconds as measured here, the program's wall_s,
load_s and ms_per_iter from its JSON summary) and the speedups.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def one_run(program: str, data: str, threads: int, out: str) -> dict:
    start = time.perf_counter()
    done = subprocess.run([program, "--data", data, "--quiet", "--overwrite", "--out", out,
                           "--threads", str(threads)], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{program} failed: {done.stderr}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    summary["process_s"] = seconds
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program")
    parser.add_argument("--data", default="fashion")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.threads < 2 or args.runs < 1:
        parser.error("--threads must be at least 2 (it is compared with 1) and --runs at least 1")
    keys = ("process_s", "wall_s", "load_s", "ms_per_iter")
    runs = {1: [], args.threads: []}
    with tempfile.TemporaryDirectory() as out:
        for r in range(args.runs):
            for n in ((1, args.threads) if r % 2 == 0 else (args.threads, 1)):
                runs[n].append(one_run(args.program, args.data, n, out))
    median = {n: {k: statistics.median(s[k] for s in runs[n]) for k in keys} for n in runs}
    results = {(s["train_acc"], s["test_acc"], s["final_loss"]) for n in runs for s in runs[n]}
    for n in runs:
        print(f"{n:>2} thread(s): " + "  ".join(f"{k} {median[n][k]:.4f}" for k in keys))
    print(f"(train_acc, test_acc, final_loss) of every run: {sorted(results)}")
    if len(results) != 1:
        sys.exit("the thread counts gave different results, which ctnet promises they never do")
    one, many = median[1], median[args.threads]
    steps_s = runs[1][0]["iters"] / 1000  # ms_per_iter times this: the steps' seconds
    print(f"speedup on {args.threads} threads: whole process {one['process_s'] / many['process_s']:.2f}x, "
          f"training and evaluation (wall_s) {one['wall_s'] / many['wall_s']:.2f}x, "
          f"steps (ms_per_iter) {one['ms_per_iter'] / many['ms_per_iter']:.2f}x, "
          f"loading {one['load_s'] / many['load_s']:.2f}x; evaluation alone "
          f"{(one['wall_s'] - one['ms_per_iter'] * steps_s) / (many['wall_s'] - many['ms_per_iter'] * steps_s):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
