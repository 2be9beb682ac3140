#!/usr/bin/env bash
# Differential test of the expectation object API: each program in
# ctests/expect/ is built against the installed (original) header, run
# with the original library and with ours (LD_LIBRARY_PATH=$LIBDIR), and
# the outputs and exit codes must be identical.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
ours="$LIBDIR/libnetfilter_conntrack.so.3"
if [ ! -e "$ours" ]; then
  echo "no $ours: run make first"; exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for src in "$TOP"/ctests/expect/*.c; do
  name=$(basename "$src" .c)
  if ! gcc -Wall -Wextra -Werror -o "$work/$name" "$src" -lnetfilter_conntrack -lnfnetlink; then
    echo "FAIL $name: does not compile"; status=1; continue
  fi
  # The tuple tests need our conntrack object functions.
  if grep -q 'nfct_new' "$src" && ! nm -D --defined-only "$ours" | grep -qw nfct_new; then
    echo "FAIL $name: $ours does not export nfct_new yet"; status=1; continue
  fi
  "$work/$name" > "$work/$name.orig" 2>&1; rc_orig=$?
  LD_LIBRARY_PATH="$LIBDIR" "$work/$name" > "$work/$name.ours" 2>&1; rc_ours=$?
  if [ "$rc_orig" != "$rc_ours" ]; then
    echo "FAIL $name: exit code $rc_ours, original $rc_orig"; status=1
  fi
  if ! diff -u "$work/$name.orig" "$work/$name.ours" > "$work/$name.diff"; then
    echo "FAIL $name: output differs (- original, + ours)"; head -40 "$work/$name.diff"; status=1
  elif [ "$rc_orig" = "$rc_ours" ]; then
    echo "ok $name ($(wc -l < "$work/$name.orig") lines)"
  fi
done
exit $status
