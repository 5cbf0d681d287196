#!/usr/bin/env python3
"""Every public header compiles on its own, and every header that opens the backend
namespace (`namespace ctnet::inline CTNET_ABI`) has the macro defined when it does:
otherwise the namespace would silently be called CTNET_ABI and two backends would share it.

usage: check_headers.py INCLUDE_DIR -- COMPILER [ARGS...]
"""
import pathlib
import re
import subprocess
import sys


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    include, compiler = pathlib.Path(sys.argv[1]), sys.argv[3:]
    headers = sorted(p for p in (include / "ctnet").rglob("*.hpp") if "arch" not in p.parts)
    failures = 0
    for header in headers:
        text = header.read_text(encoding="utf-8")
        run = subprocess.run(compiler + ["-x", "c++", "-E", str(header)], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{header}: does not preprocess on its own:\n{run.stderr}")
            failures += 1
            continue
        code = "\n".join(l for l in run.stdout.splitlines() if not l.startswith("#"))
        if "inline CTNET_ABI" in text and re.search(r"\bCTNET_ABI\b", code):
            print(f"{header}: opens the backend namespace before CTNET_ABI is defined (include ../config.hpp first)")
            failures += 1
            continue
        syntax = subprocess.run(compiler + ["-x", "c++", "-fsyntax-only", str(header)], capture_output=True, text=True)
        if syntax.returncode != 0:
            print(f"{header}: does not compile on its own:\n{syntax.stderr}")
            failures += 1
    print(f"{len(headers)} headers checked, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
