#!/usr/bin/env python3
"""Writes the fuzz harnesses' seed corpora and the large-header claims, with the standard library only.

Usage: make_corpus.py [OUT_DIR]   (default: the directory of this script)

Writes OUT_DIR/corpus/<harness>/seed-* (small valid files and slightly broken
ones, in each harness's input format: see the comment at the top of
test/fuzz/<harness>.cpp) and OUT_DIR/claims/claim-* (the headers that
large_header must refuse, see test/fuzz/meson.build). It replaces only the
files it writes: the regression inputs that findings leave in the corpus
(regress-*) stay. The output is the same on every run, so the committed
corpus can be regenerated and compared.
"""
import gzip
import io
import pathlib
import struct
import sys
import zipfile

# ---- encodings the harnesses share ---------------------------------------------


def join_parts(parts, last_raw=True):
    """Parts as fuzz_support.hpp's Parts reads them: "\\\\" is a backslash,
    a backslash and any other byte end a part; the last part is raw, or
    escaped and ended like the others."""
    out = b''
    for i, part in enumerate(parts):
        part = part.encode() if isinstance(part, str) else part
        if last_raw and i == len(parts) - 1:
            out += part
        else:
            out += part.replace(b'\\', b'\\\\') + b'\\;'
    return out


def gz(data):
    # mtime 0: the same bytes on every run.
    return gzip.compress(data, mtime=0)


# ---- IDX -------------------------------------------------------------------------


def idx_images(count, rows, cols, pixels=None, magic=0x803):
    if pixels is None:
        pixels = bytes((i * 37 + 11) % 256 for i in range(count * rows * cols))
    return struct.pack('>IIII', magic, count, rows, cols) + pixels


def idx_labels(labels, magic=0x801):
    return struct.pack('>II', magic, len(labels)) + bytes(labels)


def images_corpus():
    good = idx_images(2, 3, 4)
    mnist = idx_images(1, 28, 28)
    # The mode byte: bit 0 set, the harness gzips what follows.
    return {
        'raw-2x3x4': b'\0' + good,
        'gz-2x3x4': b'\1' + good,
        'gz-28x28': b'\1' + mnist,
        'gzip-stream': b'\0' + gz(good),
        'gzip-two-members': b'\0' + gz(good[:10]) + gz(good[10:]),
        'gzip-trailing-garbage': b'\0' + gz(good) + b'junk',
        'gzip-cut': b'\0' + gz(good)[:-6],
        'truncated': b'\0' + good[:-1],
        'extra-byte': b'\0' + good + b'\0',
        'header-only': b'\0' + good[:16],
        'cut-in-header': b'\0' + good[:9],
        'zero-count': b'\0' + idx_images(0, 3, 4, b''),
        'labels-magic': b'\0' + idx_images(2, 3, 4, magic=0x801),
        'idx2-magic': b'\0' + idx_images(2, 3, 4, magic=0x802),
        'huge-claim': b'\0' + idx_images(1 << 28, 1 << 12, 1 << 12, b'\0' * 64),
        'huge-claim-gz': b'\1' + idx_images(1 << 28, 1 << 12, 1 << 12, b'\0' * 64),
    }


def labels_corpus():
    good = idx_labels([0, 1, 2, 3, 4, 9])
    # The mode byte: bit 0 gzip; bits 1-7 the number of classes (0: 10).
    return {
        'raw-6': b'\0' + good,
        'gz-6': b'\1' + good,
        'gzip-stream': b'\0' + gz(good),
        'classes-3': bytes([3 << 1]) + idx_labels([0, 1, 2, 1]),
        'out-of-range': b'\0' + idx_labels([0, 10, 1]),
        'classes-2-out-of-range': bytes([2 << 1 | 1]) + idx_labels([0, 1, 2]),
        'truncated': b'\0' + good[:-2],
        'extra-byte': b'\0' + good + b'\0',
        'images-magic': b'\0' + idx_labels([1, 2], magic=0x803),
        'zero-count': b'\0' + idx_labels([]),
        'gzip-cut': b'\0' + gz(good)[:-3],
    }


