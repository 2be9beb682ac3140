# Helper of t-filter-matrix.sh, run with the system's
# conntrack tool (the original library): empties the table and builds the
# fixed one, 13 entries: both families; tcp in several states, udp, icmp,
# icmpv6, sctp; marks, zones, status bits. With argument "events" it then
# updates four entries (mark, tcp state) and flushes the table, so that
# listeners see 13 new, 4 update and 13 destroy events.
# Note: conntrack 1.4.7 lets -u overwrite an earlier -m, so -u comes first.
set -eu
I() { conntrack -I -t 300 "$@" >/dev/null 2>&1 || { echo "conntrack -I $* failed" >&2; exit 1; }; }
tcp() { I -p tcp "$@"; }
I_all() {
tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1001 --dport 80 --state ESTABLISHED -u SEEN_REPLY,ASSURED -m 1
tcp -s 10.0.0.3 -d 192.168.1.1 --sport 1002 --dport 443 --state SYN_SENT -m 0x101
tcp -s 10.1.0.1 -d 10.0.0.2 --sport 1003 --dport 22 --state TIME_WAIT -u SEEN_REPLY
I -p udp -s 10.0.0.1 -d 192.168.1.2 --sport 5000 --dport 53 -u ASSURED -m 2
I -p udp -s 172.16.0.1 -d 10.0.0.2 --sport 5001 --dport 53 -w 7
I -p icmp -s 10.0.0.5 -d 10.0.0.6 --icmp-type 8 --icmp-code 0 --icmp-id 1 -m 5
I -p sctp -s 10.0.0.7 -d 10.0.0.8 --sport 1 --dport 2 --state ESTABLISHED --orig-vtag 1 --reply-vtag 2 -u SEEN_REPLY -m 3
tcp -s 10.0.0.9 -d 10.0.0.2 --sport 1004 --dport 80 --state ESTABLISHED -w 8 -u SEEN_REPLY -m 0x200
tcp -s 2001:db8::1 -d 2001:db8::2 --sport 1005 --dport 80 --state ESTABLISHED -u SEEN_REPLY,ASSURED -m 1
tcp -s 2001:db8::3 -d 2001:db8:1::1 --sport 1006 --dport 443 --state SYN_RECV -m 0x201
I -p udp -s fd00::1 -d 2001:db8::2 --sport 5002 --dport 53 -m 4 -w 7
I -p icmpv6 -s 2001:db8::5 -d 2001:db8::6 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 1
I -p sctp -s 2001:db8::7 -d fd00::8 --sport 3 --dport 4 --state COOKIE_WAIT --orig-vtag 3 --reply-vtag 4 -m 0x100
}
U() { conntrack -U "$@" >/dev/null 2>&1 || { echo "conntrack -U $* failed" >&2; exit 1; }; }
conntrack -F >/dev/null 2>&1 || true
I_all
if [ "${1:-}" = events ]; then
  U -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1001 --dport 80 -m 0x11
  U -p tcp -s 10.0.0.3 -d 192.168.1.1 --sport 1002 --dport 443 --state ESTABLISHED
  U -p tcp -s 2001:db8::1 -d 2001:db8::2 --sport 1005 --dport 80 -m 0
  U -p udp -s 10.0.0.1 -d 192.168.1.2 --sport 5000 --dport 53 -m 6
  conntrack -F >/dev/null 2>&1
fi
