#!/usr/bin/env python3
"""Compile time and compiler memory of every example program, at -O2.

Usage:
    bench/compile_report.py [BUILD_DIR] [--repeat N] [--jobs 1] [--json FILE]

BUILD_DIR (default: build) must be configured with `meson setup`, which writes
BUILD_DIR/compile_commands.json. For each object file whose source lies under
examples/ (examples/consumer excepted: it is a separate project), the script
re-runs the exact compile command from that file with -O2 in place of the
build's optimisation flag and the object written to a temporary directory, under
`/usr/bin/time -f '%e %M'`. Each compile is repeated N times (default 3): the
table shows the median wall time and the largest peak RSS, checked against the
targets of docs/benchmarks.md (<= 20 s and <= 1 GiB per example), then the
compiler version and the command line that produced the report.
Exit status: 0 when every compile succeeded (whether or not within targets),
1 when one failed or compile_commands.json is missing.
"""
import argparse, json, os, re, shlex, statistics, subprocess, sys, tempfile

TIME_S, MEM_MIB = 20.0, 1024.0  # targets per example: 20 s, 1 GiB
GNU_TIME = '/usr/bin/time'
# Without GNU time: a fresh interpreter per compile, so RUSAGE_CHILDREN covers
# only this compile (the max RSS of children accumulates over a process's life).
# It prints the same "%e %M" line (seconds, KiB) to stderr as GNU time would.
FALLBACK = ('import resource, subprocess, sys, time\n'
            't = time.monotonic(); rc = subprocess.run(sys.argv[1:]).returncode\n'
            'ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n'
            'print(f"{time.monotonic() - t:.2f} {ru.ru_maxrss}", file=sys.stderr)\n'
            'sys.exit(rc)\n')
DEP_FLAGS_WITH_ARG = {'-MF', '-MT', '-MQ'}
OPT_FLAG = re.compile(r'-O([0-9sgz]|fast)?')


def bench_argv(argv, obj):
    """The build's compile command, at -O2 and writing obj instead of the build's object."""
    # A launcher would answer repeats from its cache: time the compiler itself.
    if os.path.basename(argv[0]) in ('ccache', 'sccache'):
        argv = argv[1:]
    out, skip = [argv[0]], False
    for i, a in enumerate(argv[1:], 1):
        if skip:
            skip = False
        elif OPT_FLAG.fullmatch(a):   # -O0/-O1/-O3/-Os/-Og/-Ofast...: -O2 goes at the first one
            if '-O2' not in out:
                out.append('-O2')
        elif a == '-o':
            out += ['-o', obj]
            skip = True
        elif a in ('-MD', '-MMD'):    # depfiles belong to ninja: do not overwrite them
            pass
        elif a in DEP_FLAGS_WITH_ARG:
            skip = True
        else:
            out.append(a)
    if '-O2' not in out:
        out.insert(1, '-O2')
    return out


def measure(argv, cwd):
    """(wall seconds, peak KiB) of one compile; raises CalledProcessError if it fails."""
    wrapper = ([GNU_TIME, '-f', '%e %M'] if os.access(GNU_TIME, os.X_OK)
               else [sys.executable, '-c', FALLBACK])
    p = subprocess.run(wrapper + argv, cwd=cwd, capture_output=True, text=True)
    if p.returncode:
        raise subprocess.CalledProcessError(p.returncode, argv, p.stdout, p.stderr)
    secs, kib = p.stderr.strip().splitlines()[-1].split()  # warnings come before it
    return float(secs), int(kib)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('build_dir', nargs='?', default='build', metavar='BUILD_DIR')
    ap.add_argument('--repeat', type=int, default=3, metavar='N',
                    help='compiles per example; the median time is reported (default 3)')
    ap.add_argument('--jobs', type=int, default=1, choices=[1],
                    help='always 1: compiles run one at a time so their timings do not interfere')
    ap.add_argument('--json', metavar='FILE', help='also write the results as JSON to FILE')
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error('--repeat must be at least 1')

    build = os.path.abspath(args.build_dir)
    db = os.path.join(build, 'compile_commands.json')
    if not os.path.isfile(db):
        sys.exit(f'error: {db} not found; configure the build first: meson setup {args.build_dir}')
    try:  # the source root; examples/ is relative to it, not to the build directory
        with open(os.path.join(build, 'meson-info', 'meson-info.json')) as f:
            src_root = json.load(f)['directories']['source']
    except OSError:
        src_root = os.path.dirname(build)
    examples = os.path.join(src_root, 'examples')

    entries = []
    with open(db) as f:
        for e in json.load(f):
            src = os.path.normpath(os.path.join(e['directory'], e['file']))
            rel = os.path.relpath(src, examples)
            if rel.startswith('..') or rel.split(os.sep)[0] == 'consumer':
                continue
            argv = e['arguments'] if 'arguments' in e else shlex.split(e['command'])
            entries.append((os.path.splitext(rel)[0], e['directory'], argv))
    if not entries:
        sys.exit(f'error: no sources under {examples} in {db}')

    results, failed = [], False
    with tempfile.TemporaryDirectory(prefix='compile_report.') as tmp:
        for name, cwd, argv in sorted(entries):
            cmd = bench_argv(argv, os.path.join(tmp, 'example.o'))
            try:
                runs = [measure(cmd, cwd) for _ in range(args.repeat)]  # one at a time
            except subprocess.CalledProcessError as err:
                print(f'error: {name} failed to compile:\n{err.stderr}', file=sys.stderr)
                results.append({'example': name, 'ok': False})
                failed = True
                continue
            secs = statistics.median(t for t, _ in runs)
            mib = max(k for _, k in runs) / 1024
            results.append({'example': name, 'ok': True, 'seconds': [t for t, _ in runs],
                            'median_seconds': secs, 'peak_mib': round(mib, 1),
                            'within_targets': secs <= TIME_S and mib <= MEM_MIB,
                            'command': shlex.join(cmd)})

    compiler = bench_argv(entries[0][2], 'x.o')[0]
    version = subprocess.run([compiler, '--version'], capture_output=True,
                             text=True).stdout.partition('\n')[0] or compiler
    command = shlex.join(sys.argv)
    print(f'| example | compile time (s, median of {args.repeat}) '
          '| peak compiler memory (MiB) | within targets (20 s, 1 GiB) |')
    print('|---|---:|---:|---|')
    for r in results:
        if r['ok']:
            print(f"| {r['example']} | {r['median_seconds']:.2f} | {r['peak_mib']:.0f} "
                  f"| {'yes' if r['within_targets'] else 'no'} |")
        else:
            print(f"| {r['example']} | failed | failed | no |")
    print(f'\nCompiler: {version}; -O2, one compile at a time, {args.repeat} runs each.')
    print(f'Command: `{command}`')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'compiler': version, 'command': command, 'repeat': args.repeat,
                       'targets': {'seconds': TIME_S, 'mib': MEM_MIB}, 'examples': results},
                      f, indent=2)
            f.write('\n')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
