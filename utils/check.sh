#!/usr/bin/env bash
# Builds the programs in utils/ and runs one scenario with them in a fresh
# network namespace, asserting on what they print: conntrack create, get,
# update, dumps, filtered dumps, master/expected, delete, the expectation
# life cycle, events (plain, and filtered by protocol and by mark) in the
# background, flush.
#
# The scenario runs once against the original library (the distribution
# package's libnetfilter_conntrack.so.3) and once against ours (LD_LIBRARY_PATH=
# $LIBDIR) when ours exports the kernel API (nfct_query); the normalised
# outputs of both runs must be identical. The 1.1-only programs run
# against ours only. Without our kernel API the check says so and fails
# when CI=true.
#
# Environment: TOP (checkout), LIBDIR (our library), INCDIR (our
# headers), CI. Needs root for the network namespaces.
set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
INCDIR=${INCDIR:-$TOP/include}
CI=${CI:-}
ours_so=$LIBDIR/libnetfilter_conntrack.so.3

work=$(mktemp -d)
namespaces=()
bgpids=()
cleanup() {
  local pid ns
  for pid in "${bgpids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for ns in "${namespaces[@]}"; do timeout 10 ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() { echo "FAIL [$run_name] $*"; failures=$((failures + 1)); }

if [ "$(id -u)" != 0 ]; then
  if [ "$CI" = true ]; then echo "utils: needs root for network namespaces"; exit 1; fi
  echo "utils: SKIP, needs root (CAP_NET_ADMIN) for network namespaces"; exit 0
fi

# The original: the distribution package's library, loaded from its own
# directory, so that a copy of ours installed elsewhere cannot stand in.
orig_so=$(timeout 10 dpkg-query -L libnetfilter-conntrack3 2> /dev/null |
          grep '/libnetfilter_conntrack\.so\.3$' || true)
if [ -z "$orig_so" ]; then
  orig_so=$(timeout 10 pkg-config --variable=libdir libnetfilter_conntrack 2> /dev/null || true)/libnetfilter_conntrack.so.3
fi
sys_libdir=$(dirname "$orig_so")
if [ ! -e "$orig_so" ]; then
  echo "utils: the original libnetfilter_conntrack.so.3 is not installed"; exit 1
fi

have_ours=0
if [ -e "$ours_so" ] && timeout 10 nm -D --defined-only "$ours_so" | grep -w nfct_query > /dev/null; then
  have_ours=1
fi

# The programs are built against ours when it has the kernel API (a
# binary built so runs on either library: same soname), else against the
# installed original. If they do not build against ours, that fails the
# check, and the original still gets its run with a second build.
bin=$work/bin
status=0
build_with() {
  build=("$@")
  timeout 300 make -s -C "$TOP/utils" "${build[@]}" OUT="$bin" > "$work/make.log" 2>&1
}
if [ "$have_ours" = 1 ]; then
  echo "utils: building against our headers ($INCDIR) and library ($LIBDIR)"
  if ! build_with INCDIR="$INCDIR" LIBDIR="$LIBDIR"; then
    head -40 "$work/make.log"
    echo "ours: FAIL, the programs do not build against our headers and library"
    status=1
    have_ours=0
    rm -rf "$bin"
  fi
fi
if [ "$have_ours" = 0 ]; then
  echo "utils: building against the installed original"
  if ! build_with INCDIR=/usr/include LIBDIR="$sys_libdir"; then
    head -40 "$work/make.log"; echo "utils: FAIL, build failed"; exit 1
  fi
fi
mapfile -t built < <(timeout 10 make -s -C "$TOP/utils" "${build[@]}" list)
is_built() { [[ " ${built[*]} " == *" $1 "* ]]; }

has_nft=0
if command -v nft > /dev/null; then has_nft=1; else echo "utils: no nft: labels not checked"; fi

# run PROG ARGS...: runs one program in the namespace; its output goes to
# $out, its exit status to $rc, both to the log.
run() {
  local prog=$1; shift
  rc=0
  out=$(timeout 20 ip netns exec "$ns" env "${libenv[@]}" "${wrap[@]}" "$bin/$prog" "$@" 2>&1) || rc=$?
  printf '$ %s %s\n%s\nexit=%s\n' "$prog" "$*" "$out" "$rc" >> "$log"
}
# ok PROG ARGS...: runs it and expects exit 0.
ok() { run "$@"; [ "$rc" = 0 ] || fail "$*: exit $rc: $out"; }
# err ERRNO PROG ARGS...: runs it and expects a failure with that errno.
err() {
  local e=$1; shift
  run "$@"
  [ "$rc" != 0 ] && grep -q "status=error errno=$e " <<< "$out" || fail "$*: expected errno $e, got exit $rc: $out"
}
# has REGEX: the last output matches.
has() { grep -qE -- "$1" <<< "$out" || fail "output of the last command lacks /$1/: $out"; }
# lines N REGEX: exactly N lines of the last output match.
lines() {
  local n
  n=$(grep -cE -- "$2" <<< "$out" || true)
  [ "$n" = "$1" ] || fail "$1 lines /$2/ expected, got $n: $out"
}
# timeout_between MIN MAX: the timeout shown by the last conntrack get.
timeout_between() {
  local t
  t=$(awk '/^ipv4/ { print $5; exit }' <<< "$out")
  [ -n "$t" ] && [ "$t" -ge "$1" ] && [ "$t" -le "$2" ] || fail "timeout $t, expected $1 to $2"
}

# bg NAME PROG ARGS...: starts an event listener in the background, its
# output in $work/$run_name.NAME; waits until it is subscribed. SIGALRM
# (from the program's own --wait, from timeout, or sent by wait_bg) makes
# the program report what it saw and exit.
declare -A bgpid
bg() {
  local name=$1 prog=$2; shift 2
  local f=$work/$run_name.$name
  timeout --preserve-status -s ALRM -k 5 420 \
    ip netns exec "$ns" env "${libenv[@]}" "${wrap[@]}" "$bin/$prog" --wait 400 "$@" > "$f" 2>&1 &
  bgpid[$name]=$!
  bgpids+=("$!")
  for _ in $(seq 100); do
    grep -qs '^op=listen status=ok' "$f" && return 0
    sleep 0.1
  done
  fail "$prog $*: did not start listening: $(cat "$f")"
}
# wait_bg NAME GRACE [REGEX N]: gives a listener GRACE seconds to end by
# itself (or to print N lines matching REGEX), then stops it with
# SIGALRM; its output goes to $out and the log.
wait_bg() {
  local name=$1 grace=$2 re=${3:-} n=${4:-0} f=$work/$run_name.$1 pid=${bgpid[$1]}
  for _ in $(seq $((grace * 10))); do
    kill -0 "$pid" 2> /dev/null || break
    if [ -n "$re" ] && [ "$(grep -cE -- "$re" "$f" || true)" -ge "$n" ]; then break; fi
    sleep 0.1
  done
  # timeout passes the signal on to the program
  kill -ALRM "$pid" 2> /dev/null || true
  rc=0
  wait "$pid" || rc=$?
  out=$(cat "$f")
  printf '$ (events %s)\n%s\nexit=%s\n' "$name" "$out" "$rc" >> "$log"
}

# scenario NAME: the whole scenario in a fresh namespace; the log of the
# commands common to both libraries goes to $work/NAME.log, the 1.1-only
# part to $work/NAME.log11.
scenario() {
  run_name=$1
  ns=utils-$$-$run_name
  timeout 10 ip netns add "$ns"
  namespaces+=("$ns")
  timeout 10 ip netns exec "$ns" ip link set lo up
  # events for every conntrack, whether a listener existed at its creation or not
  if ! timeout 10 ip netns exec "$ns" sysctl -qw net.netfilter.nf_conntrack_events=1; then
    echo "utils: FAIL, no net.netfilter.nf_conntrack_events: is conntrack in this kernel?"; exit 1
  fi
  # a rule using labels makes the kernel give conntracks room for them
  if [ "$has_nft" = 1 ] && ! timeout 10 ip netns exec "$ns" nft -f - <<'EOF'
table ip utils_check {
  chain pre { type filter hook prerouting priority 0; ct label set 127; }
}
EOF
  then
    echo "utils: nft cannot load a 'ct label set' rule: labels not checked"
    has_nft=0
  fi
  log=$work/$run_name.log
  : > "$log"
  : > "$work/$run_name.log11"

  bg events conntrack_events
  bg udp conntrack_filter --proto udp --count 2
  bg mark conntrack_filter --mark 9 --count 6
  bg exp expect_events --count 6

  # create, get, update
  ok conntrack_create;                          has '^op=create status=ok$'
  err 17 conntrack_create
  ok conntrack_get;                             lines 1 '^ipv4 +2 tcp +6 [0-9]+ ESTABLISHED src=1\.1\.1\.1 dst=2\.2\.2\.2 sport=1025 dport=21 .*src=2\.2\.2\.2 dst=1\.1\.1\.1 sport=21 dport=1025 .*mark=0 '
                                                has '^op=get status=ok count=1$'
  ok conntrack_update --mark 7 --timeout 300;   has '^op=update status=ok$'
  ok conntrack_get;                             has ' mark=7 '; timeout_between 250 300
  err 2 conntrack_get --sport 1
  err 2 conntrack_update --sport 1 --mark 1

  # NAT
  ok conntrack_create_nat --sport 2000 --snat 3.3.3.3 --snat-port 4000
  ok conntrack_get --sport 2000;                has 'sport=2000 dport=21 .*src=2\.2\.2\.2 dst=3\.3\.3\.3 sport=21 dport=4000 '
  ok conntrack_create_nat --sport 2001 --dnat 4.4.4.4 --dnat-port 8080
  ok conntrack_get --sport 2001;                has 'sport=2001 dport=21 .*src=4\.4\.4\.4 dst=1\.1\.1\.1 sport=8080 dport=2001 '

  # attribute groups, mark, zone, label, IPv6, UDP
  ok conntrack_grp_create --sport 3000 --mark 9 --zone 5 --label 3 --timeout 1200
  ok conntrack_get --sport 3000 --zone 5;       has 'sport=3000 dport=21 .* mark=9 zone=5 '
  if [ "$has_nft" = 1 ]; then has '^labels=3$'; fi
  err 2 conntrack_get --sport 3000
  ok conntrack_grp_create --sport 3001 --mark 9 --state SYN_SENT
  ok conntrack_get --sport 3001;                has ' SYN_SENT src=1\.1\.1\.1 .*sport=3001 .* mark=9 '
  ok conntrack_grp_create --src 2001:db8::1 --dst 2001:db8::2 --sport 3002 --mark 9
  ok conntrack_grp_create --proto udp --sport 53 --dport 53
  ok conntrack_get --proto udp --sport 53 --dport 53; has '^ipv4 +2 udp +17 [0-9]+ src=1\.1\.1\.1 dst=2\.2\.2\.2 sport=53 dport=53 '

  # dumps
  ok conntrack_dump;                            has '^op=dump status=ok count=6$'; lines 6 '^ipv4 '
  ok conntrack_dump --family inet6;             has '^op=dump status=ok count=1$'; lines 1 '^ipv6 +10 tcp .*src=2001:db8::1 dst=2001:db8::2 sport=3002 '
  ok conntrack_dump --family unspec;            has '^op=dump status=ok count=7$'
  ok conntrack_dump_filter --mark 9;            has '^op=dump-filter status=ok count=2$'; lines 2 ' mark=9 '
  ok conntrack_dump_filter --mark 9 --family inet6; has 'count=1$'
  ok conntrack_dump_filter --mark 8/8;          has 'count=2$'
  ok conntrack_dump_filter --mark 7;            has 'count=1$'; has 'sport=1025 '
  ok conntrack_dump_filter --mark 12345;        has '^op=dump-filter status=ok count=0$'

  # master and expected connection
  ok conntrack_master --sport 5000
  has '^op=create-master status=ok$'; has '^op=create-expected status=ok$'
  has '^ipv4 .* SYN_SENT src=1\.1\.1\.1 dst=2\.2\.2\.2 sport=5000 dport=10241 '
  has '^master proto=6 src=1\.1\.1\.1 dst=2\.2\.2\.2 sport=5000 dport=21$'
  has '^op=get-expected status=ok count=1$'
  ok conntrack_get --sport 5000;                has ' helper=ftp '

  # delete
  ok conntrack_delete --sport 2001;             has '^op=delete status=ok$'
  err 2 conntrack_delete --sport 2001
  err 2 conntrack_get --sport 2001

  # expectations: each needs its own master with a helper (ftp keeps
  # one expectation per master)
  ok conntrack_create --sport 1100 --helper ftp
  ok conntrack_create --sport 1101 --helper ftp
  ok conntrack_create --sport 1102 --helper ftp
  ok expect_create --sport 1100;                has '^op=create status=ok$'
  err 17 expect_create --sport 1100
  err 95 expect_create --sport 1025 --exp-dport 10250
  ok expect_get
  lines 1 '^[0-9]+ proto=6 src=1\.1\.1\.1 dst=2\.2\.2\.2 sport=0 dport=10241 mask-src=255\.255\.255\.255 mask-dst=255\.255\.255\.255 sport=0 dport=65535 master-src=1\.1\.1\.1 master-dst=2\.2\.2\.2 sport=1100 dport=21 .*helper=ftp'
  has '^op=get status=ok count=1$'
  ok expect_create_nat --sport 1101 --exp-dport 10242 --snat 3.3.3.3 --snat-port 5555
  ok expect_get --exp-dport 10242;              has 'dport=10242 .*sport=1101 dport=21 '
  ok expect_create_userspace --sport 1102 --exp-dport 10243
  # the kernel clears NF_CT_EXPECT_USERSPACE on expectations from ctnetlink
  ok expect_get --exp-dport 10243;              has 'sport=1102 dport=21 '; has '^flags=0x0$'
  ok expect_dump;                               has '^op=dump status=ok count=3$'; lines 3 ' helper=ftp'
  ok expect_delete;                             has '^op=delete status=ok$'
  err 2 expect_delete
  err 2 expect_get
  ok expect_dump;                               has 'count=2$'
  ok expect_flush;                              has '^op=flush status=ok$'
  ok expect_dump;                               has '^op=dump status=ok count=0$'

  wait_bg exp 10
  has '^op=events status=ok count=6$'
  lines 3 '^ +\[NEW\] [0-9]+ proto=6 src=1\.1\.1\.1 dst=2\.2\.2\.2 sport=0 dport=1024[123] '
  lines 3 '^\[DESTROY\] [0-9]+ proto=6 '

  # 1.1 API: tuple and zone dump filters, filtered flush
  if [ "$run_name" = ours ]; then
    log=$work/$run_name.log11
    : > "$log"
    if is_built conntrack_dump_filter_tuple; then
      ok conntrack_dump_filter_tuple --zone 5;   has 'count=1$'; has 'sport=3000 .*zone=5'
      ok conntrack_dump_filter_tuple --sport 2000; has 'count=1$'; has 'sport=2000 '
      ok conntrack_dump_filter_tuple --proto udp; has 'count=1$'; has '^ipv4 +2 udp '
      ok conntrack_dump_filter_tuple --dst 2.2.2.2 --dport 21; has 'count=8$'; lines 8 ' dport=21 '
      ok conntrack_flush_filter --mark 9;         has '^op=flush-filter status=ok$'
      ok conntrack_dump_filter --mark 9;          has 'count=0$'
      ok conntrack_dump_filter --mark 9 --family inet6; has 'count=1$'
      ok conntrack_dump_filter --mark 7;          has 'count=1$'
    else
      echo "ours: SKIP 1.1-only programs: $INCDIR lacks the 1.1 API"
    fi
    log=$work/$run_name.log
  fi

  # flush (the kernel flushes every family: it honours the family only
  # in a filtered flush)
  ok conntrack_flush;                           has '^op=flush status=ok$'
  ok conntrack_dump --family unspec;            has '^op=dump status=ok count=0$'

  wait_bg udp 10
  has '^op=events status=ok count=2$'
  lines 1 '^ +\[NEW\] ipv4 +2 udp +17 .*sport=53 dport=53 '
  lines 1 '^\[DESTROY\] ipv4 +2 udp +17 .*sport=53 dport=53 '

  wait_bg mark 10
  has '^op=events status=ok count=6$'
  lines 3 '^ +\[NEW\] .* mark=9( |$)'
  lines 3 '^\[DESTROY\] .*sport=300[012] '

  wait_bg events 10 '^\[DESTROY\] ' 12
  has '^op=events status=ok count=[0-9]+$'
  lines 1 '^ +\[NEW\] ipv4 +2 tcp +6 [0-9]+ ESTABLISHED src=1\.1\.1\.1 dst=2\.2\.2\.2 sport=1025 dport=21 '
  has '^ +\[UPDATE\] ipv4 .*sport=1025 dport=21 .* mark=7$'
  has '^\[DESTROY\] ipv4 .*sport=2001 dport=21 '
  has '^ +\[NEW\] ipv4 .*sport=3000 .* mark=9 zone=5$'
  has '^ +\[NEW\] ipv6 .*sport=3002 '
  lines 1 '^ +\[NEW\] ipv4 .*sport=5000 dport=21 .*helper=ftp'
  lines 12 '^ +\[NEW\] '
  lines 12 '^\[DESTROY\] '

  timeout 10 ip netns del "$ns"
}

# Makes the logs of two runs comparable: timeouts (they count down) become
# T, reference counts U, and lines are sorted within each command's output
# (dumps and flushes follow the hash order, which differs between
# namespaces; the order of events is not compared).
normalise() {
  sed -E -e 's/^( *(\[[A-Z]+\] )?ipv[46] +[0-9]+ [a-z]+ +[0-9]+) [0-9]+ /\1 T /' \
         -e 's/^( *(\[[A-Z]+\] )?)[0-9]+ proto=/\1T proto=/' \
         -e 's/ use=[0-9]+/ use=U/' "$1" |
    awk '/^\$ / { n++; print n "\t0\t" $0; next } { print n "\t1\t" $0 }' |
    LC_ALL=C sort -t "$(printf '\t')" -k1,1n -k2,2n -k3 | cut -f3-
}

run_name=original
libenv=(LD_LIBRARY_PATH="$sys_libdir")
wrap=()
if ! LD_LIBRARY_PATH="$sys_libdir" ldd "$bin/conntrack_dump" | grep "libnetfilter_conntrack.so.3 => $orig_so " > /dev/null; then
  echo "original: FAIL, $orig_so is not picked up"; exit 1
fi
echo "utils: scenario against the original ($orig_so)"
for p in conntrack_dump_filter_tuple conntrack_flush_filter; do
  echo "original: SKIP $p (1.1 API, not in the installed 1.0.9)"
done
scenario original
orig_failures=$failures
echo "original: $(grep -c '^\$ ' "$work/original.log") commands, $orig_failures failures"
[ "$orig_failures" = 0 ] || status=1

if [ "$have_ours" = 1 ]; then
  failures=0
  run_name=ours
  libenv=(LD_LIBRARY_PATH="$LIBDIR")
  # ours runs under valgrind when it is there: its reports fail the diff
  wrap=()
  if command -v valgrind > /dev/null && [ "${UTILS_VALGRIND:-1}" = 1 ]; then
    wrap=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99)
  fi
  if ! LD_LIBRARY_PATH="$LIBDIR" ldd "$bin/conntrack_dump" | grep "libnetfilter_conntrack.so.3 => $LIBDIR/" > /dev/null; then
    echo "ours: FAIL, $LIBDIR/libnetfilter_conntrack.so.3 is not picked up"; exit 1
  fi
  echo "utils: scenario against ours ($ours_so${wrap:+, under valgrind})"
  scenario ours
  echo "ours: $(( $(grep -c '^\$ ' "$work/ours.log") + $(grep -c '^\$ ' "$work/ours.log11") )) commands, $failures failures"
  [ "$failures" = 0 ] || status=1
  if ! diff -u <(normalise "$work/original.log") <(normalise "$work/ours.log") > "$work/diff"; then
    echo "FAIL: normalised outputs differ (- original, + ours):"; head -60 "$work/diff"; status=1
  else
    echo "utils: normalised outputs of both runs are identical"
  fi
elif [ "$status" = 0 ]; then
  if [ -e "$ours_so" ]; then
    echo "ours: kernel API not yet available ($ours_so exports no nfct_query)"
  else
    echo "ours: kernel API not yet available ($ours_so is not built)"
  fi
  if [ "$CI" = true ]; then status=1; fi
fi

# UTILS_KEEP_LOGS=DIR keeps the logs of the runs there.
if [ -n "${UTILS_KEEP_LOGS:-}" ]; then
  cp "$work"/*.log* "$UTILS_KEEP_LOGS"/ 2>/dev/null || true
fi
[ "$status" = 0 ] && echo "utils: PASS" || echo "utils: FAIL"
exit "$status"
