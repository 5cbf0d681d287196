#!/usr/bin/env python3
"""Runs the chapter-6 experiment programs and checks their files and the book's findings.

usage: check_experiments.py BUILD_EXAMPLES_DIR

Natively each program runs with the book's settings (about 25 s in all on two
cores) and its figure's data must show what the book's figure shows:

- optimizer_compare_mnist: SGD ends with the highest loss of the four;
- weight_init_compare: std 0.01 never leaves ln 10 = 2.30, He ends below Xavier;
- overfit_weight_decay and overfit_dropout: the 300 images are learnt without
  the regulariser, and with it the gap between training and test accuracy is
  narrower;
- batch_norm_test: BatchNorm ends ahead at most of the 16 weight scales;
- hyperparameter_optimization: the best trials' rates lie in 1e-3 .. 1e-2.

Emulated or sanitized (CTNET_TEST_SIZE=small) the runs are shortened and only
the files are checked. Mistakes on the command line must fail with a message.
"""
import csv
import io
import os
import shlex
import subprocess
import sys
import tempfile

SMALL = os.environ.get("CTNET_TEST_SIZE") == "small"
EMULATED = os.environ.get("CTNET_EMULATED") is not None


def run(program, *args, expect=0):
    wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
    # Emulated (qemu), one thread: spinning threads on shared emulated cores crawl there.
    threads = ["--threads", "1"] if EMULATED else []
    p = subprocess.run(wrapper + [program, *args, *threads], capture_output=True, text=True, timeout=900)
    if p.returncode != expect:
        sys.exit(f"{program} {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def figure(out, name):
    """The CSV as {panel: {series: [(x, y)]}}, after checking both files are there and whole."""
    with open(os.path.join(out, name + ".svg")) as f:
        svg = f.read()
    if not svg.startswith("<svg") or not svg.rstrip().endswith("</svg>") or "<polyline" not in svg:
        sys.exit(f"{name}.svg is not a whole figure")
    with open(os.path.join(out, name + ".csv")) as f:
        rows = list(csv.reader(io.StringIO(f.read())))
    if rows[0] != ["panel", "series", "x", "y"]:
        sys.exit(f"{name}.csv: header {rows[0]}")
    data = {}
    for panel, series, x, y in rows[1:]:
        data.setdefault(panel, {}).setdefault(series, []).append((float(x), float(y)))
    return data


def last(points, n=1):
    tail = [y for _, y in points[-n:]]
    return sum(tail) / len(tail)


def check(condition, what):
    if not condition:
        sys.exit("not as the book: " + what)
    print("ok:", what)


def main():
    bin_dir = sys.argv[1]
    exe = lambda name: os.path.join(bin_dir, name)
    with tempfile.TemporaryDirectory() as tmp:
        out = lambda name: os.path.join(tmp, name)

        # optimizer_compare_mnist
        args = ["--iters", "60"] if SMALL else []
        run(exe("optimizer_compare_mnist"), "--out", out("opt"), "--quiet", *args)
        loss = figure(out("opt"), "optimizer_compare_mnist")["0"]
        check(set(loss) == {"SGD", "Momentum", "AdaGrad", "Adam"}, "four optimizers: " + ", ".join(loss))
        check(all(len(v) == (60 if SMALL else 2000) for v in loss.values()), "one smoothed loss per step")
        if not SMALL:
            ends = {k: last(v, 100) for k, v in loss.items()}
            check(all(ends["SGD"] > 2 * ends[k] for k in ("Momentum", "AdaGrad", "Adam")),
                  f"SGD learns slowest: mean loss of the last 100 steps {ends}")

        # weight_init_compare
        run(exe("weight_init_compare"), "--out", out("init"), "--quiet", *args)
        loss = figure(out("init"), "weight_init_compare")["0"]
        check(list(loss) == ["std=0.01", "Xavier", "He"], "three initialisations")
        if not SMALL:
            ends = {k: last(v, 100) for k, v in loss.items()}
            check(ends["std=0.01"] > 2.2 and ends["He"] < ends["Xavier"] < 1.0,
                  f"std 0.01 stays at 2.30, He ends below Xavier: {ends}")

        # overfit_weight_decay and overfit_dropout
        for name, flag, value in (("overfit_weight_decay", "--lambda", "0.1"), ("overfit_dropout", "--dropout", "0.2")):
            args = ["--epochs", "4"] if SMALL else []
            run(exe(name), "--out", out(name), "--quiet", flag, value, *args)
            panels = list(figure(out(name), name).values())
            check(len(panels) == 2 and all(set(p) == {"train", "test"} for p in panels), name + ": two runs, train and test")
            if not SMALL:
                plain, regular = ({k: last(v, 10) for k, v in p.items()} for p in panels)
                check(plain["train"] > 0.99, f"{name}: without it the 300 images are learnt ({plain})")
                check(regular["train"] - regular["test"] < plain["train"] - plain["test"],
                      f"{name}: with {flag} {value} the gap narrows ({regular} against {plain})")

        # batch_norm_test
        args = ["--epochs", "2", "--scales", "3"] if SMALL else []
        run(exe("batch_norm_test"), "--out", out("bn"), "--quiet", *args)
        panels = figure(out("bn"), "batch_norm_test")
        check(len(panels) == (3 if SMALL else 16), f"{len(panels)} weight scales")
        if not SMALL:
            ahead = sum(last(p["BatchNorm"]) > last(p["without"]) for p in panels.values())
            check(ahead >= 12, f"BatchNorm ahead at {ahead} of 16 scales")

        # hyperparameter_optimization
        args = ["--trials", "3", "--epochs", "2"] if SMALL else ["--trials", "40"]
        run(exe("hyperparameter_optimization"), "--out", out("hp"), "--quiet", *args)
        panels = figure(out("hp"), "hyperparameter_optimization")
        check(len(panels) == (3 if SMALL else 20), f"the best {len(panels)} trials")
        if not SMALL:
            rates = [float(title.split("lr ")[1].split(",")[0]) for title in list(panels)[:3]]
            check(all(1e-3 <= r <= 1.5e-2 for r in rates), f"the best three rates {rates} lie in 1e-3 .. 1e-2")

        # Mistakes are refused with a reason and the usage.
        for name, args, says in (("overfit_dropout", ["--dropout", "1"], "drops everything"),
                                 ("batch_norm_test", ["--scales", "1"], "at least 2"),
                                 ("weight_init_compare", ["--iters"], "needs a value"),
                                 ("hyperparameter_optimization", ["--bogus"], "unknown option '--bogus'")):
            p = run(exe(name), "--out", out("bad"), *args, expect=1)
            check(says in p.stderr, f"{name} {' '.join(args)}: {says}")
        p = run(exe("overfit_weight_decay"), "--help")
        check("--lambda X" in p.stdout and "--data DIR" in p.stdout, "--help names the flags")


if __name__ == "__main__":
    main()
