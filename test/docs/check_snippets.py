#!/usr/bin/env python3
"""Compiles and runs every ```cpp block of a Markdown page; where the block is followed by an
```output block, the program's standard output must equal it.

usage: check_snippets.py PAGE.md WORKDIR -- COMPILER [ARGS...]
Each block is a complete program. Blocks marked ```cpp no-run are compiled only.
"""
import os
import re
import shlex
import subprocess
import sys


def main() -> int:
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    page, workdir, compiler = sys.argv[1], sys.argv[2], sys.argv[4:]
    os.makedirs(workdir, exist_ok=True)
    text = open(page, encoding="utf-8").read()
    blocks = list(re.finditer(r"```cpp( no-run)?\n(.*?)```\n(?:\s*```output\n(.*?)```)?", text, re.S))
    if not blocks:
        print(f"{page}: no cpp blocks")
        return 0
    failures = 0
    stem = os.path.splitext(os.path.basename(page))[0]
    for n, block in enumerate(blocks, 1):
        line = text.count("\n", 0, block.start()) + 1
        source = os.path.join(workdir, f"{stem}_{n}.cpp")
        binary = os.path.join(workdir, f"{stem}_{n}")
        with open(source, "w", encoding="utf-8") as f:
            f.write(block.group(2))
        build = subprocess.run(compiler[:1] + [source, "-o", binary] + compiler[1:], capture_output=True, text=True)
        if build.returncode != 0:
            print(f"{page}:{line}: snippet {n} does not compile:\n{build.stderr}")
            failures += 1
            continue
        if block.group(1):
            print(f"{page}:{line}: snippet {n} compiles")
            continue
        wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
        run = subprocess.run(wrapper + [binary], capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            print(f"{page}:{line}: snippet {n} exited with {run.returncode}:\n{run.stderr}")
            failures += 1
        elif block.group(3) is not None and run.stdout != block.group(3):
            print(f"{page}:{line}: snippet {n} printed\n{run.stdout}\ninstead of\n{block.group(3)}")
            failures += 1
        else:
            print(f"{page}:{line}: snippet {n} runs" + (" and prints what the page shows" if block.group(3) else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
