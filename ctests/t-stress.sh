#!/usr/bin/env bash
# Stress against the kernel, each scenario in network namespaces of its
# own (unshare -n; the host's table and sysctls are never touched). The
# programs in ctests/stress/ are built against our headers and run with
# our library (LD_LIBRARY_PATH=$LIBDIR) and, for comparison, with the
# original (Debian's libnetfilter_conntrack.so.3, found without
# LD_LIBRARY_PATH); only the runs on ours decide the result.
#
#   1 dump    DUMP_N stable entries dumped while two processes create and
#             delete 2000 other entries in a loop: every stable entry
#             reported in each round; the dumper's peak RSS (VmHWM) at
#             DUMP_N at most 256 KiB above its peak at DUMP_SMALL
#   2 flood   FLOOD_N entries created while an event listener sleeps:
#             ENOBUFS, then the handle still receives, the table complete
#   3 threads THREADS threads, each with its own handles, create, get,
#             dump, delete, close for THREAD_SECS; then under valgrind
#             memcheck and helgrind
#   4 full    the namespace filled to nf_conntrack_max: creation fails
#             with the original's errno, the handle works after deletes
#   5 cycles  CYCLES create/destroy cycles on one handle: VmRSS flat
#
# STRESS_LONG=1 runs the sizes quoted in the README (1,000,000 cycles,
# also on the original). Variables of the same names override the sizes.
set -uo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
INCDIR=${INCDIR:-$TOP/include}
SRC=$TOP/ctests/stress
ORIG=/usr/lib/x86_64-linux-gnu/libnetfilter_conntrack.so.3
LONG=${STRESS_LONG:-0}
DUMP_N=${DUMP_N:-100000}
DUMP_SMALL=${DUMP_SMALL:-10000}
FLOOD_N=${FLOOD_N:-20000}
THREADS=${THREADS:-8}
THREAD_SECS=${THREAD_SECS:-4}
if [ "$LONG" = 1 ]; then CYCLES=${CYCLES:-1000000}; else CYCLES=${CYCLES:-200000}; fi
# nf_conntrack_max above this makes scenario 4 too long to run (it fails).
FULL_LIMIT=${FULL_LIMIT:-1100000}

# Inside a namespace: the steps of scenario 1 and 4, which share one
# table between several programs. $W holds the built programs.
if [ "${1:-}" = --netns-dump ]; then
  W=$2 libs=$3 pids=()
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT
  trap 'exit 1' TERM INT
  "$W/dump" fill 0 "$DUMP_SMALL" || exit 1
  for l in $libs; do
    echo "[$l small]"; "$W/run-$l" "$W/dump" dump "$DUMP_SMALL" 1 || exit 1
  done
  "$W/dump" fill "$DUMP_SMALL" $((DUMP_N - DUMP_SMALL)) || exit 1
  "$W/dump" churn 81 > "$W/churn81" & pids+=($!)
  "$W/dump" churn 82 > "$W/churn82" & pids+=($!)
  sleep 0.5
  rc=0
  for l in $libs; do
    echo "[$l big]"; "$W/run-$l" "$W/dump" dump "$DUMP_N" 2 || rc=1
  done
  kill -TERM "${pids[@]}"; wait "${pids[@]}" || rc=1; pids=()
  cat "$W/churn81" "$W/churn82"
  exit $rc
fi
if [ "${1:-}" = --netns-full ]; then
  W=$2 libs=$3
  "$W/full" fill "$FULL_LIMIT" || exit 1
  for l in $libs; do
    echo "[$l]"; "$W/run-$l" "$W/full" check || exit 1
  done
  exit 0
fi

WORK=$(mktemp -d)
# Namespaces made with unshare vanish with their last process; every
# run is under timeout, and the churners stop with their namespace's
# script (or by themselves after 15 minutes).
trap 'rm -rf "$WORK"' EXIT

[ -e "$LIBDIR/libnetfilter_conntrack.so.3" ] || { echo "FAIL no built library in $LIBDIR (make)"; exit 1; }
if [ "$(id -u)" != 0 ] || ! unshare -n true 2>/dev/null; then
  if [ "${CI:-}" = true ]; then echo "FAIL stress tests need root and unshare"; exit 1; fi
  echo "skip: stress tests need root (network namespaces)"
  exit 0
fi

# run-ours and run-orig run a program on one library or the other.
printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec "$@"\n' "$LIBDIR" > "$WORK/run-ours"
printf '#!/bin/sh\nunset LD_LIBRARY_PATH\nexec "$@"\n' > "$WORK/run-orig"
chmod +x "$WORK/run-ours" "$WORK/run-orig"
libs=ours
[ -e "$ORIG" ] && libs="orig ours"

for p in dump flood threads full cycles; do
  if ! gcc -Wall -Wextra -Werror -O2 -I"$INCDIR" -o "$WORK/$p" "$SRC/$p.c" \
      -L"$LIBDIR" -lnetfilter_conntrack -lmnl -lpthread; then
    echo "FAIL $p: does not compile"; exit 1
  fi
done

