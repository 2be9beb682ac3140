#!/usr/bin/env bash
# Handles, queries, callbacks and events against the kernel. Each program
# in ctests/kernel/ is built against the installed (original) header and
# run twice, each time in a fresh network namespace: with the original
# library, and with ours (LD_LIBRARY_PATH=$LIBDIR). Outputs and exit codes
# must be identical. Then Debian's conntrack tool, run the same two ways.
# Needs root (network namespaces); the host's table is never touched.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
SRC=$TOP/ctests/kernel
WORK=$(mktemp -d)
# Namespaces made with unshare vanish with their last process, and every
# program runs under timeout: only the work directory needs removing.
trap 'rm -rf "$WORK"' EXIT

# Our library: the installed-layout build, or a plain cargo build.
if [ ! -e "$LIBDIR/libnetfilter_conntrack.so.3" ]; then
  for d in "$TOP/target/debug" "$TOP/target/release"; do
    if [ -e "$d/libnetfilter_conntrack.so" ]; then
      mkdir -p "$WORK/lib"
      ln -s "$d/libnetfilter_conntrack.so" "$WORK/lib/libnetfilter_conntrack.so.3"
      LIBDIR=$WORK/lib
      break
    fi
  done
fi
[ -e "$LIBDIR/libnetfilter_conntrack.so.3" ] || { echo "no built library in $LIBDIR"; exit 1; }
if nm -D "$LIBDIR/libnetfilter_conntrack.so.3" | grep -q ' U nfnl_'; then
  echo "FAIL our library imports libnfnetlink"; exit 1
fi

if [ "$(id -u)" != 0 ] || ! unshare -n true 2>/dev/null; then
  if [ "${CI:-}" = true ]; then echo "FAIL kernel tests need root and unshare"; exit 1; fi
  echo "skip: kernel tests need root (network namespaces)"
  exit 0
fi

# Ours runs under valgrind when it is there: its reports (leaks, bad
# reads) land in the output and fail the diff.
vg=()
command -v valgrind >/dev/null && vg=(valgrind -q --vgdb=no --leak-check=full --error-exitcode=99)

fail=0
# Runs "$@" in a new network namespace with accounting and timestamps on.
in_netns() {
  unshare -n sh -c 'sysctl -qw net.netfilter.nf_conntrack_acct=1 \
    net.netfilter.nf_conntrack_timestamp=1 2>/dev/null; exec "$@"' sh "$@"
}

compare() { # name file-orig rc-orig file-ours rc-ours
  if [ "$3" != "$5" ]; then
    echo "FAIL $1: exit code $5, original $3"; fail=1
  fi
  if ! diff -u "$2" "$4" > "$WORK/$1.diff"; then
    echo "FAIL $1: output differs (- original, + ours)"; head -40 "$WORK/$1.diff"; fail=1
  elif [ "$3" = "$5" ]; then
    echo "ok $1 ($(wc -l < "$2") lines)"
  fi
}

for src in "$SRC"/*.c; do
  name=$(basename "$src" .c)
  if ! gcc -Wall -Wextra -Werror -Wno-deprecated-declarations -o "$WORK/$name" "$src" -lnetfilter_conntrack -lnfnetlink; then
    echo "FAIL $name: does not compile"; fail=1; continue
  fi
  in_netns timeout 120 "$WORK/$name" > "$WORK/$name.orig" 2>&1; rc_orig=$?
  in_netns env LD_LIBRARY_PATH="$LIBDIR" timeout 120 "${vg[@]}" "$WORK/$name" > "$WORK/$name.ours" 2>&1; rc_ours=$?
  compare "$name" "$WORK/$name.orig" "$rc_orig" "$WORK/$name.ours" "$rc_ours"
done

# The conntrack tool: the same session on each library, volatile fields
# (timeouts, ids, timestamps) blanked out.
if command -v conntrack >/dev/null; then
  bash "$SRC/cli.sh" > "$WORK/cli.orig" 2>&1; rc_orig=$?
  LD_LIBRARY_PATH="$LIBDIR" bash "$SRC/cli.sh" > "$WORK/cli.ours" 2>&1; rc_ours=$?
  compare conntrack-cli "$WORK/cli.orig" "$rc_orig" "$WORK/cli.ours" "$rc_ours"
else
  echo "skip conntrack-cli: no conntrack tool"
fi
exit $fail
