#!/usr/bin/env bash
# Every enumerator, numeric macro, struct size and member offset listed in
# ctests/abi/constants-1.1.1.txt (or $ABI_CONSTANTS) must have the
# listed value in our headers. Generates a C program from the list that
# prints each NAME=value, compiles it against $INCDIR (libnfnetlink's
# headers come from the system), and diffs its output with the list.
# Names our headers lack are reported, then left out so the rest is checked.
set -u
: "${TOP:?}" "${INCDIR:?}"
LIST=${ABI_CONSTANTS:-$TOP/ctests/abi/constants-1.1.1.txt}
CC=${CC:-cc}
[ -r "$LIST" ] || { echo "constants list $LIST not found"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' "$LIST" | grep . | LC_ALL=C sort > "$tmp/expected"

# One file-scope constant per entry (so each must be a constant
# expression), printed from main: sizeof(...) and offsetof(...) as size_t,
# everything else as a signed value. Each line is tagged with its entry.
gen() {
  cat <<'HDR'
#include <stddef.h>
#include <stdio.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_udp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_icmp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_sctp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_dccp.h>
HDR
  i=0
  while IFS= read -r name; do
    i=$((i + 1))
    case "$name" in
      sizeof\(*|offsetof\(*)
        printf 'static const size_t v%d = %s; /* @%s@ */\n' "$i" "$name" "$name" ;;
      *)
        printf 'static const long long v%d = (long long)(%s); /* @%s@ */\n' "$i" "$name" "$name" ;;
    esac
  done < "$tmp/names"
  printf 'int main(void)\n{\n'
  i=0
  while IFS= read -r name; do
    i=$((i + 1))
    case "$name" in
      sizeof\(*|offsetof\(*) printf '\tprintf("%%s=%%zu\\n", "%s", v%d);\n' "$name" "$i" ;;
      *) printf '\tprintf("%%s=%%lld\\n", "%s", v%d);\n' "$name" "$i" ;;
    esac
  done < "$tmp/names"
  printf '\treturn 0;\n}\n'
}

cut -d= -f1 "$tmp/expected" > "$tmp/names"
: > "$tmp/missing"
ok=0
for _ in 1 2 3 4 5; do
  gen > "$tmp/c.c"
  if $CC -std=gnu11 -w -I"$INCDIR" "$tmp/c.c" -o "$tmp/c" 2> "$tmp/err"; then
    ok=1; break
  fi
  # Map each error back to its entry through the line's /* @NAME@ */ tag.
  grep -oE '^[^:]*c\.c:[0-9]+' "$tmp/err" | sed 's/.*://' | sort -un |
    while read -r n; do sed -n "${n}p" "$tmp/c.c" | sed -n 's/.*\/\* @\(.*\)@ \*\/.*/\1/p'; done \
    > "$tmp/bad"
  if [ ! -s "$tmp/bad" ]; then
    echo "the generated program does not compile:"; head -30 "$tmp/err"; exit 1
  fi
  cat "$tmp/bad" >> "$tmp/missing"
  grep -vxFf "$tmp/bad" "$tmp/names" > "$tmp/names.new"; mv "$tmp/names.new" "$tmp/names"
done
[ "$ok" = 1 ] || { echo "could not build the program:"; head -30 "$tmp/err"; exit 1; }

"$tmp/c" | LC_ALL=C sort > "$tmp/actual"
status=0
# The same program as C++: the header must give C++ the same values.
if ! ${CXX:-g++} -x c++ -w -I"$INCDIR" "$tmp/c.c" -o "$tmp/cxx" 2> "$tmp/cxxerr"; then
  echo "the program does not build as C++:"; head -20 "$tmp/cxxerr"; status=1
elif ! "$tmp/cxx" | LC_ALL=C sort | diff -u "$tmp/actual" - > "$tmp/cxxdiff"; then
  echo "C++ sees other values than C (- C, + C++):"; grep '^[-+][^-+]' "$tmp/cxxdiff"; status=1
fi
if [ -s "$tmp/missing" ]; then
  echo "not defined (or not a constant) in our headers: $(sort -u "$tmp/missing" | wc -l)"
  sort -u "$tmp/missing" | sed 's/^/  /'
  status=1
fi
awk -F= -v f="$tmp/missing" 'BEGIN { while ((getline l < f) > 0) gone[l] = 1 } !($1 in gone)' \
  "$tmp/expected" > "$tmp/expected.kept"
if ! diff -u "$tmp/expected.kept" "$tmp/actual" > "$tmp/diff"; then
  echo "values that differ (- upstream 1.1.1, + ours):"
  grep '^[-+][^-+]' "$tmp/diff"
  status=1
fi
[ "$status" = 0 ] && echo "all $(wc -l < "$tmp/expected") constants match"
exit $status
