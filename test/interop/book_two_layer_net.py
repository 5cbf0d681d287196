#!/usr/bin/env python3
"""ctnet and the book's NumPy code, both ways, on the bundled test digits.

usage: book_two_layer_net.py PROGRAM DATA_DIR CHECKPOINT_PAGE

1. PROGRAM (test/interop/two_layer_net.cpp) trains the book's TwoLayerNet
   briefly and saves it with save_npz and save_checkpoint.
2. numpy.load reads the .npz; its arrays go into the book's own TwoLayerNet
   (below), whose test accuracy must be ctnet's.
3. The .ckpt reader that CHECKPOINT_PAGE (docs/checkpoint_format.md) shows
   reads the checkpoint: the same arrays, and a damaged copy is refused.
4. Perturbed weights saved by numpy.savez (float32) and numpy.savez_compressed
   (float64, b2 as a (1, 10) row) go back to PROGRAM, which loads both with
   load_npz and writes its scores: they must be NumPy's.

Exits 77 (skipped) when numpy cannot be imported.
"""
import gzip
import os
import re
import struct
import subprocess
import sys
import tempfile
from collections import OrderedDict

try:
    import numpy as np
except ImportError:
    print(f"skipped: numpy cannot be imported by {sys.executable} (install python3-numpy)")
    sys.exit(77)


# ---- the book's code: common/layers.py and ch05/two_layer_net.py -------------------

class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0

        return out


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.x = x
        out = np.dot(x, self.W) + self.b

        return out


# Follows the book's ch05/two_layer_net.py: its __init__, predict and accuracy
# as printed (the loss layer, loss and gradients are left out: only predictions
# are compared here).
class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        # the weights
        self.params = {}
        self.params['W1'] = weight_init_std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = weight_init_std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

        # the layers
        self.layers = OrderedDict()
        self.layers['Affine1'] = Affine(self.params['W1'], self.params['b1'])
        self.layers['Relu1'] = Relu()
        self.layers['Affine2'] = Affine(self.params['W2'], self.params['b2'])

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)

        return x

    def accuracy(self, x, t):
        y = self.predict(x)
        y = np.argmax(y, axis=1)
        if t.ndim != 1: t = np.argmax(t, axis=1)

        accuracy = np.sum(y == t) / float(x.shape[0])
        return accuracy


def load_params(network, params):
    """As the book loads saved parameters (ch07/simple_convnet.py, load_params): the
    layers hold the arrays themselves, so they are pointed at the new ones too."""
    for key, val in params.items():
        network.params[key] = val
    for i, key in enumerate(['Affine1', 'Affine2']):
        network.layers[key].W = network.params['W' + str(i + 1)]
        network.layers[key].b = network.params['b' + str(i + 1)]


# ---- the bundled test set, as the book's load_mnist(normalize=True) gives it ---------

def read_idx(data_dir, name):
    path = os.path.join(data_dir, name)
    raw = gzip.open(path + '.gz').read() if os.path.exists(path + '.gz') else open(path, 'rb').read()
    magic, count = struct.unpack_from('>II', raw)
    if magic == 0x803:
        rows, cols = struct.unpack_from('>II', raw, 8)
        return np.frombuffer(raw, np.uint8, count * rows * cols, 16).reshape(count, rows * cols)
    assert magic == 0x801, f'{path}: not an IDX file'
    return np.frombuffer(raw, np.uint8, count, 8)


def load_test_set(data_dir):
    x = read_idx(data_dir, 't10k-images-idx3-ubyte').astype(np.float32)
    x /= 255.0
    return x, read_idx(data_dir, 't10k-labels-idx1-ubyte')


# ---- the test ----------------------------------------------------------------------

class Failure(Exception):
    pass


def check(ok, message):
    if not ok:
        raise Failure(message)


def run(*args):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300)
    check(r.returncode == 0, f'{" ".join(map(str, args))} exited with {r.returncode}:\n{r.stdout}{r.stderr}')
    m = re.search(r'test accuracy [0-9.]+ \((\d+) of (\d+)\)', r.stdout)
    check(m is not None, f'no accuracy in the output of {args[0]}:\n{r.stdout}')
    print(r.stdout.strip())
    return int(m[1]), int(m[2])


