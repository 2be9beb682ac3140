#!/usr/bin/env bash
# Benchmarks this library against the original (Debian's
# libnetfilter_conntrack.so.3): the same C programs, built once, run
# against each library alternately (original, ours, original, ours, ...)
# for several rounds, in a fresh network namespace holding a table this
# script fills itself. Prints median and best of each figure for both
# and their ratio, then instruction counts under callgrind.
#
#   bash bench/run.sh [SIZE [ROUNDS]]     defaults: 200000 entries, 5 rounds
#
# Environment: LIBDIR (our library, default build/lib), ORIG (the
# original, default /usr/lib/x86_64-linux-gnu/libnetfilter_conntrack.so.3),
# CALLGRIND=0 to skip the instruction counts. Needs root (unshare -n),
# gcc, libmnl-dev, libnetfilter-conntrack-dev, nft, conntrack, valgrind,
# python3. Benchmarks only: nothing here is a test and nothing fails on
# a figure. The host's table is never touched: everything happens in
# namespaces that vanish with their last process.
set -eu
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
SIZE=${1:-200000}
ROUNDS=${2:-5}
LIBDIR=${LIBDIR:-$TOP/build/lib}
ORIG=${ORIG:-/usr/lib/x86_64-linux-gnu/libnetfilter_conntrack.so.3}
CALLGRIND=${CALLGRIND:-1}

if [ -z "${BENCH_INNER:-}" ]; then
  [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null \
    || { echo "bench: needs root and unshare -n" >&2; exit 1; }
  [ -e "$LIBDIR/libnetfilter_conntrack.so.3" ] \
    || { echo "bench: no library in $LIBDIR (run make)" >&2; exit 1; }
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  mkdir -p "$WORK/orig" "$WORK/ours"
  ln -s "$ORIG" "$WORK/orig/libnetfilter_conntrack.so.3"
  ln -s "$(readlink -f "$LIBDIR/libnetfilter_conntrack.so.3")" "$WORK/ours/libnetfilter_conntrack.so.3"
  # Built once, against the original's installed header; each run picks
  # the library with LD_LIBRARY_PATH.
  for p in fill dump raw cpu events crud; do
    gcc -O2 -g -Wall -Wextra -Werror -o "$WORK/$p" "$TOP/bench/$p.c" -lnetfilter_conntrack -lmnl
  done
  export BENCH_INNER=1 WORK TOP SIZE ROUNDS CALLGRIND
  unshare -n bash "$0" "$@"
  exit $?
fi

# --- Inside the benchmark's network namespace from here on. ---
B=$WORK
R=$WORK/results          # lines: figure library value
: > "$R"
lib() { env LD_LIBRARY_PATH="$WORK/$1" "${@:2}"; }
field() { sed -n "s/.*\\b$1 \\([0-9.]*\\).*/\\1/p"; }

# A connlabel user, so that the kernel keeps labels; counters and
# timestamps on for the first half of the entries only.
nft add table inet bench
nft add chain inet bench c
nft add rule inet bench c ct label set 1
max=$(sysctl -n net.netfilter.nf_conntrack_max)
if [ "$max" -lt "$SIZE" ]; then
  sysctl -qw net.netfilter.nf_conntrack_max="$SIZE" 2>/dev/null \
    || { echo "bench: nf_conntrack_max is $max here and cannot be raised; use SIZE <= $max" >&2; exit 1; }
fi
sysctl -qw net.netfilter.nf_conntrack_buckets="$SIZE" 2>/dev/null || true
half=$((SIZE / 2))
t0=$(date +%s.%N)
sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
"$B/fill" 0 "$half"
sysctl -qw net.netfilter.nf_conntrack_acct=0 net.netfilter.nf_conntrack_timestamp=0
"$B/fill" "$half" "$((SIZE - half))"
t1=$(date +%s.%N)
count=$(sysctl -n net.netfilter.nf_conntrack_count)
echo "table: $count entries filled in $(echo "$t1 - $t0" | bc) s" \
  "(buckets $(sysctl -n net.netfilter.nf_conntrack_buckets), max $(sysctl -n net.netfilter.nf_conntrack_max))"

EV=$((SIZE / 4 < 50000 ? SIZE / 4 : 50000))
CRUD=$((SIZE / 20 < 10000 ? SIZE / 20 : 10000))
CPU=$((SIZE < 100000 ? SIZE : 100000))

for r in $(seq 1 "$ROUNDS"); do
  for l in orig ours; do
    out=$(lib "$l" "$B/dump" parse)
    echo "dump-parse $l $(field rate <<< "$out")" >> "$R"
    echo "rss-dump $l $(field hwm_kb <<< "$out")" >> "$R"
    out=$(lib "$l" "$B/dump" format)
    echo "dump-format $l $(field rate <<< "$out")" >> "$R"
    s=$(date +%s%N)
    lib "$l" conntrack -L > /dev/null 2>&1
    e=$(date +%s%N)
    echo "conntrack-L $l $(echo "$count * 1000000000 / ($e - $s)" | bc)" >> "$R"
    out=$(lib "$l" "$B/cpu" "$CPU")
    echo "cpu $l $(field rate <<< "$out")" >> "$R"
    out=$(lib "$l" unshare -n "$B/events" drain "$EV")
    echo "event-drain $l $(field rate <<< "$out")" >> "$R"
    out=$(lib "$l" unshare -n "$B/events" loss "$EV")
    echo "event-lost $l $(field lost <<< "$out")" >> "$R"
    out=$(lib "$l" unshare -n "$B/crud" "$CRUD")
    echo "create $l $(field create_rate <<< "$out")" >> "$R"
    echo "destroy $l $(field destroy_rate <<< "$out")" >> "$R"
  done
  out=$("$B/raw")
  echo "dump-parse raw $(field rate <<< "$out")" >> "$R"
  out=$(unshare -n "$B/events" rawdrain "$EV")
  echo "event-drain raw $(field rate <<< "$out")" >> "$R"
  echo "round $r done" >&2
done

if [ "$CALLGRIND" = 1 ]; then
  # Instructions of the measured function only (--toggle-collect).
  ir() { # lib function program args...
    local f=$WORK/cg.out
    lib "$1" valgrind --tool=callgrind --callgrind-out-file="$f" --toggle-collect="$2" \
      "${@:3}" > /dev/null 2>&1
    sed -n 's/^totals: \([0-9]*\).*/\1/p' "$f"
  }
  CG=$((CPU < 20000 ? CPU : 20000))
  for l in orig ours; do
    echo "ir-cpu $l $(( $(ir "$l" run_loop "$B/cpu" "$CG") / CG ))" >> "$R"
    echo "ir-dump-parse $l $(( $(ir "$l" run_dump "$B/dump" parse) / count ))" >> "$R"
    echo "ir-dump-format $l $(( $(ir "$l" run_dump "$B/dump" format) / count ))" >> "$R"
    # In a namespace of its own: the program flushes its table.
    lib "$l" unshare -n valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.ev" \
      --toggle-collect=catch_all "$B/events" drain 10000 > /dev/null 2>&1
    echo "ir-event-drain $l $(( $(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$WORK/cg.ev") / 20000 ))" >> "$R"
  done
