#!/usr/bin/env python3
"""Keeps the shell commands that the documentation shows runnable.

Usage: check_commands.py BUILD_DIR [PAGE ...]

Reads every ```sh block of README.md and docs/*.md (or of the PAGEs given)
and checks each command in it, split at && ; || and |, against BUILD_DIR:

  build/PROGRAM ARGS       runs BUILD_DIR/PROGRAM ARGS in a scratch directory:
                           it must exit 0 within TIMEOUT_S (long runs: SHORTER)
  meson setup|configure    every -Dname=value names an option of the build and
                           a value that option takes
  meson test               every --suite exists, and every test named
  meson compile            every target named exists
  scripts/, bench/, test/  the script exists and is executable, and each of
  [python3] SCRIPT         its flags appears in its --help
  ELSEWHERE                the test that runs it exists
  mpirun ... build/PROG    the distributed tests exist and run such commands
                           (test/examples/check_distributed.py); here PROG's
                           flags are checked against its --help, or a
                           benchmark's existence. Skipped in a build without MPI.

A command that fits none of these fails, naming the page and the line, so a
new kind of command gets a check here instead of going stale unnoticed.
The build's options, tests and targets are what `meson introspect
--buildoptions / --tests / --targets` prints, read from the files it reads.
"""
import json, os, pathlib, re, shlex, subprocess, sys, tempfile

SOURCE = pathlib.Path(__file__).resolve().parents[2]
TIMEOUT_S = 120
WRAPPERS = {'/usr/bin/time': {'-f', '-o'}, 'time': set(), 'nice': {'-n'}, 'taskset': {'-c'}}  # each with its flags that take a value
PYTHONS = {'python3', '/usr/bin/python3'}
SCRIPT_DIRS = {'scripts', 'bench', '.ci', 'test'}
# meson test's flags that take a value; its other positional arguments are test names.
MESON_TEST_VALUED = {'--suite', '--no-suite', '--setup', '--num-processes', '--repeat', '-t',
                     '--timeout-multiplier', '--wrapper', '--test-args', '--logbase', '--max-lines'}

