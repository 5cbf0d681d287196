#!/usr/bin/python3
"""The book's convolutional networks trained by ctnet beside PyTorch and the book's NumPy code.

    /usr/bin/python3 bench/convnet_peers.py [speed] [--nets simple,deep] [--steps N] [--numpy-steps N]
                                            [--one-core 1] [--all-cores 0,1] [--all-threads N] [--build build]
    /usr/bin/python3 bench/convnet_peers.py accuracy [--nets simple,deep] [--epochs 20] [--seeds 1] [--threads N]
    /usr/bin/python3 bench/convnet_peers.py selftest
    /usr/bin/python3 bench/convnet_peers.py measure {torch,numpy} {simple,deep} [--threads N] [--steps N]

Two networks, input 1 x 28 x 28, batch 100, Adam (lr 0.001, betas 0.9 and 0.999), softmax
cross-entropy; "simple" is ch07's SimpleConvNet (weights N(0, 0.01^2)), "deep" ch08's DeepConvNet
(He's weights, the book's Dropout 0.5); SPECS below gives their layers. Needs Debian's NumPy and
PyTorch (1.13), which the pyenv python3 on PATH lacks: run it with /usr/bin/python3.

speed (the default) times training steps on Fashion-MNIST, one measurement at a time, each in its
own process pinned with taskset: ctnet's examples (train_convnet, deep_convnet; ms_per_iter from
their JSON summary) and PyTorch (float32, autograd, torch.optim.Adam) on 1 thread (--one-core)
and on all threads (--all-cores), and the book's NumPy code (float64 as the book computes; a few
steps, it is slow) on 1 thread. It prints per network ms per step, the epoch of 600 steps
(60,000 images) scaled from it, and each peer's time over ctnet's at the same thread count.

What each figure holds:
  ctnet    ms_per_iter is the training steps alone (batch sampling, gather, forward, backward,
           Adam), the mean over all --steps steps including the first; the program's per-epoch
           evaluations (at step 0 and at the end, on all 70,000 images) are left out of it.
  PyTorch  the mean of --steps steps after --warmup untimed ones: sampling, gather, forward,
           loss, backward, Adam (eps 1e-7, the book's; torch adds it to the bias-corrected
           sqrt(v), the book to the uncorrected one, a negligible difference).
  NumPy    the book's step as its Trainer runs it, less the loss the Trainer computes again
           after the update for its curve: np.random.choice, gradient(), Adam.update().

accuracy trains each network for --epochs epochs with PyTorch (600 batches of 100 an epoch,
drawn at random with replacement as the book's Trainer does) and with ctnet's program, for
seeds 0 .. --seeds - 1, and prints the accuracy on all 10,000 test images of both and their
difference in points. Unpinned: wrap it in taskset to pin it.

selftest checks that the PyTorch networks compute the book's: the same weights in float64,
one batch, the loss and every gradient (dropout's masks shared) and the inference output of
the NumPy transcription against PyTorch's autograd.

measure is what speed runs in each pinned child: one peer, one network, one JSON line.
"""
import os

# The book's NumPy runs single-threaded BLAS; set before NumPy loads (a `measure numpy` child's
# environment sets it too). PyTorch's thread count is set explicitly with torch.set_num_threads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

try:
    import numpy as np
except ImportError:
    sys.exit("convnet_peers.py needs NumPy and PyTorch: run it with /usr/bin/python3 (Debian's python3-numpy, "
             "python3-torch)")

FASHION = "/usr/share/datasets/fashion-mnist"
BATCH, LR, BETA1, BETA2 = 100, 0.001, 0.9, 0.999
PROGRAMS = {"simple": "train_convnet", "deep": "deep_convnet"}
TITLES = {"simple": "SimpleConvNet (ch07)", "deep": "DeepConvNet (ch08)"}
DEFAULT_STEPS = {"simple": 200, "deep": 60}        # ctnet and PyTorch
DEFAULT_NUMPY_STEPS = {"simple": 10, "deep": 5}    # the book's NumPy: about 0.1 s and 1 s a step

