#!/usr/bin/env bash
# Bad input at the C boundary (ours only: the original asserts or crashes
# on many of these by design). ctests/nullargs/nullargs.c calls every
# export that takes a pointer with NULL for each pointer argument, passes
# attribute, group, option and filter ids out of range, over-long strings,
# label bits beyond the bitmask, snprintf buffers of size 0 and 1 with
# canaries, and invalid output types and flags. It must not crash, must
# leave the canaries intact, and must print ctests/nullargs/nullargs.expected
# (return values and errno as the header documents them). Runs under
# valgrind too when it is installed.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
INCDIR=${INCDIR:-$TOP/include}
CC=${CC:-cc}
DIR=$TOP/ctests/nullargs

if [ ! -e "$LIBDIR/libnetfilter_conntrack.so.3" ]; then
  echo "t-nullargs: $LIBDIR/libnetfilter_conntrack.so.3 missing (run make)" >&2
  exit 1
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# Our header (its ATTR_MAX and documented contracts), our library.
"$CC" -Wall -Wextra -Werror -Wno-deprecated-declarations -g -I"$INCDIR" \
  -o "$work/nullargs" "$DIR/nullargs.c" -L"$LIBDIR" -lnetfilter_conntrack || exit 1

status=0
LD_LIBRARY_PATH=$LIBDIR "$work/nullargs" "$TOP/ctests/snprintf/connlabel.conf" \
  > "$work/out" 2> "$work/err"
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "t-nullargs: exit status $rc"
  tail -n 5 "$work/out"
  head -n 20 "$work/err"
  status=1
fi
if ! diff -u --label expected --label ours "$DIR/nullargs.expected" "$work/out"; then
  echo "t-nullargs: output differs from nullargs.expected"
  status=1
fi
if command -v valgrind > /dev/null; then
  if ! LD_LIBRARY_PATH=$LIBDIR valgrind -q --error-exitcode=99 --leak-check=full \
      --errors-for-leak-kinds=definite "$work/nullargs" "$TOP/ctests/snprintf/connlabel.conf" \
      > /dev/null 2> "$work/vg"; then
    head -n 40 "$work/vg"
    echo "t-nullargs: valgrind reports errors"
    status=1
  fi
fi
[ "$status" -eq 0 ] && echo "t-nullargs: $(grep -c ' errno ' "$work/out") calls as documented"
exit "$status"
