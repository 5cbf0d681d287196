#!/usr/bin/env python3
"""Builds the libFuzzer harnesses with clang++, beside the project's own compiler.

Usage:
  build.py probe CLANGXX
      exit 0 if CLANGXX compiles and links a libFuzzer program with ASan and
      UBSan; otherwise print why (one line) and exit 1.
  build.py lib CLANGXX OUTPUT.a DEPFILE FLAGS... -- SOURCES...
      compile SOURCES (the library's src/*.cpp) with coverage instrumentation
      and the sanitizers into one static archive.
  build.py exe CLANGXX OUTPUT DEPFILE FLAGS... -- HARNESS.cpp ARCHIVE.a LINK_ARGS...
      compile and link one harness against the archive.

The project is built with g++, which has no libFuzzer, so meson cannot build
the harnesses as ordinary targets: test/fuzz/meson.build runs this script as
custom targets. Each writes a Makefile depfile so that a changed header
rebuilds what includes it.
"""
import concurrent.futures
import os
import pathlib
import shlex
import subprocess
import sys
import tempfile

PROBE = 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n'
# The harnesses (LLVMFuzzerTestOneInput and main from libFuzzer) link with -fsanitize=fuzzer;
# the library objects take only the coverage instrumentation, so they hold no second main.
HARNESS_SANITIZE = '-fsanitize=fuzzer,address,undefined'
LIBRARY_SANITIZE = '-fsanitize=fuzzer-no-link,address,undefined'


def run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(f'$ {shlex.join(cmd)}\n{done.stdout}{done.stderr}')
        sys.exit(done.returncode)


def read_deps(path):
    """The prerequisites of a -MD depfile (continuations joined, escaped spaces kept)."""
    text = pathlib.Path(path).read_text().replace('\\\n', ' ')
    return text.split(':', 1)[1].split() if ':' in text else []


def write_depfile(depfile, output, deps):
    unique = list(dict.fromkeys(deps))
    pathlib.Path(depfile).write_text(f'{output}: ' + ' \\\n  '.join(unique) + '\n')


def probe(clangxx):
    with tempfile.TemporaryDirectory() as tmp:
        source = pathlib.Path(tmp) / 'probe.cpp'
        source.write_text(PROBE)
        try:
            done = subprocess.run([clangxx, HARNESS_SANITIZE, str(source), '-o', str(pathlib.Path(tmp) / 'probe')],
                                  capture_output=True, text=True)
        except OSError as e:
            print(f'{clangxx} cannot run ({e.strerror}): install clang and libclang-rt-14-dev (scripts/setup does)')
            return 1
    if done.returncode == 0:
        return 0
    reason = (done.stderr.strip().splitlines() or [f'exit status {done.returncode}'])[-1]
    print(f'{clangxx} cannot link a libFuzzer program ({reason}); on Debian 12 libFuzzer is in '
          'libclang-rt-14-dev (scripts/setup installs it)')
    return 1


def library(clangxx, output, depfile, flags, sources):
    workdir = pathlib.Path(output).parent / (pathlib.Path(output).name + '.objects')
    workdir.mkdir(parents=True, exist_ok=True)

    def compile_one(source):
        obj = workdir / (pathlib.Path(source).stem + '.o')
        run([clangxx, LIBRARY_SANITIZE, *flags, '-MD', '-MF', f'{obj}.d', '-c', source, '-o', str(obj)])
        return obj

    # Two jobs at most: ninja runs the harnesses' compilations alongside.
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        objects = list(pool.map(compile_one, sources))
    pathlib.Path(output).unlink(missing_ok=True)
    run(['ar', 'rcs', output, *map(str, objects)])
    write_depfile(depfile, output, [d for obj in objects for d in read_deps(f'{obj}.d')])


def executable(clangxx, output, depfile, flags, rest):
    source, archive, link_args = rest[0], rest[1], rest[2:]
    clang_deps = f'{output}.clang.d'  # not the depfile itself, which may have the same name
    run([clangxx, HARNESS_SANITIZE, *flags, '-MD', '-MF', clang_deps, source, archive, *link_args, '-o', output])
    write_depfile(depfile, output, read_deps(clang_deps))
    os.unlink(clang_deps)


def main(argv):
    if len(argv) >= 2 and argv[0] == 'probe':
        return probe(argv[1])
    if len(argv) < 5 or argv[0] not in ('lib', 'exe') or '--' not in argv:
        sys.exit(__doc__)
    mode, clangxx, output, depfile = argv[:4]
    split = argv.index('--')
    flags, rest = argv[4:split], argv[split + 1:]
    (library if mode == 'lib' else executable)(clangxx, output, depfile, flags, rest)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
