#!/usr/bin/env bash
# flowtop (netsniff-ng) under tmux: its dump at start, then live events
# (an entry created and one destroyed with conntrack, original library),
# read off the screen with capture-pane; quit with 'q'.
# shellcheck source=ctests/clients/lib.sh
. "$(dirname "$0")/lib.sh"

command -v flowtop >/dev/null || cannot_run "flowtop not installed (apt-get install netsniff-ng)"
command -v tmux >/dev/null || cannot_run "tmux not installed (apt-get install tmux)"

ns_add ft
setup() { nsx "$NS" timeout 10 conntrack "$@" >/dev/null 2>&1 || fail "set-up: conntrack $*"; }
setup -I -p tcp -s 10.1.0.1 -d 10.2.0.1 --sport 1001 --dport 80 --state ESTABLISHED -t 300 -m 1
# (one TCP flow at start: several would be listed in dump/hash order)
setup -I -p udp -s 10.1.0.9 -d 10.2.0.9 --sport 5353 --dport 53 -t 200

SOCK=$WORK/tmux.sock
tm() { timeout 10 tmux -S "$SOCK" "$@"; }
libenv=()
[ -z "$TLIB" ] || libenv=(LD_LIBRARY_PATH="$TLIB")
# The tmux server (no libnetfilter_conntrack in it) runs in the
# namespace; flowtop runs in its pane on the library under test.
timeout 10 env -u LD_LIBRARY_PATH ip netns exec "$NS" tmux -S "$SOCK" -f /dev/null \
  new-session -d -x 150 -y 30 \
  "env ${libenv[*]} flowtop -46TUISs -n -G -t 1; echo flowtop-exit=\$?; sleep 60" \
  || cannot_run "tmux new-session failed"
TMUX_PID=$(tm display-message -p '#{pid}' 2>/dev/null || true)
[ -z "$TMUX_PID" ] || track_pid "$TMUX_PID"

grab() { tm capture-pane -p >"$WORK/screen" || : >"$WORK/screen"; }
snap() { # snap LABEL: the screen, without trailing blank lines
  echo "## screen: $1"
  tm capture-pane -p | sed -E -e 's/[[:space:]]*$//' \
    -e 's/^( +[a-z0-9]+ +[A-Z_]+) +([0-9]+[smhd] +)?([0-9a-f.:]+)/\1 TIME \3/' |
    sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}
wait_for 10 sh -c "tmux -S '$SOCK' capture-pane -p | grep -qE '10.2.0.1|flowtop-exit='" || true
sleep 1
snap "start"
[ -z "$TMUX_PID" ] || assert_lib "$TMUX_PID" "flowtop"
grab; grep -q '10.2.0.1' "$WORK/screen" || fail "flowtop does not show the tcp flow"

setup -I -p tcp -s 10.1.0.3 -d 10.2.0.4 --sport 1003 --dport 22 --state ESTABLISHED -t 300
setup -D -p tcp -s 10.1.0.1
# flowtop redraws on its own clock: wait until the screen shows the new
# flow and no longer the destroyed one (or flowtop has exited).
wait_for 15 sh -c "tmux -S '$SOCK' capture-pane -p >'$WORK/poll'; grep -q flowtop-exit= '$WORK/poll' || { grep -q '10.2.0.4' '$WORK/poll' && ! grep -q '10.2.0.1 ' '$WORK/poll'; }" || true
snap "after one new and one destroyed flow"
grab; grep -q '10.2.0.4' "$WORK/screen" || fail "flowtop did not show the new flow"
grep -q '10.2.0.1 ' "$WORK/screen" && fail "flowtop still shows the destroyed flow"

tm send-keys q
wait_for 10 sh -c "tmux -S '$SOCK' capture-pane -p | grep -q flowtop-exit=" || true
snap "after q"
grab; grep -q 'flowtop-exit=0' "$WORK/screen" || fail "flowtop did not exit 0 on q"
tm kill-server || true

finish
