#!/usr/bin/env python3
"""The book's chapter-6 experiments in NumPy beside ctnet's, as means over seeds.

usage: chapter6_numpy.py BUILD_DIR [--data DIR] [--seeds N] [--only NAME ...]

For each experiment (optimizer_compare_mnist, weight_init_compare,
overfit_weight_decay, overfit_dropout, batch_norm_test) and each seed 0 .. N-1,
runs ctnet's example program (BUILD_DIR/examples/NAME --seed S) and the book's
own script, transcribed below from the book's formulas (common/layers.py,
common/multi_layer_net.py, multi_layer_net_extend.py, common/optimizer.py and
the ch06 scripts: the same network, settings, initialisation and loop, in
float64 as the book computes), on the same data (the bundled digits unless
--data), and prints each experiment's figures as mean and standard deviation
over the seeds for both. The two draw different random numbers (NumPy's
generator against ctnet's), so single runs differ; the means are what the
book's figures claim. hyperparameter_optimization, a random search, is left
out: its outcome is the best of 100 draws, not a curve.

The figures are those test/examples/check_experiments.py checks: the mean
smoothed loss of the last 100 steps (the book's smooth_curve, applied to both),
the final training and test accuracy and their gap, and in batch_norm_test the
number of weight scales (of 16) at which BatchNorm ends ahead.
"""
import argparse
import csv
import gzip
import os
import statistics
import struct
import subprocess
import sys
import tempfile

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

try:
    import numpy as np
except ImportError:
    sys.exit("chapter6_numpy.py needs NumPy (Debian: python3-numpy; scripts/setup installs it)")


# ---- the data: load_mnist(normalize=True), labels as indices --------------------------------------

def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 0x803:
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, 784).astype(np.float32) / 255.0
    return np.frombuffer(data, np.uint8, offset=8).astype(np.int64)


def load(data_dir):
    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(data_dir, name)):
                return os.path.join(data_dir, name)
        sys.exit(f"no {stem}[.gz] in {data_dir}")
    return (read_idx(find("train-images-idx3-ubyte")), read_idx(find("train-labels-idx1-ubyte")),
            read_idx(find("t10k-images-idx3-ubyte")), read_idx(find("t10k-labels-idx1-ubyte")))


# ---- common/layers.py ------------------------------------------------------------------------------

class Relu:
    def forward(self, x, train):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x, train):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return np.dot(dout, self.W.T)


class Dropout:
    def __init__(self, ratio):
        self.ratio = ratio

    def forward(self, x, train):
        if train:
            self.mask = np.random.rand(*x.shape) > self.ratio
            return x * self.mask
        return x * (1.0 - self.ratio)

    def backward(self, dout):
        return dout * self.mask


class BatchNormalization:
    def __init__(self, width, momentum=0.9):
        self.gamma, self.beta = np.ones(width), np.zeros(width)
        self.momentum = momentum
        self.running_mean = self.running_var = None

    def forward(self, x, train):
        if self.running_mean is None:
            self.running_mean, self.running_var = np.zeros(x.shape[1]), np.zeros(x.shape[1])
        if train:
            mu = x.mean(axis=0)
            xc = x - mu
            var = np.mean(xc ** 2, axis=0)
            std = np.sqrt(var + 10e-7)
            xn = xc / std
            self.batch_size, self.xc, self.xn, self.std = x.shape[0], xc, xn, std
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            xn = (x - self.running_mean) / np.sqrt(self.running_var + 10e-7)
        return self.gamma * xn + self.beta

    def backward(self, dout):
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / self.batch_size) * self.xc * dvar
        dmu = np.sum(dxc, axis=0)
        return dxc - dmu / self.batch_size


def softmax_with_loss(x, t):
    x = x - x.max(axis=1, keepdims=True)
    y = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)
    n = x.shape[0]
    loss = -np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n
    dx = y.copy()
    dx[np.arange(n), t] -= 1
    return loss, dx / n


# ---- common/multi_layer_net(_extend).py -------------------------------------------------------------

