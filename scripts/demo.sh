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
          libmnl-dev pkg-config gcc make libc6-dev conntrack iproute2)

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

# The kernel part: flows created in a private network namespace (the
# host's table is never touched), through our library, then listed with
# our example program and with Debian's conntrack binary running on ours.
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "== building the example programs (make -C utils)"
timeout 600 make -s -C utils
ns="nfct-demo-$$"
"${sudo[@]}" ip netns add "$ns"
trap '"${sudo[@]}" ip netns delete "$ns" 2> /dev/null; rm -rf "$tmp"' EXIT
ours=(env LD_LIBRARY_PATH="$TOP/build/lib")
in_ns() { timeout 60 "${sudo[@]}" ip netns exec "$ns" "$@"; }

echo "== conntrack(8) loads: $("${ours[@]}" ldd "$(command -v conntrack)" |
       awk '/libnetfilter_conntrack/ {print $3}')"
echo "== creating flows in network namespace $ns"
in_ns "${ours[@]}" "$TOP/utils/conntrack_create" --src 10.0.0.1 --dst 10.0.0.2 \
  --sport 40000 --dport 80 --mark 7 --timeout 300
in_ns "${ours[@]}" "$TOP/utils/conntrack_create_nat" --src 10.0.0.3 --dst 192.0.2.9 \
  --sport 40001 --dport 443 --snat 198.51.100.1 --timeout 300
in_ns "${ours[@]}" conntrack -I -p udp -s 10.0.0.4 -d 10.0.0.53 --sport 5353 \
  --dport 53 -t 120 -m 3
in_ns "${ours[@]}" conntrack -I -p tcp -s 2001:db8::1 -d 2001:db8::2 \
  --sport 40002 --dport 22 --state ESTABLISHED -t 300 -u ASSURED

echo "== utils/conntrack_dump on our library"
in_ns "${ours[@]}" "$TOP/utils/conntrack_dump" --family unspec
echo "== conntrack -L on our library"
in_ns "${ours[@]}" conntrack -L 2>&1 | sort > "$tmp/ours-L.txt"
cat "$tmp/ours-L.txt"
echo "== conntrack -L on the original library"
in_ns env -u LD_LIBRARY_PATH conntrack -L 2>&1 | sort > "$tmp/orig-L.txt"
cat "$tmp/orig-L.txt"
# Remaining timeouts may tick between the two listings.
if diff <(awk '{ $3 = "T"; print }' "$tmp/orig-L.txt") \
        <(awk '{ $3 = "T"; print }' "$tmp/ours-L.txt") > /dev/null; then
  echo "== conntrack -L prints the same table on both libraries"
else
  echo "== conntrack -L differs between the libraries:"
  diff -u "$tmp/orig-L.txt" "$tmp/ours-L.txt" || true
  exit 1
fi
