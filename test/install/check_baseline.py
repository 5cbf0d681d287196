#!/usr/bin/env python3
"""libctnet must run on every CPU of its architecture: on x86-64 its code holds no
instruction beyond the baseline (no VEX or EVEX encoded instruction, that is no AVX,
AVX2, FMA or AVX-512, and no ymm/zmm/mask register), whatever -Dnative says.

usage: check_baseline.py LIBRARY
"""
import re
import subprocess
import sys


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    library = sys.argv[1]
    dump = subprocess.run(["objdump", "-d", "--no-show-raw-insn", library], capture_output=True, text=True, check=True)
    wide = []
    count = 0
    function = "?"
    for line in dump.stdout.splitlines():
        if m := re.match(r"^[0-9a-f]+ <(.+)>:$", line):
            function = m.group(1)
            continue
        parts = line.split("\t")
        if len(parts) < 2 or not re.match(r"^\s*[0-9a-f]+:$", parts[0]):
            continue
        count += 1
        instruction = parts[1].strip()
        mnemonic = instruction.split(" ", 1)[0]
        # Every VEX/EVEX instruction's mnemonic starts with v (vmovups, vfmadd231ps,
        # vzeroupper); the baseline has none that does except verr/verw.
        if (mnemonic.startswith("v") and mnemonic not in ("verr", "verw")) or re.search(r"%[yz]mm|%k[0-7]\b", instruction):
            wide.append(f"{function}: {instruction}")
    print(f"{library}: {count} instructions, {len(wide)} beyond the x86-64 baseline")
    for w in wide[:10]:
        print("  ", w)
    return 1 if wide or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
