#!/usr/bin/env bash
# A conntrack(8) session in a fresh network namespace: insert, list, get,
# update, delete, count, flush and events. Prints what the tool printed,
# with the volatile fields (timeouts, ids, timestamps) blanked out and
# listings sorted. t-kernel.sh runs it on each library and compares.
if [ "${1:-}" != inner ]; then
  exec unshare -n bash "$0" inner
fi
sysctl -qw net.netfilter.nf_conntrack_acct=1
run() {
  echo "\$ conntrack $*"
  conntrack "$@" > out.txt 2> err.txt
  echo "rc=$?"
  sed -E -e 's/^([a-z0-9]+ +[0-9]+ )[0-9]+ /\1T /' \
         -e 's/^(ipv[46] +[0-9]+ [a-z0-9]+ +[0-9]+ )[0-9]+ /\1T /' \
         -e 's/(\[[A-Z]+\] +[a-z0-9]+ +[0-9]+ )[0-9]+ /\1T /' \
         -e 's/id=[0-9]{5,}/id=X/g' -e 's/<id>[0-9]+</<id>X</' \
         -e 's/<timeout>[0-9]+</<timeout>T</' out.txt | sort
  cat err.txt
}
cd "$(mktemp -d)" || exit 1
trap 'kill $ev 2>/dev/null; cd /; rm -rf "$OLDPWD"' EXIT
A="-s 192.0.2.1 -d 192.0.2.2"
conntrack -E > events.txt 2>&1 &
ev=$!
sleep 0.5
run -I -p tcp $A --sport 1000 --dport 80 --state ESTABLISHED -u SEEN_REPLY -t 1000 -m 5
run -I -p udp $A --sport 1001 --dport 53 -t 1000 -m 6
run -I -p icmp $A --icmp-type 8 --icmp-code 0 --icmp-id 7 -t 1000
run -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 1 --dport 2 -t 1000 -m 5
run -I -p udp $A --sport 1001 --dport 53 -t 1000
run -I -p sctp $A --sport 5 --dport 6 --state ESTABLISHED --orig-vtag 1 --reply-vtag 2 -t 1000
run -L
run -L -f ipv6
run -L -m 5
run -L -o extended
run -L -p udp
run -G -p udp $A --sport 1001 --dport 53
run -G -p udp $A --sport 1999 --dport 53
run -U -p tcp $A --sport 1000 --dport 80 -m 7
run -U -m 9 -p udp
run -L -m 9
run -C
run -D -p udp $A --sport 1001 --dport 53
run -D -p udp $A --sport 1001 --dport 53
run -D -m 5
run -C
run -L -o xml
run -F
run -L
run -L expect
run -F expect
run -L expect
sleep 0.5
kill -INT $ev
wait $ev
# The flush reports entries in hash order: sorted.
echo "\$ conntrack -E"
sed -E -e 's/(\[[A-Z]+\] +[a-z0-9]+ +[0-9]+ )[0-9]+ /\1T /' -e 's/ \[USERSPACE\].*//' events.txt | sort