# The book's layer lists: ("conv", filters, size, pad) with stride 1, ("pool",) 2 x 2 max pooling at
# stride 2, ("affine", outputs), ("relu",), ("dropout",) at ratio 0.5. The affine after a
# convolution flattens (C, H, W) as the book's Affine reshapes (N, C, H, W) to (N, -1).
SPECS = {
    "simple": [("conv", 30, 5, 0), ("relu",), ("pool",), ("affine", 100), ("relu",), ("affine", 10)],
    "deep": [("conv", 16, 3, 1), ("relu",), ("conv", 16, 3, 1), ("relu",), ("pool",),
             ("conv", 32, 3, 1), ("relu",), ("conv", 32, 3, 2), ("relu",), ("pool",),
             ("conv", 64, 3, 1), ("relu",), ("conv", 64, 3, 1), ("relu",), ("pool",),
             ("affine", 50), ("relu",), ("dropout",), ("affine", 10), ("dropout",)],
}


def init_scale(net, fan_in):
    """SimpleConvNet's weight_init_std 0.01; DeepConvNet's sqrt(2 / pre_node_nums), the fan-in being
    C * 3 * 3 for a convolution and 64 * 4 * 4 = 1024, then 50, for the affines."""
    return 0.01 if net == "simple" else math.sqrt(2.0 / fan_in)


def layer_shapes(net, input_dim=(1, 28, 28)):
    """Each weighted layer's weight shape in the book's layout: (FN, C, FH, FW) or (inputs, outputs)."""
    shapes, shape = [], input_dim
    for layer in SPECS[net]:
        if layer[0] == "conv":
            _, fn, size, pad = layer
            c, h, w = shape
            shapes.append((fn, c, size, size))
            shape = (fn, h + 2 * pad - size + 1, w + 2 * pad - size + 1)
        elif layer[0] == "pool":
            c, h, w = shape
            shape = (c, h // 2, w // 2)
        elif layer[0] == "affine":
            shapes.append((math.prod(shape), layer[1]))
            shape = (layer[1],)
    return shapes


# ---- the data: the book's load_mnist(normalize=True, flatten=False), labels as indices -------------

def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 0x803:
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, 1, 28, 28).astype(np.float32) / 255.0
    return np.frombuffer(data, np.uint8, offset=8).astype(np.int64)


def load(data_dir, test=True):
    def part(stem):
        path = os.path.join(data_dir, stem + ".gz")
        if not os.path.exists(path):
            sys.exit(f"no {path}")
        return read_idx(path)
    train = part("train-images-idx3-ubyte"), part("train-labels-idx1-ubyte")
    return train + ((part("t10k-images-idx3-ubyte"), part("t10k-labels-idx1-ubyte")) if test else ())


def data_dir(flag):
    """ctnet's --data: 'fashion' names Fashion-MNIST's usual place, anything else a directory."""
    return FASHION if flag == "fashion" else flag


# ---- the book's common/util.py -------------------------------------------------------------------

def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    img = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)], "constant")
    col = np.zeros((N, C, filter_h, filter_w, out_h, out_w))  # float64 whatever the input: the book's arithmetic
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            col[:, :, y, x, :, :] = img[:, :, y:y_max:stride, x:x_max:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    col = col.reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            img[:, :, y:y_max:stride, x:x_max:stride] += col[:, :, y, x, :, :]
    return img[:, :, pad:H + pad, pad:W + pad]


# ---- the book's common/functions.py and common/layers.py ------------------------------------------

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


class Dropout:
    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        return dout * self.mask


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad
        self.x = self.col = self.col_W = self.dW = self.db = None

    def forward(self, x):
        FN, C, FH, FW = self.W.shape
        N, C, H, W = x.shape
        out_h = 1 + int((H + 2 * self.pad - FH) / self.stride)
        out_w = 1 + int((W + 2 * self.pad - FW) / self.stride)
        col = im2col(x, FH, FW, self.stride, self.pad)
        col_W = self.W.reshape(FN, -1).T
        out = np.dot(col, col_W) + self.b
        out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)
        self.x, self.col, self.col_W = x, col, col_W
        return out

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
        self.db = np.sum(dout, axis=0)
        self.dW = np.dot(self.col.T, dout)
        self.dW = self.dW.transpose(1, 0).reshape(FN, C, FH, FW)
        dcol = np.dot(dout, self.col_W.T)
        return col2im(dcol, self.x.shape, FH, FW, self.stride, self.pad)


