#!/usr/bin/env bash
# conntrack(8): create, list in every output format, get, update, delete,
# flush, count, stats, events with filters, dump filters, NAT, zones,
# marks, labels and expectations, all inside a namespace of its own.
# Pinned to one CPU so that the per-CPU statistics (-S) are repeatable.
if [ -z "${CT_PINNED:-}" ]; then
  CT_PINNED=1 exec taskset -c 0 bash "$0" "$@"
fi
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v conntrack >/dev/null || cannot_run "conntrack not installed (apt-get install conntrack)"
command -v iptables >/dev/null || cannot_run "iptables not installed"

etc_overlay_init
mkdir -p "$ETC_UPPER/xtables"
cat >"$ETC_UPPER/xtables/connlabel.conf" <<'EOF'
# labels of this test
0 eth0-in
1 eth0-out
2 ppp-in
5 vip
EOF

ns_add ct
nsx "$NS" sysctl -qw net.netfilter.nf_conntrack_acct=1 \
  net.netfilter.nf_conntrack_timestamp=1 net.netfilter.nf_conntrack_events=1
# A connlabel user in the namespace makes the kernel give new entries
# room for labels (set-up, not under test).
nsx "$NS" iptables -t mangle -A PREROUTING -m connlabel --label vip --set \
  || cannot_run "iptables -m connlabel --set does not work here"

NORM=$WORK/norm.sed
cat >"$NORM" <<'EOF'
# timeout after "proto N" (default and extended formats, events)
s/^( *\[[A-Z]+\] +)?((ipv4|ipv6|unknown) +[0-9]+ +)?([a-z0-9-]+ +[0-9]+ )[0-9]+ /\1\2\4T /
s/ id=[0-9]{5,}/ id=ID/g
s/ use=[0-9]+/ use=U/g
s/ delta-time=[0-9]+/ delta-time=D/g
s/\[start=[^]]*\]/[start=S]/g
s/\[stop=[^]]*\]/[stop=S]/g
s/^\[[0-9]+\.[0-9]+\]/[TS]/
s/ portid=[0-9]+/ portid=P/g
s/ progname=[^ ]+//g
s/<timeout>[0-9]+</<timeout>T</g
s/<id>[0-9]+</<id>ID</g
s/<use>[0-9]+</<use>U</g
s/<deltatime>[0-9]+</<deltatime>D</g
s/<(start|stop)>[0-9]+</<\1>S</g
s/<when>.*<\/when>/<when>W<\/when>/
s/^( *\[[A-Z]+\] +)?[0-9]+ (proto=[0-9]+ )/\1T \2/
EOF

# Events first: with nf_conntrack_events the kernel reports changes
# only for entries created while a listener is subscribed.
EV=$WORK/ev
mkdir -p "$EV"
start_listener() {
  local name=$1
  shift
  bg_tx "$NS" "$EV/$name.out" "$EV/$name.err" timeout -k 2 30 conntrack -E "$@"
  eval "PID_$name=\$BG_PID"
}
start_listener all
start_listener tcp -p tcp
start_listener newdes -e NEW,DESTROY
start_listener xml -o xml,timestamp -p udp
start_listener mark --mark 5/0xf
start_listener ext -o extended,id -s 10.0.0.1
# Let the listeners subscribe before the first change.
wait_nl_listeners "$NS" 6 || fail "the conntrack -E listeners did not subscribe"
# shellcheck disable=SC2154 # set by eval in start_listener
assert_lib "$PID_all" "conntrack -E"

ct() { step "conntrack $*" 10 tx "$NS" conntrack "$@"; }

# create
ct -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80 --state ESTABLISHED \
  -t 100 -u ASSURED -m 5
assert_rc 0 "create tcp"
ct -I -p udp -s 10.0.0.1 -d 10.0.0.2 --sport 5353 --dport 53 -t 100 \
  --src-nat 192.168.0.1 -m 0x105
