#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Differential test: ctests/diff/gen.c drives the public API with thousands
# of random conntrack and expectation objects and prints what the library
# answers. It runs once against the original libnetfilter_conntrack.so.3
# (the Debian package's, found through LD_LIBRARY_PATH so that a copy of
# ours installed in /usr/local cannot stand in for it) and once against
# ours (LD_LIBRARY_PATH=$LIBDIR); outputs and exit statuses must be
# identical.
# Functions ours does not export yet make the test fail, but the sections of
# gen that need them are left out of both runs and the rest is compared.
#
# Environment (all optional):
#   LIBDIR       our built library (run-all.sh sets it to build/lib)
#   INCDIR       our headers; the system's are used if ours do not compile
#   DIFF_SEEDS   seeds to run, default "1 2 3 4 5"
#   DIFF_COUNT   objects per seed, default 2000
#   DIFF_LIBDIR  library directory to test instead of LIBDIR; pointing it
#                at the system's directory checks the harness itself
#                (original against original must pass)
#   DIFF_ORIG_LIBDIR  where the original is, default /usr/lib/MULTIARCH
#   DIFF_KEEP    directory to keep the outputs in, for a closer look
#   DIFF_VALGRIND_COUNT  objects for the valgrind run (seed 42) against
#                both libraries, default 100; 0 skips it
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
INCDIR=${INCDIR:-$TOP/include}
OURS=${DIFF_LIBDIR:-$LIBDIR}
ORIG=${DIFF_ORIG_LIBDIR:-/usr/lib/$(gcc -print-multiarch)}
SEEDS=${DIFF_SEEDS:-1 2 3 4 5}
COUNT=${DIFF_COUNT:-2000}
VG_COUNT=${DIFF_VALGRIND_COUNT:-100}
RUN_TIMEOUT=300

