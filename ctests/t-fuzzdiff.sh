#!/usr/bin/env bash
# Differential fuzz test of nfct_nlmsg_parse / nfexp_nlmsg_parse and the
# formatters. ctests/fuzzdiff/fuzzdiff.c takes the kernel messages of
# fuzz/seeds/nlmsg (and, when present, the inputs that the cargo-fuzz runs
# collected in fuzz/corpus/{ct_parse,exp_parse}) plus mutations of them
# made with a fixed seed, parses each and prints the attributes set and
# nfct_snprintf / nfexp_snprintf in the default and XML forms with several
# flag sets.
#
# The original runs first. It terminates the process on attributes of the
# wrong size ("ctnetlink kernel ABI is broken") and may crash on others;
# the driver writes each message's output only once it is complete, so the
# run goes on after the message that stopped it, and that message is
# skipped. Ours then runs once on the messages the original survived, and
# the outputs must be identical. Ours must also get through every message,
# skipped ones included, without crashing.
#
# Environment: FUZZDIFF_COUNT (messages, default 3000), FUZZDIFF_SEED
# (default 1), FUZZDIFF_BUDGET (seconds for the original's runs, default
# 45), FUZZDIFF_KEEP=1 keeps the work directory (records, outputs, skips).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
CC=${CC:-cc}
COUNT=${FUZZDIFF_COUNT:-3000}
SEED=${FUZZDIFF_SEED:-1}
BUDGET=${FUZZDIFF_BUDGET:-45}

if [ ! -e "$LIBDIR/libnetfilter_conntrack.so.3" ]; then
  echo "t-fuzzdiff: $LIBDIR/libnetfilter_conntrack.so.3 missing (run make)" >&2
  exit 1
fi
work=$(mktemp -d) || exit 1
if [ -n "${FUZZDIFF_KEEP:-}" ]; then
  echo "t-fuzzdiff: keeping $work"
else
  trap 'rm -rf "$work"' EXIT
fi

# Built against the original's installed header, as applications are.
"$CC" -Wall -Wextra -Werror -g -o "$work/fuzzdiff" "$TOP/ctests/fuzzdiff/fuzzdiff.c" \
  -lnetfilter_conntrack || exit 1
"$CC" -Wall -Wextra -Werror -shared -fPIC -o "$work/fixedtime.so" \
  "$TOP/ctests/snprintf/fixedtime.c" || exit 1
if ! LD_LIBRARY_PATH="$LIBDIR" ldd "$work/fuzzdiff" |
    grep -q "libnetfilter_conntrack.so.3 => $LIBDIR/"; then
  echo "t-fuzzdiff: our library is not picked up from $LIBDIR" >&2
  exit 1
fi

inputs=("$TOP"/fuzz/seeds/nlmsg/*.bin)
for t in ct_parse exp_parse; do
  d=$TOP/fuzz/corpus/$t
  [ -d "$d" ] || continue
  while IFS= read -r f; do inputs+=("$f"); done < <(ls -S "$d" | tail -n 300 | sed "s|^|$d/|")
done
"$work/fuzzdiff" gen "$SEED" "$COUNT" "${inputs[@]}" > "$work/recs" || exit 1
nrec=$COUNT
[ ${#inputs[@]} -gt "$nrec" ] && nrec=${#inputs[@]}

run() { # LIBDIR-or-empty ARGS...
  local lib=$1
  shift
  env TZ=UTC LD_PRELOAD="$work/fixedtime.so" ${lib:+LD_LIBRARY_PATH="$lib"} \
    "$work/fuzzdiff" run "$work/recs" "$@"
}

# The original, restarted after each message that stops it.
: > "$work/skip"
: > "$work/orig.out"
first=0 runs=0 start=$SECONDS last=-1
while :; do
  run "" -f "$first" > "$work/seg.out" 2> /dev/null
  rc=$?
  runs=$((runs + 1))
  cat "$work/seg.out" >> "$work/orig.out"
  [ "$rc" -eq 0 ] && { last=$((nrec - 1)); break; }
  done_idx=$(grep -o '^== [0-9]*' "$work/seg.out" | tail -n 1 | cut -d' ' -f2)
  bad=$(( ${done_idx:-$((first - 1))} + 1 ))
  echo "$bad" >> "$work/skip"
  first=$((bad + 1))
  if [ $((SECONDS - start)) -ge "$BUDGET" ]; then
    last=$bad
    echo "t-fuzzdiff: time budget spent; comparing messages 0..$last"
    break
  fi
done
# Messages after the last one reached are left out of ours too.
seq $((last + 1)) $((nrec - 1)) >> "$work/skip"

run "$LIBDIR" -x "$work/skip" > "$work/ours.out" 2> "$work/ours.err"
rc_ours=$?
status=0
if [ "$rc_ours" -ne 0 ]; then
  echo "t-fuzzdiff: ours exited with $rc_ours on the messages the original accepts"
  head -n 20 "$work/ours.err"
  status=1
fi
if ! cmp -s "$work/orig.out" "$work/ours.out"; then
  diff -u --label original --label ours "$work/orig.out" "$work/ours.out" | cut -c1-400 | head -n 30
  echo "t-fuzzdiff: output differs (first lines above)"
  status=1
fi
# Every message, the ones that stop the original included: no crash.
run "$LIBDIR" > /dev/null 2> "$work/all.err"
rc_all=$?
if [ "$rc_all" -ne 0 ]; then
  echo "t-fuzzdiff: ours exited with $rc_all on the full set"
  head -n 20 "$work/all.err"
  status=1
fi
compared=$(grep -c '^== ' "$work/orig.out")
skipped=$(( $(sort -un "$work/skip" | awk -v l="$last" '$1 <= l' | wc -l) ))
[ "$status" -eq 0 ] && echo "t-fuzzdiff: $compared messages identical, $skipped skipped (stop the original), $runs runs of the original, $((SECONDS - start))s"
exit "$status"
