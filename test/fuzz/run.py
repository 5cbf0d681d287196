#!/usr/bin/env python3
"""Runs one libFuzzer harness for a bounded time over a copy of its seed corpus.

Usage:
  run.py HARNESS CORPUS_DIR [--seconds N] [--rss-limit-mb MB] [--malloc-limit-mb MB]
         [--max-len BYTES] [--timeout S] [--findings DIR] [--keep-corpus DIR]
  run.py HARNESS INPUT_DIR --expect-error [--rss-limit-mb MB] [--malloc-limit-mb MB]
  run.py --skip REASON

The first form fuzzes for --seconds (default: $CTNET_FUZZ_SECONDS, else 20),
starting from a copy of CORPUS_DIR so the source tree is never written. Any
crash, sanitizer report, exception other than ctnet::Error, input slower than
--timeout, or allocation over the limits is a finding: the input is copied to
--findings (default: findings/<harness>/ next to HARNESS), the log's end is
printed with the command that reproduces it, and the exit status is 1.
--keep-corpus DIR keeps the inputs the run found (to merge into the corpus,
docs/fuzzing.md).

The second form runs each file of INPUT_DIR once with CTNET_FUZZ_EXPECT_ERROR
set: the harness (large_header) requires every read to throw ctnet::Error and
prints each message.

--skip prints REASON and exits 77, which meson reports as a skipped test:
what test/fuzz/meson.build runs where clang++ or libFuzzer is missing.
"""
import argparse
import base64
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def scratch_base():
    # Every input is written to a file and read back: memory, not disk, where there is /dev/shm.
    shm = pathlib.Path('/dev/shm')
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def fuzz_env(tmp):
    env = dict(os.environ)
    env['CTNET_FUZZ_TMP'] = str(tmp)
    # A smaller quarantine than ASan's 256 MB default: freed memory held for
    # use-after-free detection counts towards -rss_limit_mb, which is meant
    # to measure what the readers hold.
    env['ASAN_OPTIONS'] = 'quarantine_size_mb=32:' + env.get('ASAN_OPTIONS', '')
    env['UBSAN_OPTIONS'] = 'print_stacktrace=1:' + env.get('UBSAN_OPTIONS', '')
    return env


def last_lines(text, n):
    return '\n'.join(text.splitlines()[-n:])


def expect_errors(args, tmp):
    inputs = sorted(p for p in pathlib.Path(args.corpus).iterdir() if p.is_file())
    if not inputs:
        print(f'no inputs in {args.corpus}')
        return 1
    env = fuzz_env(tmp / 'scratch')
    env['CTNET_FUZZ_EXPECT_ERROR'] = '1'
    cmd = [args.harness, f'-rss_limit_mb={args.rss_limit_mb}', f'-malloc_limit_mb={args.malloc_limit_mb}',
           f'-timeout={args.timeout}', *map(str, inputs)]
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600)
    # libFuzzer prints "Running: FILE" before each input and "Executed FILE" after
    # it (it may run the first one twice): each must have its refusal between.
    refused, current, messages = set(), None, []
    for line in done.stdout.splitlines():
        if line.startswith('Running: '):
            current = line[len('Running: '):]
        elif line.startswith('refused: ') and current and current not in refused:
            refused.add(current)
            messages.append(f'{pathlib.Path(current).name}:\n  {line}')
    print('\n'.join(messages))
    if done.returncode != 0 or len(refused) != len(inputs):
        print(f'\nFAIL: {len(inputs)} inputs, {len(refused)} refused with ctnet::Error, exit status '
              f'{done.returncode}\n{last_lines(done.stdout, 60)}')
        return 1
    print(f'\nevery one of the {len(inputs)} claims was refused with ctnet::Error, under -rss_limit_mb='
          f'{args.rss_limit_mb} and -malloc_limit_mb={args.malloc_limit_mb}')
    return 0


