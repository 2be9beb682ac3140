#!/usr/bin/env bash
# conntrack(8) with the other layer-4 protocols (sctp with vtags, dccp,
# gre keys, udplite, icmpv6, an unknown protocol), explicit reply
# tuples, orig/reply zones, real loopback traffic with packet and byte
# counters, zeroing counters (-z), the dying and unconfirmed tables,
# and events for all of it.
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v conntrack >/dev/null || cannot_run "conntrack not installed (apt-get install conntrack)"
[ -x /usr/bin/python3 ] || cannot_run "python3 needed for loopback traffic"

ns_add pr
nsx "$NS" sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_events=1
# conntrack tracks traffic in a namespace only once a rule needs it
nsx "$NS" iptables -A INPUT -m conntrack --ctstate NEW,ESTABLISHED
nsx "$NS" ip6tables -A INPUT -m conntrack --ctstate NEW,ESTABLISHED

NORM=$WORK/norm.sed
cat >"$NORM" <<'EOF'
s/^( *\[[A-Z]+\] +)?((ipv4|ipv6|unknown) +[0-9]+ +)?([a-z0-9-]+ +[0-9]+ )[0-9]+ /\1\2\4T /
s/ id=[0-9]{5,}/ id=ID/g
s/ use=[0-9]+/ use=U/g
s/ portid=[0-9]+/ portid=P/g
s/ progname=[^ ]+//g
s/<timeout>[0-9]+</<timeout>T</g
s/<id>[0-9]+</<id>ID</g
s/<use>[0-9]+</<use>U</g
EOF

bg_tx "$NS" "$WORK/ev.out" "$WORK/ev.err" timeout -k 2 30 conntrack -E -o extended
EV_PID=$BG_PID
bg_tx "$NS" "$WORK/ev6.out" "$WORK/ev6.err" timeout -k 2 30 conntrack -E -f ipv6 -o xml
EV6_PID=$BG_PID
wait_nl_listeners "$NS" 2 || fail "the conntrack -E listeners did not subscribe"
assert_lib "$EV_PID" "conntrack -E"

ct() { step "conntrack $*" 10 tx "$NS" conntrack "$@"; }
ct -I -p sctp -s 10.3.0.1 -d 10.3.0.2 --sport 7 --dport 8 --state ESTABLISHED \
  --orig-vtag 1234 --reply-vtag 5678 -t 100
assert_rc 0 "create sctp"
ct -I -p dccp -s 10.3.0.1 -d 10.3.0.2 --sport 7 --dport 8 --state OPEN --role client -t 100
ct -I -p gre -s 10.3.0.1 -d 10.3.0.2 --srckey 0x11 --dstkey 0x22 -t 100
assert_rc 0 "create gre"
ct -I -p udplite -s 10.3.0.1 -d 10.3.0.2 --sport 7 --dport 8 -t 100
ct -I -p icmpv6 -s 2001:db8::1 -d 2001:db8::2 --icmpv6-type 128 --icmpv6-code 0 \
  --icmpv6-id 9 -t 100
assert_rc 0 "create icmpv6"
ct -I -p 99 -s 10.3.0.1 -d 10.3.0.2 -t 100
ct -I -p tcp -s 10.3.0.7 -d 10.3.0.8 -r 10.3.0.9 -q 10.3.0.7 --sport 1 --dport 2 \
  --reply-port-src 2 --reply-port-dst 1 --state ESTABLISHED -t 100
ct -I -p tcp -s 10.3.0.5 -d 10.3.0.6 --sport 1 --dport 2 --state ESTABLISHED -t 100 \
  --orig-zone 3 --reply-zone 4
ct -I -p tcp -s 2001:db8::5 -d 2001:db8::6 --sport 11 --dport 12 --state TIME_WAIT -t 100 -m 7

# real traffic on loopback, fixed ports: counters are exact
nsx "$NS" timeout 10 /usr/bin/python3 -c '
import socket
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.1", 40001))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(("127.0.0.1", 40002))
a.sendto(b"hello", ("127.0.0.1", 40002)); b.recv(100)
a.sendto(b"hello again", ("127.0.0.1", 40002)); b.recv(100)
b.sendto(b"reply", ("127.0.0.1", 40001)); a.recv(100)
a6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); a6.bind(("::1", 40003))
b6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); b6.bind(("::1", 40004))
a6.sendto(b"six", ("::1", 40004)); b6.recv(100)
' || fail "set-up: loopback traffic"

SORT=1
ct -L -o extended
assert_out "gre +47 .*srckey=0x11 dstkey=0x22" "gre keys"
assert_out "sport=40001 dport=40002 packets=2 bytes=72 src=127.0.0.1 dst=127.0.0.1 sport=40002 dport=40001 packets=1 bytes=33" "udp counters"
ct -L -o xml,id
ct -L -p sctp
ct -L -p gre -o xml
ct -L -p dccp
ct -L -p udplite
ct -L -f ipv6
ct -L -f ipv6 -p icmpv6
ct -L -p 99
ct -L -r 10.3.0.9
ct -L -p udp --sport 40001
ct -L -z
ct -L -p udp
assert_out "sport=40001 dport=40002 packets=0 bytes=0" "counters zeroed by -z"
ct -L dying
ct -L unconfirmed
SORT=0
ct -G -p sctp -s 10.3.0.1 -d 10.3.0.2 --sport 7 --dport 8
ct -G -p gre -s 10.3.0.1 -d 10.3.0.2 --srckey 0x11 --dstkey 0x22 -o extended
ct -G -p icmpv6 -s 2001:db8::1 -d 2001:db8::2 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 9
ct -U -p sctp -m 0x77
SORT=1
ct -D -p gre
ct -D -f ipv6
ct -C
ct -F
SORT=0

sleep 0.5
stop_pid "$EV_PID"
stop_pid "$EV6_PID"
for n in ev ev6; do
  echo "## events $n (sorted)"
  sed -E -f "$NORM" "$WORK/$n.out" | LC_ALL=C sort
  echo "-- stderr"
  sed -E -f "$NORM" "$WORK/$n.err"
done
grep -q 'sctp' "$WORK/ev.out" || fail "no sctp event"
grep -q 'protoname="icmp' "$WORK/ev6.out" && grep -q '10.3.0.1' "$WORK/ev6.out" && fail "-f ipv6 showed ipv4"

finish