class MultiLayerNet:
    """784-[hidden]-10 with ReLU; weight_init_std 'relu' (He), 'sigmoid' (Xavier) or a number; optional
    BatchNorm after each hidden Affine and Dropout after each hidden ReLU (MultiLayerNetExtend)."""

    def __init__(self, hidden, init="relu", weight_decay=0.0, batchnorm=False, dropout=None):
        sizes = [784] + hidden + [10]
        self.weight_decay = weight_decay
        self.layers, self.affines, self.norms = [], [], []
        for i in range(1, len(sizes)):
            scale = {"relu": np.sqrt(2.0 / sizes[i - 1]), "he": np.sqrt(2.0 / sizes[i - 1]),
                     "sigmoid": np.sqrt(1.0 / sizes[i - 1]), "xavier": np.sqrt(1.0 / sizes[i - 1])}.get(init, init)
            affine = Affine(scale * np.random.randn(sizes[i - 1], sizes[i]), np.zeros(sizes[i]))
            self.layers.append(affine)
            self.affines.append(affine)
            if i < len(sizes) - 1:
                if batchnorm:
                    norm = BatchNormalization(sizes[i])
                    self.layers.append(norm)
                    self.norms.append(norm)
                self.layers.append(Relu())
                if dropout is not None:
                    self.layers.append(Dropout(dropout))

    def predict(self, x, train):
        for layer in self.layers:
            x = layer.forward(x, train)
        return x

    def loss(self, x, t, train=False):
        loss, _ = softmax_with_loss(self.predict(x, train), t)
        return loss + sum(0.5 * self.weight_decay * np.sum(a.W ** 2) for a in self.affines)

    def accuracy(self, x, t):
        return float(np.mean(np.argmax(self.predict(x, False), axis=1) == t))

    def gradient(self, x, t):
        """Gradients (params and grads as parallel lists) and the batch's loss, before the update."""
        loss, dout = softmax_with_loss(self.predict(x, True), t)
        loss += sum(0.5 * self.weight_decay * np.sum(a.W ** 2) for a in self.affines)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        params, grads = [], []
        for a in self.affines:
            params += [a.W, a.b]
            grads += [a.dW + self.weight_decay * a.W, a.db]
        for n in self.norms:
            params += [n.gamma, n.beta]
            grads += [n.dgamma, n.dbeta]
        return params, grads, loss


# ---- common/optimizer.py (the parameters updated in place) ------------------------------------------

class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for p, g in zip(params, grads):
            p -= self.lr * g


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.v):
            v *= self.momentum
            v -= self.lr * g
            p += v


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, None

    def update(self, params, grads):
        if self.h is None:
            self.h = [np.zeros_like(p) for p in params]
        for p, g, h in zip(params, grads, self.h):
            h += g * g
            p -= self.lr * g / (np.sqrt(h) + 1e-7)


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2, self.iter, self.m, self.v = lr, beta1, beta2, 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m += (1 - self.beta1) * (g - m)
            v += (1 - self.beta2) * (g ** 2 - v)
            p -= lr_t * m / (np.sqrt(v) + 1e-7)


def smooth_curve(x):
    """common/util.py's smooth_curve."""
    window_len = 11
    s = np.r_[x[window_len - 1:0:-1], x, x[-1:-window_len:-1]]
    w = np.kaiser(window_len, 2)
    y = np.convolve(w / w.sum(), s, mode="valid")
    return y[5:len(y) - 5]


# ---- the ch06 scripts -------------------------------------------------------------------------------

def step_losses(data, nets_and_optimizers, iters=2000, batch=128):
    """optimizer_compare_mnist.py / weight_init_compare.py: the same batch for every network each step."""
    x_train, t_train = data[0], data[1]
    losses = {name: [] for name in nets_and_optimizers}
    for _ in range(iters):
        mask = np.random.choice(x_train.shape[0], batch)
        for name, (net, opt) in nets_and_optimizers.items():
            params, grads, loss = net.gradient(x_train[mask], t_train[mask])
            opt.update(params, grads)
            losses[name].append(loss)
    return {name: float(np.mean(smooth_curve(np.array(v))[-100:])) for name, v in losses.items()}


