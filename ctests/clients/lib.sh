# Sourced by every scenario in ctests/clients/. The driver
# (ctests/t-clients.sh) runs each scenario twice and sets:
#   SIDE   "orig" or "ours"
#   TLIB   empty for the original library, else the lib dir of our install
#   WORK   an empty temp directory for this run
#   NSPFX  a prefix for network namespace names, unique to this run
# A scenario prints its normalised transcript on stdout, exits 0 when it
# ran and all its assertions held, 1 when something failed, and 77 with a
# reason on stderr when it cannot run on this machine.
set -euo pipefail

: "${SIDE:?}" "${WORK:?}" "${NSPFX:?}"
TLIB=${TLIB:-}
ASSERT_FAILS=0
_NAMESPACES=()
_PIDS=()

_cleanup() {
  local p ns
  for p in "${_PIDS[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${_PIDS[@]}"; do
    timeout 5 tail --pid="$p" -f /dev/null 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
  done
  for ns in "${_NAMESPACES[@]}"; do
    timeout 10 ip netns del "$ns" 2>/dev/null || true
  done
}
trap _cleanup EXIT

cannot_run() {
  echo "CANNOT-RUN: $*" >&2
  exit 77
}

# ns_add SHORT: create namespace $NSPFX-SHORT with lo up; sets NS to it.
ns_add() {
  NS="$NSPFX-$1"
  timeout 10 ip netns add "$NS" || cannot_run "ip netns add failed"
  _NAMESPACES+=("$NS")
  timeout 10 ip -n "$NS" link set lo up
  # Events for every entry, whoever listened when it was made: with the
  # kernel default (2), an entry created while no ctnetlink listener
  # exists anywhere on the host never reports events, so a scenario would
  # depend on what else runs on the machine.
  timeout 10 ip netns exec "$NS" sysctl -qw net.netfilter.nf_conntrack_events=1 ||
    cannot_run "cannot set net.netfilter.nf_conntrack_events in the namespace"
}

# track_pid PID: killed (TERM, then KILL) and waited for at exit.
track_pid() { _PIDS+=("$1"); }

# stop_pid PID: TERM and wait up to 5 s; prints nothing.
stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  if ! timeout 5 tail --pid="$1" -f /dev/null 2>/dev/null; then
    kill -KILL "$1" 2>/dev/null || true
  fi
  wait "$1" 2>/dev/null || true
}

# Read-only overlay on /etc inside the command's private mount namespace
# (ip netns exec gives each command one), so that
# files under $WORK/etc (e.g. xtables/connlabel.conf) appear in /etc
# without touching the host. Set up by etc_overlay_init.
ETC_UPPER=
etc_overlay_init() {
  ETC_UPPER=$WORK/etc
  mkdir -p "$ETC_UPPER"
}

# _ns_argv NS LIB CMD...: sets ARGV to run CMD in namespace NS (with
# the /etc overlay when initialised), on the library in LIB (empty: the
# original). Every wrapper execs the next, so a PID is CMD's own.
_ns_argv() {
  local ns=$1 lib=$2
  shift 2
  ARGV=(env -u LD_LIBRARY_PATH ip netns exec "$ns")
  if [ -n "$ETC_UPPER" ]; then
    # shellcheck disable=SC2016 # expanded by that sh
    ARGV+=(sh -c 'mount -t overlay ovl -o "lowerdir=$0:/etc" /etc && exec "$@"' "$ETC_UPPER")
  fi
  [ -z "$lib" ] || ARGV+=(env LD_LIBRARY_PATH="$lib")
  ARGV+=("$@")
}

# nsx NS CMD...: set-up steps (not the program under test): original library.
nsx() {
  local ns=$1
  shift
  _ns_argv "$ns" "" "$@"
  "${ARGV[@]}"
}

# tx NS CMD...: the program under test, on the library under test.
tx() {
  local ns=$1
  shift
  _ns_argv "$ns" "$TLIB" "$@"
  "${ARGV[@]}"
}

# bg_nsx / bg_tx NS OUT ERR CMD...: the same in the background, stdout
# and stderr to files; sets BG_PID and has it stopped at exit.
bg_nsx() {
  local ns=$1 out=$2 err=$3
  shift 3
  _ns_argv "$ns" "" "$@"
  "${ARGV[@]}" >"$out" 2>"$err" </dev/null &
  BG_PID=$!
  track_pid "$BG_PID"
}
bg_tx() {
  local ns=$1 out=$2 err=$3
  shift 3
  _ns_argv "$ns" "$TLIB" "$@"
  "${ARGV[@]}" >"$out" 2>"$err" </dev/null &
  BG_PID=$!
  track_pid "$BG_PID"
}