def page_python(page):
    """The first ```python block of a Markdown page, exactly as the reader sees it."""
    blocks = re.findall(r'```python\n(.*?)```\n', open(page, encoding='utf-8').read(), re.S)
    check(blocks, f'{page}: no python block')
    return blocks[0]


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    program, data_dir, page = sys.argv[1:]
    x_test, t_test = load_test_set(data_dir)
    with tempfile.TemporaryDirectory() as work:
        # 2. ctnet -> NumPy: the same accuracy in the book's network.
        ctnet_correct, n = run(program, 'train', data_dir, work)
        check(n == len(t_test), f'ctnet tested {n} images, the test set has {len(t_test)}')
        params = np.load(os.path.join(work, 'model.npz'))
        shapes = {'W1': (784, 50), 'b1': (50,), 'W2': (50, 10), 'b2': (10,)}
        check(params.files == list(shapes), f'model.npz holds {params.files}')
        for name, shape in shapes.items():
            check(params[name].shape == shape and params[name].dtype == np.float32,
                  f'{name}: {params[name].shape} {params[name].dtype}, expected {shape} float32')
        network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
        load_params(network, {name: params[name] for name in params.files})
        numpy_correct = round(network.accuracy(x_test, t_test) * n)
        print(f'the book\'s TwoLayerNet with ctnet\'s parameters: {numpy_correct} of {n}')
        # Both compute in float32, but NumPy's products sum in another order than
        # ctnet's kernels, so a score may differ in its last bits. That changes an
        # argmax only where the two highest scores all but tie: one image at most.
        check(abs(numpy_correct - ctnet_correct) <= 1, f'NumPy {numpy_correct} correct, ctnet {ctnet_correct}')

        # 3. The checkpoint through the page's own reader.
        namespace = {}
        exec(page_python(page), namespace)
        ckpt = os.path.join(work, 'model.ckpt')
        network_name, arrays = namespace['read_checkpoint'](ckpt)
        check(network_name == 'Affine(784 -> 50) > Relu(50) > Affine(50 -> 10) > SoftmaxWithLoss(10) [float]',
              f'the checkpoint names the network {network_name!r}')
        check(list(arrays) == params.files, f'the checkpoint holds {list(arrays)}')
        for name in params.files:
            check(arrays[name].dtype == np.float32 and np.array_equal(arrays[name].reshape(shapes[name]), params[name]),
                  f'{name} differs between model.ckpt and model.npz')
        damaged = bytearray(open(ckpt, 'rb').read())
        damaged[len(damaged) // 2] ^= 1
        open(ckpt, 'wb').write(damaged)
        try:
            namespace['read_checkpoint'](ckpt)
            check(False, 'the page\'s reader accepted a damaged checkpoint')
        except ValueError as e:
            check('checksum' in str(e), f'a damaged checkpoint gives {e}')
        print('docs/checkpoint_format.md\'s reader: the same arrays; a damaged copy refused')

        # 4. NumPy -> ctnet: perturbed weights, as float32 and as float64 with b2 a row.
        rng = np.random.default_rng(5)
        perturbed = {name: (params[name] + 0.05 * rng.standard_normal(shapes[name])).astype(np.float32)
                     for name in params.files}
        np.savez(os.path.join(work, 'perturbed.npz'), **perturbed)
        wide = {name: value.astype(np.float64) for name, value in perturbed.items()}
        wide['b2'] = wide['b2'].reshape(1, 10)
        np.savez_compressed(os.path.join(work, 'perturbed64.npz'), **wide)
        ctnet_correct, _ = run(program, 'predict', data_dir, work, os.path.join(work, 'perturbed.npz'),
                               os.path.join(work, 'perturbed64.npz'))
        load_params(network, perturbed)
        expected = network.predict(x_test)
        got = np.load(os.path.join(work, 'predictions.npz'))
        scores, predicted = got['scores'], got['predicted']
        check(scores.dtype == np.float32 and scores.shape == expected.shape, f'scores: {scores.dtype} {scores.shape}')
        check(predicted.dtype == np.uint8 and predicted.shape == (n,), f'predicted: {predicted.dtype} {predicted.shape}')
        # float32 sums of 784 products, in two orders: a few ulps of the largest score.
        tolerance = 1e-5 * float(np.max(np.abs(expected)))
        error = float(np.max(np.abs(scores.astype(np.float64) - expected)))
        check(error <= tolerance, f'ctnet\'s scores differ from NumPy\'s by up to {error:g} (tolerance {tolerance:g})')
        top_two = np.sort(expected, axis=1)[:, -2:]
        flipped = predicted != np.argmax(expected, axis=1)
        check(np.all(top_two[flipped, 1] - top_two[flipped, 0] <= 2 * tolerance),
              f'ctnet predicts another digit than NumPy for images {np.nonzero(flipped)[0][:10]}')
        numpy_correct = int(np.sum(np.argmax(expected, axis=1) == t_test))
        check(abs(numpy_correct - ctnet_correct) <= 1, f'NumPy {numpy_correct} correct, ctnet {ctnet_correct}')
        print(f'perturbed weights from numpy.savez and savez_compressed: scores within {error:.2g}, '
              f'{int(np.sum(flipped))} argmax ties, NumPy {numpy_correct} and ctnet {ctnet_correct} of {n}')
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except Failure as e:
        print(f'FAIL: {e}')
        sys.exit(1)