class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad
        self.x = self.arg_max = None

    def forward(self, x):
        N, C, H, W = x.shape
        out_h = int(1 + (H - self.pool_h) / self.stride)
        out_w = int(1 + (W - self.pool_w) / self.stride)
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h * self.pool_w)
        arg_max = np.argmax(col, axis=1)
        out = np.max(col, axis=1)
        out = out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)
        self.x, self.arg_max = x, arg_max
        return out

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        pool_size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, pool_size))
        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dmax = dmax.reshape(dout.shape + (pool_size,))
        dcol = dmax.reshape(dmax.shape[0] * dmax.shape[1] * dmax.shape[2], -1)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)


# ---- the book's common/optimizer.py ---------------------------------------------------------------

class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


# ---- ch07/simple_convnet.py and ch08/deep_convnet.py ----------------------------------------------

class BookConvNet:
    """SimpleConvNet or DeepConvNet. The book's two classes differ in their layer lists and initial
    scales only (SPECS, init_scale): params W1, b1, W2, ... drawn in layer order with np.random.randn
    (biases zero), predict, loss and gradient as the book writes them."""

    def __init__(self, net):
        self.params, self.layers, self.weighted = {}, [], []
        shapes = iter(layer_shapes(net))
        for spec in SPECS[net]:
            if spec[0] in ("conv", "affine"):
                shape = next(shapes)
                k = str(len(self.weighted) + 1)
                fan_in = math.prod(shape[1:]) if spec[0] == "conv" else shape[0]
                self.params["W" + k] = init_scale(net, fan_in) * np.random.randn(*shape)
                self.params["b" + k] = np.zeros(shape[0] if spec[0] == "conv" else shape[1])
                layer = (Convolution(self.params["W" + k], self.params["b" + k], 1, spec[3]) if spec[0] == "conv"
                         else Affine(self.params["W" + k], self.params["b" + k]))
                self.weighted.append(layer)
            else:
                layer = {"relu": Relu, "pool": lambda: Pooling(pool_h=2, pool_w=2, stride=2),
                         "dropout": lambda: Dropout(0.5)}[spec[0]]()
            self.layers.append(layer)
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x, train_flg=False):
        for layer in self.layers:
            x = layer.forward(x, train_flg) if isinstance(layer, Dropout) else layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x, train_flg=True), t)

    def accuracy(self, x, t, batch_size=100):
        acc = 0.0
        for i in range(int(x.shape[0] / batch_size)):
            tx, tt = x[i * batch_size:(i + 1) * batch_size], t[i * batch_size:(i + 1) * batch_size]
            acc += np.sum(np.argmax(self.predict(tx, train_flg=False), axis=1) == tt)
        return acc / x.shape[0]

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        grads = {}
        for i, layer in enumerate(self.weighted):
            grads["W" + str(i + 1)], grads["b" + str(i + 1)] = layer.dW, layer.db
        return grads


# ---- PyTorch: the same networks as nn.Sequential --------------------------------------------------