# ---- MNIST directory ----------------------------------------------------------------

# Each file's byte (mnist_dir.cpp): bits 0-1 the name (0 NAME.gz, 1 NAME, 2 dotted
# .gz, 3 dotted), bit 2 gzip the bytes, bit 3 leave the file out.
RAW, GZ, DOTTED_RAW, DOTTED_GZ, MISSING = 1, 0 | 4, 3, 2 | 4, 8


def mnist_input(how, train_images, train_labels, test_images, test_labels):
    return bytes(how) + join_parts([train_images, train_labels, test_images, test_labels])


def mnist_corpus():
    ti, tl = idx_images(2, 28, 28), idx_labels([7, 2])
    si, sl = idx_images(1, 28, 28, bytes(range(256)) * 3 + bytes(16)), idx_labels([5])
    return {
        'raw': mnist_input([RAW] * 4, ti, tl, si, sl),
        'gz': mnist_input([GZ] * 4, ti, tl, si, sl),
        'dotted': mnist_input([DOTTED_RAW, DOTTED_GZ, DOTTED_GZ, DOTTED_RAW], ti, tl, si, sl),
        'missing-test-labels': mnist_input([GZ, GZ, GZ, MISSING], ti, tl, si, sl),
        'count-mismatch': mnist_input([RAW] * 4, ti, idx_labels([7]), si, sl),
        'not-28x28': mnist_input([RAW] * 4, idx_images(2, 27, 28), tl, si, sl),
        'label-10': mnist_input([RAW] * 4, ti, idx_labels([7, 10]), si, sl),
        'swapped': mnist_input([RAW] * 4, tl, ti, si, sl),
        'gz-name-raw-bytes': mnist_input([0] * 4, ti, tl, si, sl),
    }


# ---- checkpoints (docs/checkpoint_format.md) ---------------------------------------------

NETWORK = 'Affine(4 -> 3) > Relu(3) > Affine(3 -> 2) > SoftmaxWithLoss(2) [float]'
PARAMS = [('W1', 4, 3), ('b1', 1, 3), ('W2', 3, 2), ('b2', 1, 2)]


