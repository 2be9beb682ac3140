#!/bin/bash
# Runs each example of the Rust API (examples/) inside a fresh network
# namespace holding a few entries made with the conntrack tool, and checks
# its output: list against `conntrack -L`, watch against the events the
# script causes, delete against what is left. Needs root and conntrack(8).
# The host's table is never touched: everything runs under unshare --net.
#
#   bash scripts/examples.sh         # builds the examples (release) first
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"

if ! command -v conntrack >/dev/null || ! command -v unshare >/dev/null; then
	echo "examples.sh: needs conntrack(8) and unshare(1)" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	if [ -n "${CI:-}" ]; then echo "examples.sh: needs root" >&2; exit 1; fi
	echo "examples.sh: skipped, needs root (network namespaces)" >&2
	exit 0
fi

cargo build --release --examples --quiet
BIN=$TOP/target/release/examples
export BIN
fail=0

# Runs the shell snippet $2 in a new network namespace with three entries.
run() {
	local name=$1 body=$2
	if unshare --net bash -euo pipefail -c '
		add() { conntrack -I "$@" -t 100 >/dev/null 2>&1; }
		add -p udp -s 192.0.2.1 -d 192.0.2.2 --sport 1000 --dport 53 -m 1
		add -p udp -s 192.0.2.1 -d 192.0.2.3 --sport 1001 --dport 53 -m 1
		add -p tcp -s 192.0.2.1 -d 192.0.2.2 --sport 40000 --dport 80 --state ESTABLISHED -m 2
		'"$body"; then
		echo "ok   $name"
	else
		echo "FAIL $name"
		fail=1
	fi
}

run list '
	diff <("$BIN/list" 2>/dev/null | sort) <(conntrack -L 2>/dev/null | sort)
	stats=$("$BIN/list" --stats 2>/dev/null)
	grep -qx "entries 3 max [0-9]*" <<<"$stats"
	grep -q "^cpu=0 " <<<"$stats"
	# A reader that quits early ends the example quietly.
	"$BIN/list" --stats 2>/dev/null | head -n 1 >/dev/null
'

# From outside a namespace, through its file: the example runs in this
# script's namespace and only opens its socket in the named one.
ns=examples-$$
if ip netns add "$ns"; then
	ip netns exec "$ns" conntrack -I -p udp -s 192.0.2.1 -d 192.0.2.2 --sport 1000 --dport 53 -t 100 -m 1 >/dev/null 2>&1
	if diff <("$BIN/list" --netns "/run/netns/$ns" 2>/dev/null) \
		<(ip netns exec "$ns" conntrack -L 2>/dev/null); then
		echo "ok   list-netns"
	else
		echo "FAIL list-netns"
		fail=1
	fi
	ip netns del "$ns"
else
	echo "FAIL list-netns (ip netns add)"
	fail=1
fi

run watch '
	out=$(mktemp) err=$(mktemp)
	"$BIN/watch" --count 3 --seconds 5 >"$out" 2>"$err" &
	for _ in $(seq 100); do grep -q watching "$err" && break; sleep 0.1; done
	conntrack -I -p udp -s 192.0.2.9 -d 192.0.2.2 --sport 7 --dport 7 -t 50 >/dev/null 2>&1
	# The entry updated is one created while watch listens: with the
	# kernel default nf_conntrack_events=2, an entry created with no
	# listener in its namespace never reports events.
	conntrack -U -p udp -s 192.0.2.9 -m 5 >/dev/null 2>&1
	conntrack -D -p udp -s 192.0.2.9 >/dev/null 2>&1
	wait
	grep -q "^ *\[NEW\] udp      17 50 src=192.0.2.9 dst=192.0.2.2 sport=7 dport=7 " "$out"
	grep -q "^ *\[UPDATE\] udp      17 .*src=192.0.2.9 .*mark=5" "$out"
	grep -q "^ *\[DESTROY\] udp      17 .*src=192.0.2.9 " "$out"
	[ "$(wc -l <"$out")" = 3 ]
'

run watch-filter '
	out=$(mktemp) err=$(mktemp)
	"$BIN/watch" --proto 6 --seconds 2 >"$out" 2>"$err" &
	for _ in $(seq 100); do grep -q watching "$err" && break; sleep 0.1; done
	conntrack -I -p udp -s 192.0.2.9 -d 192.0.2.2 --sport 7 --dport 7 -t 50 >/dev/null 2>&1
	conntrack -I -p tcp -s 192.0.2.9 -d 192.0.2.2 --sport 7 --dport 7 --state SYN_SENT -t 50 >/dev/null 2>&1
	wait
	[ "$(wc -l <"$out")" = 1 ]
	grep -q "^ *\[NEW\] tcp      6 50 SYN_SENT src=192.0.2.9 " "$out"
'

run delete '
	"$BIN/delete" --mark 1 --dst 192.0.2.3 2>/dev/null | grep -q "dst=192.0.2.3 sport=1001 dport=53"
	[ "$(conntrack -L 2>/dev/null | wc -l)" = 2 ]
	"$BIN/delete" --mark 0x1/0xff >/dev/null 2>&1
	conntrack -L 2>/dev/null | grep -q "sport=40000"
	[ "$(conntrack -L 2>/dev/null | wc -l)" = 1 ]
	"$BIN/delete" --proto 6 2>&1 | grep -q "1 flow entries have been deleted"
	[ "$(conntrack -L 2>/dev/null | wc -l)" = 0 ]
'

exit $fail