def torch_net(net, dtype=None, seed=0):
    """The network as PyTorch layers, initialised as the book does (its own draws, from `seed`).
    Conv2d and Linear carry biases as the book's layers; Linear's weight is the book's W transposed."""
    import torch
    from torch import nn

    class BookDropout(nn.Module):
        """common/layers.py's Dropout, not nn.Dropout (which divides what it keeps by 1 - ratio in
        training and passes x through at inference): training keeps each value with probability
        0.5 unscaled; inference multiplies by 1 - ratio. selftest sets forced_mask to the NumPy
        network's mask so that both drop the same values."""

        def __init__(self, ratio=0.5):
            super().__init__()
            self.ratio, self.forced_mask = ratio, None

        def forward(self, x):
            if not self.training:
                return x * (1.0 - self.ratio)
            mask = self.forced_mask if self.forced_mask is not None else torch.rand_like(x) > self.ratio
            return x * mask.to(x.dtype)

    dtype = dtype or torch.float32
    g = torch.Generator().manual_seed(seed)
    layers, shapes, flat = [], iter(layer_shapes(net)), False
    for spec in SPECS[net]:
        if spec[0] == "conv":
            fn, c, size, _ = next(shapes)
            layer = nn.Conv2d(c, fn, size, stride=1, padding=spec[3], bias=True)
            fan_in = c * size * size
        elif spec[0] == "affine":
            if not flat:
                layers.append(nn.Flatten())  # (N, C, H, W) -> (N, C*H*W): C, H, W order, as the book's reshape
                flat = True
            inputs, outputs = next(shapes)
            layer, fan_in = nn.Linear(inputs, outputs, bias=True), inputs
        else:
            layers.append({"relu": nn.ReLU, "pool": lambda: nn.MaxPool2d(2, stride=2),
                           "dropout": BookDropout}[spec[0]]())
            continue
        with torch.no_grad():
            layer.weight.normal_(0.0, init_scale(net, fan_in), generator=g)
            layer.bias.zero_()
        layers.append(layer)
    return nn.Sequential(*layers).to(dtype)


def torch_adam(model):
    import torch
    return torch.optim.Adam(model.parameters(), lr=LR, betas=(BETA1, BETA2), eps=1e-7)


def torch_trainer(model, x_train, t_train, seed):
    """One training step of batch 100 drawn at random with replacement (the book's Trainer):
    sampling, gather, forward, loss, backward, Adam."""
    import torch
    import torch.nn.functional as F
    opt, g, n = torch_adam(model), torch.Generator().manual_seed(seed), x_train.shape[0]

    def step():
        idx = torch.randint(0, n, (BATCH,), generator=g)
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x_train[idx]), t_train[idx])
        loss.backward()
        opt.step()
        return loss.item()
    return step


def torch_accuracy(model, x, t):
    import torch
    model.eval()
    with torch.no_grad():
        right = sum(int((model(x[i:i + 1000]).argmax(1) == t[i:i + 1000]).sum()) for i in range(0, len(x), 1000))
    model.train()
    return right / len(x)


# ---- measure: one peer, one network, in this process ---------------------------------------------

