#!/usr/bin/env bash
# The built library must export exactly the 105 functions upstream 1.1.1
# exports (ctests/abi/public-symbols.txt, or $ABI_SYMBOLS), and no
# other symbol of any kind (upstream exports no data), under the soname
# libnetfilter_conntrack.so.3. Uses $LIBDIR/libnetfilter_conntrack.so.3,
# running `make lib` first when it is missing (or when ABI_REBUILD=1).
set -u
: "${TOP:?}" "${LIBDIR:?}"
LIST=${ABI_SYMBOLS:-$TOP/ctests/abi/public-symbols.txt}
SO="$LIBDIR/libnetfilter_conntrack.so.3"
[ -r "$LIST" ] || { echo "symbol list $LIST not found"; exit 1; }

if [ ! -e "$SO" ] || [ "${ABI_REBUILD:-0}" = 1 ]; then
  make -C "$TOP" lib > /dev/null || { echo "make lib failed"; exit 1; }
fi
[ -e "$SO" ] || { echo "$SO was not built"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

soname=$(readelf -d "$SO" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [ "$soname" != "libnetfilter_conntrack.so.3" ]; then
  echo "soname is '${soname}', want libnetfilter_conntrack.so.3"
  status=1
fi

grep -v '^#' "$LIST" | grep . | LC_ALL=C sort -u > "$tmp/want"
# Every defined dynamic symbol, with its nm type letter.
nm -D --defined-only "$SO" | awk 'NF >= 3 { print $3, $2 }' | LC_ALL=C sort > "$tmp/all"
awk '$2 ~ /^[TtWi]$/ { print $1 }' "$tmp/all" | sed 's/@.*//' | LC_ALL=C sort -u > "$tmp/funcs"
awk '$2 !~ /^[TtWi]$/' "$tmp/all" > "$tmp/data"

missing=$(LC_ALL=C comm -23 "$tmp/want" "$tmp/funcs")
extra=$(LC_ALL=C comm -13 "$tmp/want" "$tmp/funcs")
if [ -n "$missing" ]; then
  echo "missing functions ($(echo "$missing" | wc -l) of $(wc -l < "$tmp/want")):"
  echo "$missing" | sed 's/^/  /'
  status=1
fi
if [ -n "$extra" ]; then
  echo "functions upstream does not export ($(echo "$extra" | wc -l)):"
  echo "$extra" | sed 's/^/  /'
  status=1
fi
if [ -s "$tmp/data" ]; then
  echo "exported non-function symbols (upstream exports none):"
  sed 's/^/  /' "$tmp/data"
  status=1
fi
# Symbol versions: upstream has none, so programs bind to unversioned names.
if objdump -T "$SO" | awk '$0 !~ /\*UND\*/ && $NF ~ /^nf/ && $(NF-1) !~ /Base/ { bad = 1 } END { exit !bad }'; then
  echo "exported functions carry symbol versions; upstream's do not"
  status=1
fi
# For information: upstream needs libnfnetlink.so.0 (nfct_nfnlh hands out
# a libnfnetlink handle that conntrackd and ulogd2 pass to nfnl_*) and
# libmnl.so.0.
echo "NEEDED: $(readelf -d "$SO" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p' | tr '\n' ' ')"
[ "$status" = 0 ] && echo "exports match: $(wc -l < "$tmp/want") functions, soname $soname"
exit $status
