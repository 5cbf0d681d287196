#!/usr/bin/env python3
"""Runs programs built for a wider backend than the emulated CPU offers (qemu-user's -cpu):
each must stop with one clear line on stderr, never SIGILL; the same program built without
the check must die of SIGILL (so the check is what saves it); a backend the CPU has runs.

usage: cpu_check.py QEMU AVX512_PROGRAM AVX2_PROGRAM AVX512_UNCHECKED_PROGRAM
"""
import signal
import subprocess
import sys


def run(qemu: str, cpu: str, program: str) -> subprocess.CompletedProcess:
    r = subprocess.run([qemu, "-cpu", cpu, program], capture_output=True, text=True, timeout=300)
    # qemu's own notes on CPU features its emulator leaves out (pcid, x2apic, ...) are not the program's.
    r.stderr = "".join(l for l in r.stderr.splitlines(keepends=True) if not l.startswith("qemu-x86_64: warning:"))
    return r


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    qemu, avx512, avx2, unchecked = sys.argv[1:]
    failures = []

    ok = run(qemu, "Haswell", avx2)
    print(f"avx2 build on Haswell: exit {ok.returncode}, {ok.stdout.strip()!r}")
    if ok.returncode != 0 or "avx2 backend: c(1, 2) =" not in ok.stdout:
        failures.append(f"the avx2 build must run on an emulated Haswell:\n{ok.stderr}")

    for cpu, program, backend, lacking in (("Haswell", avx512, "avx512", ["avx512f"]),
                                           ("Nehalem", avx2, "avx2", ["avx", "avx2", "fma"])):
        r = run(qemu, cpu, program)
        lines = r.stderr.splitlines()
        print(f"{backend} build on {cpu}: exit {r.returncode}, stderr {lines}")
        if r.returncode == -signal.SIGILL:
            failures.append(f"the {backend} build died of SIGILL on {cpu}")
        elif r.returncode != 1 or len(lines) != 1 or r.stdout:
            failures.append(f"the {backend} build on {cpu} must print one line and exit 1, got exit "
                            f"{r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")
        else:
            line = lines[0]
            named = set(line.split(" lacks ", 1)[-1].split(";", 1)[0].split())
            if (not line.startswith(f"ctnet: this program was built for the {backend} backend") or "rebuild" not in line
                    or not set(lacking) <= named):
                failures.append(f"the line for {backend} on {cpu} must name the backend, the missing {lacking} "
                                f"and how to rebuild: {line!r}")

    r = run(qemu, "Haswell", unchecked)
    print(f"avx512 build without the check on Haswell: exit {r.returncode}")
    if r.returncode != -signal.SIGILL:
        failures.append(f"without the check the avx512 build should die of SIGILL on Haswell (exit {r.returncode}): "
                        "then this test proves nothing about the check")

    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
