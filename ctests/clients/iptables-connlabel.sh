#!/usr/bin/env bash
# iptables' connlabel match (libxt_connlabel: nfct_labelmap_* and
# nfct_labels_get_path) with the nft and the legacy backends and with
# ip6tables: rules by name and by number, listing (names printed back),
# unknown names, a missing connlabel.conf, and a rule that sets a label
# on real loopback traffic and one that matches it.
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v iptables >/dev/null || cannot_run "iptables not installed (apt-get install iptables)"
command -v iptables-legacy >/dev/null || cannot_run "iptables-legacy missing"

NORM=$WORK/norm.sed
cat >"$NORM" <<'EOF'
s/ on [A-Z][a-z]{2} [A-Z][a-z]{2} .*$/ on DATE/
s/^(udp +17 )[0-9]+ /\1T /
s/sport=[0-9]+ dport=9 /sport=EPH dport=9 /
s/sport=9 dport=[0-9]+ /sport=9 dport=EPH /
EOF
ipt() { step "$*" 10 tx "$NS" "$@"; }

# 1. no /etc/xtables/connlabel.conf at all (the host has none; if it
#    had one, hide it behind an empty overlay directory)
etc_overlay_init
ns_add nocfg
if [ -e /etc/xtables/connlabel.conf ]; then
  mkdir -p "$ETC_UPPER/xtables"
  : >"$ETC_UPPER/xtables/connlabel.conf"
  echo "## (host has a connlabel.conf: replaced by an empty one)"
else
  ETC_UPPER=
fi
for b in iptables-nft iptables-legacy; do
  ipt $b -A INPUT -m connlabel --label 3
  assert_rc 0 "$b numeric label without config"
  ipt $b -A INPUT -m connlabel --label foo
  assert_rc 2 "$b unknown name without config"
  ipt $b -S INPUT
done

# 2. with a connlabel.conf of the test's own
etc_overlay_init
mkdir -p "$ETC_UPPER/xtables"
cat >"$ETC_UPPER/xtables/connlabel.conf" <<'EOF'
# labels of this test
0	eth0-in
1	eth0-out
2	ppp-in
7 seen-by-test
40 high-bit
127 last
EOF
ns_add cfg
for b in iptables-nft iptables-legacy; do
  ipt $b -A INPUT -m connlabel --label eth0-in
  assert_rc 0 "$b label by name"
  ipt $b -A INPUT -m connlabel ! --label ppp-in
  ipt $b -A INPUT -m connlabel --label high-bit --set
  ipt $b -A INPUT -m connlabel --label 127
  ipt $b -A INPUT -m connlabel --label 5
  ipt $b -A INPUT -m connlabel --label nosuch
  assert_rc 2 "$b unknown name"
  ipt $b -A INPUT -m connlabel --label 128
  ipt $b -S INPUT
  assert_out "--label \"?eth0-in\"?" "$b lists the name back"
  ipt $b -L INPUT -n
done
ipt ip6tables-nft -A INPUT -m connlabel --label eth0-out --set
ipt ip6tables-legacy -A INPUT -m connlabel --label last
ipt ip6tables-nft -S INPUT
ipt ip6tables-legacy -S INPUT
ipt iptables-nft-save -t filter
ipt iptables-legacy-save -t filter

# 3. real traffic on loopback: label set on OUTPUT, matched on INPUT
ns_add traffic
ipt iptables-nft -t mangle -A OUTPUT -p udp --dport 9 -m connlabel --label seen-by-test --set
ipt iptables-nft -A INPUT -p udp --dport 9 -m connlabel --label seen-by-test -j ACCEPT
nsx "$NS" timeout 5 bash -c 'echo x >/dev/udp/127.0.0.1/9' 2>/dev/null || true
nsx "$NS" timeout 5 bash -c 'echo y >/dev/udp/127.0.0.1/9' 2>/dev/null || true
ipt iptables-nft -L INPUT -n -v -x
assert_out "^ +2 +[0-9]+ ACCEPT" "label match counted the packets"
step "conntrack -L -o labels (original library)" 10 nsx "$NS" conntrack -L -o labels -p udp
assert_out "labels=seen-by-test" "kernel entry carries the label"

finish
