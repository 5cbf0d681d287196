#!/usr/bin/env python3
"""Links a caller built for one SIMD backend with a callee built for another: the link
must fail and name the caller's backend namespace (no silent sharing of one Matrix type).

usage: check_mixed_link.py SOURCE WORKDIR CALLER_BACKEND CALLEE_BACKEND -- COMPILER [ARGS...]
"""
import os
import subprocess
import sys

FLAGS = {"scalar": [], "sse2": ["-msse2"], "avx2": ["-mavx2", "-mfma"], "avx512": ["-mavx512f", "-mfma"]}


def main() -> int:
    if len(sys.argv) < 7 or sys.argv[5] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    source, workdir, caller, callee, compiler = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[6:]
    os.makedirs(workdir, exist_ok=True)
    objects = []
    for role, backend, extra in (("caller", caller, ["-DCTNET_CALLER"]), ("callee", callee, [])):
        obj = os.path.join(workdir, f"mixed_link_{role}.o")
        args = compiler + FLAGS[backend] + [f"-DCTNET_SIMD=CTNET_SIMD_{backend.upper()}"] + extra
        build = subprocess.run(args + ["-c", source, "-o", obj], capture_output=True, text=True)
        if build.returncode != 0:
            print(f"the {role} ({backend}) does not compile:\n{build.stderr}")
            return 1
        objects.append(obj)
    link = subprocess.run(compiler + objects + ["-o", os.path.join(workdir, "mixed_link")],
                          capture_output=True, text=True)
    message = link.stdout + link.stderr
    if link.returncode == 0:
        print(f"a {caller} caller and a {callee} callee linked into one program: they share one Matrix type")
        return 1
    if f"backend_{caller}::Matrix" not in message:
        print(f"the link failed, but its message does not name backend_{caller}::Matrix:\n{message}")
        return 1
    line = next(l for l in message.splitlines() if f"backend_{caller}::Matrix" in l)
    print(f"the link fails as it must:\n  {line.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
