#!/usr/bin/python3
"""PyTorch's figures for bench_grid's cells: the same five products and step, one thread.

    /usr/bin/python3 bench/torch_grid.py [--hidden 50,1024] [--batch 1,256] [--samples 11]

Prints one line per cell and product, "H B what microseconds", for
bench/grid_report.py to set beside ctnet's in the same run. Needs Debian's
python3-torch (1.13); exits 77 without it.

The step is the fastest PyTorch formulation we know, not autograd: the same
algorithm as ctnet's and the C++ peers' (forward, softmax cross-entropy,
backward, SGD at lr 0.1), written with in-place and out= operations so it
allocates nothing per step, the weights stored Out x In as nn.Linear does.
"""
import argparse
import sys
import time

try:
    import torch
except ImportError:
    print("torch_grid: PyTorch is not installed (Debian: python3-torch)", file=sys.stderr)
    sys.exit(77)

INPUTS, OUTPUTS, LR = 784, 10, 0.1


def median_us(f, samples):
    """Median over `samples` batches of one call's time; each batch lasts >= 2 ms."""
    for _ in range(3):
        f()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            f()
        if time.perf_counter() - t0 > 2e-3:
            break
        reps *= 2
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(reps):
            f()
        times.append((time.perf_counter() - t0) / reps)
    times.sort()
    return times[samples // 2] * 1e6


def cell(h, b, samples):
    g = torch.Generator().manual_seed(h * 7919 + b)
    x = torch.rand(b, INPUTS, generator=g)
    w1 = (torch.rand(h, INPUTS, generator=g) - 0.5) * 0.1
    w2 = (torch.rand(OUTPUTS, h, generator=g) - 0.5) * 0.1
    hid = torch.rand(b, h, generator=g) * 2 - 1
    dh = torch.rand(b, h, generator=g) * 2 - 1
    dz = torch.rand(b, OUTPUTS, generator=g) * 2 - 1
    t = torch.randint(0, OUTPUTS, (b,), generator=g)
    z1, dw1 = torch.empty(b, h), torch.empty(h, INPUTS)
    z2, dw2 = torch.empty(b, OUTPUTS), torch.empty(OUTPUTS, h)
    out = []
    out.append(("fwd1", median_us(lambda: torch.mm(x, w1.t(), out=z1), samples)))
    out.append(("dW1", median_us(lambda: torch.mm(dh.t(), x, out=dw1), samples)))
    out.append(("fwd2", median_us(lambda: torch.mm(hid, w2.t(), out=z2), samples)))
    out.append(("dh", median_us(lambda: torch.mm(dz, w2, out=z1), samples)))
    out.append(("dW2", median_us(lambda: torch.mm(dz.t(), hid, out=dw2), samples)))

    b1, b2 = torch.zeros(h), torch.zeros(OUTPUTS)
    sw1, sw2 = w1.clone(), w2.clone()
    a1, y, d1 = torch.empty(b, h), torch.empty(b, OUTPUTS), torch.empty(b, h)
    onehot = torch.zeros(b, OUTPUTS)
    onehot[torch.arange(b), t] = 1.0

    def step():
        torch.addmm(b1, x, sw1.t(), out=a1)
        a1.clamp_(min=0)                      # h = relu(z1), also ReLU's mask
        torch.addmm(b2, a1, sw2.t(), out=y)
        torch.softmax(y, 1, out=y)
        loss = -torch.log(y[torch.arange(b), t] + 1e-7).mean()
        y.sub_(onehot).div_(b)                # dz = (y - t) / B
        torch.mm(y, sw2, out=d1)              # dh, before W2 moves
        sw2.addmm_(y.t(), a1, alpha=-LR)
        b2.sub_(y.sum(0), alpha=LR)
        d1.mul_(a1 > 0)
        sw1.addmm_(d1.t(), x, alpha=-LR)
        b1.sub_(d1.sum(0), alpha=LR)
        return loss

    out.append(("step", median_us(step, samples)))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hidden", default="50,100,256,512,1024,2048")
    p.add_argument("--batch", default="1,32,100,256,1024")
    p.add_argument("--samples", type=int, default=11)
    a = p.parse_args()
    torch.set_num_threads(1)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread", flush=True)
    for h in (int(v) for v in a.hidden.split(",")):
        for b in (int(v) for v in a.batch.split(",")):
            for what, us in cell(h, b, a.samples):
                print(h, b, what, f"{us:.3f}", flush=True)


if __name__ == "__main__":
    main()
