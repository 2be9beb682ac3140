#!/usr/bin/env bash
# oidentd -m (NAT/masquerade lookups through nfct_query NFCT_Q_DUMP and
# nfct_snprintf). Three namespaces: client C behind router R, which
# masquerades towards server S; S asks R's oidentd who owns the
# connection, and oidentd must find the NATed entry in the conntrack
# table and answer from its oidentd_masq.conf (an /etc overlay).
# oidentd falls back to /proc/net/nf_conntrack when the library fails or
# finds nothing: that file is hidden from it (a tmpfs on its
# /proc/<pid>/net), so only the library path can answer.
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v oidentd >/dev/null || cannot_run "oidentd not installed (apt-get install oidentd)"
[ -x /usr/bin/python3 ] || cannot_run "python3 needed for client and server"

ns_add c
NSC=$NS
ns_add r
NSR=$NS
ns_add s
NSS=$NS
v1=ctcC$$ v2=ctcRc$$ v3=ctcRs$$ v4=ctcS$$
timeout 10 ip link add "${v1:0:15}" netns "$NSC" type veth peer name "${v2:0:15}" netns "$NSR" \
  || cannot_run "cannot create veth pairs"
timeout 10 ip link add "${v3:0:15}" netns "$NSR" type veth peer name "${v4:0:15}" netns "$NSS"
timeout 10 ip -n "$NSC" addr add 10.10.0.2/24 dev "${v1:0:15}"
timeout 10 ip -n "$NSR" addr add 10.10.0.1/24 dev "${v2:0:15}"
timeout 10 ip -n "$NSR" addr add 10.20.0.1/24 dev "${v3:0:15}"
timeout 10 ip -n "$NSS" addr add 10.20.0.2/24 dev "${v4:0:15}"
for x in "$NSC ${v1:0:15}" "$NSR ${v2:0:15}" "$NSR ${v3:0:15}" "$NSS ${v4:0:15}"; do
  # shellcheck disable=SC2086 # split "namespace device"
  set -- $x
  timeout 10 ip -n "$1" link set "$2" up
done
timeout 10 ip -n "$NSC" route add default via 10.10.0.1
nsx "$NSR" sysctl -qw net.ipv4.ip_forward=1
nsx "$NSR" iptables -t nat -A POSTROUTING -o "${v3:0:15}" -j MASQUERADE

etc_overlay_init
printf '10.10.0.0/24\talice\tUNIX\n' >"$ETC_UPPER/oidentd_masq.conf"
: >"$WORK/oidentd.conf"

# (timeout outside: the tmpfs hides the file from the mounting process
# only, so oidentd must be that process, exec'd)
_ns_argv "$NSR" "$TLIB" sh -c 'mount -t tmpfs none /proc/$$/net && exec "$@"' sh \
  oidentd -i -m -S -d -u root -g root -a 10.20.0.1 -p 113 -C "$WORK/oidentd.conf"
timeout -k 2 60 "${ARGV[@]}" >"$WORK/oid.out" 2>"$WORK/oid.err" </dev/null &
OID_PID=$!
POLL_PIDS=$OID_PID
track_pid "$OID_PID"

cat >"$WORK/server.py" <<'EOF'
import socket, sys
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("10.20.0.2", 6667)); srv.listen(1)
print("listening", flush=True)
conn, peer = srv.accept()
print("connection from %s" % peer[0], flush=True)
q = socket.create_connection(("10.20.0.1", 113), timeout=5)
q.sendall(b"%d , 6667\r\n" % peer[1])
q.settimeout(5)
try:
    r = q.recv(512).decode().strip()
except OSError as e:
    r = "no answer: %s" % e
print("ident: " + r.replace(str(peer[1]), "PORT"), flush=True)
EOF
cat >"$WORK/client.py" <<'EOF'
import socket, time
c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
c.bind(("10.10.0.2", 40000)); c.settimeout(5)
c.connect(("10.20.0.2", 6667))
print("connected", flush=True)
time.sleep(8)
EOF
bg_nsx "$NSS" "$WORK/server.out" "$WORK/server.err" timeout 20 /usr/bin/python3 "$WORK/server.py"
SRV_PID=$BG_PID
wait_for 5 grep -q listening "$WORK/server.out" || fail "server did not start"
wait_for 10 sh -c "ip netns exec '$NSR' ss -ltnH 'sport = :113' | grep -q ." \
  || fail "oidentd is not listening"
assert_lib "$OID_PID" "oidentd"
bg_nsx "$NSC" "$WORK/client.out" "$WORK/client.err" timeout 20 /usr/bin/python3 "$WORK/client.py"
wait_for 10 grep -q '^ident:' "$WORK/server.out" || fail "no ident answer line"
stop_pid "$SRV_PID"

echo "## server"
cat "$WORK/server.out" "$WORK/server.err"
grep -q 'USERID *: *UNIX *: *alice' "$WORK/server.out" || fail "oidentd did not answer alice"
stop_pid "$OID_PID"
echo "## oidentd stderr"
sed -E -e 's/^[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [^ ]+ //' -e 's/\[[0-9]+\]/[PID]/' -e 's/(Connection from [0-9.]+):[0-9]+/\1:PORT/' "$WORK/oid.err" "$WORK/oid.out"

finish