def epochs(data, net, opt, n_epochs, samples, batch=100):
    """overfit_*.py and the book's Trainer: every train_size / batch steps from step 0, the accuracies."""
    x_train, t_train, x_test, t_test = data[0][:samples], data[1][:samples], data[2], data[3]
    per_epoch = max(samples // batch, 1)
    train_acc = test_acc = 0.0
    done, i = 0, 0
    while done < n_epochs:
        mask = np.random.choice(samples, batch)
        params, grads, _ = net.gradient(x_train[mask], t_train[mask])
        opt.update(params, grads)
        if i % per_epoch == 0:
            train_acc, test_acc = net.accuracy(x_train, t_train), net.accuracy(x_test, t_test)
            done += 1
        i += 1
    return train_acc, test_acc


def numpy_figures(name, data):
    hidden4, hidden6 = [100] * 4, [100] * 6
    if name == "optimizer_compare_mnist":
        return step_losses(data, {"SGD": (MultiLayerNet(hidden4), SGD()), "Momentum": (MultiLayerNet(hidden4), Momentum()),
                                  "AdaGrad": (MultiLayerNet(hidden4), AdaGrad()), "Adam": (MultiLayerNet(hidden4), Adam())})
    if name == "weight_init_compare":
        return step_losses(data, {k: (MultiLayerNet(hidden4, init), SGD(0.01))
                                  for k, init in (("std=0.01", 0.01), ("Xavier", "sigmoid"), ("He", "relu"))})
    if name in ("overfit_weight_decay", "overfit_dropout"):
        out = {}
        for label, kw, n in ((("no regulariser", {}, 201), ("weight decay 0.1", {"weight_decay": 0.1}, 201))
                             if name == "overfit_weight_decay" else
                             (("no regulariser", {"dropout": 0.0}, 301), ("dropout 0.2", {"dropout": 0.2}, 301))):
            tr, te = epochs(data, MultiLayerNet(hidden6, **kw), SGD(0.01), n, 300)
            out[label + " train"], out[label + " test"], out[label + " gap"] = tr, te, tr - te
        return out
    if name == "batch_norm_test":
        np.seterr(over="ignore", invalid="ignore")  # at w = 1 the plain network overflows, in the book's run too
        x, t = data[0][:1000], data[1][:1000]
        ahead = 0
        for w in np.logspace(0, -4, num=16):
            bn, plain = MultiLayerNet([100] * 5, w, batchnorm=True), MultiLayerNet([100] * 5, w)
            opt_bn, opt_plain = SGD(0.01), SGD(0.01)
            acc = {}
            for i in range(10 * 20):
                mask = np.random.choice(1000, 100)
                for net, opt in ((bn, opt_bn), (plain, opt_plain)):
                    params, grads, _ = net.gradient(x[mask], t[mask])
                    opt.update(params, grads)
                if i % 10 == 0:
                    acc = {"bn": bn.accuracy(x, t), "plain": plain.accuracy(x, t)}
            ahead += acc["bn"] > acc["plain"]
        return {"BatchNorm ahead (of 16 scales)": ahead}
    raise ValueError(name)


def ctnet_figures(name, build, data_flag, seed):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([os.path.join(build, "examples", name), "--seed", str(seed), "--out", out, "--quiet",
                        "--threads", "1", "--data", data_flag], check=True)
        with open(os.path.join(out, name + ".csv")) as f:
            rows = list(csv.reader(f))[1:]
    series = {}
    for panel, s, x, y in rows:
        series.setdefault(panel, {}).setdefault(s, []).append(float(y))
    if name in ("optimizer_compare_mnist", "weight_init_compare"):
        return {s: statistics.mean(v[-100:]) for s, v in series["0"].items()}
    if name in ("overfit_weight_decay", "overfit_dropout"):
        out = {}
        for (panel, v), label in zip(series.items(), ("no regulariser", "weight decay 0.1" if "decay" in name else "dropout 0.2")):
            out[label + " train"], out[label + " test"] = v["train"][-1], v["test"][-1]
            out[label + " gap"] = v["train"][-1] - v["test"][-1]
        return out
    return {"BatchNorm ahead (of 16 scales)": sum(p["BatchNorm"][-1] > p["without"][-1] for p in series.values())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build")
    parser.add_argument("--data", default=None, help="MNIST directory (default: the bundled digits)")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=["optimizer_compare_mnist", "weight_init_compare",
                                                      "overfit_weight_decay", "overfit_dropout", "batch_norm_test"])
    args = parser.parse_args()
    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    data_dir = args.data or os.path.join(source, "data", "mnist")
    data = load(data_dir)
    print(f"data: {data_dir} ({len(data[1])} training, {len(data[3])} test images); {args.seeds} seeds; "
          f"NumPy {np.__version__}, float64")
    fmt = lambda v: f"{statistics.mean(v):.4f} ± {statistics.stdev(v) if len(v) > 1 else 0:.4f}"
    for name in args.only:
        ours, book = {}, {}
        for seed in range(args.seeds):
            for k, v in ctnet_figures(name, args.build, data_dir, seed).items():
                ours.setdefault(k, []).append(v)
            np.random.seed(seed)
            for k, v in numpy_figures(name, data).items():
                book.setdefault(k, []).append(v)
        print(f"\n{name}\n  {'':34} {'ctnet':>18} {'book (NumPy)':>18}")
        for k in book:
            print(f"  {k:34} {fmt(ours[k]):>18} {fmt(book[k]):>18}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
