#!/usr/bin/env bash
# Differential test of the netlink message API (nfct_nlmsg_build,
# nfct_nlmsg_parse, nfct_payload_parse, nfexp_nlmsg_build,
# nfexp_nlmsg_parse). ctests/nlmsg/nlmsg.c is compiled once against the
# original's installed header, then run with the original library and with
# ours (LD_LIBRARY_PATH=$LIBDIR); stdout and exit codes must match. The
# NULL-argument checks run with ours only (the original asserts or
# crashes) and must print ctests/nlmsg/null.expected. Ours runs under
# valgrind when it is installed.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
CC=${CC:-cc}

if [ ! -e "$LIBDIR/libnetfilter_conntrack.so.3" ]; then
  echo "t-nlmsg: $LIBDIR/libnetfilter_conntrack.so.3 missing (run make)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$CC" -Wall -Wextra -Werror -g -o "$work/nlmsg" "$TOP/ctests/nlmsg/nlmsg.c" \
  -lnetfilter_conntrack -lnfnetlink || exit 1

env -u LD_LIBRARY_PATH "$work/nlmsg" >"$work/orig.out" 2>"$work/orig.err"
rc_orig=$?

ours() {
  if command -v valgrind >/dev/null 2>&1; then
    LD_LIBRARY_PATH=$LIBDIR valgrind -q --error-exitcode=99 --leak-check=full \
      --errors-for-leak-kinds=definite "$work/nlmsg" "$@"
  else
    LD_LIBRARY_PATH=$LIBDIR "$work/nlmsg" "$@"
  fi
}

ours >"$work/ours.out" 2>"$work/ours.err"
rc_ours=$?

status=0
if [ "$rc_orig" != "$rc_ours" ]; then
  echo "t-nlmsg: exit code $rc_orig (original) vs $rc_ours (ours)"
  cat "$work/ours.err"
  status=1
fi
if ! diff -u --label original --label ours "$work/orig.out" "$work/ours.out"; then
  echo "t-nlmsg: output differs"
  status=1
fi
ours null >"$work/null.out" 2>"$work/null.err"
rc_null=$?
if [ "$rc_null" != 0 ] ||
   ! diff -u --label expected --label ours "$TOP/ctests/nlmsg/null.expected" "$work/null.out"; then
  echo "t-nlmsg: NULL checks differ from null.expected (exit $rc_null)"
  cat "$work/null.err"
  status=1
fi
[ "$status" = 0 ] && echo "t-nlmsg: identical ($(wc -l <"$work/orig.out") lines)"
exit $status
