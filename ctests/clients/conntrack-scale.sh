#!/usr/bin/env bash
# Large dumps: 3000 entries loaded with conntrack -R (original library),
# then listed, filtered, counted, deleted in bulk and flushed with
# conntrack, shown by iptstate and resynced into conntrackd's cache, all
# on the library under test. A dump this size spans many netlink
# datagrams. Long outputs are summarised as line count, hash and first
# lines of the normalised, sorted output.
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v conntrack >/dev/null || cannot_run "conntrack not installed (apt-get install conntrack)"
command -v conntrackd >/dev/null || cannot_run "conntrackd not installed"
command -v iptstate >/dev/null || cannot_run "iptstate not installed"
command -v script >/dev/null || cannot_run "script(1) (bsdutils) needed for a pty"

N=3000
ns_add sc
i=0
while [ "$i" -lt "$N" ]; do
  echo "-I -p tcp -s 10.8.$((i / 256)).$((i % 256)) -d 10.9.0.1 --sport $((1000 + i)) --dport 80 --state ESTABLISHED -t 300 -m $((i % 7))"
  i=$((i + 1))
done >"$WORK/load.txt"
nsx "$NS" timeout 60 conntrack -R "$WORK/load.txt" 2>/dev/null || fail "set-up: conntrack -R"

NORM=$WORK/norm.sed
cat >"$NORM" <<'EOF'
s/^((ipv4|ipv6) +[0-9]+ +)?([a-z0-9-]+ +[0-9]+ )[0-9]+ /\1\3T /
s/ id=[0-9]{5,}/ id=ID/g
s/ use=[0-9]+/ use=U/g
s/<timeout>[0-9]+</<timeout>T</g
s/<id>[0-9]+</<id>ID</g
s/<use>[0-9]+</<use>U</g
s/\r$//
s/[0-9]+:[0-9]{2}:[0-9]{2} *$/TTL/
s/\[active since [0-9]+s\]/[active since Ns]/
EOF

# sumstep LABEL CMD...: like step, but stdout is summarised
sumstep() {
  local label=$1 rc=0
  shift
  _ns_argv "$NS" "$TLIB" "$@"
  timeout -k 2 30 "${ARGV[@]}" >"$WORK/s.out" 2>"$WORK/s.err" || rc=$?
  LAST_RC=$rc
  sed -E -f "$NORM" "$WORK/s.out" | LC_ALL=C sort >"$WORK/s.sorted"
  if [ "$(wc -l <"$WORK/s.sorted")" -le 20 ]; then
    echo "## $label rc=$rc"
    cat "$WORK/s.sorted"
  else
    echo "## $label rc=$rc lines=$(wc -l <"$WORK/s.sorted") sha256=$(sha256sum <"$WORK/s.sorted" | cut -c1-16)"
    head -n 3 "$WORK/s.sorted"
  fi
  sed -E -f "$NORM" "$WORK/s.err"
  cp "$WORK/s.out" "$WORK/step.out"
  cp "$WORK/s.err" "$WORK/step.err"
}

sumstep "conntrack -L" conntrack -L
assert_out "$N flow entries have been shown" "full dump"
sumstep "conntrack -L -o extended,id" conntrack -L -o extended,id
sumstep "conntrack -L -o xml" conntrack -L -o xml
sumstep "conntrack -L --mark 3" conntrack -L --mark 3
assert_out "429 flow entries" "mark filter"
sumstep "conntrack -L -s 10.8.1.0/24" conntrack -L -s 10.8.1.0/24
assert_out "256 flow entries" "source filter"
sumstep "conntrack -C" conntrack -C
assert_out "^$N$" "count"
sumstep "iptstate -1 -t" script -qec "stty cols 132 rows 50; exec iptstate -1 -t" /dev/null
assert_out "Total States: $N " "iptstate totals"

cat >"$WORK/st.conf" <<EOF
Stats {
	LogFile off
	Syslog off
}
General {
	HashSize 8192
	HashLimit 65535
	LogFile $WORK/st.log
	Syslog off
	LockFile $WORK/st.lock
	UNIX {
		Path $WORK/st.ctl
	}
	NetlinkBufferSize 2097152
	NetlinkBufferSizeMaxGrowth 8388608
}
EOF
bg_tx "$NS" "$WORK/d.out" "$WORK/d.err" timeout -k 2 60 conntrackd -C "$WORK/st.conf"
PID=$BG_PID
POLL_PIDS=$PID
wait_for 10 test -S "$WORK/st.ctl" || fail "conntrackd did not open its socket"
assert_lib "$PID" "conntrackd"
sumstep "conntrackd -R" conntrackd -C "$WORK/st.conf" -R
until_out 10 "^$N\$" sh -c "conntrackd -C '$WORK/st.conf' -i | wc -l" || true
sumstep "conntrackd -i" conntrackd -C "$WORK/st.conf" -i
sumstep "conntrackd -s" conntrackd -C "$WORK/st.conf" -s
sumstep "conntrackd -k" conntrackd -C "$WORK/st.conf" -k
POLL_PIDS=
stop_pid "$PID"

sumstep "conntrack -D --mark 5" conntrack -D --mark 5
assert_out "428 flow entries have been deleted" "bulk delete"
sumstep "conntrack -C" conntrack -C
sumstep "conntrack -F" conntrack -F
sumstep "conntrack -C" conntrack -C
assert_out "^0$" "count after flush"

finish
