#!/usr/bin/env bash
# conntrackd(8) in FTFW sync mode: two instances in two namespaces joined
# by a veth pair, syncing over UDP on the veth addresses. Entries created
# and destroyed with conntrack (original library) in namespace A must
# reach B's external cache; B commits them to its kernel table. Both
# daemons run on the library under test.
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v conntrackd >/dev/null || cannot_run "conntrackd not installed (apt-get install conntrackd)"
command -v conntrack >/dev/null || cannot_run "conntrack not installed"

ns_add a
NSA=$NS
ns_add b
NSB=$NS
VA=ctcA$$
VB=ctcB$$
VA=${VA:0:15}
VB=${VB:0:15}
timeout 10 ip link add "$VA" netns "$NSA" type veth peer name "$VB" netns "$NSB" \
  || cannot_run "cannot create a veth pair"
timeout 10 ip -n "$NSA" addr add 10.99.0.1/24 dev "$VA"
timeout 10 ip -n "$NSB" addr add 10.99.0.2/24 dev "$VB"
timeout 10 ip -n "$NSA" link set "$VA" up
timeout 10 ip -n "$NSB" link set "$VB" up

conf() { # conf NAME LOCAL PEER IFACE
  cat >"$WORK/$1.conf" <<EOF
Sync {
	Mode FTFW {
		ResendQueueSize 131072
		ACKWindowSize 300
	}
	UDP {
		IPv4_address $2
		IPv4_Destination_Address $3
		Port 3780
		Interface $4
		Checksum on
	}
	Options {
		ExpectationSync on
	}
}
General {
	HashSize 8192
	HashLimit 65535
	LogFile $WORK/$1.log
	Syslog off
	LockFile $WORK/$1.lock
	UNIX {
		Path $WORK/$1.ctl
	}
	NetlinkBufferSize 2097152
	NetlinkBufferSizeMaxGrowth 8388608
	Filter From Userspace {
		Protocol Accept {
			TCP
			UDP
		}
		Address Ignore {
			IPv4_address 127.0.0.1
			IPv4_address 10.99.0.0/24
		}
	}
}
EOF
}
conf a 10.99.0.1 10.99.0.2 "$VA"
conf b 10.99.0.2 10.99.0.1 "$VB"

NORM=$WORK/norm.sed
cat >"$NORM" <<'EOF'
s/^([a-z0-9-]+ +[0-9]+ )[0-9]+ /\1T /
s/\[active since [0-9]+s\]/[active since Ns]/
s/<timeout>[0-9]+</<timeout>T</g
s/<id>[0-9]+</<id>ID</g
s/<use>[0-9]+</<use>U</g
s/ id=[0-9]{5,}/ id=ID/g
s/ use=[0-9]+/ use=U/g
s/^[0-9]+ (proto=[0-9]+ )/T \1/
s/ +[0-9]+ (Bytes|Pckts|Error) (sent|send|recv)/ N \1 \2/g
s/active device=[^)]*/active device=DEV/
s/^\[[^]]*\] //
s/\(pid=[0-9]+\)/(pid=P)/
s/taken [0-9.]+ seconds/taken N seconds/
EOF

bg_tx "$NSA" "$WORK/a.out" "$WORK/a.err" timeout -k 2 120 conntrackd -C "$WORK/a.conf"
PIDA=$BG_PID
bg_tx "$NSB" "$WORK/b.out" "$WORK/b.err" timeout -k 2 120 conntrackd -C "$WORK/b.conf"
PIDB=$BG_PID
POLL_PIDS="$PIDA $PIDB"
wait_for 10 test -S "$WORK/a.ctl" || fail "conntrackd A did not open its socket"
wait_for 10 test -S "$WORK/b.ctl" || fail "conntrackd B did not open its socket"
assert_lib "$PIDA" "conntrackd A"
assert_lib "$PIDB" "conntrackd B"
wait_nl_listeners "$NSA" 1 || fail "conntrackd A did not subscribe"
wait_nl_listeners "$NSB" 1 || fail "conntrackd B did not subscribe"

cda() { step "A: conntrackd $*" 10 tx "$NSA" conntrackd -C "$WORK/a.conf" "$@"; }
cdb() { step "B: conntrackd $*" 10 tx "$NSB" conntrackd -C "$WORK/b.conf" "$@"; }

# set-up: entries in A, with the original conntrack
for i in 1 2 3; do
  nsx "$NSA" timeout 10 conntrack -I -p tcp -s 10.1.0.$i -d 10.2.0.1 --sport 100$i --dport 80 \
    --state ESTABLISHED -u ASSURED -t 300 -m $i 2>/dev/null || fail "set-up: conntrack -I $i"
done
nsx "$NSA" timeout 10 conntrack -I -p udp -s 10.1.0.9 -d 10.2.0.9 --sport 53 --dport 53 -t 300 2>/dev/null \
  || fail "set-up: conntrack -I udp"
