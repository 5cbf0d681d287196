#!/usr/bin/env python3
"""Kills train_neuralnet with SIGKILL at random moments and checks what it leaves.

usage: kill_training.py PROGRAM [--kills N] [--iters N] [--seed N] [--data DIR]

After every kill, each file in --out must be whole (the old version or the
new one, never a mix): metrics.csv parses, every line with seven fields;
training.svg is well-formed XML; model.ckpt passes every check ctnet makes
(magic, checksum, version, sections, a run section whose history matches)
and holds only finite values; no torn temporary file is left (one killed between naming and renaming must be
whole, and the next run removes it). The run then continues with --resume (or, killed
before its first checkpoint, starts again with --overwrite), to be killed
again. When it finally runs to the end, its model must equal, bit for bit,
that of a run that was never interrupted.

`meson test` runs it with a few kills (the test train-kill-resume); the
stress run the issue asks for is

    python3 test/stress/kill_training.py build/examples/train_neuralnet --kills 50

It times nothing; the kill moments are random (seeded by --seed).
"""
import argparse
import math
import os
import random
import shlex
import signal
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

HEADER = "epoch,iteration,train_loss,train_acc,test_loss,test_acc,seconds"


def command(program, *args):
    return shlex.split(os.environ.get("MESON_EXE_WRAPPER", "")) + [program, *args]


def read_checkpoint(path):
    """(network, {name: (rows, cols, raw bytes)}, {section: bytes}), every check of load_checkpoint."""
    data = open(path, "rb").read()
    if len(data) < 24 or data[:8] != b"CTNETCKP":
        raise ValueError("not a ctnet checkpoint")
    h = 0xCBF29CE484222325
    for byte in data[:-8]:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    if h != struct.unpack_from("<Q", data, len(data) - 8)[0]:
        raise ValueError("checksum mismatch")
    pos = 8

    def take(fmt):
        nonlocal pos
        values = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return values

    def string():
        (n,) = take("<I")
        return take(f"{n}s")[0].decode()

    (version,) = take("<I")
    if version != 2:
        raise ValueError(f"version {version}")
    network = string()
    size, code = (4, "f") if network.endswith("[float]") else (8, "d")
    params = {}
    for _ in range(take("<I")[0]):
        name = string()
        rows, cols = take("<QQ")
        raw = data[pos:pos + rows * cols * size]
        pos += rows * cols * size
        if not all(math.isfinite(v) for v in struct.unpack(f"<{rows * cols}{code}", raw)):
            raise ValueError(f"{name} holds a value that is not finite")
        params[name] = (rows, cols, raw)
    sections = {}
    for _ in range(take("<I")[0]):
        name = string()
        (length,) = take("<Q")
        sections[name] = data[pos:pos + length]
        pos += length
    if pos != len(data) - 8:
        raise ValueError("unexpected bytes after the sections")
    return network, params, sections


def run_history(section):
    """(step, iters, epochs measured) from a run section (docs/checkpoint_format.md)."""
    (version,) = struct.unpack_from("<I", section, 0)
    pos = 4
    iters, _seed, _batch = struct.unpack_from("<QQQ", section, pos)
    # the learning rate, weight decay and (version 2) the rate in force
    pos += 24 + 8 + 8 + (8 if version >= 2 else 0)
    (n,) = struct.unpack_from("<I", section, pos)
    pos += 4 + n
    _train, _test, _fp, step = struct.unpack_from("<QQQQ", section, pos)
    pos += 32 + 6 * 8 + 3 * 8
    (epochs,) = struct.unpack_from("<Q", section, pos)
    return step, iters, epochs


