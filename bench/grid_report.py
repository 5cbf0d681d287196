#!/usr/bin/python3
"""The shape-grid report: ctnet, Eigen, OpenBLAS and PyTorch on the 784-H-10 step, one core.

    /usr/bin/python3 bench/grid_report.py build/bench/bench_grid_avx512 [--markdown]
        [--hidden 50,1024] [--batch 1,256] [--cpu N]

For each hidden width it runs the C++ grid (ctnet, Eigen, OpenBLAS and the FMA
peak, timed interleaved in one process) and then bench/torch_grid.py on the
same cells, pinned to the same core: ctnet's ratios to Eigen and OpenBLAS come
from figures seconds apart, to PyTorch from figures a minute or two apart. Prints each cell's % of peak for ctnet and every
peer and ctnet's speed over the fastest peer (>1: ctnet faster); --markdown
adds one table per product, for docs/benchmarks.md.
"""
import argparse
import os
import pathlib
import platform
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
WHATS = ["fwd1", "dW1", "fwd2", "dh", "dW2", "step"]
TITLES = {
    "fwd1": "fwd1: x . W1^T, B x 784 * (H x 784)^T",
    "dW1": "dW1: dh^T . x, (B x H)^T * B x 784",
    "fwd2": "fwd2: h . W2^T, B x H * (10 x H)^T",
    "dh": "dh: dz . W2, B x 10 * 10 x H",
    "dW2": "dW2: dz^T . h, (B x 10)^T * B x H",
    "step": "the whole step: forward, loss, backward, SGD update",
}


def cpu_name():
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("grid", help="a bench_grid executable (build/bench/bench_grid_avx512, ...)")
    p.add_argument("--hidden", default="50,100,256,512,1024,2048")
    p.add_argument("--batch", default="1,32,100,256,1024")
    p.add_argument("--cpu", type=int, default=os.cpu_count() - 1, help="the core to pin every run to")
    p.add_argument("--markdown", action="store_true", help="also print one markdown table per product")
    a = p.parse_args()
    pin = ["taskset", "-c", str(a.cpu)]

    cells = {}  # (h, b, what) -> dict of flops, peak, ctnet, eigen, openblas, torch (ns)
    header, torch_header = "", "PyTorch: not installed (Debian python3-torch)"
    for h in a.hidden.split(","):
        out = subprocess.run(pin + [a.grid, "--raw", "--hidden", h, "--batch", a.batch],
                             check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("#"):
                header = line[2:]
                continue
            f = line.split()
            cells[(int(f[0]), int(f[1]), f[2])] = {
                "flops": float(f[3]), "peak": float(f[4]), "ctnet": float(f[5]),
                "Eigen": float(f[6]), "OpenBLAS": float(f[7]), "PyTorch": 0.0}
        t = subprocess.run(pin + [sys.executable, str(HERE / "torch_grid.py"), "--hidden", h, "--batch", a.batch],
                           capture_output=True, text=True)
        if t.returncode == 0:
            for line in t.stdout.splitlines():
                f = line.split()
                if line.startswith("PyTorch"):
                    torch_header = line
                elif len(f) == 4 and (int(f[0]), int(f[1]), f[2]) in cells:
                    cells[(int(f[0]), int(f[1]), f[2])]["PyTorch"] = float(f[3]) * 1e3
        print(f"H={h} measured", file=sys.stderr, flush=True)

    peers = ["Eigen", "OpenBLAS", "PyTorch"]

    def pct(c, ns):
        return 100 * c["flops"] / ns / c["peak"] if ns > 0 else 0.0

    def vs_best(c):
        times = [c[q] for q in peers if c[q] > 0]
        return min(times) / c["ctnet"] if times else 0.0

    peaks = [c["peak"] for c in cells.values()]
    print(f"CPU: {cpu_name()}; {header}; {torch_header}")
    print(f"FMA peak measured beside each line: {min(peaks):.1f} to {max(peaks):.1f} GFLOP/s")
    hiddens = sorted({k[0] for k in cells})
    batches = sorted({k[1] for k in cells})
    print(f"{'H':>5} {'B':>5} {'what':<5} {'ctnet us':>10} {'%peak':>6} " +
          " ".join(f"{q + '%':>9}" for q in peers) + f" {'vs best':>8}")
    for (h, b, what), c in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1], WHATS.index(kv[0][2]))):
        print(f"{h:>5} {b:>5} {what:<5} {c['ctnet'] / 1e3:>10.2f} {pct(c, c['ctnet']):>6.0f} " +
              " ".join(f"{pct(c, c[q]):>9.0f}" if c[q] > 0 else f"{'-':>9}" for q in peers) +
              f" {vs_best(c):>7.2f}x")

    if a.markdown:
        for what in WHATS:
            print(f"\n**{TITLES[what]}**: ctnet's % of peak, and its speed over the fastest peer\n")
            print("| B \\ H | " + " | ".join(str(h) for h in hiddens) + " |")
            print("|---" * (len(hiddens) + 1) + "|")
            for b in batches:
                row = []
                for h in hiddens:
                    c = cells.get((h, b, what))
                    if not c:
                        row.append("")
                        continue
                    r = vs_best(c)
                    mark = "**" if r < 1.0 else ""
                    row.append(f"{pct(c, c['ctnet']):.0f}% · {mark}{r:.2f}×{mark}")
                print(f"| {b} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
