#!/usr/bin/env python3
"""The book authors' trained convolutional networks, in ctnet and in the book's NumPy code.

usage: book_convnets.py PROGRAM DATA_DIR WEIGHTS_DIR

PROGRAM (test/interop/convnets.cpp) loads WEIGHTS_DIR/simple_convnet.npz and
deep_convnet.npz (data/book-weights/) into ctnet::book::SimpleConvNet and
DeepConvNet of doubles and writes its scores for every bundled digit (the
test set, then the training set). The book's own SimpleConvNet and
DeepConvNet, transcribed below, predict the same images with
predict(x, train_flg=False). Every image must get the same digit, the scores
must agree to rounding, and save_npz must give back the book's arrays in
their shapes ((30, 1, 5, 5) and so on), value for value.

Exits 77 (skipped) when numpy cannot be imported.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from book_two_layer_net import Affine, Failure, Relu, check, read_idx, run  # noqa: E402  (exits 77 without numpy)

import numpy as np  # noqa: E402


# ---- the book's code: common/util.py and common/layers.py ---------------------------

def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    out_h = (H + 2*pad - filter_h)//stride + 1
    out_w = (W + 2*pad - filter_w)//stride + 1

    img = np.pad(input_data, [(0,0), (0,0), (pad, pad), (pad, pad)], 'constant')
    col = np.zeros((N, C, filter_h, filter_w, out_h, out_w))

    for y in range(filter_h):
        y_max = y + stride*out_h
        for x in range(filter_w):
            x_max = x + stride*out_w
            col[:, :, y, x, :, :] = img[:, :, y:y_max:stride, x:x_max:stride]

    col = col.transpose(0, 4, 5, 1, 2, 3).reshape(N*out_h*out_w, -1)
    return col


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad

    def forward(self, x):
        FN, C, FH, FW = self.W.shape
        N, C, H, W = x.shape
        out_h = 1 + int((H + 2*self.pad - FH) / self.stride)
        out_w = 1 + int((W + 2*self.pad - FW) / self.stride)

        col = im2col(x, FH, FW, self.stride, self.pad)
        col_W = self.W.reshape(FN, -1).T

        out = np.dot(col, col_W) + self.b
        out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)

        return out


class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad

    def forward(self, x):
        N, C, H, W = x.shape
        out_h = int(1 + (H - self.pool_h) / self.stride)
        out_w = int(1 + (W - self.pool_w) / self.stride)

        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h*self.pool_w)

        out = np.max(col, axis=1)
        out = out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)

        return out


class Dropout:
    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio

    def forward(self, x, train_flg=True):
        assert not train_flg, 'only inference is compared here'
        return x * (1.0 - self.dropout_ratio)


class ConvAffine(Affine):
    """The book's Affine keeps the input's shape for its backward and flattens it
    (x.reshape(x.shape[0], -1)); the ch05 copy imported here predates that."""
    def forward(self, x):
        return super().forward(x.reshape(x.shape[0], -1))


# ---- the book's networks with their loaded parameters: ch07/simple_convnet.py, ---------
# ---- ch08/deep_convnet.py (predict as printed; the loss and gradients left out) ---------

def simple_convnet(params):
    return [Convolution(params['W1'], params['b1'], 1, 0), Relu(), Pooling(pool_h=2, pool_w=2, stride=2),
            ConvAffine(params['W2'], params['b2']), Relu(), ConvAffine(params['W3'], params['b3'])]


def deep_convnet(params):
    pads = [1, 1, 1, 2, 1, 1]
    layers = []
    for i, pad in enumerate(pads):
        layers += [Convolution(params['W%d' % (i + 1)], params['b%d' % (i + 1)], 1, pad), Relu()]
        if i % 2 == 1:
            layers.append(Pooling(pool_h=2, pool_w=2, stride=2))
    layers += [ConvAffine(params['W7'], params['b7']), Relu(), Dropout(0.5),
               ConvAffine(params['W8'], params['b8']), Dropout(0.5)]
    return layers


def predict(layers, x, train_flg=False):
    for layer in layers:
        if isinstance(layer, Dropout):
            x = layer.forward(x, train_flg)
        else:
            x = layer.forward(x)
    return x


# ---- the test ----------------------------------------------------------------------

def main():
    program, data_dir, weights_dir = sys.argv[1:4]
    # The book's load_mnist(normalize=True, flatten=False): float32 / 255, as 1x28x28 images.
    x, labels = [], []
    for prefix in ['t10k', 'train']:
        x.append((read_idx(data_dir, prefix + '-images-idx3-ubyte').astype(np.float32) / 255.0).reshape(-1, 1, 28, 28))
        labels.append(read_idx(data_dir, prefix + '-labels-idx1-ubyte'))
    x, labels = np.concatenate(x), np.concatenate(labels)
    n_test = len(read_idx(data_dir, 't10k-labels-idx1-ubyte'))

    with tempfile.TemporaryDirectory() as out:
        run(program, data_dir, weights_dir, out)
        for name, build in [('simple_convnet', simple_convnet), ('deep_convnet', deep_convnet)]:
            params = dict(np.load(os.path.join(weights_dir, name + '.npz')))
            layers = build(params)
            # In batches of 100, as the book's accuracy() (and so that im2col fits in memory).
            book = np.concatenate([predict(layers, x[i:i + 100]) for i in range(0, len(x), 100)])
            book_digits = np.argmax(book, axis=1)

            ours = np.load(os.path.join(out, name + '.npz'))
            scores, digits = ours['scores'], ours['predicted']
            check(scores.shape == book.shape, f'{name}: scores of shape {scores.shape}, the book {book.shape}')
            worst = float(np.max(np.abs(scores - book)))
            scale = float(np.max(np.abs(book)))
            check(worst <= 1e-11 * scale, f'{name}: scores differ from the book\'s by up to {worst:.3g} (scale {scale:.3g})')
            differ = np.nonzero(digits != book_digits)[0]
            check(len(differ) == 0, f'{name}: {len(differ)} of {len(x)} images get another digit than the book\'s, '
                                    f'the first image {differ[:1]}')
            acc_test = np.mean(book_digits[:n_test] == labels[:n_test])
            acc_train = np.mean(book_digits[n_test:] == labels[n_test:])
            print(f'{name}: the book\'s predict gives the same digit on all {len(x)} images '
                  f'(scores within {worst:.2g}); its accuracy: test {acc_test:.4f}, training {acc_train:.4f}')

            saved = np.load(os.path.join(out, name + '_saved.npz'))
            check(sorted(saved.files) == sorted(params), f'{name}: save_npz wrote {sorted(saved.files)}, '
                                                         f'the book has {sorted(params)}')
            for key, value in params.items():
                check(saved[key].shape == value.shape and saved[key].dtype == value.dtype,
                      f'{name}: save_npz wrote {key} as {saved[key].dtype} {saved[key].shape}, '
                      f'the book has {value.dtype} {value.shape}')
                check(np.array_equal(saved[key], value), f'{name}: save_npz changed the values of {key}')
            print(f'{name}: save_npz gives back the book\'s {len(params)} arrays, shapes and values')


if __name__ == '__main__':
    try:
        main()
    except Failure as e:
        print(f'FAILED: {e}')
        sys.exit(1)