def fnv1a(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def ckpt_string(s):
    b = s.encode()
    return struct.pack('<I', len(b)) + b


def checkpoint_body(network=NETWORK, params=PARAMS, version=1, fmt='<f', count=None, sections=None):
    """Everything before the checksum; version 2 ends with its sections ((name, contents), ...)."""
    out = b'CTNETCKP' + struct.pack('<I', version) + ckpt_string(network)
    out += struct.pack('<I', len(params) if count is None else count)
    for k, (name, rows, cols) in enumerate(params):
        out += ckpt_string(name) + struct.pack('<QQ', rows, cols)
        out += b''.join(struct.pack(fmt, (k + 1) * 0.25 - i * 0.125) for i in range(rows * cols))
    if sections is not None:
        out += struct.pack('<I', len(sections))
        for name, contents in sections:
            out += ckpt_string(name) + struct.pack('<Q', len(contents)) + contents
    return out


def checkpoint_corpus():
    body = checkpoint_body()
    whole = body + struct.pack('<Q', fnv1a(body))
    # The mode byte: bit 0 set, the harness appends the checksum itself.
    return {
        'valid': b'\0' + whole,
        'valid-body': b'\1' + body,
        'bad-checksum': b'\0' + whole[:-1] + bytes([whole[-1] ^ 1]),
        'truncated': b'\0' + whole[:len(whole) // 2],
        'magic-only': b'\0' + b'CTNETCKP',
        'wrong-magic': b'\1' + b'CTNETCKQ' + body[8:],
        'version-2-without-sections-count': b'\1' + checkpoint_body(version=2),
        'version-2-no-sections': b'\1' + checkpoint_body(version=2, sections=[]),
        'version-2-sections': b'\1' + checkpoint_body(version=2, sections=[
            ('optimizer', ckpt_string('Sgd') + struct.pack('<I', 0)),
            ('run', struct.pack('<IQQQd', 1, 100, 1, 2, 0.1))]),
        'version-2-section-too-long': b'\1' + checkpoint_body(version=2, sections=[('run', b'')])[:-8] +
                                      struct.pack('<Q', 1 << 40),
        'version-3': b'\1' + checkpoint_body(version=3, sections=[]),
        'other-network': b'\1' + checkpoint_body(network=NETWORK.replace('[float]', '[double]'), fmt='<d'),
        'wrong-shape': b'\1' + checkpoint_body(params=[('W1', 3, 4)] + PARAMS[1:]),
        'wrong-name': b'\1' + checkpoint_body(params=[('W9', 4, 3)] + PARAMS[1:]),
        'count-5': b'\1' + checkpoint_body(count=5),
        'extra-data': b'\1' + body + b'\0\0\0\0',
        'huge-shape': b'\1' + body[:body.index(b'W1') + 2] + struct.pack('<QQ', 1 << 62, 1 << 62) + bytes(16),
        'nan-values': b'\1' + body[:-4] + struct.pack('<I', 0x7FC00001),
    }


# ---- npz --------------------------------------------------------------------------------


def npy(descr, shape, data, fortran=False, version=(1, 0)):
    shape_text = '(' + ', '.join(map(str, shape)) + (',)' if len(shape) == 1 else ')')
    header = f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape_text}, }}"
    size_bytes = 2 if version[0] == 1 else 4
    header += ' ' * ((64 - (6 + 2 + size_bytes + len(header) + 1) % 64) % 64) + '\n'
    size = struct.pack('<H' if size_bytes == 2 else '<I', len(header))
    return b'\x93NUMPY' + bytes(version) + size + header.encode('latin1') + data