fail=0
summary=()
# result NAME LIB RC TEXT: records a scenario's outcome on one library.
result() {
  local verdict=ok
  if [ "$3" != 0 ]; then
    verdict=FAIL
    [ "$2" = ours ] && fail=1
  fi
  summary+=("$(printf '%-8s %-4s %-4s %s' "$1" "$2" "$verdict" "$4")")
}
elapsed() { echo $(($(date +%s) - $1)); }

# 1. Dump under churn.
t0=$(date +%s)
timeout 900 unshare -n bash "$0" --netns-dump "$WORK" "$libs" > "$WORK/dump.out" 2>&1; rc=$?
cat "$WORK/dump.out"
for l in $libs; do
  small=$(sed -n "/^\[$l small\]/,/^\[/s/^VmHWM \([0-9]*\).*/\1/p" "$WORK/dump.out" | head -1)
  big=$(sed -n "/^\[$l big\]/,/^\[/s/^VmHWM \([0-9]*\).*/\1/p" "$WORK/dump.out" | head -1)
  missing=$(sed -n "/^\[$l big\]/,/^\[/s/.*missing \([0-9]*\).*/\1/p" "$WORK/dump.out" | awk '{s += $1} END {print s + 0}')
  dups=$(sed -n "/^\[$l big\]/,/^\[/s/.*duplicates \([0-9]*\).*/\1/p" "$WORK/dump.out" | awk '{s += $1} END {print s + 0}')
  r=$rc
  if [ -z "$small" ] || [ -z "$big" ] || [ $((big - small)) -gt 256 ]; then r=1; fi
  result dump "$l" "$r" "$DUMP_N stable entries, 2 rounds under 2 churners: missing ${missing:-?}, duplicates ${dups:-?}; VmHWM ${small:-?} KiB at $DUMP_SMALL, ${big:-?} KiB at $DUMP_N"
done
echo "(dump: $(elapsed "$t0") s)"

# 2. Event flood.
for l in $libs; do
  t0=$(date +%s)
  timeout 300 unshare -n "$WORK/run-$l" "$WORK/flood" "$FLOOD_N" > "$WORK/flood.$l" 2>&1; rc=$?
  cat "$WORK/flood.$l"
  result flood "$l" "$rc" "$(grep -o 'flood of .*' "$WORK/flood.$l" || tail -1 "$WORK/flood.$l") ($(elapsed "$t0") s)"
done

# 3. Threads, then ours under valgrind: memcheck (memory errors, definite
# leaks) and helgrind (data races, lock misuse).
for l in $libs; do
  timeout 300 unshare -n "$WORK/run-$l" "$WORK/threads" "$THREADS" "$THREAD_SECS" > "$WORK/threads.$l" 2>&1; rc=$?
  cat "$WORK/threads.$l"
  result threads "$l" "$rc" "$(tail -1 "$WORK/threads.$l")"
done
if command -v valgrind >/dev/null; then
  for tool in memcheck helgrind; do
    opts=("--tool=$tool")
    [ $tool = memcheck ] && opts+=(--leak-check=full --errors-for-leak-kinds=definite)
    timeout 300 unshare -n "$WORK/run-ours" valgrind -q --error-exitcode=99 "${opts[@]}" \
      "$WORK/threads" "$THREADS" 2 > "$WORK/threads.$tool" 2>&1; rc=$?
    cat "$WORK/threads.$tool"
    result threads-vg ours "$rc" "$tool: $(tail -1 "$WORK/threads.$tool")"
  done
elif [ "${CI:-}" = true ]; then
  result threads-vg ours 1 "valgrind missing"
fi

# 4. Table full: one fill, then each library on it.
t0=$(date +%s)
timeout 900 unshare -n bash "$0" --netns-full "$WORK" "$libs" > "$WORK/full.out" 2>&1; rc=$?
cat "$WORK/full.out"
errno_of() { sed -n "/^\[$1\]/,/^\[/s/.*full table: \(.*\)/\1/p" "$WORK/full.out"; }
for l in $libs; do
  r=$rc
  [ -n "$(errno_of "$l")" ] || r=1
  if [ "$l" = ours ] && [ -e "$ORIG" ] && [ "$(errno_of ours)" != "$(errno_of orig)" ]; then
    echo "FAIL full: ours gives '$(errno_of ours)', the original '$(errno_of orig)'"; r=1
  fi
  result full "$l" "$r" "$(sed -n 's/^filled to \(nf_conntrack_max = [0-9]*\).*/\1/p' "$WORK/full.out"): create gives $(errno_of "$l"); works after deletes (fill and checks $(elapsed "$t0") s)"
done

# 5. Create/destroy cycles; the original only in long mode.
cyc_libs=ours
[ "$LONG" = 1 ] && cyc_libs=$libs
for l in $cyc_libs; do
  timeout 1200 unshare -n "$WORK/run-$l" "$WORK/cycles" "$CYCLES" > "$WORK/cycles.$l" 2>&1; rc=$?
  cat "$WORK/cycles.$l"
  result cycles "$l" "$rc" "$(tail -1 "$WORK/cycles.$l")"
done

echo "--- stress summary (scenario, library, outcome)"
printf '%s\n' "${summary[@]}"
exit $fail
