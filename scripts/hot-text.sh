#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Writes or checks src/hot-text.ld, the list of the library's functions
# that build.rs has the linker place together at the start of the code.
#
#   bash scripts/hot-text.sh           profile, then add what ran to the list
#   bash scripts/hot-text.sh --fresh   profile, then write the list anew
#   bash scripts/hot-text.sh --check   profile, then fail if a function of the
#                                      library ran outside that hot text, or
#                                      if the library needs libgcc_s
#
# The profile is a set of client workloads run under valgrind's callgrind
# with our built library ($LIBDIR, default build/lib), in network
# namespaces of their own: a dump that only counts and one that formats,
# the setter/build/parse/format/compare loop, an event listener draining
# a queue, creates and deletes through nfct_query, the getters, copies,
# compares and event filter other clients use (scripts/hot-text-clients.c),
# and the conntrack tool's -L, -G, -I, -U, -D, -C and -E. The C programs
# are the benchmark's (bench/) and hot-text-clients.c, built against the
# original's installed headers. Callgrind names every function that ran;
# the list holds each name without its hash (legacy mangling) or crate
# disambiguators (v0 mangling), so that it survives a rebuild. A function missing from the list still works; it
# only costs the client more resident pages (README, Performance).
#
# Needs root, unshare, valgrind, gcc, libmnl-dev, the original library's
# -dev package, conntrack and nft. Without them the check says so and
# passes, except under CI=true, where it fails.
set -euo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
LIST=$TOP/src/hot-text.ld
mode=${1:-add}
case "$mode" in
  add | --fresh | --check) ;;
  *) echo "usage: $0 [--fresh|--check]" >&2; exit 2 ;;
esac

missing=
for t in unshare valgrind gcc conntrack nft python3 readelf nm; do
  command -v "$t" > /dev/null || missing="$missing $t"
done
[ "$(id -u)" = 0 ] || missing="$missing root"
if [ -n "$missing" ]; then
  if [ "${CI:-}" = true ] || [ "$mode" != --check ]; then
    echo "hot-text: needs$missing" >&2
    exit 1
  fi
  echo "skip: hot-text check needs$missing"
  exit 0
fi
LIB=$(readlink -f "$LIBDIR/libnetfilter_conntrack.so.3")
[ -f "$LIB" ] || { echo "hot-text: no library in $LIBDIR (run make)" >&2; exit 1; }