# Programs too long (or impossible) to run as a test, by their command in the
# docs (a key ending in '/' covers every program under it), and what is done
# instead: (how, arguments appended, data it needs else only its flags are
# checked). A long command missing here fails by its timeout.
SHORT, FASHION = ['--iters', '100'], '/usr/share/datasets/fashion-mnist'
SHORTER = {
    # 10,000 steps take seconds, and minutes under the sanitizers; 100 steps
    # exercise the same flags, loading, training, files and summary; on
    # Fashion-MNIST where scripts/setup has installed it.
    'build/examples/train_neuralnet': ('run', SHORT, None),
    'build/examples/train_neuralnet --data bundled --quiet': ('run', SHORT, None),
    'build/examples/train_neuralnet --data fashion': ('run', SHORT, FASHION),
    'build/examples/train_neuralnet --data fashion --quiet': ('run', SHORT, FASHION),
    'build/examples/train_neuralnet --optimizer adam': ('run', SHORT, None),
    'build/examples/train_neuralnet --threads 1': ('run', SHORT, None),
    'build/examples/train_neuralnet --data fashion --threads 2': ('run', SHORT, FASHION),
    # The original MNIST is the reader's own download.
    'build/examples/train_neuralnet --data ~/mnist': ('help', [], None),
    # Needs the reader's own files; test/examples/check_csv.py writes some and trains on them.
    'build/examples/train_csv --train flowers_train.csv --test flowers_test.csv --label species': ('help', [], None),
    # Needs an interrupted run; test/train/trainer.cpp and check_train.py resume them.
    'build/examples/train_neuralnet --out out --resume': ('help', [], None),
    # SimpleConvNet's 20 epochs take seconds natively, minutes sanitized: 100 steps.
    'build/examples/train_convnet': ('run', SHORT, None),
    'build/examples/train_convnet --data fashion': ('run', SHORT, FASHION),
    'build/examples/train_convnet --eval-samples 0': ('run', SHORT, None),
    # DeepConvNet's take a minute or two (a step is 40 ms on one core): 100 steps.
    'build/examples/deep_convnet': ('run', SHORT, None),
    'build/examples/deep_convnet --eval-samples 0': ('run', SHORT, None),
    'build/examples/train_convnet --out out/convnet': ('run', SHORT, None),
    'build/examples/deep_convnet --out out/deep_convnet': ('run', SHORT, None),
    # The chapter-6 experiments take seconds each with the book's settings
    # (test/examples/check_experiments.py runs them so): here a few steps.
    'build/examples/optimizer_compare_mnist': ('run', ['--iters', '50'], None),
    'build/examples/weight_init_compare': ('run', ['--iters', '50'], None),
    'build/examples/batch_norm_test': ('run', ['--epochs', '2', '--scales', '2'], None),
    'build/examples/overfit_weight_decay': ('run', ['--epochs', '3'], None),
    'build/examples/overfit_dropout': ('run', ['--epochs', '3'], None),
    'build/examples/hyperparameter_optimization': ('run', ['--trials', '2', '--epochs', '2'], None),
    # Timing runs: seconds each, no flags, and the AVX-512 ones need a CPU
    # that has it. That the build defines them is checked.
    'build/bench/': ('exists', [], None),
}
# Commands another test runs, where this one cannot: the test, which must exist
# unless the build is sanitized (test/meson.build leaves packaging tests out of
# such a build: their plain consumers would not link a sanitized library).
ELSEWHERE = {
    # Needs an installed ctnet; test/install/check_consumer.sh installs one and builds so.
    'g++ -std=c++20 -O2 mynet.cpp -o mynet $(pkg-config --cflags --libs ctnet)': 'install-consumer',
}
# Parts of the build an option can leave out (by the prefix of their programs or
# targets): the option, and the values that leave them out. Their commands are
# skipped where it does (api_docs=auto leaves the reference out without Doxygen).
OPTIONAL = {'build/bench/': ('benchmarks', {'disabled'}), 'bench_': ('benchmarks', {'disabled'}),
            'api_docs': ('api_docs', {'disabled', 'auto'})}


class Build:
    def __init__(self, path):
        self.path = pathlib.Path(path).resolve()
        info = lambda name: json.loads((self.path / 'meson-info' / f'intro-{name}.json').read_text())
        self.options = {o['name']: o for o in info('buildoptions')}
        self.tests = {t['name'] for t in info('tests')}
        self.suites = {s for t in info('tests') for s in t['suite']}
        self.suites |= {s.split(':', 1)[1] for s in self.suites}  # 'ctnet:docs' is also 'docs'
        self.targets, self.outputs = set(), set()
        for t in info('targets'):  # by name and as subdir/name, as meson compile takes them
            subdir = os.path.relpath(os.path.dirname(t['defined_in']), SOURCE)
            self.targets |= {t['name'], t['name'] if subdir == '.' else f'{subdir}/{t["name"]}'}
            self.outputs |= {pathlib.Path(f).resolve() for f in t['filename']}

    def left_out(self, name):
        return next((f'skipped: {option} is {self.options[option]["value"]} in this build'
                     for prefix, (option, values) in OPTIONAL.items()
                     if name.startswith(prefix) and self.options[option]['value'] in values), None)


def commands(page):
    """(line number, argv) of every command in the page's ```sh blocks."""
    in_sh, pending, first = False, '', None
    for number, line in enumerate(page.read_text().splitlines(), 1):
        if line.startswith('```'):
            in_sh, pending, first = not in_sh and line[3:].strip() == 'sh', '', None
            continue
        if not in_sh:
            continue
        first = first or number  # a command continued with \ is reported at its first line
        if line.endswith('\\'):
            pending += line[:-1] + ' '
            continue
        lexer = shlex.shlex(pending + line, posix=True, punctuation_chars='&|;')  # $(...) stays words
        lexer.whitespace_split, pending, argv = True, '', []
        for token in list(lexer) + [';']:
            if token not in ('&&', '||', ';', '|', '&'):
                argv.append(token)
            elif argv:
                yield first, argv
                argv = []
        first = None


