#!/usr/bin/env bash
# dnsmasq --conntrack: the mark of an incoming query's conntrack entry
# (read with nfct_query NFCT_Q_GET) must be set on the upstream query.
# Client and the upstream server (a second dnsmasq, original library)
# are on loopback in the namespace; iptables connmark rules set the
# mark on the query and save the upstream packet's mark to its entry.
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v dnsmasq >/dev/null || cannot_run "dnsmasq not installed (apt-get install dnsmasq-base)"
case $(timeout 10 dnsmasq --version) in *" conntrack"*) ;; *) cannot_run "dnsmasq built without conntrack" ;; esac
[ -x /usr/bin/python3 ] || cannot_run "python3 needed for the DNS client"

ns_add dm
nsx "$NS" iptables -t mangle -A OUTPUT -p udp -d 127.0.0.1 --dport 53 -j CONNMARK --set-mark 0x42
nsx "$NS" iptables -t mangle -A OUTPUT -p udp -d 127.0.0.2 --dport 5353 -m mark --mark 0x42 \
  -j CONNMARK --save-mark
nsx "$NS" iptables -t mangle -A OUTPUT -p udp -d 127.0.0.2 --dport 5353 -m mark --mark 0x42

common=(--keep-in-foreground --no-resolv --no-hosts --bind-interfaces --user=root
  --pid-file= --cache-size=0)
# upstream: answers for test.example itself
bg_nsx "$NS" "$WORK/up.out" "$WORK/up.err" timeout -k 2 60 dnsmasq "${common[@]}" \
  --listen-address=127.0.0.2 --port=5353 --address=/test.example/10.9.9.9 \
  --log-facility="$WORK/up.log"
# under test: forwards to upstream, with --conntrack
bg_tx "$NS" "$WORK/dm.out" "$WORK/dm.err" timeout -k 2 60 dnsmasq "${common[@]}" \
  --listen-address=127.0.0.1 --port=53 --server=127.0.0.2#5353 --conntrack \
  --log-queries --log-facility="$WORK/dm.log"
DM_PID=$BG_PID
POLL_PIDS=$DM_PID
wait_for 10 grep -qs 'using nameserver' "$WORK/dm.log" || fail "dnsmasq under test did not start"
assert_lib "$DM_PID" "dnsmasq"
wait_for 10 grep -qs 'started' "$WORK/up.log" || fail "upstream dnsmasq did not start"
sleep 0.3

cat >"$WORK/q.py" <<'EOF'
import socket, struct, sys
name = sys.argv[1]
q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
q += struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 40053))
s.settimeout(5)
s.sendto(q, ("127.0.0.1", 53))
r = s.recv(512)
rcode = r[3] & 15
an = struct.unpack(">H", r[6:8])[0]
print("rcode=%d answers=%d addr=%s" % (rcode, an, ".".join(str(b) for b in r[-4:]) if an else "-"))
EOF
step "query test.example via dnsmasq --conntrack" 10 nsx "$NS" /usr/bin/python3 "$WORK/q.py" test.example
assert_out "rcode=0 answers=1 addr=10.9.9.9" "answer"
kill -0 "$DM_PID" 2>/dev/null || fail "dnsmasq under test died"

NORM=$WORK/norm.sed
cat >"$NORM" <<'EOF'
s/^(udp +17 )[0-9]+ /\1T /
s/sport=[0-9]+ dport=5353 /sport=EPH dport=5353 /
s/sport=5353 dport=[0-9]+ /sport=5353 dport=EPH /
s/ use=[0-9]+//
s/^ +([0-9]+) +[0-9]+ /\1 BYTES /
EOF
SORT=1
step "conntrack -L (original library)" 10 nsx "$NS" conntrack -L -p udp
assert_out "dport=5353 .*mark=66" "upstream query carries the query's mark"
SORT=0
step "iptables -t mangle -L OUTPUT -v -x -n" 10 nsx "$NS" iptables -t mangle -L OUTPUT -v -x -n
stop_pid "$DM_PID"
echo "## dnsmasq log"
sed -E -e 's/^[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} dnsmasq\[[0-9]+\]: ([0-9]+ )?/LOG: /' \
  -e 's/127.0.0.1\/40053/CLIENT/' "$WORK/dm.log" | grep -v -e 'compile time options' -e 'started, version' || true

finish