def npz(members, compression=zipfile.ZIP_STORED, force_zip64=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', compression) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = compression
            with archive.open(info, 'w', force_zip64=force_zip64) as member:
                member.write(data)
    return buffer.getvalue()


def npz_corpus():
    w = npy('<f4', (2, 3), struct.pack('<6f', 1, 2, 3, 4, 5, 6))
    b = npy('<f8', (3,), struct.pack('<3d', 0.5, -1, 2))
    members = [('W1.npy', w), ('b1.npy', b)]
    every_dtype = [('f4.npy', npy('<f4', (1,), struct.pack('<f', 1.5))),
                   ('f8.npy', npy('<f8', (), struct.pack('<d', 2.5))),
                   ('u1.npy', npy('|u1', (2, 2), bytes([0, 1, 254, 255]))),
                   ('i4.npy', npy('<i4', (2,), struct.pack('<2i', -7, 7))),
                   ('i8.npy', npy('<i8', (2,), struct.pack('<2q', -(1 << 53), 1 << 53)))]
    stored = npz(members)
    crc_broken = bytearray(stored)
    crc_broken[stored.index(b'\x93NUMPY') + 70] ^= 0xFF
    # Mode 0 (the byte before each): the archive as it is.
    seeds = {
        'stored': b'\0' + stored,
        'deflated': b'\0' + npz(members, zipfile.ZIP_DEFLATED),
        'zip64': b'\0' + npz(members, force_zip64=True),
        'every-dtype': b'\0' + npz(every_dtype),
        'fortran': b'\0' + npz([('F.npy', npy('<i4', (2, 3), struct.pack('<6i', *range(6)), fortran=True))]),
        'npy-2.0': b'\0' + npz([('v2.npy', npy('<f4', (2,), struct.pack('<2f', 1, 2), version=(2, 0)))]),
        'big-endian': b'\0' + npz([('be.npy', npy('>f4', (1,), struct.pack('>f', 1)))]),
        'crc-broken': b'\0' + bytes(crc_broken),
        'truncated': b'\0' + stored[:len(stored) - 30],
        'empty-archive': b'\0' + npz([]),
        'not-zip': b'\0' + w,
    }
    # Mode bit 0: the harness builds the zip around (name, .npy) parts; bit 1
    # deflates them, bit 2 writes zip64 end records, bit 3 zip64 extra fields.
    pairs = join_parts([part for m in members for part in m], last_raw=False)
    seeds.update({
        'built-stored': b'\1' + pairs,
        'built-deflated': b'\3' + pairs,
        'built-zip64': bytes([1 | 4 | 8]) + pairs,
        'built-every-dtype': b'\1' + join_parts([p for m in every_dtype for p in m], last_raw=False),
        'built-short-data': b'\1' + join_parts([b'x.npy', npy('<f8', (4,), bytes(16))], last_raw=False),
        'built-structured': b'\1' + join_parts([b'x.npy', npy('<f8', (1,), bytes(8)).replace(
            b"'<f8'", b"[('a', '<f8')]")], last_raw=False),
        'built-huge-shape': b'\1' + join_parts([b'x.npy', npy('<f8', (1 << 40, 1 << 40), bytes(8))], last_raw=False),
        'built-same-name': b'\1' + join_parts([b'a.npy', b, b'a.npy', b], last_raw=False),
        'built-no-suffix': b'\1' + join_parts([b'a', b], last_raw=False),
    })
    return seeds


# ---- CSV data sets (csv.cpp) ------------------------------------------------------------

# The mode byte: bits 0-1 the separator, bit 2 no header line, bits 3-4 the
# label option (0 "label", 1 the index in bits 5-7, 2 a missing name, 3 "species").
SEPARATORS = {',': 0, ';': 1, '\t': 2}
NO_HEADER = 4
LABEL_NAME, LABEL_MISSING, LABEL_SPECIES = 0 << 3, 2 << 3, 3 << 3


def label_index(k):
    return 1 << 3 | k << 5


def csv_text(rows, sep=',', eol='\n'):
    return ''.join(sep.join(row) + eol for row in rows).encode()


def csv_input(train, test, sep=',', label=LABEL_NAME, header=True):
    return bytes([SEPARATORS[sep] | label | (0 if header else NO_HEADER)]) + join_parts([train, test])


def csv_corpus():
    numeric = [['x1', 'x2', 'x3', 'label'], ['0.5', '-1', '2e3', '0'], ['1.25', '+3', '.5', '2'],
               ['-0.0', '7', '1E-3', '1']]
    numeric_test = [numeric[0], ['4', '5', '6', '1'], ['0', '0', '0', '3']]
    iris_header = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']
    iris = [iris_header, ['5.1', '3.5', '1.4', '0.2', 'setosa'], ['7.0', '3.2', '4.7', '1.4', 'versicolor'],
            ['6.3', '3.3', '6.0', '2.5', 'virginica'], ['4.9', '3.0', '1.4', '0.2', 'setosa']]
    iris_test = [iris_header, ['5.8', '2.7', '5.1', '1.9', 'virginica'], ['5.7', '2.8', '4.1', '1.3', 'versicolor']]
    quoted = (b'"width, cm","say ""hi""",species\n'
              b'"1.5", 2 ,"Iris ""setosa"", wild"\n'
              b' "3" ,"-4.25",plain\n')
    quoted_test = b'"width, cm","say ""hi""",species\n7,8,"Iris ""setosa"", wild"\n'
    n, t = csv_text(numeric), csv_text(numeric_test)
    i, it = csv_text(iris), csv_text(iris_test)
    return {
        # Valid.
        'numeric': csv_input(n, t),
        'numeric-index-3': csv_input(n, t, label=label_index(3)),
        'numeric-label-first': csv_input(csv_text([r[3:] + r[:3] for r in numeric]),
                                         csv_text([r[3:] + r[:3] for r in numeric_test]), label=label_index(0)),
        'iris': csv_input(i, it, label=LABEL_SPECIES),
        'iris-index-4': csv_input(i, it, label=label_index(4)),
        'iris-semicolon': csv_input(csv_text(iris, ';'), csv_text(iris_test, ';'), ';', LABEL_SPECIES),
        'iris-tab': csv_input(csv_text(iris, '\t'), csv_text(iris_test, '\t'), '\t', LABEL_SPECIES),
        'iris-crlf': csv_input(csv_text(iris, eol='\r\n'), csv_text(iris_test, eol='\r\n'), label=LABEL_SPECIES),
        'quoted': csv_input(quoted, quoted_test, label=LABEL_SPECIES),
        'quoted-semicolon': csv_input(b'a;"b;c";label\n1;2;"x;y"\n3;4;z\n', b'a;"b;c";label\n5;"6";"x;y"\n', ';'),
        'no-header': csv_input(csv_text(numeric[1:]), csv_text(numeric_test[1:]), label=label_index(3),
                               header=False),
        'no-header-iris': csv_input(csv_text(iris[1:]), csv_text(iris_test[1:]), label=label_index(4), header=False),
        'blank-lines': csv_input(b'\nx,label\n\n1,0\n  \t \n2,1', b'x,label\r\n\r\n3,1\r\n', label=LABEL_NAME),
        'header-spaces': csv_input(b' x , label \n1,0\n', b'x,label\n2,0\n'),
        'hex-float': csv_input(csv_text(numeric[:2] + [['0x1p3', '2', '3', '0']]), t),  # strtod reads it: 8
        # Broken.
        'missing-field': csv_input(csv_text(numeric[:2] + [['1', '2', '0']]), t),
        'extra-field-test': csv_input(n, csv_text([numeric[0], ['1', '2', '3', '4', '0']])),
        'not-a-number': csv_input(csv_text(numeric[:2] + [['1', 'abc', '3', '0']]), t),
        'inf': csv_input(csv_text(numeric[:2] + [['inf', '2', '3', '0']]), t),
        'nan': csv_input(n, csv_text([numeric[0], ['1', 'nan', '3', '0']])),
        'too-large-for-float': csv_input(n, csv_text([numeric[0], ['1', '2', '1e39', '0']])),
        'unclosed-quote': csv_input(b'x,label\n"1,0\n2,1\n', b'x,label\n3,1\n'),
        'unclosed-quote-test': csv_input(i, csv_text(iris_test) + b'"5,1,1,1,setosa', label=LABEL_SPECIES),
        'unknown-test-class': csv_input(i, csv_text(iris_test + [['1', '2', '3', '4', 'iris-nova']]),
                                        label=LABEL_SPECIES),
        'name-in-numeric-test': csv_input(n, csv_text(numeric_test + [['1', '2', '3', 'two']])),
        'empty-label': csv_input(csv_text(iris + [['1', '2', '3', '4', '']]), it, label=LABEL_SPECIES),
        'empty-train': csv_input(b'', t),
        'empty-test': csv_input(n, b''),
        'only-header': csv_input(csv_text(numeric[:1]), t),
        'only-header-test': csv_input(n, csv_text(numeric_test[:1])),
        'label-missing': csv_input(i, it, label=LABEL_MISSING),
        'label-index-out-of-range': csv_input(n, t, label=label_index(7)),
        'label-only': csv_input(b'label\n0\n1\n', b'label\n1\n'),
        'fewer-test-columns': csv_input(n, csv_text([r[1:] for r in numeric_test])),
    }


# ---- the large-header descriptor (large_header.cpp) ----------------------------------------------

LABELS, GZIP, OWN_MAGIC, EXACT = 1, 2, 4, 8


def descriptor(flags, count, rows=0, cols=0, magic=0, length_bits=0, length=0, prefix=b''):
    """length_bits: byte 17 (with EXACT: the signed change to the claimed length)."""
    return struct.pack('>BIIIIBI', flags, magic, count, rows, cols, length_bits & 0xFF, length) + prefix


def body_of(n):
    """byte 17 and bytes 18-21 for a body of exactly n bytes (n < 2^26)."""
    return {'length_bits': 26, 'length': n << 6}


def large_header_corpus():
    return {
        'images-exact': descriptor(EXACT, 3, 28, 28, prefix=b'\x01\x02'),
        'images-exact-gz': descriptor(EXACT | GZIP, 3, 28, 28),
        'images-one-short': descriptor(EXACT, 3, 28, 28, length_bits=-1),
        'images-one-over-gz': descriptor(EXACT | GZIP, 3, 28, 28, length_bits=1),
        'images-64mib': descriptor(EXACT, 64 << 10, 32, 32),
        'images-64mib-gz': descriptor(EXACT | GZIP, 64 << 10, 32, 32),
        'labels-exact': descriptor(EXACT | LABELS, 1000),
        'labels-exact-gz': descriptor(EXACT | LABELS | GZIP, 100000),
        'labels-short-gz': descriptor(LABELS | GZIP, 100000, **body_of(99999)),
        'claim-2^28-images-of-4096x4096': descriptor(0, 1 << 28, 1 << 12, 1 << 12, **body_of(1 << 20)),
        'claim-2^31-images-gz': descriptor(GZIP, 1 << 31, 1 << 31, 1 << 31, **body_of(1 << 20)),
        'other-magic': descriptor(OWN_MAGIC, 5, 2, 2, magic=0x0803FFFF, **body_of(20)),
    }


def claims():
    """Headers large_header must refuse (CTNET_FUZZ_EXPECT_ERROR), each over a 64 MiB body."""
    big = 64 << 20
    out = {}
    for fmt, flag in (('raw', 0), ('gz', GZIP)):
        out.update({
            f'images-2^31x2^31x2^31-{fmt}': descriptor(flag, 1 << 31, 1 << 31, 1 << 31, **body_of(big - 1)),
            f'images-2^31-of-28x28-{fmt}': descriptor(flag, 1 << 31, 28, 28, **body_of(big - 1)),
            f'images-2^28-of-4096x4096-{fmt}': descriptor(flag, 1 << 28, 1 << 12, 1 << 12, **body_of(big - 1)),
            f'images-2^28-of-28x28-{fmt}': descriptor(flag, 1 << 28, 28, 28, **body_of(big - 1)),
            f'images-4096x4096-one-byte-short-{fmt}': descriptor(flag | EXACT, 4, 1 << 12, 1 << 12, length_bits=-1),
            f'labels-2^31-{fmt}': descriptor(flag | LABELS, 1 << 31, **body_of(big - 1)),
            f'labels-2^28-{fmt}': descriptor(flag | LABELS, 1 << 28, **body_of(big - 1)),
            f'labels-2^32-1-{fmt}': descriptor(flag | LABELS, (1 << 32) - 1, **body_of(big - 1)),
        })
    return out


def write(directory, prefix, files):
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob(prefix + '*'):
        old.unlink()
    for name, data in files.items():
        (directory / (prefix + name)).write_bytes(data)


def main():
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent
    for harness, seeds in (('idx_images', images_corpus()), ('idx_labels', labels_corpus()),
                           ('mnist_dir', mnist_corpus()), ('checkpoint', checkpoint_corpus()), ('npz', npz_corpus()),
                           ('csv', csv_corpus()), ('large_header', large_header_corpus())):
        write(out / 'corpus' / harness, 'seed-', seeds)
    write(out / 'claims', 'claim-', claims())
    total = sum(p.stat().st_size for p in out.glob('c*/**/*') if p.is_file())
    print(f'wrote the seeds and claims under {out} ({total} bytes in all)')


if __name__ == '__main__':
    main()