def fuzz(args, tmp):
    corpus = tmp / 'corpus'
    shutil.copytree(args.corpus, corpus)
    seeds = len(list(corpus.iterdir()))
    artifacts = tmp / 'artifacts'
    artifacts.mkdir()
    cmd = [args.harness, f'-max_total_time={args.seconds}', f'-rss_limit_mb={args.rss_limit_mb}',
           f'-malloc_limit_mb={args.malloc_limit_mb}', f'-timeout={args.timeout}', f'-max_len={args.max_len}',
           f'-artifact_prefix={artifacts}/', '-print_final_stats=1', str(corpus)]
    print('$', ' '.join(cmd), flush=True)
    log = tmp / 'log'
    with open(log, 'w') as out:
        try:
            # libFuzzer stops itself after max_total_time; the margin covers
            # loading the corpus and a last slow input (up to --timeout).
            rc = subprocess.run(cmd, env=fuzz_env(tmp / 'scratch'), stdout=out, stderr=subprocess.STDOUT,
                                timeout=args.seconds + 2 * args.timeout + 120).returncode
        except subprocess.TimeoutExpired:
            rc = None
    text = log.read_text(errors='replace')
    name = pathlib.Path(args.harness).name
    runs = re.search(r'stat::number_of_executed_units:\s+(\d+)', text)
    seconds = re.search(r'Done \d+ runs in (\d+) second', text)
    if rc == 0:
        n, s = int(runs.group(1)) if runs else 0, int(seconds.group(1)) if seconds else args.seconds
        cov = re.findall(r' cov: (\d+)', text)
        rss = re.search(r'stat::peak_rss_mb:\s+(\d+)', text)
        print(f'{name}: {n} executions in {s} s ({n // max(s, 1)}/s), {cov[-1] if cov else "?"} edges covered, '
              f'peak RSS {rss.group(1) if rss else "?"} MB, corpus {seeds} seeds -> '
              f'{len(list(corpus.iterdir()))} inputs, no finding')
        if args.keep_corpus:
            shutil.copytree(corpus, args.keep_corpus, dirs_exist_ok=True)
            print(f'corpus kept in {args.keep_corpus}')
        return 0

    findings = pathlib.Path(args.findings or pathlib.Path(args.harness).parent / 'findings' / name).resolve()
    findings.mkdir(parents=True, exist_ok=True)
    saved = []
    for artifact in artifacts.iterdir():
        shutil.copy(artifact, findings / artifact.name)
        saved.append(findings / artifact.name)
    print(last_lines(text, 80))
    what = 'did not stop in time' if rc is None else f'exit status {rc}'
    print(f'\nFINDING in {name} ({what}).')
    for path in saved:
        print(f'  input: {path}\n  reproduce: {args.harness} {path}')
        # The log may be all that is left of a CI machine: small inputs travel in it.
        if path.stat().st_size <= 16384:
            print(f'  the input in base64 (base64 -d > FILE):\n{base64.encodebytes(path.read_bytes()).decode()}')
    if not saved:
        print('  no input was saved (see the log above)')
    print('Fix the reader, then add the input to the corpus as a regression input (docs/fuzzing.md).')
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('harness', nargs='?')
    parser.add_argument('corpus', nargs='?')
    parser.add_argument('--seconds', type=int, default=int(os.environ.get('CTNET_FUZZ_SECONDS', '20')),
                        help='how long to fuzz (default: $CTNET_FUZZ_SECONDS, else 20)')
    parser.add_argument('--rss-limit-mb', type=int, default=512)
    parser.add_argument('--malloc-limit-mb', type=int, default=0, help='default: the rss limit')
    parser.add_argument('--max-len', type=int, default=4096, help='the largest input the fuzzer makes')
    parser.add_argument('--timeout', type=int, default=10, help='seconds one input may take')
    parser.add_argument('--findings', help='where a crashing input is copied')
    parser.add_argument('--keep-corpus', help='copy the grown corpus here')
    parser.add_argument('--expect-error', action='store_true', help='run each input once; each must be refused')
    parser.add_argument('--skip', metavar='REASON', help='report the test as skipped, saying why')
    args = parser.parse_args()
    if args.skip:
        print(f'SKIP: {args.skip}')
        return SKIP
    if not args.harness or not args.corpus:
        parser.error('HARNESS and CORPUS_DIR are needed')
    args.malloc_limit_mb = args.malloc_limit_mb or args.rss_limit_mb
    tmp = pathlib.Path(tempfile.mkdtemp(prefix='ctnet-fuzz-run-', dir=scratch_base()))
    try:
        (tmp / 'scratch').mkdir()
        return (expect_errors if args.expect_error else fuzz)(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
