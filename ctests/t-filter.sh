#!/usr/bin/env bash
# Event and dump filters through the C API, against our library:
#  - the BPF programs nfct_filter_attach installs (read back with
#    SO_GET_FILTER) equal the original's, golden-bpf.txt, except where
#    1.1.1 fixed 1.0.9 (IPv6 mismatch jumps, state of a stateless protocol);
#  - the requests nfct_nlmsg_build_filter builds equal golden-dump.txt;
#  - return values and errno, NULL handling;
#  - with root and the conntrack tool, in a fresh network namespace, the
#    kernel takes our programs and they let the right events through.
# The golden files come from the same programs run against the original
# (1.0.9): gcc ctests/filter/capture-bpf.c -lnetfilter_conntrack.
set -eu
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
SRC=$TOP/ctests/filter
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Our library: the installed-layout build, or a plain cargo build.
if [ ! -e "$LIBDIR/libnetfilter_conntrack.so.3" ]; then
  for d in "$TOP/target/debug" "$TOP/target/release"; do
    if [ -e "$d/libnetfilter_conntrack.so" ]; then
      mkdir -p "$WORK/lib"
      ln -s "$d/libnetfilter_conntrack.so" "$WORK/lib/libnetfilter_conntrack.so.3"
      ln -s "$d/libnetfilter_conntrack.so" "$WORK/lib/libnetfilter_conntrack.so"
      LIBDIR=$WORK/lib
      break
    fi
  done
fi
[ -e "$LIBDIR/libnetfilter_conntrack.so.3" ] || { echo "no built library in $LIBDIR"; exit 1; }

# Written against the original's header, as client programs are.
build() {
  gcc -Wall -Wextra -Werror -o "$WORK/$1" "$SRC/$1.c" \
    -L"$LIBDIR" -Wl,-rpath,"$LIBDIR" -lnetfilter_conntrack -lmnl
}
for p in capture-bpf capture-dump errors events; do build "$p"; done
[ "$(ldd "$WORK/errors" | awk '/libnetfilter_conntrack/ {print $3}')" = "$LIBDIR/libnetfilter_conntrack.so.3" ] ||
  { echo "not linked against our library"; exit 1; }

fail=0

"$WORK/capture-dump" > "$WORK/dump.txt"
if diff -u "$SRC/golden-dump.txt" "$WORK/dump.txt"; then
  echo "ok dump filter requests"
else
  echo "FAIL dump filter requests"; fail=1
fi

"$WORK/capture-bpf" > "$WORK/bpf.txt"
# Cases where 1.1.1 differs from the golden 1.0.9 output; the Rust unit
# tests check them instruction by instruction.
differs="src6 dst6-neg all src6-max udp-state"
while read -r name rest; do
  got=$(awk -v n="$name" '$1 == n' "$WORK/bpf.txt" | cut -d' ' -f2-)
  if [[ " $differs " == *" $name "* ]]; then
    # Same program length (udp-state: the empty program).
    want_len=$(echo "$rest" | cut -d' ' -f1)
    [ "$name" = udp-state ] && want_len=5
    if [ "$(echo "$got" | cut -d' ' -f1)" != "$want_len" ]; then
      echo "FAIL bpf $name: $got"; fail=1
    fi
  elif [ "$got" != "$rest" ]; then
    echo "FAIL bpf $name"; echo " want $rest"; echo " got  $got"; fail=1
  fi
done < "$SRC/golden-bpf.txt"
[ "$fail" -eq 0 ] && echo "ok event filter programs"

if "$WORK/errors" null; then echo "ok errors"; else echo "FAIL errors"; fail=1; fi

if [ "$(id -u)" != 0 ] || ! command -v conntrack >/dev/null || ! unshare -n true 2>/dev/null; then
  if [ "${CI:-}" = true ]; then echo "FAIL kernel tests need root, unshare and conntrack"; exit 1; fi
  echo "skip kernel tests: need root, unshare and the conntrack tool"
  exit "$fail"
fi

# Each case in its own network namespace: the host's table is never touched.
ct() { echo "conntrack -I $* -t 100 >/dev/null 2>&1"; }
tcp() { ct "-p tcp --sport 1 --dport 2 --state $2 -u SEEN_REPLY $1"; }
run_case() {
  if unshare -n "$WORK/events" "$@"; then :; else echo "FAIL events $1"; fail=1; fi
}
run_case proto "$(tcp '-s 1.1.1.1 -d 2.2.2.2' ESTABLISHED)" 1 \
               "$(ct -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2)" 0
run_case src4-neg "$(tcp '-s 10.1.1.1 -d 2.2.2.2' ESTABLISHED)" 0 \
                  "$(tcp '-s 11.1.1.1 -d 2.2.2.2' ESTABLISHED)" 1
run_case dst4 "$(tcp '-s 1.1.1.1 -d 192.168.0.2' ESTABLISHED)" 1 \
              "$(tcp '-s 1.1.1.1 -d 192.168.0.3' ESTABLISHED)" 0
run_case src6 "$(tcp '-s 2001:db8::1 -d 2001:db8::9' ESTABLISHED)" 1 \
              "$(tcp '-s 2001:db8::2 -d 2001:db8::9' ESTABLISHED)" 0 \
              "$(tcp '-s 2001:db8::3 -d 2001:db8::9' ESTABLISHED)" 1
run_case state "$(tcp '-s 1.1.1.1 -d 2.2.2.2' ESTABLISHED)" 1 \
               "$(tcp '-s 1.1.1.2 -d 2.2.2.2' SYN_SENT)" 0
run_case mark "$(tcp '-s 1.1.1.1 -d 2.2.2.2 -m 5' ESTABLISHED)" 1 \
              "$(tcp '-s 1.1.1.2 -d 2.2.2.2 -m 6' ESTABLISHED)" 0 \
              "$(tcp '-s 1.1.1.3 -d 2.2.2.2 -m 0x105' ESTABLISHED)" 1
run_case zone "$(tcp '-s 1.1.1.1 -d 2.2.2.2 -w 7' ESTABLISHED)" 1 \
              "$(tcp '-s 1.1.1.1 -d 2.2.2.2 -w 8' ESTABLISHED)" 0
exit "$fail"
