#!/usr/bin/env python3
"""Compiles a regression program at every optimisation level the project builds, for each backend
given, and runs it: the test fails when a build does not compile or a run exits non-zero.

usage: run_levels.py SOURCE -- COMPILER ARGS... [--backend NAME ARGS...]...

ARGS after the compiler apply to every build (standard, include paths, libraries, -march); each
--backend NAME adds its own (the backend's ISA flags and CTNET_SIMD). The program's output is shown
for every build, so a line it prints only to record something (test/regress/gcc_max_reduction.cpp
records whether the compiler miscompiles the plain reproducer) is in the test log.
"""
import os
import subprocess
import sys
import tempfile
import time

# Who builds ctnet code at each level: a debug build and the ABI tests' objects (-O0), CI's
# sanitizer build (-Og), the docs' snippets (-O1), the consumer command of docs/dependency.md and
# meson's debugoptimized (-O2), meson's release, the default build (-O3).
LEVELS = ["-O0", "-Og", "-O1", "-O2", "-O3"]


def parse(argv):
    if len(argv) < 4 or argv[2] != "--":
        return None
    source, rest = argv[1], argv[3:]
    common, backends, current = [], [], None
    i = 0
    while i < len(rest):
        if rest[i] == "--backend" and i + 1 < len(rest):
            current = (rest[i + 1], [])
            backends.append(current)
            i += 2
            continue
        (current[1] if current else common).append(rest[i])
        i += 1
    if not common or not backends:
        return None
    return source, common, backends


def main() -> int:
    parsed = parse(sys.argv)
    if parsed is None:
        print(__doc__, file=sys.stderr)
        return 2
    source, common, backends = parsed
    compiler, flags = common[:1], common[1:]
    version = subprocess.run(compiler + ["--version"], capture_output=True, text=True).stdout.splitlines()
    print(f"compiler: {version[0] if version else compiler[0]}")
    failures = []
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ctnet-regress-") as work:
        for name, backend_flags in backends:
            for level in LEVELS:
                tag = f"{name} {level}"
                binary = os.path.join(work, f"{name}{level}")
                command = compiler + [level, source, "-o", binary] + flags + backend_flags
                build = subprocess.run(command, capture_output=True, text=True)
                if build.returncode != 0:
                    print(f"[{tag}] does not compile:\n  {' '.join(command)}\n{build.stdout}{build.stderr}")
                    failures.append(tag)
                    continue
                run = subprocess.run([binary], capture_output=True, text=True)
                output = (run.stdout + run.stderr).rstrip("\n")
                print(f"[{tag}] exit {run.returncode}")
                for line in output.splitlines():
                    print(f"  {line}")
                if run.returncode != 0:
                    failures.append(tag)
    builds = len(backends) * len(LEVELS)
    print(f"{builds - len(failures)} of {builds} builds correct in {time.monotonic() - start:.0f} s"
          + (f"; failed: {', '.join(failures)}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
