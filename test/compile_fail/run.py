#!/usr/bin/env python3
"""Compile-error tests in pairs: a case compiles as written and fails with the expected message when
CTNET_COMPILE_FAIL flips its one wrong token.

Each case file carries one or more lines `// expect: TEXT`; every TEXT must appear in the compiler's
output for the failing variant, which must report exactly one error.

usage: run.py CASE.cpp -- COMPILER [ARGS...]
"""
import re
import subprocess
import sys


def main() -> int:
    if "--" not in sys.argv or sys.argv.index("--") != 2:
        print(__doc__, file=sys.stderr)
        return 2
    case = sys.argv[1]
    compiler = sys.argv[3:]
    with open(case, encoding="utf-8") as f:
        source = f.read()
    expected = re.findall(r"^// expect: (.+)$", source, flags=re.MULTILINE)
    if not expected:
        print(f"{case}: no '// expect:' line")
        return 2
    base = compiler + ["-fsyntax-only", "-x", "c++", case]

    good = subprocess.run(base, capture_output=True, text=True)
    if good.returncode != 0:
        print(f"{case}: the corrected variant must compile, but:\n{good.stderr}")
        return 1

    bad = subprocess.run(base + ["-DCTNET_COMPILE_FAIL"], capture_output=True, text=True)
    # clang prints template arguments as 100UL where GCC prints 100.
    output = re.sub(r"\b(\d+)(?:ULL|UL|LL|U|L)\b", r"\1", bad.stdout + bad.stderr)
    # Types print with the backend's ABI namespace (ctnet::backend_avx2::Affine);
    # the expectations name them as users write them (ctnet::Affine).
    output = re.sub(r"\bctnet::backend_[a-z0-9]+::", "ctnet::", output)
    if bad.returncode == 0:
        print(f"{case}: the failing variant compiled")
        return 1
    missing = [text for text in expected if text not in output]
    errors = len(re.findall(r"\berror\b:", output))
    if missing or errors != 1:
        print(f"{case}: expected exactly one error mentioning {expected}; got {errors} error(s), missing {missing}")
        print(output)
        return 1
    first = next(line for line in output.splitlines() if "error" in line)
    print(f"{case}: fails as expected ({len(output.splitlines())} lines of diagnostics)\n  {first.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
