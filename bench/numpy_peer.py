#!/usr/bin/env python3
"""The book's NumPy code (ch05: layers.py, two_layer_net.py, train_neuralnet.py) as a benchmark peer.

Times one training step of TwoLayerNet (784-50-10, batch 100, float32) and, with --data DIR, the
book's whole 10,000-step run with per-epoch accuracy on the full sets, on one core
(OPENBLAS_NUM_THREADS=1 and friends are set before NumPy loads).

usage: numpy_peer.py [--data DIR] [--iters N]
"""
import os

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections import OrderedDict  # noqa: E402

import numpy as np  # noqa: E402


# ---- the book's common/functions.py and common/layers.py ----
def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
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
        self.x = self.dW = self.db = None

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = self.y = self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            return (self.y - self.t) / batch_size
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        return dx / batch_size


# ---- the book's ch05/two_layer_net.py (float32, as load_mnist gives) ----
class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, seed=0):
        rng = np.random.default_rng(seed)
        self.params = {
            "W1": (weight_init_std * rng.standard_normal((input_size, hidden_size))).astype(np.float32),
            "b1": np.zeros(hidden_size, dtype=np.float32),
            "W2": (weight_init_std * rng.standard_normal((hidden_size, output_size))).astype(np.float32),
            "b2": np.zeros(output_size, dtype=np.float32),
        }
        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
        self.lastLayer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.lastLayer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        y = np.argmax(self.predict(x), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return np.sum(y == t) / float(x.shape[0])

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {"W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
                "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db}


def step(network, x, t, lr=0.1):
    grad = network.gradient(x, t)
    for key in ("W1", "b1", "W2", "b2"):
        network.params[key] -= lr * grad[key]


def read_idx(path, offset):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load(directory):
    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(directory, name)):
                return os.path.join(directory, name)
        raise SystemExit(f"{directory} lacks {stem}")
    x_train = read_idx(find("train-images-idx3-ubyte"), 16).reshape(-1, 784).astype(np.float32) / 255.0
    t_train = read_idx(find("train-labels-idx1-ubyte"), 8).astype(np.int64)
    x_test = read_idx(find("t10k-images-idx3-ubyte"), 16).reshape(-1, 784).astype(np.float32) / 255.0
    t_test = read_idx(find("t10k-labels-idx1-ubyte"), 8).astype(np.int64)
    return x_train, t_train, x_test, t_test


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="train as the book's train_neuralnet.py on this MNIST directory")
    parser.add_argument("--iters", type=int, default=10000)
    args = parser.parse_args()

    rng = np.random.default_rng(1)
    x = rng.random((100, 784), dtype=np.float32)
    t = rng.integers(0, 10, 100)
    net = TwoLayerNet(784, 50, 10)
    for _ in range(20):
        step(net, x, t)
    times = []
    for _ in range(31):
        start = time.perf_counter()
        for _ in range(20):
            step(net, x, t)
        times.append((time.perf_counter() - start) / 20)
    flops = 2.0 * 100 * 784 * 50 * 2 + 2.0 * 100 * 50 * 10 * 3
    step_s = statistics.median(times)
    blas = "unknown"
    try:
        info = np.__config__.CONFIG  # NumPy >= 1.25
        blas = info["Build Dependencies"]["blas"]["name"]
    except Exception:
        for lib in ("openblas", "libblas"):
            if os.path.exists(f"/usr/lib/x86_64-linux-gnu/{lib}.so.0") or lib == "libblas":
                blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
                break
    print(f"NumPy {np.__version__} (BLAS: {blas}), one core")
    print(f"book TwoLayerNet step, batch 100, float32: {step_s * 1e6:.1f} us, {flops / step_s / 1e9:.1f} GFLOP/s")

    if args.data:
        x_train, t_train, x_test, t_test = load(args.data)
        network = TwoLayerNet(784, 50, 10)
        train_size = x_train.shape[0]
        iter_per_epoch = max(train_size / 100, 1)
        choice = np.random.default_rng(0)
        start = time.perf_counter()
        train_acc = test_acc = 0.0
        for i in range(args.iters):
            mask = choice.choice(train_size, 100)
            step(network, x_train[mask], t_train[mask])
            if i % iter_per_epoch == 0:
                train_acc = network.accuracy(x_train, t_train)
                test_acc = network.accuracy(x_test, t_test)
        wall = time.perf_counter() - start
        print(json.dumps({"iters": args.iters, "train_acc": round(train_acc, 4), "test_acc": round(test_acc, 4),
                          "wall_s": round(wall, 3), "data": args.data}))


if __name__ == "__main__":
    main()
