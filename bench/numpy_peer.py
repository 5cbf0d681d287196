#!/usr/bin/env python3
"""The book's NumPy code (ch05: layers.py, two_layer_net.py, train_neuralnet.py) as a benchmark peer.

Times TwoLayerNet (784-50-10, batch 100) on one core (OPENBLAS_NUM_THREADS=1 and friends are set
before NumPy loads) and, with --data DIR, the book's whole train_neuralnet.py run (10,000
iterations by default) with its per-epoch accuracy on the full training and test sets.

Arithmetic (--dtype float64, the default) is the book's own: TwoLayerNet draws its weights with
np.random.randn and its biases with np.zeros (float64); load_mnist(normalize=True,
one_hot_label=True) gives float32 images (`astype(np.float32)`, then `/= 255.0` in place) and
float64 one-hot labels (`np.zeros((n, 10))`). NumPy promotes the float32 inputs to float64 in
`np.dot(x, W1)` and `np.dot(x.T, dout)`, so every product and every update runs in float64 on the
float32 inputs' values, exactly as the book's code computes. `--dtype float32` casts weights,
biases, inputs and one-hot labels to float32 so that everything runs in float32: a variant, not
the book's code, and labelled so in the output.

Two single-step timings, each the median of 31 batches of 20 calls on one synthetic batch:
  step (gradient + update): network.gradient(x, t), then params[key] -= lr * grad[key];
  book iteration (gradient + update + loss): the step, then network.loss(x, t), the extra forward
      pass that train_neuralnet.py makes at every iteration to append to train_loss_list.
GFLOP/s counts the step's 2*100*784*50*2 + 2*100*50*10*3 = 15.98 MFLOP and, for the iteration,
the loss's forward pass on top (2*100*784*50 + 2*100*50*10, 23.92 MFLOP in all). The book's
backward also computes Affine1's unneeded input gradient (dout . W1^T, another 7.84 MFLOP), which
these counts leave out, as they do for ctnet and Eigen. The whole-run timing (--data) is
train_neuralnet.py's loop as written: sampling, gradient, update, loss and the per-epoch accuracy
on all 60,000 + 10,000 images; eval_s is the accuracy evaluations' share of wall_s.

usage: numpy_peer.py [--data DIR] [--iters N] [--dtype {float64,float32}]
"""
import os

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import ctypes  # noqa: E402
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
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x
        return np.dot(self.x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


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


# ---- the book's ch05/two_layer_net.py (dtype=None: its float64 weights, unchanged) ----
class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, dtype=None):
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }
        if dtype is not None:  # the float32 variant, not the book's code
            self.params = {key: value.astype(dtype) for key, value in self.params.items()}
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


# ---- the body of the book's ch05/train_neuralnet.py loop ----
def step(network, x, t, lr=0.1):
    """Gradient and update."""
    grad = network.gradient(x, t)
    for key in ("W1", "b1", "W2", "b2"):
        network.params[key] -= lr * grad[key]


def iteration(network, x, t, train_loss_list, lr=0.1):
    """Gradient, update, then the loss that train_neuralnet.py appends to train_loss_list."""
    step(network, x, t, lr)
    loss = network.loss(x, t)
    train_loss_list.append(loss)
    return loss


# ---- the book's dataset/mnist.py load_mnist(normalize=True, one_hot_label=True) ----
def one_hot(labels):
    T = np.zeros((labels.size, 10))  # float64, as the book's _change_one_hot_label
    T[np.arange(labels.size), labels] = 1
    return T


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

    def images(stem):
        x = read_idx(find(stem), 16).reshape(-1, 784).astype(np.float32)
        x /= 255.0  # in place: stays float32
        return x

    x_train = images("train-images-idx3-ubyte")
    t_train = one_hot(read_idx(find("train-labels-idx1-ubyte"), 8))
    x_test = images("t10k-images-idx3-ubyte")
    t_test = one_hot(read_idx(find("t10k-labels-idx1-ubyte"), 8))
    return x_train, t_train, x_test, t_test


