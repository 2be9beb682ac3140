#!/usr/bin/env bash
# conntrackd(8) in stats mode, with its event filter compiled into the
# kernel (Filter From Kernelspace: BPF via nfct_filter_*): entries made
# and destroyed with conntrack (original library) are seen in its cache
# (-i, -i -x), counted (-s) and destroyed ones logged to its stats log.
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v conntrackd >/dev/null || cannot_run "conntrackd not installed (apt-get install conntrackd)"
command -v conntrack >/dev/null || cannot_run "conntrack not installed"

ns_add st
cat >"$WORK/st.conf" <<EOF
Stats {
	LogFile $WORK/stats.log
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
	Filter From Kernelspace {
		Protocol Accept {
			TCP
			UDP
		}
		Address Ignore {
			IPv4_address 127.0.0.1
			IPv4_address 10.3.0.0/24
		}
		State Accept {
			ESTABLISHED CLOSED TIME_WAIT CLOSE_WAIT for TCP
		}
	}
}
EOF

NORM=$WORK/norm.sed
cat >"$NORM" <<'EOF'
s/^([a-z0-9-]+ +[0-9]+ )[0-9]+ /\1T /
s/\[active since [0-9]+s\]/[active since Ns]/
s/<id>[0-9]+</<id>ID</g
s/<timeout>[0-9]+</<timeout>T</g
s/^\[[^]]*\]//
s/\(pid=[0-9]+\)/(pid=P)/
s/ id=[0-9]{5,}/ id=ID/g
s/delta-time=[0-9]+/delta-time=D/
s/^[A-Z][a-z]{2} [A-Z][a-z]{2} +[0-9]+ [0-9:]+ [0-9]{4}\t/DATE\t/
EOF

bg_tx "$NS" "$WORK/d.out" "$WORK/d.err" timeout -k 2 120 conntrackd -C "$WORK/st.conf"
PID=$BG_PID
POLL_PIDS=$PID
wait_for 10 test -S "$WORK/st.ctl" || fail "conntrackd did not open its socket"
assert_lib "$PID" "conntrackd"
wait_nl_listeners "$NS" 1 || fail "conntrackd did not subscribe"

cd_() { step "conntrackd $*" 10 tx "$NS" conntrackd -C "$WORK/st.conf" "$@"; }
setup() { nsx "$NS" timeout 10 conntrack "$@" >/dev/null 2>&1 || fail "set-up: conntrack $*"; }

setup -I -p tcp -s 10.1.0.1 -d 10.2.0.1 --sport 1001 --dport 80 --state ESTABLISHED -t 300 -m 1
setup -I -p tcp -s 10.1.0.2 -d 10.2.0.1 --sport 1002 --dport 80 --state ESTABLISHED -t 300 -m 2
setup -I -p tcp -s 10.1.0.4 -d 10.2.0.1 --sport 1004 --dport 80 --state SYN_SENT -t 300
setup -I -p udp -s 10.1.0.9 -d 10.2.0.9 --sport 53 --dport 53 -t 300
setup -I -p udp -s 10.3.0.1 -d 10.2.0.9 --sport 53 --dport 53 -t 300
setup -I -p icmp -s 10.1.0.8 -d 10.2.0.8 --icmp-type 8 --icmp-code 0 --icmp-id 7 -t 30
until_out 10 'src=10.1.0.9' conntrackd -C "$WORK/st.conf" -i || true

SORT=1
cd_ -i
assert_out "src=10.1.0.2" "cache has tcp"
assert_out "src=10.1.0.9" "cache has udp"
assert_no_out "src=10.3.0.1" "kernel filter: ignored address"
assert_no_out "icmp" "kernel filter: protocol"
assert_no_out "SYN_SENT" "kernel filter: tcp state"
cd_ -i -x
SORT=0

setup -D -p tcp -s 10.1.0.1
setup -D -p udp -s 10.1.0.9
setup -D -p udp -s 10.3.0.1
until_no_out 10 'src=10.1.0.1 ' conntrackd -C "$WORK/st.conf" -i || true
SORT=1
cd_ -i
assert_no_out "src=10.1.0.1" "cache after destroy"
SORT=0
cd_ -s
assert_rc 0 "stats"
cd_ -f
cd_ -i
cd_ -k
POLL_PIDS=
wait_for 5 sh -c "! kill -0 $PID 2>/dev/null" || fail "conntrackd did not exit on -k"
stop_pid "$PID"

echo "## stats log (destroyed flows)"
touch "$WORK/stats.log" "$WORK/st.log"
sed -E -f "$NORM" "$WORK/stats.log" | LC_ALL=C sort
assert_file "$WORK/stats.log" "src=10.1.0.1 " "stats log"
echo "## daemon log"
sed -E -f "$NORM" "$WORK/st.log"

finish
