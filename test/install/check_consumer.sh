#!/usr/bin/env bash
# Proves an outside project gets ctnet exactly as ctnet's own build compiles it:
# the same SIMD backend and the same flags, three ways — plain g++ through the
# installed pkg-config file, CMake's find_package(ctnet CONFIG), and a meson
# project (installed, and as a subproject) — and that every C++ program in the
# docs compiles and runs against the installed copy alone, finding the
# installed bundled digits.
#
#   check_consumer.sh BUILD_DIR SOURCE_DIR BACKEND CONSUMER_FLAGS...
set -euo pipefail
build=$(cd "$1" && pwd -P)
src=$(cd "$2" && pwd -P)
backend=$3
shift 3
flags=("$@")
tmp=$(cd "$(mktemp -d)" && pwd -P)
trap 'rm -rf "$tmp"' EXIT
cxx=${CXX:-c++}
expect='h [[1, 0, 3, 2.5],'

# The program's output must show the product, the in-tree backend and, where
# it says so, digits found under the given directory.
check_run() {  # name, data-dir-prefix, program...
  local name=$1 data=$2
  shift 2
  "$@" > "$tmp/$name.out"
  sed 's/^/    /' "$tmp/$name.out"
  grep -qF "$expect" "$tmp/$name.out" || { echo "$name: wrong product"; exit 1; }
  grep -qF "($backend backend)" "$tmp/$name.out" || { echo "$name: not the in-tree backend $backend"; exit 1; }
  grep -q "^data $data" "$tmp/$name.out" || { echo "$name: bundled digits not found under $data"; exit 1; }
}

echo "== meson install"
meson install -C "$build" --no-rebuild --destdir "$tmp/stage" >/dev/null
pc=$(find "$tmp/stage" -name ctnet.pc | head -n 1)
config=$(find "$tmp/stage" -name ctnetConfig.cmake | head -n 1)
[ -n "$pc" ] || { echo "meson install wrote no ctnet.pc"; exit 1; }
[ -n "$config" ] || { echo "meson install wrote no ctnetConfig.cmake"; exit 1; }
lib=$(dirname "$(find "$tmp/stage" -name 'libctnet.so*' | head -n 1)")
prefix=$(cd "$lib" && while [ ! -d include ] && [ "$PWD" != / ]; do cd ..; done; pwd -P)
[ -f "$prefix/share/ctnet/mnist/train-images-idx3-ubyte.gz" ] || { echo "bundled digits not installed"; exit 1; }
[ -f "$prefix/share/ctnet/book-weights/deep_convnet.npz" ] || { echo "the book's weights not installed"; exit 1; }
[ -f "$prefix/include/ctnet/version.hpp" ] || { echo "generated version.hpp not installed"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR="$tmp/stage"

echo "== pkg-config carries the in-tree flags: ${flags[*]}"
cflags=$(pkg-config --cflags ctnet)
for f in "${flags[@]}"; do
  case " $cflags " in *" $f "*) ;; *) echo "pkg-config --cflags ($cflags) lacks $f"; exit 1 ;; esac
done
case " $cflags " in *" -std="*) echo "pkg-config forces a language standard: $cflags"; exit 1 ;; esac

echo "== plain $cxx -std=c++23 \$(pkg-config --cflags --libs ctnet)"
# shellcheck disable=SC2046
"$cxx" -std=c++23 -O2 "$src/examples/consumer/main.cpp" -o "$tmp/plain" $(pkg-config --cflags --libs ctnet)
LD_LIBRARY_PATH="$lib" check_run plain "$prefix/share/ctnet/mnist" "$tmp/plain"

echo "== C++17 gets one clear error"
# shellcheck disable=SC2046
if "$cxx" -std=c++17 -fsyntax-only "$src/examples/consumer/main.cpp" $(pkg-config --cflags ctnet) 2> "$tmp/cxx17.err"; then
  echo "a C++17 build of ctnet's headers compiled"; exit 1
fi
grep -m1 "error" "$tmp/cxx17.err" | tee "$tmp/cxx17.first"
grep -qF "ctnet needs C++20 or later" "$tmp/cxx17.first" || { echo "the first error is not ctnet's C++20 message"; exit 1; }

echo "== CMake: find_package(ctnet CONFIG REQUIRED), target ctnet::ctnet"
cmake -S "$src/examples/consumer" -B "$tmp/cmake" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" > "$tmp/cmake.log" || { cat "$tmp/cmake.log"; exit 1; }
grep -F "ctnet 0" "$tmp/cmake.log" | sed 's/^/    /'
cmake --build "$tmp/cmake" --verbose > "$tmp/cmake-build.log" || { cat "$tmp/cmake-build.log"; exit 1; }
compile_line=$(grep -m1 -- "main.cpp.o -c" "$tmp/cmake-build.log")
for f in "${flags[@]}"; do
  case " $compile_line " in *" $f "*) ;; *) echo "CMake's compile line lacks $f: $compile_line"; exit 1 ;; esac
done
LD_LIBRARY_PATH="$lib" check_run cmake "$prefix/share/ctnet/mnist" "$tmp/cmake/consumer"

echo "== meson project, installed ctnet through pkg-config"
meson setup "$tmp/installed" "$src/examples/consumer" >/dev/null
meson compile -C "$tmp/installed" >/dev/null
LD_LIBRARY_PATH="$lib" check_run meson-installed "$prefix/share/ctnet/mnist" "$tmp/installed/consumer"

echo "== meson project, ctnet as a subproject"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
meson setup "$tmp/sub" "$src/examples/consumer" --force-fallback-for=ctnet >/dev/null
meson compile -C "$tmp/sub" >/dev/null
check_run subproject "$src/data/mnist" "$tmp/sub/consumer"

echo "== every docs program against the installed copy only"
export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR="$tmp/stage"
# shellcheck disable=SC2046
read -r -a doc_compiler <<< "$cxx -std=c++20 -O1 $(pkg-config --cflags ctnet) $(pkg-config --libs ctnet) -Wl,-rpath,$lib"
# The distributed page's program links the installed ctnet-mpi too (its
# pkg-config file, which requires MPI's), where this build made it; run
# without mpirun it is a world of one, which Open MPI allows root only when told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
for page in "$src"/docs/*.md; do
  grep -q '^```cpp' "$page" || continue
  compiler=("${doc_compiler[@]}")
  if grep -q 'ctnet/distributed/mpi.hpp' "$page"; then
    if ! pkg-config --exists ctnet-mpi; then
      echo "$page: skipped, this build installed no ctnet-mpi (no MPI)"
      continue
    fi
    # shellcheck disable=SC2207
    compiler+=($(pkg-config --libs ctnet-mpi))
  fi
  python3 "$src/test/docs/check_snippets.py" "$page" "$tmp/snippets" -- "${compiler[@]}"
done