def blas_description():
    """The BLAS that NumPy actually loaded, read from this process's memory map."""
    libs = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                name = os.path.basename(path)
                if path.startswith("/") and ("blas" in name or "mkl" in name or "blis" in name):
                    libs.add(path)
    except OSError:
        pass
    for path in sorted(libs):
        if "openblas" in os.path.basename(path):
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_corename.restype = ctypes.c_char_p
                config = lib.openblas_get_config().decode().split()
                return (f"{' '.join(config[:2])}, {lib.openblas_get_corename().decode()} kernels, "
                        f"{lib.openblas_get_num_threads()} thread(s), {path}")
            except (OSError, AttributeError):
                return path
    if libs:
        return ", ".join(sorted(libs))
    try:
        return np.__config__.CONFIG["Build Dependencies"]["blas"]["name"]  # NumPy >= 1.25
    except Exception:
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="train as the book's train_neuralnet.py on this MNIST directory")
    parser.add_argument("--iters", type=int, default=10000)
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                        help="float64: the book's code (float32 inputs, float64 weights and labels, "
                             "computed in float64); float32: everything cast to float32, a variant")
    args = parser.parse_args()

    book = args.dtype == "float64"
    variant = None if book else np.float32
    label = "float64" if book else "float32 variant, not the book's code"

    print(f"NumPy {np.__version__} (BLAS: {blas_description()}), one core")
    if book:
        print("dtype: float64, the book's code: float32 inputs (load_mnist(normalize=True)), "
              "float64 weights (np.random.randn) and one-hot labels; NumPy computes in float64")
    else:
        print("dtype: float32 variant, not the book's code: weights, biases, inputs and one-hot "
              "labels cast to float32; NumPy computes in float32")

    np.random.seed(0)
    rng = np.random.default_rng(1)
    x = rng.random((100, 784), dtype=np.float32)  # load_mnist's images are float32
    t = one_hot(rng.integers(0, 10, 100))
    if variant is not None:
        t = t.astype(variant)
    net = TwoLayerNet(784, 50, 10, dtype=variant)
    losses = []
    for _ in range(20):
        iteration(net, x, t, losses)
    step_times, iter_times = [], []
    for _ in range(31):  # the two kinds of batch alternate, so that drift affects both alike
        start = time.perf_counter()
        for _ in range(20):
            step(net, x, t)
        step_times.append((time.perf_counter() - start) / 20)
        start = time.perf_counter()
        for _ in range(20):
            iteration(net, x, t, losses)
        iter_times.append((time.perf_counter() - start) / 20)
    step_flops = 2.0 * 100 * 784 * 50 * 2 + 2.0 * 100 * 50 * 10 * 3
    iter_flops = step_flops + 2.0 * 100 * 784 * 50 + 2.0 * 100 * 50 * 10
    step_s = statistics.median(step_times)
    iter_s = statistics.median(iter_times)
    assert net.params["W1"].dtype == (np.float64 if book else np.float32)
    print(f"book TwoLayerNet step (gradient + update), batch 100, {label}: "
          f"{step_s * 1e6:.1f} us, {step_flops / step_s / 1e9:.1f} GFLOP/s")
    print(f"book TwoLayerNet iteration (gradient + update + loss), batch 100, {label}: "
          f"{iter_s * 1e6:.1f} us, {iter_flops / iter_s / 1e9:.1f} GFLOP/s")

    if args.data:
        x_train, t_train, x_test, t_test = load(args.data)
        if variant is not None:
            x_train, x_test = x_train.astype(variant), x_test.astype(variant)
            t_train, t_test = t_train.astype(variant), t_test.astype(variant)
        np.random.seed(0)
        network = TwoLayerNet(784, 50, 10, dtype=variant)
        train_size = x_train.shape[0]
        batch_size = 100
        train_loss_list, train_acc_list, test_acc_list = [], [], []
        iter_per_epoch = max(train_size / batch_size, 1)
        eval_s = 0.0
        start = time.perf_counter()
        for i in range(args.iters):
            batch_mask = np.random.choice(train_size, batch_size)
            iteration(network, x_train[batch_mask], t_train[batch_mask], train_loss_list)
            if i % iter_per_epoch == 0:
                eval_start = time.perf_counter()
                train_acc_list.append(network.accuracy(x_train, t_train))
                test_acc_list.append(network.accuracy(x_test, t_test))
                eval_s += time.perf_counter() - eval_start
        wall = time.perf_counter() - start
        train_acc = train_acc_list[-1] if train_acc_list else 0.0
        test_acc = test_acc_list[-1] if test_acc_list else 0.0
        loss = float(train_loss_list[-1]) if train_loss_list else float("nan")
        print(json.dumps({"iters": args.iters, "train_acc": round(float(train_acc), 4),
                          "test_acc": round(float(test_acc), 4), "wall_s": round(wall, 3),
                          "data": args.data, "dtype": label, "loss": round(loss, 4),
                          "evals": len(train_acc_list), "eval_s": round(eval_s, 3),
                          "ms_per_iter": round(wall / args.iters * 1e3, 4) if args.iters else None}))


if __name__ == "__main__":
    main()