def check_files(out):
    """Problems with the files in out, each a sentence; and the checkpoint's step (or None)."""
    problems, step = [], None
    names = set(os.listdir(out))
    csv_rows = None
    if "metrics.csv" in names:
        lines = open(os.path.join(out, "metrics.csv")).read().split("\n")
        if lines[0] != HEADER or lines[-1] != "":
            problems.append("metrics.csv is not whole")
        for line in lines[1:-1]:
            fields = line.split(",")
            if len(fields) != 7:
                problems.append(f"metrics.csv line {line!r}")
            else:
                [float(f) for f in fields]
        csv_rows = len(lines) - 2
    if "training.svg" in names:
        try:
            ET.parse(os.path.join(out, "training.svg"))
        except ET.ParseError as e:
            problems.append(f"training.svg does not parse: {e}")
    if "model.ckpt" in names:
        try:
            _, params, sections = read_checkpoint(os.path.join(out, "model.ckpt"))
            if set(params) != {"W1", "b1", "W2", "b2"} or set(sections) != {"optimizer", "run"}:
                problems.append(f"model.ckpt holds {sorted(params)} and {sorted(sections)}")
            step, _, epochs = run_history(sections["run"])
            # The checkpoint is written before the reports: they may lag it by an epoch, never lead.
            if csv_rows is not None and not epochs - 1 <= csv_rows <= epochs:
                problems.append(f"metrics.csv has {csv_rows} epochs, the checkpoint {epochs}")
        except (ValueError, struct.error, KeyError) as e:
            problems.append(f"model.ckpt: {e}")
    # A temporary has a name only between its last byte and the rename (Linux
    # O_TMPFILE): a kill there leaves a whole file, which the next run removes.
    for name in sorted(n for n in names if ".tmp-" in n):
        if name.startswith("model.ckpt.tmp-"):
            try:
                read_checkpoint(os.path.join(out, name))
            except (ValueError, struct.error) as e:
                problems.append(f"a torn temporary {name}: {e}")
    return problems, step


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("program")
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--iters", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", default="bundled")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    settings = ["--data", args.data, "--iters", str(args.iters), "--quiet"]  # --quiet last

    with tempfile.TemporaryDirectory() as whole, tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        ref = subprocess.run(command(args.program, *settings, "--out", whole), capture_output=True, text=True)
        duration = time.monotonic() - started
        if ref.returncode != 0:
            print(f"FAIL: the uninterrupted run failed: {ref.stderr}")
            return 1
        failures, resumed, restarted = [], 0, 0
        policy = []

        def arguments(policy):  # a resumed run takes its settings from the checkpoint
            return ["--out", out, "--quiet", *policy] + ([] if policy == ["--resume"] else settings[:-1])

        for kill in range(args.kills):
            proc = subprocess.Popen(command(args.program, *arguments(policy)),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(rng.uniform(0, duration))
            proc.send_signal(signal.SIGKILL)
            _, err = proc.communicate()
            if proc.returncode == 0:  # finished before the kill: start over, to be killed again
                policy = ["--overwrite"]
                continue
            if proc.returncode != -signal.SIGKILL:
                failures.append(f"kill {kill}: exited {proc.returncode} before the kill: {err.strip()}")
                break
            problems, step = check_files(out)
            failures += [f"kill {kill}: {p}" for p in problems]
            if step is None:
                policy, restarted = ["--overwrite"], restarted + 1
            else:
                policy, resumed = ["--resume"], resumed + 1
        last = subprocess.run(command(args.program, *arguments(policy)), capture_output=True, text=True)
        if last.returncode != 0:
            failures.append(f"the last run ({' '.join(policy)}) failed: {last.stderr.strip()}")
        else:
            leftovers = [n for n in os.listdir(out) if ".tmp-" in n]
            if leftovers:
                failures.append(f"the finished run left temporaries: {leftovers}")
            _, mine, _ = read_checkpoint(os.path.join(out, "model.ckpt"))
            _, theirs, _ = read_checkpoint(os.path.join(whole, "model.ckpt"))
            if mine != theirs:
                failures.append("the resumed run's model differs from the uninterrupted run's")
        for f in failures:
            print("FAIL:", f)
        print(f"{args.kills} kills ({resumed} resumed, {restarted} restarted before a checkpoint); "
              f"{'every file whole, and the final model bit-identical' if not failures else 'FAILED'}")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
