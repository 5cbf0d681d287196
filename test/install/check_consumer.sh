#!/usr/bin/env bash
# Proves an outside meson project builds against ctnet two ways: installed
# (headers, library and pkg-config file from `meson install`) and as a subproject.
#
#   check_consumer.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
expect='h [[1, 0, 3, 2.5],'

echo "== installed: meson install, then pkg-config"
meson install -C "$build" --no-rebuild --destdir "$tmp/stage" >/dev/null
pc=$(find "$tmp/stage" -name ctnet.pc | head -n 1)
[ -n "$pc" ] || { echo "meson install wrote no ctnet.pc"; exit 1; }
lib=$(dirname "$(find "$tmp/stage" -name 'libctnet.so*' | head -n 1)")
PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR="$tmp/stage" \
  meson setup "$tmp/installed" "$src/examples/consumer" >/dev/null
meson compile -C "$tmp/installed" >/dev/null
LD_LIBRARY_PATH="$lib" "$tmp/installed/consumer" | tee "$tmp/out1"
grep -qF "$expect" "$tmp/out1"

echo "== subproject"
meson setup "$tmp/sub" "$src/examples/consumer" --force-fallback-for=ctnet >/dev/null
meson compile -C "$tmp/sub" >/dev/null
"$tmp/sub/consumer" | tee "$tmp/out2"
grep -qF "$expect" "$tmp/out2"
