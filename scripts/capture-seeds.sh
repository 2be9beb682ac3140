#!/usr/bin/env bash
# Captures real ctnetlink messages for the fuzz seed corpus. Inside a new
# network namespace (the host's table is never touched) it creates
# conntrack entries of both families and several protocols with the
# conntrack CLI, with accounting and timestamps on, plus expectations
# (the ftp helper allows one per master) whose master is a live FTP control connection on loopback; then
# fuzz/capture/ctdump.c dumps both tables and writes each message, as the
# kernel sent it, to OUTDIR (default fuzz/seeds/nlmsg).
#
# Needs root (unshare -n), gcc, libmnl-dev, conntrack, nft, python3.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$TOP/fuzz/seeds/nlmsg}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -Wall -Wextra -Werror -O1 -o "$work/ctdump" "$TOP/fuzz/capture/ctdump.c" -lmnl
mkdir -p "$OUT"
rm -f "$OUT"/ct-*.bin "$OUT"/exp-*.bin

export WORK=$work OUT TOP
unshare -n bash -eu <<'INNER'
ip link set lo up
sysctl -qw net.netfilter.nf_conntrack_acct=1
sysctl -qw net.netfilter.nf_conntrack_timestamp=1
ct() { conntrack -I "$@" >/dev/null 2>&1 || echo "capture-seeds: conntrack -I $* failed" >&2; }
ct -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 1234 --dport 80 --state ESTABLISHED -t 100 -u SEEN_REPLY,ASSURED -m 7
ct -s 10.0.0.1 -d 10.0.0.3 -p udp --sport 53 --dport 53 -t 30 --zone 3
ct -s 10.0.0.1 -d 10.0.0.4 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 77 -t 30
ct -s 10.0.0.1 -d 10.0.0.5 -p sctp --sport 5 --dport 6 --state ESTABLISHED --orig-vtag 1 --reply-vtag 2 -t 30
ct -s 10.0.0.1 -d 10.0.0.6 -p dccp --sport 5 --dport 6 --state OPEN --role client -t 30
ct -s 10.0.0.1 -d 10.0.0.7 -p gre --srckey 1 --dstkey 2 -t 30
ct -s 10.0.0.1 -d 10.0.0.8 -p udplite --sport 5 --dport 6 -t 30
ct -s 10.0.0.1 -d 10.0.0.11 -p tcp --sport 5 --dport 6 --state TIME_WAIT -t 30 --src-nat 1.2.3.4
ct -s 10.0.0.1 -d 10.0.0.12 -p tcp --sport 7 --dport 8 --state SYN_RECV -t 30 --dst-nat 10.9.9.9
ct -s 2001:db8::1 -d 2001:db8::2 -p tcp --sport 1 --dport 22 --state SYN_SENT -t 50 -m 0xffffffff
ct -s 2001:db8::1 -d 2001:db8::3 -p icmpv6 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 5 -t 30
ct -s 2001:db8::1 -d 2001:db8::4 -p udp --sport 500 --dport 4500 -t 30 --zone 65535

nft -f - <<NFT
table inet t {
  ct helper ftph { type "ftp" protocol tcp; }
  chain out { type filter hook output priority 0; tcp dport 21 ct helper set "ftph"; }
}
NFT
python3 "$TOP/fuzz/capture/ftp-master.py" 4 8 & p4=$!
python3 "$TOP/fuzz/capture/ftp-master.py" 6 8 & p6=$!
for i in $(seq 50); do
  [ "$(conntrack -L 2>/dev/null | grep -c 'sport=40000 dport=21 .*helper=ftp')" -ge 2 ] && break
  sleep 0.2
done
ct expect --orig-src 127.0.0.1 --orig-dst 127.0.0.1 -p tcp --orig-port-src 40000 --orig-port-dst 21 \
  --tuple-src 127.0.0.1 --tuple-dst 127.0.0.1 --mask-src 255.255.255.255 --mask-dst 255.255.255.255 \
  --tuple-port-src 0 --tuple-port-dst 2000 --mask-port-src 0 --mask-port-dst 65535 -t 100
ct expect --orig-src ::1 --orig-dst ::1 -p tcp --orig-port-src 40000 --orig-port-dst 21 \
  --tuple-src ::1 --tuple-dst ::1 --mask-src ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff \
  --mask-dst ffff:ffff:ffff:ffff:: --tuple-port-src 0 --tuple-port-dst 2002 \
  --mask-port-src 0 --mask-port-dst 65535 -t 100
"$WORK/ctdump" "$OUT"
kill $p4 $p6 2>/dev/null || true
wait 2>/dev/null || true
INNER
ls "$OUT" | wc -l