# step LABEL SECONDS CMD...: run CMD (bounded; CMD may start with tx NS
# or nsx NS), print a header with its
# exit status, then its stdout and its stderr, each through $NORM (a sed
# script; default: none) and, when SORT=1, sorted (dump order follows
# the per-namespace hash seed).
NORM=${NORM:-}
SORT=0
step() {
  local label=$1 secs=$2 rc=0
  shift 2
  case $1 in
  tx) _ns_argv "$2" "$TLIB" "${@:3}" ;;
  nsx) _ns_argv "$2" "" "${@:3}" ;;
  *) ARGV=("$@") ;;
  esac
  timeout -k 2 "$secs" "${ARGV[@]}" >"$WORK/step.out" 2>"$WORK/step.err" || rc=$?
  echo "## $label rc=$rc"
  _norm <"$WORK/step.out"
  if [ -s "$WORK/step.err" ]; then
    echo "-- stderr"
    _norm <"$WORK/step.err"
  fi
  LAST_RC=$rc
}

_norm() {
  if [ -n "$NORM" ]; then
    sed -E -f "$NORM"
  else
    cat
  fi | if [ "$SORT" = 1 ]; then LC_ALL=C sort; else cat; fi
}

# Assertions: record a failure (reported on stderr) and carry on, so the
# transcript stays complete. finish exits 1 if any failed.
fail() {
  echo "ASSERT FAILED ($SIDE): $*" >&2
  ASSERT_FAILS=$((ASSERT_FAILS + 1))
}
assert_rc() { [ "$LAST_RC" -eq "$1" ] || fail "$2: exit status $LAST_RC, expected $1"; }
# assert_out REGEX WHAT: the last step's raw stdout+stderr matches REGEX.
assert_out() {
  grep -Eqs -- "$1" "$WORK/step.out" "$WORK/step.err" || fail "$2: no line matching /$1/"
}
assert_no_out() {
  ! grep -Eqs -- "$1" "$WORK/step.out" "$WORK/step.err" || fail "$2: unexpected line matching /$1/"
}
assert_file() { grep -Eq -- "$2" "$1" || fail "$3: $1 has no line matching /$2/"; }

finish() {
  [ "$ASSERT_FAILS" -eq 0 ] || exit 1
  exit 0
}

# POLL_PIDS: daemons the polls below wait on; a poll gives up as soon as
# one of them has exited (say, a daemon that failed to load).
POLL_PIDS=
_polled_alive() {
  local p
  for p in $POLL_PIDS; do
    kill -0 "$p" 2>/dev/null || return 1
  done
  return 0
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
  local n=$(($1 * 10))
  shift
  while [ "$n" -gt 0 ] && _polled_alive; do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}

# until_out SECONDS REGEX CMD...: rerun CMD (a program, bounded, output
# not recorded) until its output matches REGEX; until_no_out: until it
# no longer does. Both return 1 on time-out (the steps after them
# record what is there).
until_out() {
  local n=$(($1 * 5)) re=$2
  shift 2
  while [ "$n" -gt 0 ] && _polled_alive; do
    timeout 5 "$@" >"$WORK/poll.out" 2>&1 || true
    grep -Eqs -- "$re" "$WORK/poll.out" && return 0
    sleep 0.2
    n=$((n - 1))
  done
  return 1
}
until_no_out() {
  local n=$(($1 * 5)) re=$2
  shift 2
  while [ "$n" -gt 0 ] && _polled_alive; do
    timeout 5 "$@" >"$WORK/poll.out" 2>&1 || true
    grep -Eqs -- "$re" "$WORK/poll.out" || return 0
    sleep 0.2
    n=$((n - 1))
  done
  return 1
}

# assert_lib PID WHAT: PID or one of its descendants has the library
# under test mapped (ours from $TLIB, or the system's original).
assert_lib() {
  local want pids=("$1") p found=0 i=0
  if [ -n "$TLIB" ]; then want="$TLIB/libnetfilter_conntrack.so"; else
    want=/usr/lib/x86_64-linux-gnu/libnetfilter_conntrack.so.3
  fi
  while [ "$i" -lt "${#pids[@]}" ] && [ "$i" -lt 50 ]; do
    p=${pids[$i]}
    if grep -qsF "$want" "/proc/$p/maps"; then found=1; break; fi
    for c in $(pgrep -P "$p" 2>/dev/null); do pids+=("$c"); done
    i=$((i + 1))
  done
  [ "$found" -eq 1 ] || fail "$2: $want not mapped in process $1 or its children"
}

# wait_nl_listeners NS COUNT: wait (up to 60 s) until COUNT netfilter
# netlink sockets in NS have joined multicast groups (event listeners
# subscribed), so that no event is missed by starting too late.
wait_nl_listeners() {
  local ns=$1 want=$2 n=600 have
  while [ "$n" -gt 0 ] && _polled_alive; do
    have=$(timeout 5 ip netns exec "$ns" cat /proc/net/netlink 2>/dev/null |
      awk '$2 == 12 && $4 != "00000000" { c++ } END { print c + 0 }')
    [ "$have" -ge "$want" ] && return 0
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}
