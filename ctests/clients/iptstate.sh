#!/usr/bin/env bash
# iptstate(8) single-run mode (-1) with sorting, filters, counters and
# totals, on a pseudo-terminal of fixed size (iptstate sizes its columns
# from the terminal). Entries are made with conntrack (original library).
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v iptstate >/dev/null || cannot_run "iptstate not installed (apt-get install iptstate)"
command -v script >/dev/null || cannot_run "script(1) (bsdutils) needed for a pty"

ns_add is
nsx "$NS" sysctl -qw net.netfilter.nf_conntrack_acct=1
setup() { nsx "$NS" timeout 10 conntrack "$@" >/dev/null 2>&1 || fail "set-up: conntrack $*"; }
setup -I -p tcp -s 10.1.0.1 -d 10.2.0.1 --sport 1001 --dport 80 --state ESTABLISHED -t 300 -m 1
setup -I -p tcp -s 10.1.0.2 -d 10.2.0.3 --sport 1002 --dport 443 --state SYN_SENT -t 100
setup -I -p udp -s 10.1.0.9 -d 10.2.0.9 --sport 5353 --dport 53 -t 200
setup -I -p icmp -s 10.1.0.8 -d 10.2.0.8 --icmp-type 8 --icmp-code 0 --icmp-id 7 -t 30
setup -I -p tcp -s 127.0.0.1 -d 127.0.0.1 --sport 4000 --dport 22 --state ESTABLISHED -t 300
setup -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 5 --dport 6 -t 30

NORM=$WORK/norm.sed
cat >"$NORM" <<'EOF'
s/\r$//
s/[0-9]+:[0-9]{2}:[0-9]{2} *$/TTL/
EOF

ist() {
  local q
  printf -v q '%q ' iptstate "$@"
  step "iptstate $*" 10 tx "$NS" script -qec "stty cols 132 rows 50; exec $q" /dev/null
}
ist -1
assert_rc 0 "single run"
assert_out "10.1.0.1:1001" "tcp entry shown"
ist -1 -t
assert_out "Total States: 6" "totals"
ist -1 -C
ist -1 -b d
# protocol, state and TTL have ties, left in dump (hash) order: sorted
SORT=1
ist -1 -b p -r
ist -1 -b s
ist -1 -b t
SORT=0
ist -1 -s 10.1.0.0/24
ist -1 -d 10.2.0.9
ist -1 -D 80
ist -1 -S 1002
ist -1 -i -s 10.1.0.0/24
ist -1 -f -t
ist -1 -o -c

finish
