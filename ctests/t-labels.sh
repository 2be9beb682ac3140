#!/usr/bin/env bash
# Differential test of the bitmask and label map functions: builds
# ctests/labels/labels.c against the installed header, runs it against the
# original libnetfilter_conntrack.so.3 and against ours ($LIBDIR), and
# compares output and exit status.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
CC=${CC:-cc}

if [ ! -e "$LIBDIR/libnetfilter_conntrack.so.3" ]; then
  echo "t-labels: $LIBDIR/libnetfilter_conntrack.so.3 missing (run make)" >&2
  exit 1
fi

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
mkdir "$work/orig" "$work/ours"

if ! $CC -Wall -Wextra -Werror -o "$work/labels" "$TOP/ctests/labels/labels.c" \
    -lnetfilter_conntrack -lnfnetlink; then
  echo "t-labels: compile failed" >&2
  exit 1
fi

# Make sure the second run really loads our library.
if ! LD_LIBRARY_PATH="$LIBDIR" ldd "$work/labels" |
    grep -q "libnetfilter_conntrack.so.3 => $LIBDIR/"; then
  echo "t-labels: our library is not picked up from $LIBDIR" >&2
  exit 1
fi

"$work/labels" "$work/orig" > "$work/orig.out" 2>&1
orig_rc=$?
LD_LIBRARY_PATH="$LIBDIR" "$work/labels" "$work/ours" > "$work/ours.out" 2>&1
ours_rc=$?

# The temp dir names differ between the runs: compare without them.
sed -i -e "s|$work/orig|TMP|g" "$work/orig.out"
sed -i -e "s|$work/ours|TMP|g" "$work/ours.out"

status=0
if [ "$orig_rc" -ne "$ours_rc" ]; then
  echo "t-labels: exit status differs: original $orig_rc, ours $ours_rc" >&2
  status=1
fi
if ! cmp -s "$work/orig.out" "$work/ours.out"; then
  diff -u "$work/orig.out" "$work/ours.out" | head -n 60
  echo "t-labels: output differs (original vs ours, first lines above)" >&2
  status=1
fi
if [ "$orig_rc" -ne 0 ]; then
  echo "t-labels: the test program failed against the original ($orig_rc)" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "t-labels: $(wc -l < "$work/orig.out") lines identical"
exit "$status"