assert_rc 0 "create udp with src-nat"
ct -I -p tcp -s 10.0.0.3 -d 10.0.0.4 --sport 2000 --dport 22 --state SYN_SENT \
  -t 50 --dst-nat 10.0.0.9 -w 7
assert_rc 0 "create tcp in zone 7 with dst-nat"
ct -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 5 --dport 6 -t 30 -m 6
assert_rc 0 "create ipv6"
ct -I -p icmp -s 10.0.0.5 -d 10.0.0.6 --icmp-type 8 --icmp-code 0 --icmp-id 42 -t 30
assert_rc 0 "create icmp"
ct -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80 --state ESTABLISHED -t 100
assert_rc 1 "create duplicate"
assert_out "conntrack exists" "create duplicate"

# list in every output format
SORT=1
ct -L
assert_out "5 flow entries have been shown" "list"
for o in extended xml id timestamp ktimestamp labels extended,id,labels xml,ktimestamp; do
  ct -L -o "$o"
  assert_rc 0 "list -o $o"
done
assert_out "<flow>" "xml output"

# dump filters
ct -L -p tcp
assert_out "2 flow entries" "filter -p tcp"
ct -L -p udp --dport 53
ct -L -s 10.0.0.1
ct -L -d 10.0.0.4
ct -L -r 10.0.0.9
ct -L --mark 5
ct -L --mark 0x5/0xf
assert_out "2 flow entries" "filter --mark 5/0xf"
ct -L --status ASSURED
ct -L --status UNREPLIED -p udp
ct -L --zone 7
assert_out "zone=7" "filter --zone"
ct -L -f ipv6
assert_out "2001:db8::1" "filter -f ipv6"
ct -L -f ipv4 -p icmp
ct -L --src-nat
assert_out "192.168.0.1" "filter --src-nat"
ct -L --dst-nat
ct -L --src-nat 192.168.0.1
ct -L --any-nat
ct -L -p tcp --state SYN_SENT
ct -L -s 10.0.0.0/24 -o extended
ct -L conntrack -d 10.0.0.2 -o xml
ct -L -l vip
SORT=0

# get
ct -G -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80
assert_out "mark=5" "get"
ct -G -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80 -o xml,id
ct -G -p tcp -s 10.0.0.3 -d 10.0.0.4 --sport 2000 --dport 22 -w 7 -o extended
ct -G -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1 --dport 2
assert_rc 1 "get missing"

# update
ct -U -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80 -m 9 -t 200
assert_rc 0 "update by tuple"
ct -G -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80
assert_out "mark=9" "get after update"
SORT=1
ct -U -p udp -m 0x20/0xf0
ct -L -p udp
ct -U -p tcp -s 10.0.0.1 --label-add eth0-in,ppp-in
ct -L -o labels -s 10.0.0.1
assert_out "eth0-in,ppp-in" "labels added"
ct -U -p tcp -s 10.0.0.1 --label-del eth0-in
ct -L -o labels -l ppp-in
ct -L -o labels -l eth0-in
ct -L -o extended,labels -z
ct -C
assert_out "^5$" "count"
SORT=0
ct -S
assert_rc 0 "stats"

# delete
SORT=1
ct -D -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80
assert_rc 0 "delete by tuple"
ct -D -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80
assert_rc 1 "delete missing"
ct -D -f ipv6
ct -D -p udp --mark 0x105/0xfff
ct -C
assert_out "^2$" "count after delete"
ct -F
assert_rc 0 "flush"
ct -C
assert_out "^0$" "count after flush"
SORT=0

sleep 0.5
for n in all tcp newdes xml mark ext; do
  eval "stop_pid \$PID_$n"
  # sorted: a flush reports entries in hash order
  echo "## events $n"
  sed -E -f "$NORM" "$EV/$n.out" | LC_ALL=C sort
  echo "-- stderr"
  sed -E -f "$NORM" "$EV/$n.err"
