#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Quick start (`make demo`): installs the Debian packages the build needs,
# builds the library, then compiles scripts/demo.c, a small program written
# against libnetfilter_conntrack's API, and runs it twice: with the
# system's original libnetfilter_conntrack.so.3 and with ours. Both must
# print the same.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"

packages=(libnetfilter-conntrack3 libnetfilter-conntrack-dev libnfnetlink-dev
          libmnl-dev pkg-config gcc make libc6-dev)

missing=()
if command -v dpkg-query > /dev/null; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'ok installed' ||
      missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  timeout 900 "${sudo[@]}" apt-get update -q
  timeout 1200 "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo > /dev/null && [ -x "$HOME/.cargo/bin/cargo" ]; then
  PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo > /dev/null; then
  echo "cargo not found: install a Rust toolchain first (https://rustup.rs)" >&2
  exit 1
fi

echo "== building the library (make)"
timeout 1800 make

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfct-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Build against our headers and library; while those are incomplete, fall
# back to the system's. The binary needs libnetfilter_conntrack.so.3 either
# way, so the same binary runs with both libraries.
cflags=(-Wall -Wextra -Werror -o "$tmp/demo" scripts/demo.c)
built=
for how in "ours ours" "system ours" "system system"; do
  set -- $how
  args=("${cflags[@]}")
  [ "$1" = ours ] && args+=(-I"$TOP/include")
  [ "$2" = ours ] && args+=(-L"$TOP/build/lib")
  if timeout 120 gcc "${args[@]}" -lnetfilter_conntrack 2> "$tmp/cc.log"; then
    built="$1 headers, linked against the $2 library"
    break
  fi
done
if [ -z "$built" ]; then
  cat "$tmp/cc.log" >&2
  exit 1
fi
echo "== demo.c built with the $built"

echo "== with the original library ($(env -u LD_LIBRARY_PATH ldd "$tmp/demo" |
       awk '/libnetfilter_conntrack/ {print $3}'))"
orc=0
env -u LD_LIBRARY_PATH timeout 60 "$tmp/demo" > "$tmp/orig.txt" 2>&1 || orc=$?
cat "$tmp/orig.txt"

echo "== with ours ($TOP/build/lib/libnetfilter_conntrack.so.3)"
urc=0
LD_LIBRARY_PATH="$TOP/build/lib" timeout 60 "$tmp/demo" > "$tmp/ours.txt" 2>&1 || urc=$?
cat "$tmp/ours.txt"

if [ "$orc" -eq "$urc" ] && cmp -s "$tmp/orig.txt" "$tmp/ours.txt"; then
  echo "== identical output"
else
  echo "== the outputs differ (exit status $orc and $urc):"
  diff -u "$tmp/orig.txt" "$tmp/ours.txt" || true
  exit 1
fi
