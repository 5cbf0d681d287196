#!/usr/bin/env python3
"""Runs train_neuralnet --distributed under mpirun as a user would, on one machine: the book's run on
1, 2 and 3 ranks (the same accuracy within 0.002, the same loss curve within 1e-5, one report), then
the faults: a rank that cannot read its data, a rank killed mid-run (the checkpoint stays whole, and
resumes on another number of ranks), a rank stopped (the others give up after --timeout), and Ctrl-C (every rank stops at the
same step).

usage: check_distributed.py MPIRUN PROGRAM
"""
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "stress"))
from kill_training import read_checkpoint  # noqa: E402

# Open MPI refuses root without these; oversubscribed, 3 ranks share 2 cores.
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")


def mpi(mpirun, ranks, program, *args):
    """The command: every rank on one thread (ranks x threads must not exceed the cores much: the
    pool's workers spin)."""
    return [mpirun, "-np", str(ranks), program, "--distributed", "--threads", "1", *args]


def run(cmd, timeout=300):
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=ENV)
    return p, time.monotonic() - start


def summary(p):
    lines = [line for line in p.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None, len(lines)


def curve(path):
    with open(path) as f:
        return [(float(r["train_loss"]), float(r["test_loss"]), float(r["train_acc"]), float(r["test_acc"]))
                for r in csv.DictReader(f)]


def rank_pid(root, rank):
    """The pid of rank `rank` among root's descendants (Open MPI sets OMPI_COMM_WORLD_RANK)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            env = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
        except OSError:
            continue
        if f"OMPI_COMM_WORLD_RANK={rank}".encode() in env and f"CTNET_CHECK_RUN={root}".encode() in env:
            return int(pid)
    return None


def start_long(mpirun, program, out, tag, *args, ranks=2):
    env = dict(ENV, CTNET_CHECK_RUN=tag)
    iters = [] if "--resume" in args else ["--iters", "1000000"]  # a resumed run keeps its own
    p = subprocess.Popen(mpi(mpirun, ranks, program, *iters, "--out", out, *args),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    ckpt = os.path.join(out, "model.ckpt")
    deadline = time.monotonic() + 120
    while not os.path.exists(ckpt) and time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.1)
    time.sleep(0.5)  # some steps past the first checkpoint
    return p, rank_pid(tag, 1)


def main() -> int:
    mpirun, program = sys.argv[1], sys.argv[2]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        # The book's run (10,000 steps of 100) on 1, 2 and 3 ranks.
        results = {}
        for ranks in (1, 2, 3):
            out = os.path.join(tmp, f"np{ranks}")
            p, seconds = run(mpi(mpirun, ranks, program, "--out", out, "--quiet"))
            s, reports = summary(p)
            if p.returncode != 0 or s is None:
                failures.append(f"{ranks} ranks: exit {p.returncode}\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
                continue
            if reports != 1:
                failures.append(f"{ranks} ranks: {reports} JSON reports, rank 0's alone expected")
            if s["ranks"] != ranks or s["batch"] != 100:
                failures.append(f"{ranks} ranks: the summary says ranks {s['ranks']}, batch {s['batch']}")
            results[ranks] = (s, curve(os.path.join(out, "metrics.csv")))
            print(f"{ranks} ranks: test accuracy {s['test_acc']}, loss {s['final_loss']}, {seconds:.1f} s")
        if 1 in results:
            one, one_curve = results[1]
            if one["test_acc"] < 0.93:
                failures.append(f"one rank reached test accuracy {one['test_acc']}, the book's net reaches 0.93")
            for ranks in (2, 3):
                if ranks not in results:
                    continue
                s, c = results[ranks]
                if abs(s["test_acc"] - one["test_acc"]) > 0.002:
                    failures.append(f"{ranks} ranks: test accuracy {s['test_acc']}, one process {one['test_acc']}")
                worst = max((abs(a[k] - b[k]) for a, b in zip(c, one_curve) for k in (0, 1)), default=1)
                if len(c) != len(one_curve) or worst > 1e-5:
                    failures.append(f"{ranks} ranks: the loss curve differs from one process's by {worst}")

        # Rank 1 cannot read its data: every rank stops, rank 0 says why, once, naming rank 1.
        out = os.path.join(tmp, "bad-data")
        p, seconds = run([mpirun, "-np", "1", program, "--distributed", "--out", out, ":",
                          "-np", "1", program, "--distributed", "--out", out, "--data", os.path.join(tmp, "nowhere")],
                         timeout=120)
        said = p.stderr.count("train_neuralnet: rank 1: ")
        if p.returncode == 0 or said != 1 or "nowhere" not in p.stderr:
            failures.append(f"rank 1 without data: exit {p.returncode}, said {said} times\n{p.stderr[-2000:]}")
        if os.path.exists(os.path.join(out, "model.ckpt")):
            failures.append("rank 1 without data: a checkpoint was written")

        # Rank 1 killed mid-run: mpirun ends rank 0 and names rank 1; the checkpoint is whole and resumes.
        out = os.path.join(tmp, "killed")
        p, pid = start_long(mpirun, program, out, "kill")
        if pid is None:
            failures.append("could not find rank 1's process")
            p.kill()
        else:
            os.kill(pid, signal.SIGKILL)
            try:
                _, err = p.communicate(timeout=60)
                if p.returncode == 0 or "rank 1" not in err:
                    failures.append(f"rank 1 killed: exit {p.returncode}\n{err[-2000:]}")
            except subprocess.TimeoutExpired:
                p.kill()
                failures.append("rank 1 killed: rank 0 still ran a minute later")
            try:
                read_checkpoint(os.path.join(out, "model.ckpt"))
            except (OSError, ValueError) as e:
                failures.append(f"rank 1 killed: the checkpoint is not whole: {e}")
            # Resumed on 3 ranks (any number draws the same batches), then Ctrl-C: every rank
            # stops at the same step, and rank 0 saves it.
            before = os.path.getmtime(os.path.join(out, "metrics.csv"))
            p, _ = start_long(mpirun, program, out, "resume", "--resume", ranks=3)
            time.sleep(1)
            p.send_signal(signal.SIGINT)
            try:
                _, err = p.communicate(timeout=60)
                if "interrupted after step" not in err or err.count("interrupted after step") != 1:
                    failures.append(f"resumed, then Ctrl-C: exit {p.returncode}\n{err[-2000:]}")
                read_checkpoint(os.path.join(out, "model.ckpt"))
                if os.path.getmtime(os.path.join(out, "metrics.csv")) <= before:
                    failures.append("resumed: no epoch measured after the resume")
            except subprocess.TimeoutExpired:
                p.kill()
                failures.append("resumed, then Ctrl-C: still running a minute later")

        # Rank 1 stopped (SIGSTOP): rank 0 gives up after --timeout and ends every rank.
        out = os.path.join(tmp, "stopped")
        p, pid = start_long(mpirun, program, out, "stop", "--timeout", "3")
        if pid is None:
            failures.append("could not find rank 1's process")
            p.kill()
        else:
            os.kill(pid, signal.SIGSTOP)
            start = time.monotonic()
            try:
                _, err = p.communicate(timeout=60)
                waited = time.monotonic() - start
                if p.returncode == 0 or "did not join" not in err or waited > 30:
                    failures.append(f"rank 1 stopped: exit {p.returncode} after {waited:.0f} s\n{err[-2000:]}")
                else:
                    print(f"rank 1 stopped: every rank ended {waited:.1f} s later")
            except subprocess.TimeoutExpired:
                os.kill(pid, signal.SIGKILL)
                p.kill()
                failures.append("rank 1 stopped: rank 0 waited more than a minute")
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            read_checkpoint(os.path.join(out, "model.ckpt"))
    for f in failures:
        print("FAILED:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