WORK=$(mktemp -d)
[ -n "${HOT_KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
for p in fill dump cpu events crud; do
  gcc -O2 -Wall -Wextra -Werror -o "$WORK/$p" "$TOP/bench/$p.c" -lnetfilter_conntrack -lmnl
done
gcc -O2 -Wall -Wextra -Werror -I"$TOP/bench" -o "$WORK/clients" "$TOP/scripts/hot-text-clients.c" \
  -lnetfilter_conntrack -lmnl

# Inside a fresh namespace: the workloads, each writing one callgrind file.
cat > "$WORK/profile.sh" <<'EOF'
set -u
cd "$WORK"
export LD_LIBRARY_PATH=$LIBDIR
vg() { # name command...
  valgrind --tool=callgrind --dump-line=no --compress-strings=no --demangle=no \
    --trace-children=yes --callgrind-out-file="$WORK/cg.$1.%p" "${@:2}" > /dev/null 2>&1
}
nft add table inet hot
nft add chain inet hot c
nft add rule inet hot c ct label set 1
sysctl -qw net.netfilter.nf_conntrack_events=1
sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
./fill 0 1000
sysctl -qw net.netfilter.nf_conntrack_acct=0 net.netfilter.nf_conntrack_timestamp=0
./fill 1000 1000
vg dump-parse ./dump parse
vg dump-format ./dump format
vg cpu ./cpu 1000
vg events unshare -n ./events drain 300
vg crud unshare -n ./crud 200
vg clients unshare -n ./clients 50
vg list conntrack -L
vg list6 conntrack -L -f ipv6 -o extended
vg get conntrack -G -p tcp -s 10.0.0.1 -d 192.168.0.1 --sport 1025 --dport 443
vg create conntrack -I -p udp -s 10.9.9.9 -d 10.8.8.8 --sport 1 --dport 2 -t 50 -m 3
vg update conntrack -U -s 10.9.9.9 -m 5
vg delete conntrack -D -s 10.9.9.9
vg count conntrack -C
vg listen timeout 3 conntrack -E &
sleep 1.5
conntrack -I -p tcp -s 10.9.9.7 -d 10.8.8.8 --sport 1 --dport 2 --state ESTABLISHED -t 50 > /dev/null 2>&1
conntrack -D -s 10.9.9.7 > /dev/null 2>&1
wait
true
EOF
WORK=$WORK LIBDIR=$(dirname "$LIB") unshare -n bash "$WORK/profile.sh"

python3 - "$mode" "$LIST" "$LIB" "$WORK"/cg.* <<'EOF'
import re, subprocess, sys

mode, path, lib, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
# The library's code symbols (the profile ran this very build, so the
# names are exact), and those that ran: every name callgrind saw as a
# function or a call target that is one of them.
addr = {}
nm = subprocess.run(["nm", lib], capture_output=True, text=True, check=True).stdout
for l in nm.splitlines():
    p = l.split()
    if len(p) == 3 and p[1] in "tT":
        addr[p[2]] = int(p[0], 16)
# Workloads in order of importance: the list puts the functions of the
# first ones first, so that a program that only dumps touches the fewest
# pages.
ORDER = ["dump-parse", "dump-format", "list", "events", "listen", "clients", "cpu", "crud"]
def rank(f):
    w = f.rsplit("/", 1)[-1].split(".")[1]
    return (ORDER.index(w) if w in ORDER else len(ORDER), f)
ran, ordered = set(), []
for f in sorted(files, key=rank):
    seen = set()
    for line in open(f, errors="replace"):
        if line.startswith(("fn=", "cfn=")):
            name = line.split("=", 1)[1].strip()
            if name in addr and not name.startswith("__nfct_hot_"):
                seen.add(name)
    ordered += sorted(seen - ran)
    ran |= seen
if len(ran) < 50:
    sys.exit("hot-text: the profile saw only %d functions of %s" % (len(ran), lib))

def pattern(name):
    name = re.sub(r"17h[0-9a-f]{16}E(\.llvm\.[0-9]+)?$", "17h*", name)
    name = re.sub(r"\.llvm\.[0-9]+$", "*", name)
    return re.sub(r"Cs[0-9A-Za-z]+_([0-9])", r"Cs*_\1", name)

if mode == "--check":
    lo, end = addr.get("__nfct_hot_start"), addr.get("__nfct_hot_end")
    if lo is None or end is None or end <= lo:
        sys.exit("hot-text: %s has no hot text (__nfct_hot_start/end)" % lib)
    out = sorted(n for n in ran if not lo <= addr[n] < end)
    print("hot-text: %d functions ran; hot text %d bytes" % (len(ran), end - lo))
    needed = subprocess.run(["readelf", "-d", lib], capture_output=True, text=True, check=True).stdout
    bad = []
    if "libgcc_s" in needed:
        bad.append("the library needs libgcc_s.so.1 (see build.rs, link_layout)")
    for n in out:
        bad.append("ran outside the hot text: " + n)
    if bad:
        print("\n".join(bad))
        sys.exit("hot-text: FAIL" + (" (bash scripts/hot-text.sh adds what ran to src/hot-text.ld)" if out else ""))
    print("hot-text: every function that ran is in the hot text; no libgcc_s")
    sys.exit(0)

pats = list(dict.fromkeys(pattern(n) for n in ordered))
if mode == "add":
    kept = set()
    for line in open(path):
        m = re.match(r"\s*\*\(\.text\.(\S+) \.text\.unlikely\.\S+\)$", line)
        if m:
            kept.add(m.group(1))
    pats += sorted(kept - set(pats))
with open(path, "w") as out:
    out.write("""/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Written by scripts/hot-text.sh from a profile of client workloads; do
 * not edit by hand. The functions listed here go together at the start
 * of .text, between __nfct_hot_start and __nfct_hot_end, ahead of the
 * rest of the code (build.rs), so that a client touches few pages of the
 * library. The C runtime's start-up code (crtbegin) comes first, then
 * the functions a dump runs, then formatting, events and the rest.
 * Names are symbol names without their hashes; each also matches its
 * cold-marked (.text.unlikely) copy.
 */
SECTIONS
{
  .text : {
    HIDDEN(__nfct_hot_start = .);
    *crtbegin*.o(.text .text.*)
""")
    for p in pats:
        out.write("    *(.text.%s .text.unlikely.%s)\n" % (p, p))
    out.write("    HIDDEN(__nfct_hot_end = .);\n    *(.text .text.*)\n  }\n}\nINSERT AFTER .init;\n")
print("hot-text: %d patterns written to %s" % (len(pats), path))
EOF
