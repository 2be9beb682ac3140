#!/usr/bin/env bash
# ulogd2 with the NFCT input plugin: three stacks in one daemon
#  - NFCT (event mode, hash on, src/proto filters -> kernel BPF)
#    -> IP2STR -> PRINTFLOW -> LOGEMU file
#  - NFCT (hash off) -> GPRINT file
#  - NFCT -> XML directory (nfct_snprintf)
# Flows are created and destroyed with conntrack (original library).
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v ulogd >/dev/null || cannot_run "ulogd2 not installed (apt-get install ulogd2)"
PLUG=/usr/lib/x86_64-linux-gnu/ulogd
[ -f "$PLUG/ulogd_inpflow_NFCT.so" ] || cannot_run "no NFCT plugin in $PLUG"

ns_add ul
nsx "$NS" sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
mkdir -p "$WORK/xml"
cat >"$WORK/ulogd.conf" <<EOF
[global]
logfile="$WORK/ulogd.log"
loglevel=5
plugin="$PLUG/ulogd_inpflow_NFCT.so"
plugin="$PLUG/ulogd_filter_IP2STR.so"
plugin="$PLUG/ulogd_filter_PRINTFLOW.so"
plugin="$PLUG/ulogd_output_LOGEMU.so"
plugin="$PLUG/ulogd_output_GPRINT.so"
plugin="$PLUG/ulogd_output_XML.so"
stack=ct1:NFCT,ip2str1:IP2STR,print1:PRINTFLOW,emu1:LOGEMU
stack=ct2:NFCT,gp1:GPRINT
stack=ct3:NFCT,xml1:XML

[ct1]
accept_src_filter=10.1.0.0/24
accept_proto_filter=tcp,udp

[ct2]
hash_enable=0

[ct3]
hash_enable=0

[emu1]
file="$WORK/emu.log"
sync=1

[gp1]
file="$WORK/gprint.log"
sync=1
timestamp=0

[xml1]
directory="$WORK/xml/"
sync=1
EOF

bg_tx "$NS" "$WORK/d.out" "$WORK/d.err" timeout -k 2 60 ulogd -c "$WORK/ulogd.conf"
PID=$BG_PID
POLL_PIDS=$PID
# subscribed once all three NFCT instances say so
wait_for 10 sh -c "[ \$(grep -cs 'working in event mode' '$WORK/ulogd.log') -ge 3 ]" \
  || fail "ulogd did not start its NFCT instances"
assert_lib "$PID" "ulogd"
wait_nl_listeners "$NS" 3 || fail "ulogd's NFCT instances did not subscribe"
sleep 0.3
kill -0 "$PID" 2>/dev/null || fail "ulogd exited early"

setup() { nsx "$NS" timeout 10 conntrack "$@" >/dev/null 2>&1 || fail "set-up: conntrack $*"; }
setup -I -p tcp -s 10.1.0.1 -d 10.2.0.1 --sport 1001 --dport 80 --state ESTABLISHED -t 300 -m 1
setup -I -p udp -s 10.1.0.9 -d 10.2.0.9 --sport 53 --dport 53 -t 300
setup -I -p udp -s 10.5.0.1 -d 10.2.0.9 --sport 53 --dport 53 -t 300
setup -I -p icmp -s 10.1.0.8 -d 10.2.0.8 --icmp-type 8 --icmp-code 0 --icmp-id 7 -t 30
sleep 1
setup -D -p tcp -s 10.1.0.1
setup -D -p udp -s 10.1.0.9
setup -D -p udp -s 10.5.0.1
setup -D -p icmp
wait_for 10 grep -qs 'SRC=10.1.0.9' "$WORK/emu.log" || true
wait_for 10 sh -c "[ \$(grep -cs 'ct.event=4' '$WORK/gprint.log') -ge 4 ]" || true
wait_for 10 sh -c "[ \$(cat '$WORK'/xml/* | grep -c '<flow>') -ge 8 ]" || true
stop_pid "$PID"

NORM=$WORK/norm.sed
cat >"$NORM" <<'EOF'
s/^[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [^ ]+ /DATE HOST /
s/(flow\.(start|end)\.u?sec)=[0-9]+/\1=N/g
s/(ct\.id)=[0-9]+/\1=ID/g
s/(oob\.(time\.)?(sec|usec))=[0-9]+/\1=N/g
s/ctid=[0-9]+/ctid=ID/g
s/<id>[0-9]+</<id>ID</g
s/<timeout>[0-9]+</<timeout>T</g
s/<deltatime>[0-9]+</<deltatime>D</g
s/<(start|stop)>[0-9]+</<\1>S</g
s/<when>.*<\/when>/<when>W<\/when>/
s/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4} <[0-9]>/DATE <L>/
EOF
echo "## LOGEMU (PRINTFLOW, filtered to 10.1.0.0/24 tcp,udp)"
sed -E -f "$NORM" "$WORK/emu.log" 2>/dev/null | LC_ALL=C sort || true
grep -q 'SRC=10.1.0.1 ' "$WORK/emu.log" 2>/dev/null || fail "LOGEMU has no tcp flow"
grep -q '10.5.0.1' "$WORK/emu.log" 2>/dev/null && fail "LOGEMU ignored accept_src_filter"
echo "## GPRINT"
sed -E -f "$NORM" "$WORK/gprint.log" 2>/dev/null | LC_ALL=C sort || true
grep -q '10.5.0.1' "$WORK/gprint.log" 2>/dev/null || fail "GPRINT has no flow"
echo "## XML"
cat "$WORK"/xml/* 2>/dev/null | sed -E -f "$NORM" | LC_ALL=C sort || true
grep -qs '10.1.0.9' "$WORK"/xml/* || fail "XML has no flow"
echo "## ulogd log"
sed -E -f "$NORM" "$WORK/ulogd.log" 2>/dev/null || true

finish
