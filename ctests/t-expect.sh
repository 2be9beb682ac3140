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
# Ours runs under valgrind when it is there: its reports (leaks, bad
# reads) land in the output and fail the diff.
vg=()
command -v valgrind >/dev/null && vg=(valgrind -q --leak-check=full --error-exitcode=99)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for src in "$TOP"/ctests/expect/*.c; do
  name=$(basename "$src" .c)
  if ! gcc -Wall -Wextra -Werror -o "$work/$name" "$src" -lnetfilter_conntrack -lnfnetlink; then
    echo "FAIL $name: does not compile"; status=1; continue
  fi
  run_ours=(env LD_LIBRARY_PATH="$LIBDIR" "${vg[@]}" "$work/$name")
  note=""
  # Programs that also build conntrack objects, while our library has no
  # nfct_* functions yet: preload our nfexp_* functions (relinked from the
  # static library under another soname) over the original library.
  if grep -q 'nfct_new' "$src" && ! nm -D --defined-only "$ours" | grep -qw nfct_new; then
    if ! gcc -shared -o "$work/libexp-only.so" -Wl,--whole-archive "$LIBDIR/libnetfilter_conntrack.a" \
         -Wl,--no-whole-archive -Wl,-soname,libexp-only.so -lpthread -ldl -lm; then
      echo "FAIL $name: cannot relink $LIBDIR/libnetfilter_conntrack.a"; status=1; continue
    fi
    run_ours=(env LD_PRELOAD="$work/libexp-only.so" "${vg[@]}" "$work/$name")
    note=", our nfexp_* over the original nfct_*"
  fi
  "$work/$name" > "$work/$name.orig" 2>&1; rc_orig=$?
  "${run_ours[@]}" > "$work/$name.ours" 2>&1; rc_ours=$?
  if [ "$rc_orig" != "$rc_ours" ]; then
    echo "FAIL $name: exit code $rc_ours, original $rc_orig"; status=1
  fi
  if ! diff -u "$work/$name.orig" "$work/$name.ours" > "$work/$name.diff"; then
    echo "FAIL $name: output differs (- original, + ours)"; head -40 "$work/$name.diff"; status=1
  elif [ "$rc_orig" = "$rc_ours" ]; then
    echo "ok $name ($(wc -l < "$work/$name.orig") lines$note)"
  fi
done
exit $status