def measure(args):
    x_train, t_train = load(data_dir(args.data), test=False)
    if args.peer == "torch":
        import torch
        torch.set_num_threads(args.threads)
        torch.manual_seed(args.seed)  # BookDropout's masks
        step = torch_trainer(torch_net(args.net, seed=args.seed), torch.from_numpy(x_train),
                             torch.from_numpy(t_train), args.seed)
    else:
        np.random.seed(args.seed)
        network, optimizer = BookConvNet(args.net), Adam(lr=LR, beta1=BETA1, beta2=BETA2)

        def step():  # the book's Trainer.train_step, less its second loss() for the curve
            batch_mask = np.random.choice(x_train.shape[0], BATCH)
            grads = network.gradient(x_train[batch_mask], t_train[batch_mask])
            optimizer.update(network.params, grads)
            return network.last_layer.loss
    for _ in range(args.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    seconds = time.perf_counter() - t0
    print(json.dumps({"peer": args.peer, "net": args.net, "threads": args.threads, "steps": args.steps,
                      "ms_per_step": 1e3 * seconds / args.steps, "last_loss": float(loss)}))
    return 0


# ---- speed ----------------------------------------------------------------------------------------

def cpu_model():
    fields = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
            if not line.strip():
                break
    return (f"{fields.get('model name', '?')} (family {fields.get('cpu family', '?')}, model "
            f"{fields.get('model', '?')}), {os.cpu_count()} CPUs")


def pinned(cores, argv, env=None):
    """Runs argv on `cores` (taskset -c) and returns its last stdout line as JSON."""
    done = subprocess.run(["taskset", "-c", cores] + argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ctnet_ms(args, net, threads, cores, steps, out):
    program = os.path.join(args.build, "examples", PROGRAMS[net])
    summary = pinned(cores, [program, "--data", args.data, "--iters", str(steps), "--eval-samples", "1000",
                             "--quiet", "--out", os.path.join(out, f"{net}-{threads}"), "--threads", str(threads),
                             "--seed", str(args.seed)])
    if summary["threads"] != threads:
        sys.exit(f"{program} ran {summary['threads']} threads, not {threads}")
    return summary["ms_per_iter"]


def peer_ms(args, peer, net, threads, cores, steps, warmup):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return pinned(cores, [sys.executable, os.path.abspath(__file__), "measure", peer, net, "--data", args.data,
                          "--threads", str(threads), "--steps", str(steps), "--warmup", str(warmup),
                          "--seed", str(args.seed)], env)["ms_per_step"]


def speed(args):
    import torch
    all_threads = args.all_threads or len(args.all_cores.split(","))
    counts = [1] + ([all_threads] if all_threads > 1 else [])
    cores = {1: args.one_core, counts[-1]: args.all_cores} if all_threads > 1 else {1: args.one_core}
    print(f"CPU: {cpu_model()}")
    print(f"PyTorch {torch.__version__}, NumPy {np.__version__}; ctnet {os.path.abspath(args.build)}; "
          f"data {data_dir(args.data)}")
    print(f"1 thread on core {args.one_core}" + (f", {all_threads} threads on cores {args.all_cores}"
                                                 if all_threads > 1 else "") + "; one measurement at a time")
    with tempfile.TemporaryDirectory() as out:
        for net in args.nets:
            steps = args.steps or DEFAULT_STEPS[net]
            numpy_steps = args.numpy_steps or DEFAULT_NUMPY_STEPS[net]
            rows = []  # (peer, threads, steps, ms)
            for n in counts:
                rows.append(("ctnet float32", n, steps, ctnet_ms(args, net, n, cores[n], steps, out)))
            for n in counts:
                rows.append(("PyTorch float32", n, steps, peer_ms(args, "torch", net, n, cores[n], steps, args.warmup)))
            if numpy_steps > 0:
                rows.append(("book NumPy float64", 1, numpy_steps,
                             peer_ms(args, "numpy", net, 1, args.one_core, numpy_steps, 1)))
            ctnet = {n: ms for peer, n, _, ms in rows if peer.startswith("ctnet")}
            print(f"\n{TITLES[net]}, batch {BATCH}, Adam")
            print(f"  {'':20} {'threads':>7} {'steps':>6} {'ms/step':>9} {'epoch (600 steps)':>18} {'/ ctnet':>8}")
            for peer, n, s, ms in rows:
                print(f"  {peer:20} {n:>7} {s:>6} {ms:>9.2f} {ms * 0.6:>16.1f} s {ms / ctnet[n]:>8.2f}")
            # The ratios at each thread count; NumPy has only its 1-thread figure, set beside each of ctnet's.
            print(f"  {'over ctnet on ... (above 1: ctnet faster)':46}" + "".join(
                f"{f'{n} thread' + ('s' if n > 1 else ''):>11}" for n in counts))
            torch_ms = {n: ms for peer, n, _, ms in rows if peer.startswith("PyTorch")}
            print(f"    {'PyTorch on as many threads':44}" + "".join(f"{torch_ms[n] / ctnet[n]:>11.2f}"
                                                                  for n in counts))
            numpy_ms = [ms for peer, _, _, ms in rows if peer.startswith("book NumPy")]
            if numpy_ms:
                print(f"    {'book NumPy on 1 thread':44}" + "".join(f"{numpy_ms[0] / ctnet[n]:>11.2f}"
                                                                    for n in counts))
            sys.stdout.flush()
    return 0


# ---- accuracy -------------------------------------------------------------------------------------

def accuracy(args):
    import torch
    torch.set_num_threads(args.threads)
    x_train, t_train, x_test, t_test = (torch.from_numpy(a) for a in load(data_dir(args.data)))
    per_epoch = x_train.shape[0] // BATCH
    iters = args.epochs * per_epoch
    print(f"PyTorch {torch.__version__} and ctnet, {args.threads} thread(s) each; {args.epochs} epoch(s) of "
          f"{per_epoch} random batches of {BATCH} ({iters} steps), Adam {LR}; the accuracy on all {len(t_test)} "
          f"test images.\nSeconds: ctnet's wall_s (steps and evaluations); PyTorch's steps and its one evaluation.")
    with tempfile.TemporaryDirectory() as out:
        for net in args.nets:
            print(f"\n{TITLES[net]}\n  {'seed':>4} {'ctnet':>8} {'PyTorch':>8} {'ctnet - PyTorch (points)':>25} "
                  f"{'ctnet s':>8} {'PyTorch s':>10}")
            ours, theirs = [], []
            for seed in range(args.seeds):
                argv = [os.path.join(args.build, "examples", PROGRAMS[net]), "--data", args.data, "--threads",
                        str(args.threads), "--seed", str(seed), "--quiet", "--out", os.path.join(out, f"{net}-{seed}")]
                if args.epochs != 20:  # ctnet's programs run 20 epochs unless told otherwise
                    argv += ["--iters", str(iters)]
                done = subprocess.run(argv, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    sys.exit(f"{argv[0]} failed: {done.stderr.strip()}")
                summary = json.loads(done.stdout.strip().splitlines()[-1])

                torch.manual_seed(seed)
                model = torch_net(net, seed=seed)
                step = torch_trainer(model, x_train, t_train, seed)
                t0 = time.perf_counter()
                for _ in range(iters):
                    step()
                acc = torch_accuracy(model, x_test, t_test)
                torch_s = time.perf_counter() - t0
                ours.append(summary["test_acc"])
                theirs.append(acc)
                print(f"  {seed:>4} {ours[-1]:>8.4f} {acc:>8.4f} {100 * (ours[-1] - acc):>+25.2f} "
                      f"{summary['wall_s']:>8.1f} {torch_s:>10.1f}", flush=True)
            if args.seeds > 1:
                sd = lambda v: statistics.stdev(v) if len(v) > 1 else 0.0  # noqa: E731
                print(f"  {'mean':>4} {statistics.mean(ours):>8.4f} {statistics.mean(theirs):>8.4f} "
                      f"{100 * (statistics.mean(ours) - statistics.mean(theirs)):>+25.2f}   "
                      f"(sd ctnet {sd(ours):.4f}, PyTorch {sd(theirs):.4f})")
    return 0


# ---- selftest -------------------------------------------------------------------------------------

def selftest(args):
    """The book's NumPy network and the PyTorch one, the same float64 weights and batch: loss,
    gradients and inference output. A failure exits 1."""
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    rng = np.random.default_rng(1)
    x = rng.random((args.batch, 1, 28, 28))
    t = rng.integers(0, 10, args.batch)
    failed = False
    for net in args.nets:
        np.random.seed(0)
        book = BookConvNet(net)
        model = torch_net(net, torch.float64)
        weighted = [m for m in model if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
        with torch.no_grad():
            for i, m in enumerate(weighted):
                W = book.params[f"W{i + 1}"]
                m.weight.copy_(torch.from_numpy(W if W.ndim == 4 else W.T))
                m.bias.copy_(torch.from_numpy(book.params[f"b{i + 1}"]))

        grads = book.gradient(x, t)  # draws the dropout masks, which PyTorch then uses
        loss_book = book.last_layer.loss
        dropouts = [m for m in model if type(m).__name__ == "BookDropout"]
        for m, layer in zip(dropouts, [layer for layer in book.layers if isinstance(layer, Dropout)]):
            m.forced_mask = torch.from_numpy(layer.mask)
        xt = torch.from_numpy(x)
        loss = F.cross_entropy(model(xt), torch.from_numpy(t))
        loss.backward()

        # The book's loss takes log(y + 1e-7), cross_entropy log(y): they differ by about 1e-7 / y.
        checks = [("loss", abs(loss_book - loss.item()) / abs(loss_book), 1e-5)]
        for i, m in enumerate(weighted):
            for name, ours, theirs in ((f"W{i + 1}", grads[f"W{i + 1}"], m.weight.grad.numpy()),
                                       (f"b{i + 1}", grads[f"b{i + 1}"], m.bias.grad.numpy())):
                if theirs.ndim == 2:
                    theirs = theirs.T
                err = np.max(np.abs(ours - theirs)) / max(np.max(np.abs(ours)), 1e-300)
                checks.append((f"d{name} {tuple(ours.shape)}", err, 1e-9))
        model.eval()
        with torch.no_grad():
            y = model(xt).numpy()
        y_book = book.predict(x, train_flg=False)
        checks.append(("inference output", np.max(np.abs(y - y_book)) / np.max(np.abs(y_book)), 1e-12))

        print(f"{TITLES[net]}: {sum(p.size for p in book.params.values())} parameters; batch of {args.batch}, "
              "float64; the largest difference relative to the largest magnitude:")
        for name, err, tol in checks:
            ok = err <= tol
            failed |= not ok
            print(f"  {name:24} {err:.2e}  {'ok' if ok else f'FAILED (over {tol:.0e})'}")
    print("selftest " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


# ---- the command line -----------------------------------------------------------------------------

def main(argv):
    def nets(value):
        names = [n for n in value.split(",") if n]
        if not names or any(n not in SPECS for n in names):
            raise argparse.ArgumentTypeError(f"simple and/or deep, not {value!r}")
        return names

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--nets", type=nets, default=["simple", "deep"], help="simple,deep (default both)")
    common.add_argument("--data", default="fashion", help="ctnet's --data: fashion (%s, the default) or a "
                        "directory of the four MNIST .gz files" % FASHION)
    common.add_argument("--build", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                         "build"), help="ctnet's build directory")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Run a subcommand with --help for its options.")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("speed", parents=[common], help="ms per training step of every peer (the default)")
    p.add_argument("--steps", type=int, default=0, help="ctnet's and PyTorch's timed steps (default simple 200, "
                   "deep 60)")
    p.add_argument("--numpy-steps", type=int, default=0, help="the book's NumPy's timed steps, after one more "
                   "(default simple 10, deep 5; -1 leaves NumPy out)")
    p.add_argument("--warmup", type=int, default=5, help="PyTorch's untimed steps before them (default 5)")
    p.add_argument("--one-core", default="1", help="the core of the 1-thread measurements (default 1)")
    p.add_argument("--all-cores", default=",".join(map(str, sorted(os.sched_getaffinity(0)))),
                   help="the cores of the all-threads measurements (default this process's: %(default)s)")
    p.add_argument("--all-threads", type=int, default=0,
                   help="the all-threads measurements' thread count (default: one per --all-cores core)")
    p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser("accuracy", parents=[common], help="test accuracy after E epochs, ctnet beside PyTorch")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--seeds", type=int, default=1, help="seeds 0 .. N-1 of both (default 1)")
    p.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                   help="threads of both (default %(default)s, this process's cores)")

    p = sub.add_parser("selftest", parents=[common], help="the PyTorch networks against the book's NumPy code")
    p.add_argument("--batch", type=int, default=4)

    p = sub.add_parser("measure", parents=[common], help="one peer's steps in this process (speed's child)")
    p.add_argument("peer", choices=["torch", "numpy"])
    p.add_argument("net", choices=list(SPECS))
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)

    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["speed"] + argv  # speed is the default subcommand
    args = parser.parse_args(argv)
    if args.command == "speed" and (args.steps < 0 or args.warmup < 0):
        parser.error("--steps and --warmup cannot be negative")
    return {"speed": speed, "accuracy": accuracy, "selftest": selftest, "measure": measure}[args.command](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