def flags(argv):
    return [a.split('=', 1)[0] for a in argv if a.startswith('-')]


def flags_missing_from_help(cmd, argv, fallback=None):
    done = subprocess.run(cmd + ['--help'], capture_output=True, text=True, timeout=TIMEOUT_S)
    text = done.stdout + done.stderr if done.returncode == 0 else fallback
    if text is None:
        return f'FAIL: {" ".join(cmd)} --help exited {done.returncode}'
    missing = [f for f in flags(argv) if not re.search(rf'(?<![\w-]){re.escape(f)}(?![\w-])', text)]
    return f'FAIL: flags not in its --help: {" ".join(missing)}' if missing else None


def check_program(build, argv):
    text = ' '.join(argv)
    program = build.path / argv[0].removeprefix('build/')
    if build.left_out(argv[0]):
        return build.left_out(argv[0])
    how, extra, needs = SHORTER.get(text) or next(
        (v for k, v in SHORTER.items() if k.endswith('/') and text.startswith(k)), ('run', [], None))
    if how == 'exists':  # `meson test` alone builds only what tests depend on, so not necessarily built
        return 'ok (a program of this build, not run)' if program.resolve() in build.outputs else \
            f'FAIL: {argv[0]} is no program of this build'
    if not (program.is_file() and os.access(program, os.X_OK)):
        return f'FAIL: {program} was not built'
    if how == 'help' or (needs and not os.path.exists(needs)):
        return flags_missing_from_help([str(program)], argv) or 'ok (flags checked against --help)'
    run = [str(program)] + argv[1:] + extra
    with tempfile.TemporaryDirectory() as scratch:  # for out/ and anything else it writes
        try:
            done = subprocess.run(run, cwd=scratch, capture_output=True, text=True, timeout=TIMEOUT_S,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return f'FAIL: still running after {TIMEOUT_S} s (give it a shorter variant in SHORTER)'
    if done.returncode != 0:
        return f'FAIL: {shlex.join(run)} exited {done.returncode}:\n{done.stdout}{done.stderr}'
    return f'ok (ran with {shlex.join(extra)} added)' if extra else None


def check_option(build, assignment):
    name, has_value, value = assignment.partition('=')
    option = build.options.get(name)
    if option is None:
        return f'no build option {name}'
    if not has_value:
        return f'-D{name} has no value'
    if option['type'] == 'combo' and value not in option['choices']:
        return f'{name} takes {", ".join(option["choices"])}, not {value}'
    if option['type'] == 'boolean' and value not in ('true', 'false'):
        return f'{name} takes true or false, not {value}'
    return None


def check_meson(build, argv):
    sub, args = (argv[1] if len(argv) > 1 else ''), argv[2:]
    args = [a for i, a in enumerate(args) if a != '-C' and (i == 0 or args[i - 1] != '-C')]
    if sub in ('setup', 'configure'):
        errors = [check_option(build, a[2:] or args[i + 1]) for i, a in enumerate(args) if a.startswith('-D')]
    elif sub == 'test':
        valued = {i + 1 for i, a in enumerate(args) if a in MESON_TEST_VALUED}
        errors = [f'no test suite {args[i]}' for i in valued
                  if args[i - 1] in ('--suite', '--no-suite') and args[i] not in build.suites]
        errors += [f'no test {a}' for i, a in enumerate(args)
                   if not a.startswith('-') and i not in valued and a not in build.tests]
    elif sub == 'compile':
        missing = [a for a in args if not a.startswith('-') and a.split(':')[0] not in build.targets]
        errors = [f'no target {t}' for t in missing if not build.left_out(t)]
        if missing and not errors:
            return build.left_out(missing[0])
    else:
        return f'FAIL: meson {sub} is not a command this check knows (teach {pathlib.Path(__file__).name})'
    errors = [e for e in errors if e]
    return 'FAIL: ' + '; '.join(errors) if errors else None


def check_script(argv):
    script = SOURCE / argv[0]
    if not (script.is_file() and os.access(script, os.X_OK)):
        return f'FAIL: {argv[0]} is not an executable file of the source tree'
    if not flags(argv):
        return None
    # A script whose --help cannot run here (bench/numpy_peer.py imports NumPy
    # first) is checked against its own text, where argparse names its flags.
    # A first word that is not a flag may be a subcommand with flags of its own
    # (bench/convnet_peers.py accuracy --epochs): its --help is asked for.
    cmd = [str(script)] + ([argv[1]] if len(argv) > 1 and not argv[1].startswith('-') else [])
    return flags_missing_from_help(cmd, argv, fallback=script.read_text())


# mpirun's flags that take a value (the others stand alone).
MPIRUN_VALUED = {'-np', '-n', '--hostfile', '-hostfile', '--map-by', '--bind-to', '-x', '--mca'}


def check_mpirun(build, argv):
    """mpirun [FLAGS] build/PROGRAM ARGS: the program's flags, where this build has MPI."""
    if 'example-distributed' not in build.tests:
        return 'skipped: this build has no MPI (its test mpi says so)'
    rest = argv[1:]
    while rest and rest[0].startswith('-'):
        rest = rest[3:] if rest[0] == '--mca' else rest[2:] if rest[0] in MPIRUN_VALUED else rest[1:]
    if not rest or not rest[0].startswith('build/'):
        return f'FAIL: no program of this build under mpirun: {shlex.join(argv)}'
    if build.left_out(rest[0]):
        return build.left_out(rest[0])
    program = build.path / rest[0].removeprefix('build/')
    if rest[0].startswith('build/bench/'):
        return 'ok (a program of this build, not run)' if program.resolve() in build.outputs else \
            f'FAIL: {rest[0]} is no program of this build'
    return flags_missing_from_help([str(program)], rest) or 'ok (flags checked against --help; the test ' \
        'example-distributed runs it under mpirun)'


def check(build, argv):
    while argv and re.fullmatch(r'[A-Z_][A-Z0-9_]*=\S*', argv[0]):  # VAR=value before a command
        argv = argv[1:]
    if argv and argv[0] == 'mpirun':
        return check_mpirun(build, argv)
    if ' '.join(argv) in ELSEWHERE:
        test = ELSEWHERE[' '.join(argv)]
        if test in build.tests:
            return f'ok (run by the test {test})'
        if build.options['b_sanitize']['value'] != 'none':
            return f'skipped: a sanitized build has no test {test}'
        return f'FAIL: there is no test {test} to run it'
    while argv and argv[0] in WRAPPERS:  # the command under /usr/bin/time, nice, ...
        valued, argv = WRAPPERS[argv[0]], argv[1:]
        while argv and argv[0].startswith('-'):
            argv = argv[2:] if argv[0] in valued else argv[1:]
    if argv and argv[0] in PYTHONS:
        argv = argv[1:]
    if argv and argv[0].startswith('build/'):
        return check_program(build, argv)
    if argv and argv[0] == 'meson':
        return check_meson(build, argv)
    if argv and argv[0].split('/')[0] in SCRIPT_DIRS:
        return check_script(argv)
    return f'FAIL: a command this check cannot classify (teach {pathlib.Path(__file__).name} about it)'


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build = Build(sys.argv[1])
    pages = [pathlib.Path(p).resolve() for p in sys.argv[2:]]
    failed = 0
    for page in pages or [SOURCE / 'README.md'] + sorted((SOURCE / 'docs').glob('*.md')):
        name = page.relative_to(SOURCE) if page.is_relative_to(SOURCE) else page
        for number, argv in commands(page):
            result = check(build, argv) or 'ok'
            failed += result.startswith('FAIL')
            print(f'{name}:{number}: {" ".join(argv)}: {result}')
    print(f'{failed} failed' if failed else 'every command checks out')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