tmp=$(mktemp -d "${TMPDIR:-/tmp}/t-diff.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The clock is pinned inside gen; the local time zone must be too.
export TZ=UTC LC_ALL=C

if [ ! -e "$OURS/libnetfilter_conntrack.so.3" ]; then
  echo "t-diff: $OURS/libnetfilter_conntrack.so.3 is missing (run make first)" >&2
  exit 1
fi
if [ ! -e "$ORIG/libnetfilter_conntrack.so.3" ]; then
  echo "t-diff: the original $ORIG/libnetfilter_conntrack.so.3 is missing" \
       "(apt-get install libnetfilter-conntrack3)" >&2
  exit 1
fi

mnl_flags=$(pkg-config --cflags --libs libmnl 2>/dev/null || echo -lmnl)
# gen defines time() and friends: export them so the library binds to them.
# It links against the system's library; the DT_NEEDED entry is the soname,
# libnetfilter_conntrack.so.3, and gen's references to it are weak: keep
# the library NEEDED all the same.
cflags=(-std=gnu11 -O1 -g -Wall -Wextra -Werror -Wl,--export-dynamic)
# shellcheck disable=SC2206
libs=(-Wl,--no-as-needed -lnetfilter_conntrack -Wl,--as-needed $mnl_flags)
gen="$tmp/gen"
if timeout 120 gcc "${cflags[@]}" -I"$INCDIR" -o "$gen" "$TOP/ctests/diff/gen.c" \
     "${libs[@]}" 2> "$tmp/cc-ours.log"; then
  echo "t-diff: gen built against our headers ($INCDIR)"
else
  echo "t-diff: gen does not build against our headers, using the system's:"
  sed -n '1,5p' "$tmp/cc-ours.log" | sed 's/^/  /'
  timeout 120 gcc "${cflags[@]}" -o "$gen" "$TOP/ctests/diff/gen.c" "${libs[@]}"
fi

if ! readelf -d "$gen" | grep -q 'NEEDED.*\[libnetfilter_conntrack\.so\.3\]'; then
  echo "t-diff: gen does not depend on libnetfilter_conntrack.so.3" >&2
  exit 1
fi

# Which file each run really loads.
orig_so=$(LD_LIBRARY_PATH="$ORIG" ldd "$gen" | awk '/libnetfilter_conntrack\.so\.3/ {print $3}')
ours_so=$(LD_LIBRARY_PATH="$OURS" ldd "$gen" | awk '/libnetfilter_conntrack\.so\.3/ {print $3}')
echo "t-diff: original: $orig_so"
echo "t-diff: ours:     $ours_so"
case "$ours_so" in
  "$OURS"/*) ;;
  *) echo "t-diff: ours does not resolve into $OURS" >&2; exit 1 ;;
esac
case "$orig_so" in
  "$ORIG"/*) ;;
  *) echo "t-diff: the original does not resolve into $ORIG" >&2; exit 1 ;;
esac
if [ "$(realpath "$orig_so")" = "$(realpath "$ours_so")" ]; then
  echo "t-diff: both runs load the same file (a check of the harness itself)"
fi

# Functions ours does not export yet: reported as a failure, and the
# sections of gen that need them are left out of both runs so that the
# rest is still compared.
fail=0
if [ -n "$(LD_LIBRARY_PATH="$ORIG" "$gen" -m)" ]; then
  echo "t-diff: the original lacks functions gen uses: $(LD_LIBRARY_PATH="$ORIG" "$gen" -m)" >&2
  exit 1
fi
missing=$(LD_LIBRARY_PATH="$OURS" "$gen" -m)
skip=()
if [ -n "$missing" ]; then
  echo "t-diff: FAIL: ours lacks $(wc -w <<< "$missing") functions: $missing"
  echo "t-diff: comparing the rest"
  skip=(-x "${missing// /,}")
  fail=1
fi

# The label map both runs load: names, gaps, bits past 127, and lines the
# parser must skip.
map="$tmp/connlabel.conf"
cat > "$map" <<'EOF'
# connlabel.conf written by t-diff.sh
0	zero
1 one
2   eth0-in
5	spaced name
7 bad;name
10 dup
11 dup
12
0x20 hex-32
127 high
128 above-128
200 Bit-200
1023 last
1024 too-large
x notanumber
EOF

# run WHICH SEED ARGS...: output to $tmp/WHICH.out, status to $tmp/WHICH.rc
run() {
  local which=$1 rc=0
  shift
  if [ "$which" = orig ]; then
    LD_LIBRARY_PATH="$ORIG" timeout "$RUN_TIMEOUT" "$gen" "$@" \
      > "$tmp/$which.out" 2> "$tmp/$which.err" || rc=$?
  else
    LD_LIBRARY_PATH="$OURS" timeout "$RUN_TIMEOUT" "$gen" "$@" \
      > "$tmp/$which.out" 2> "$tmp/$which.err" || rc=$?
  fi
  echo "$rc" > "$tmp/$which.rc"
}

# Shows the first object whose output differs, in full (-v -o N).
explain() {
  local seed=$1 line idx
  line=$(cmp "$tmp/orig.out" "$tmp/ours.out" 2>/dev/null | awk '{print $NF}' || true)
  [ -n "$line" ] || line=$(wc -l < "$tmp/ours.out")
  idx=$(head -n "$line" "$tmp/orig.out" | grep -E '^ct [0-9]+ ' | tail -n 1 | awk '{print $2}' || true)
  [ -n "$idx" ] || return 0
  echo "--- object $idx of seed $seed in full (gen $seed $COUNT MAP -v -o $idx):"
  run orig "$seed" "$COUNT" "$map" -v -o "$idx" "${skip[@]}"
  run ours "$seed" "$COUNT" "$map" -v -o "$idx" "${skip[@]}"
  diff -u "$tmp/orig.out" "$tmp/ours.out" | head -n 80 || true
}

shown=0 different=0
for seed in $SEEDS; do
  start=$SECONDS
  run orig "$seed" "$COUNT" "$map" "${skip[@]}"
  run ours "$seed" "$COUNT" "$map" "${skip[@]}"
  orc=$(cat "$tmp/orig.rc") urc=$(cat "$tmp/ours.rc")
  if [ -n "${DIFF_KEEP:-}" ]; then
    mkdir -p "$DIFF_KEEP"
    cp "$tmp/orig.out" "$DIFF_KEEP/orig.$seed.out"
    cp "$tmp/ours.out" "$DIFF_KEEP/ours.$seed.out"
  fi
  if [ "$orc" = 3 ] && [ -n "$missing" ]; then
    echo "t-diff: core functions are missing: nothing compared"
    exit 1
  fi
  if [ "$orc" != 0 ]; then
    echo "seed $seed: the original itself exited with $orc (a bug in gen.c):" >&2
    tail -n 5 "$tmp/orig.err" >&2
    different=1 fail=1
    continue
  fi
  if [ "$urc" = "$orc" ] && cmp -s "$tmp/orig.out" "$tmp/ours.out"; then
    echo "seed $seed: $COUNT objects, $(wc -l < "$tmp/orig.out") lines identical ($((SECONDS - start))s)"
    continue
  fi
  echo "seed $seed: DIFFERENT (exit status original $orc, ours $urc)"
  if [ "$urc" != 0 ]; then
    echo "--- ours, stderr:"
    tail -n 10 "$tmp/ours.err"
  fi
  # the details of the first failing seed only
  if [ "$shown" = 0 ]; then
    echo "--- first differences (- original, + ours):"
    diff -u "$tmp/orig.out" "$tmp/ours.out" | head -n 50 || true
    explain "$seed"
    shown=1
  fi
  different=1
  fail=1
done

if [ "$different" = 0 ]; then
  echo "t-diff: all seeds identical${missing:+ (leaving out what needs the missing functions)}"
fi

# Memory errors that do not change the output: gen under valgrind, first
# with the original (gen itself must be clean), then with ours.
if [ "$VG_COUNT" -gt 0 ] && command -v valgrind > /dev/null; then
  for which in orig ours; do
    vg=(valgrind -q --error-exitcode=99 --leak-check=no)
    start=$SECONDS
    rc=0
    if [ "$which" = orig ]; then
      LD_LIBRARY_PATH="$ORIG" timeout 600 "${vg[@]}" "$gen" 42 "$VG_COUNT" "$map" "${skip[@]}" \
        > /dev/null 2> "$tmp/vg.err" || rc=$?
    else
      LD_LIBRARY_PATH="$OURS" timeout 600 "${vg[@]}" "$gen" 42 "$VG_COUNT" "$map" "${skip[@]}" \
        > /dev/null 2> "$tmp/vg.err" || rc=$?
    fi
    if [ "$rc" = 0 ]; then
      echo "valgrind, $which: $VG_COUNT objects clean ($((SECONDS - start))s)"
    else
      echo "valgrind, $which: exit status $rc"
      head -n 40 "$tmp/vg.err"
      fail=1
    fi
  done
elif [ "$VG_COUNT" -gt 0 ]; then
  echo "valgrind not installed: memory check skipped"
fi
exit "$fail"