fi

python3 - "$R" "$SIZE" "$ROUNDS" "$EV" "$CRUD" "$CPU" <<'EOF'
import statistics, sys
path, size, rounds, ev, crud, cpu = sys.argv[1:]
vals = {}
for line in open(path):
    name, lib, v = line.split()
    vals.setdefault(name, {}).setdefault(lib, []).append(float(v))
rows = [
    ("dump-parse", "entries/s", True, "nfct_query(NFCT_Q_DUMP), callback counts"),
    ("dump-format", "entries/s", True, "the callback also calls nfct_snprintf"),
    ("conntrack-L", "entries/s", True, "conntrack -L > /dev/null"),
    ("cpu", "objects/s", True, "setters, nlmsg_build, nlmsg_parse, snprintf, cmp (%s objects)" % cpu),
    ("event-drain", "events/s", True, "nfct_catch draining %d queued events" % (2 * int(ev))),
    ("event-lost", "events", False, "lost of %d, generator at full speed, default rcvbuf" % (2 * int(ev))),
    ("create", "entries/s", True, "nfct_query(NFCT_Q_CREATE), %s entries" % crud),
    ("destroy", "entries/s", True, "nfct_query(NFCT_Q_DESTROY), %s entries" % crud),
    ("rss-dump", "KiB", False, "peak RSS (VmHWM) of the dump-parse process"),
    ("ir-cpu", "Ir/object", False, "callgrind, the cpu loop"),
    ("ir-dump-parse", "Ir/entry", False, "callgrind, dump-parse"),
    ("ir-dump-format", "Ir/entry", False, "callgrind, dump-format"),
    ("ir-event-drain", "Ir/event", False, "callgrind, nfct_catch draining 20000 events"),
]
raw_what = {
    "dump-parse": "libmnl reader, 32 KiB buffer; ratio = ours / raw",
    "event-drain": "recv() only, counting messages; ratio = ours / raw",
}
print("\n%s entries, %s rounds; median (best) of the rounds; ratio = ours / original" % (size, rounds))
print("%-15s %-10s %21s %21s %14s  %s" % ("figure", "unit", "original", "ours", "ratio med(best)", "what"))
for name, unit, higher, what in rows:
    if name not in vals:
        continue
    d = vals[name]
    def mb(lib):
        v = d.get(lib)
        if not v:
            return None, None
        return statistics.median(v), (max(v) if higher else min(v))
    om, ob = mb("orig")
    um, ub = mb("ours")
    def fmt(m, b):
        if m is None:
            return "-"
        return "%.0f (%.0f)" % (m, b) if len(d["orig"]) > 1 else "%.0f" % m
    def ratio(a, b):
        return "%.2f" % (a / b) if b else "-"
    rt = ratio(um, om) + ("(" + ratio(ub, ob) + ")" if len(d["orig"]) > 1 else "")
    print("%-15s %-10s %21s %21s %14s  %s" % (name, unit, fmt(om, ob), fmt(um, ub), rt, what))
    if "raw" in d:
        rm, rb = statistics.median(d["raw"]), max(d["raw"])
        print("%-15s %-10s %21s %21s %14s  %s" % ("  raw limit", unit, "", fmt(rm, rb),
              ratio(um, rm) + "(" + ratio(ub, rb) + ")", raw_what[name]))
EOF