done
grep -q '\[NEW\]' "$EV/all.out" || fail "no NEW event seen"
grep -q '\[UPDATE\]' "$EV/all.out" || fail "no UPDATE event seen"
grep -q '\[DESTROY\]' "$EV/all.out" || fail "no DESTROY event seen"
grep -q 'udp' "$EV/tcp.out" && fail "-E -p tcp showed udp"
grep -q 'UPDATE' "$EV/newdes.out" && fail "-E -e NEW,DESTROY showed UPDATE"

# Expectations: a real FTP control connection over loopback with the
# ftp helper attached, so the kernel creates one.
[ -x /usr/bin/python3 ] || cannot_run "python3 needed for the FTP expectation"
nsx "$NS" sysctl -qw net.netfilter.nf_conntrack_events=1
nsx "$NS" iptables -t raw -A OUTPUT -p tcp --dport 21 -j CT --helper ftp
cat >"$WORK/ftp.py" <<'EOF'
import socket, sys, time
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 21)); srv.listen(1)
cli = socket.socket(); cli.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
cli.bind(("127.0.0.1", 40021)); cli.connect(("127.0.0.1", 21))
conn, _ = srv.accept()
conn.sendall(b"220 hi\r\n"); cli.recv(100)
# the helper parses only segments that follow a newline it has seen
cli.sendall(b"USER a\r\n"); conn.recv(100)
conn.sendall(b"331 ok\r\n"); cli.recv(100)
cli.sendall(b"PORT 127,0,0,1,39,16\r\n"); conn.recv(100)
conn.sendall(b"200 ok\r\n"); cli.recv(100)
sys.stdout.write("ready\n"); sys.stdout.flush()
time.sleep(float(sys.argv[1]))
EOF
bg_tx "$NS" "$EV/expect.out" "$EV/expect.err" timeout -k 2 30 conntrack -E expect
EXP_PID=$BG_PID
wait_nl_listeners "$NS" 1 || fail "conntrack -E expect did not subscribe"
bg_nsx "$NS" "$WORK/ftp.out" "$WORK/ftp.err" timeout 30 /usr/bin/python3 "$WORK/ftp.py" 20
FTP_PID=$BG_PID
wait_for 10 grep -q ready "$WORK/ftp.out" || fail "ftp exchange did not finish"
ct -L expect
assert_out "1 expectations have been shown" "list expect"
ct -L expect -o xml
ct -G expect -p tcp -s 127.0.0.1 -d 127.0.0.1 --sport 0 --dport 10000 --reply-port-src 1 --reply-port-dst 1
ct -C expect
assert_out "^1$" "count expect"
ct -D expect -p tcp -s 127.0.0.1 -d 127.0.0.1 --sport 0 --dport 10000 --reply-port-src 1 --reply-port-dst 1
ct -L expect
ct -F expect
# create one by hand on the same (still open) ftp master
ct -I expect -p tcp --orig-src 127.0.0.1 --orig-dst 127.0.0.1 --orig-port-src 40021 \
  --orig-port-dst 21 --tuple-src 127.0.0.1 --tuple-dst 127.0.0.1 --tuple-port-src 0 \
  --tuple-port-dst 12345 --mask-src 255.255.255.255 --mask-dst 255.255.255.255 \
  --mask-port-src 0 --mask-port-dst 65535 -t 200
assert_rc 0 "create expect"
ct -L expect
assert_out "1 expectations have been shown" "created expect listed"
ct -L expect -o xml
ct -F expect
stop_pid "$FTP_PID"
sleep 0.5
stop_pid "$EXP_PID"
echo "## events expect"
sed -E -f "$NORM" "$EV/expect.out"
echo "-- stderr"
sed -E -f "$NORM" "$EV/expect.err"
grep -q 'NEW' "$EV/expect.out" || fail "no expectation event"

finish