nsx "$NSA" timeout 10 conntrack -I -p icmp -s 10.1.0.8 -d 10.2.0.8 --icmp-type 8 --icmp-code 0 \
  --icmp-id 7 -t 30 2>/dev/null || fail "set-up: conntrack -I icmp"

# an FTP control connection in A (on an address of lo that the filter
# does not ignore) with the ftp helper: the kernel makes an expectation
[ -x /usr/bin/python3 ] || cannot_run "python3 needed for the FTP expectation"
timeout 10 ip -n "$NSA" addr add 10.5.0.1/32 dev lo
nsx "$NSA" iptables -t raw -A OUTPUT -p tcp --dport 21 -j CT --helper ftp
cat >"$WORK/ftp.py" <<'EOF'
import socket, sys, time
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("10.5.0.1", 21)); srv.listen(1)
cli = socket.socket(); cli.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
cli.bind(("10.5.0.1", 40021)); cli.connect(("10.5.0.1", 21))
conn, _ = srv.accept()
conn.sendall(b"220 hi\r\n"); cli.recv(100)
# the helper parses only segments that follow a newline it has seen
cli.sendall(b"USER a\r\n"); conn.recv(100)
conn.sendall(b"331 ok\r\n"); cli.recv(100)
cli.sendall(b"PORT 10,5,0,1,39,16\r\n"); conn.recv(100)
conn.sendall(b"200 ok\r\n"); cli.recv(100)
sys.stdout.write("ready\n"); sys.stdout.flush()
time.sleep(float(sys.argv[1]))
EOF
bg_nsx "$NSA" "$WORK/ftp.out" "$WORK/ftp.err" timeout 60 /usr/bin/python3 "$WORK/ftp.py" 50
wait_for 10 grep -q ready "$WORK/ftp.out" || fail "ftp exchange did not finish"

CDA=(conntrackd -C "$WORK/a.conf")
CDB=(conntrackd -C "$WORK/b.conf")
until_out 15 'src=10.5.0.1' "${CDB[@]}" -e || true
until_out 15 'dport=10000' "${CDB[@]}" -e expect || true

SORT=1
cda -i
assert_out "src=10.1.0.3" "A internal cache"
assert_no_out "icmp" "A filter (icmp not accepted)"
cda -i -x
cdb -e
assert_out "src=10.1.0.3" "B external cache"
cdb -e -x
cdb -i
cda -i expect
assert_out "dport=10000" "A internal expectation cache"
cdb -e expect
assert_out "dport=10000" "B external expectation cache"
SORT=0
cda -s cache
cdb -s network
assert_rc 0 "B -s network"

# destroy one in A; B must drop it from its external cache
nsx "$NSA" timeout 10 conntrack -D -p tcp -s 10.1.0.2 >/dev/null 2>&1 || fail "set-up: conntrack -D"
until_no_out 15 'src=10.1.0.2 ' "${CDB[@]}" -e || true
SORT=1
cda -i
cdb -e
assert_no_out "src=10.1.0.2" "B external cache after delete"

# B commits its external cache into its kernel table
cdb -c ct
assert_rc 0 "B commit"
until_out 10 'src=10.5.0.1' ip netns exec "$NSB" conntrack -L || true
cdb -c expect
until_out 10 'dport=10000' ip netns exec "$NSB" conntrack -L expect || true
step "B: conntrack -L expect" 10 nsx "$NSB" conntrack -L expect
assert_out "dport=10000" "B kernel expectation after commit"
step "B: conntrack -L" 10 nsx "$NSB" conntrack -L
assert_out "src=10.1.0.3" "B kernel table after commit"
SORT=0

# (conntrackd 1.4.7 keeps refusing "-f external" after a client's
# commit, whatever the library: flush and resync A's internal cache.)
cda -f internal
SORT=1
cda -i
assert_no_out "src=10.1.0.1" "A internal cache after flush"
cda -R ct
until_out 10 'src=10.1.0.1 ' "${CDA[@]}" -i || true
cda -i
assert_out "src=10.1.0.1" "A internal cache after resync"
cda -B
sleep 0.5
until_out 10 'src=10.1.0.1 ' "${CDB[@]}" -e || true
cdb -e
assert_out "src=10.1.0.1" "B external cache after bulk send"
SORT=0
cda -s
cda -k
cdb -k
POLL_PIDS=
wait_for 5 sh -c "! kill -0 $PIDA 2>/dev/null" || fail "A did not exit on -k"
wait_for 5 sh -c "! kill -0 $PIDB 2>/dev/null" || fail "B did not exit on -k"
stop_pid "$PIDA"
stop_pid "$PIDB"
for n in a b; do
  echo "## daemon $n log"
  sed -E -f "$NORM" "$WORK/$n.log" 2>/dev/null || true
done

finish
