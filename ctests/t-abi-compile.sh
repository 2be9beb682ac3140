#!/usr/bin/env bash
# Programs written against upstream's header build unchanged against ours.
#  1. `make install PREFIX=<tmp>`; the installed headers are upstream's ten,
#     with upstream's include guards and #include chain.
#  2. Each of the 105 functions is declared with upstream's type
#     (ctests/abi/prototypes.h), checked in C (__builtin_types_compatible_p)
#     and in C++ (std::is_same, which also tells an enum from an integer).
#  3. ctests/abi/*.c build with -Wall -Wextra -Werror, ctests/abi/*.cc with
#     g++ -Wall -Werror, using `pkg-config --cflags --libs`.
#  4. The programs are linked and run (under valgrind if installed); one
#     that needs a function the library does not export yet is reported as
#     not linked (t-abi-symbols lists what is missing).
#  5. The obsolete _ipv4/_ipv6 headers warn when included, as upstream's do.
#  Also: the eight functions upstream marks deprecated, and only those, are.
set -u
: "${TOP:?}"
CC=${CC:-cc}
CXX=${CXX:-g++}
SYMBOLS=${ABI_SYMBOLS:-$TOP/ctests/abi/public-symbols.txt}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

# 1. Install.
# LIBDIR/INCDIR from run-all.sh would override the Makefile's install
# directories, so they are given on the command line.
if ! make -C "$TOP" install PREFIX="$tmp/inst" LIBDIR="$tmp/inst/lib" \
    INCLUDEDIR="$tmp/inst/include" > "$tmp/install.log" 2>&1; then
  echo "make install failed:"; tail -20 "$tmp/install.log"; exit 1
fi
export PKG_CONFIG_PATH="$tmp/inst/lib/pkgconfig"
cflags=$(pkg-config --cflags libnetfilter_conntrack) || { echo "pkg-config failed"; exit 1; }
libs=$(pkg-config --libs libnetfilter_conntrack)
# Guard against compiling against some other installed copy of the headers.
if [ "$(pkg-config --variable=includedir libnetfilter_conntrack)" != "$tmp/inst/include" ]; then
  echo "the installed pkg-config file does not point at the installed headers:"
  cat "$tmp/inst/lib/pkgconfig/libnetfilter_conntrack.pc"; exit 1
fi
want_headers="libnetfilter_conntrack.h libnetfilter_conntrack_dccp.h libnetfilter_conntrack_icmp.h
libnetfilter_conntrack_ipv4.h libnetfilter_conntrack_ipv6.h libnetfilter_conntrack_sctp.h
libnetfilter_conntrack_tcp.h libnetfilter_conntrack_udp.h linux_nf_conntrack_common.h
linux_nfnetlink_conntrack.h"
got_headers=$(cd "$tmp/inst/include/libnetfilter_conntrack" && ls)
if [ "$(echo $want_headers | tr ' ' '\n' | sort)" != "$(echo "$got_headers" | sort)" ]; then
  fail "installed headers differ from upstream's set:"
  diff <(echo $want_headers | tr ' ' '\n' | sort) <(echo "$got_headers" | sort)
fi

# Upstream's include guard and #include lines (in order) of each header.
while IFS='|' read -r file guard includes; do
  h="$tmp/inst/include/libnetfilter_conntrack/$file"
  [ -f "$h" ] || continue
  got_guard=$(sed -n 's/^#ifndef \([A-Za-z0-9_]*\)$/\1/p' "$h" | head -1)
  got_includes=$(sed -n 's/^#include <\(.*\)>.*/\1/p' "$h" | tr '\n' ' ' | sed 's/ $//')
  [ "$got_guard" = "$guard" ] || fail "$file: include guard '$got_guard', upstream's is '$guard'"
  [ "$got_includes" = "$includes" ] ||
    fail "$file: includes '$got_includes', upstream's are '$includes'"
done <<'EOF_HEADERS'
libnetfilter_conntrack.h|_LIBNETFILTER_CONNTRACK_H_|stdbool.h netinet/in.h libnfnetlink/linux_nfnetlink.h libnfnetlink/libnfnetlink.h libnetfilter_conntrack/linux_nfnetlink_conntrack.h libnetfilter_conntrack/linux_nf_conntrack_common.h sys/types.h
linux_nfnetlink_conntrack.h|_IPCONNTRACK_NETLINK_H|libnfnetlink/linux_nfnetlink.h
linux_nf_conntrack_common.h|_NF_CONNTRACK_COMMON_H|
libnetfilter_conntrack_tcp.h|_LIBNETFILTER_CONNTRACK_TCP_H_|
libnetfilter_conntrack_udp.h|_LIBNETFILTER_CONNTRACK_UDP_H_|
libnetfilter_conntrack_icmp.h|_LIBNETFILTER_CONNTRACK_ICMP_H_|
libnetfilter_conntrack_sctp.h|_LIBNETFILTER_CONNTRACK_SCTP_H_|
libnetfilter_conntrack_dccp.h|_LIBNETFILTER_CONNTRACK_DCCP_H_|
libnetfilter_conntrack_ipv4.h|_LIBNETFILTER_CONNTRACK_IPV4_H_|
libnetfilter_conntrack_ipv6.h|_LIBNETFILTER_CONNTRACK_IPV6_H_|
EOF_HEADERS

# 2. Prototypes. One generated line per function, tagged with its name, so
# that a compiler error maps back to the function.
protos="$TOP/ctests/abi/prototypes.h"
sed -n 's/^PROTO(\([a-z0-9_]*\), \(.*\))\( \\\)\{0,1\}$/\1 \2/p' "$protos" > "$tmp/protos"
[ "$(wc -l < "$tmp/protos")" = 105 ] || fail "prototypes.h does not list 105 functions"

gen_c() {
  printf '#include <libnetfilter_conntrack/libnetfilter_conntrack.h>\n#include "%s"\n' "$protos"
  while read -r name type; do
    printf '_Static_assert(__builtin_types_compatible_p(__typeof__(%s), %s), "%s"); /* @%s@ */\n' \
      "$name" "$type" "$name" "$name"
  done < "$tmp/protos"
}
gen_cxx() {
  printf '#include <type_traits>\n#include <libnetfilter_conntrack/libnetfilter_conntrack.h>\n#include "%s"\n' "$protos"
  while read -r name type; do
    printf 'static_assert(std::is_same<decltype(%s), %s>::value, "%s"); // @%s@\n' \
      "$name" "$type" "$name" "$name"
  done < "$tmp/protos"
}
# Compiles $2 with compiler $1; prints the tagged names of failing lines
# as "undeclared NAME" or "mismatch NAME".
check_protos() {
  local comp=$1 src=$2
  shift 2
  "$comp" "$@" -fsyntax-only -Wno-deprecated-declarations $cflags "$src" > "$src.err" 2>&1 && return 0
  grep -E "^[^:]*$(basename "$src"):[0-9]+:[0-9]+: error" "$src.err" |
    while IFS=: read -r _ line _ rest; do
      name=$(sed -n "${line}p" "$src" | sed -n 's/.*@\(.*\)@.*/\1/p')
      [ -n "$name" ] || { echo "other $rest"; continue; }
      case "$rest" in
        *undeclared*|*"not declared"*|*"was not declared"*) echo "undeclared $name" ;;
        *) echo "mismatch $name" ;;
      esac
    done | sort -u
  return 1
}
gen_c > "$tmp/protos_c.c"
gen_cxx > "$tmp/protos_cxx.cc"
check_protos "$CC" "$tmp/protos_c.c" -std=gnu11 > "$tmp/c.res"
check_protos "$CXX" "$tmp/protos_cxx.cc" -std=c++11 > "$tmp/cxx.res"
undeclared=$(cat "$tmp/c.res" "$tmp/cxx.res" | sed -n 's/^undeclared //p' | sort -u)
# An undeclared name also trips follow-on errors: it is only "undeclared".
mismatch=$(cat "$tmp/c.res" "$tmp/cxx.res" | sed -n 's/^mismatch //p' | sort -u |
  grep -vxF -f <(echo "$undeclared") || true)
other=$(cat "$tmp/c.res" "$tmp/cxx.res" | sed -n 's/^other //p' | sort -u)
if [ -n "$undeclared" ]; then
  fail "functions our header does not declare ($(echo "$undeclared" | wc -l) of 105; expected until every export is merged):"
  echo "$undeclared" | sed 's/^/  /' | fmt -w 100
fi
if [ -n "$mismatch" ]; then
  fail "functions declared with a type other than upstream's:"
  echo "$mismatch" | sed 's/^/  /'
  grep -h "static assertion failed" "$tmp"/protos_*.err | head -20
fi
if [ -n "$other" ]; then
  fail "prototype check: other errors:"; echo "$other" | head -20
fi
[ -z "$undeclared$mismatch$other" ] && echo "prototypes: all 105 match upstream's types (C and C++)"

# Upstream marks these eight deprecated, and only these: a program using
# them gets the same warnings.
want_depr="nfct_build_conntrack nfct_build_query nfct_maxsize nfct_parse_conntrack nfct_sizeof
nfexp_build_expect nfexp_build_query nfexp_parse_expect"
{
  echo '#include <libnetfilter_conntrack/libnetfilter_conntrack.h>'
  while read -r name _; do
    echo "$undeclared" | grep -qx "$name" ||
      echo "void (*volatile use_$name)(void) = (void (*)(void))$name;"
  done < "$tmp/protos"
} > "$tmp/depr.c"
"$CC" -std=gnu11 -fsyntax-only -Wdeprecated-declarations $cflags "$tmp/depr.c" > "$tmp/depr.log" 2>&1
got_depr=$(sed -n "s/.*warning: .\([a-z0-9_]*\). is deprecated.*/\1/p" "$tmp/depr.log" | sort -u)
for name in $want_depr; do
  echo "$undeclared" | grep -qx "$name" && continue
  echo "$got_depr" | grep -qx "$name" || fail "$name is not marked deprecated, upstream's is"
done
for name in $got_depr; do
  echo $want_depr | tr ' ' '\n' | grep -qx "$name" || fail "$name is marked deprecated, upstream's is not"
done

# 3. Client programs: compile.
objs=()
for src in "$TOP"/ctests/abi/*.c "$TOP"/ctests/abi/*.cc; do
  [ -f "$src" ] || continue
  base=$(basename "$src")
  case "$src" in
    *.c) comp=("$CC" -std=gnu11 -Wall -Wextra -Werror) ;;
    *) comp=("$CXX" -Wall -Werror) ;;
  esac
  if "${comp[@]}" $cflags -c "$src" -o "$tmp/$base.o" > "$tmp/cc.log" 2>&1; then
    echo "compiled $base"
    objs+=("$tmp/$base.o")
  else
    if [ -n "$undeclared" ]; then
      fail "$base does not compile against our headers ($(grep -c 'error' "$tmp/cc.log") errors, mostly from the undeclared functions above); first lines:"
      grep -E 'error|warning' "$tmp/cc.log" | head -3
    else
      fail "$base does not compile against our headers:"
      grep -E 'error|warning' "$tmp/cc.log" | head -15
    fi
  fi
done

# 4. Link and run. While the library lacks exports, a program that needs
# one cannot link: that is reported, not failed (t-abi-symbols fails).
so="$tmp/inst/lib/libnetfilter_conntrack.so"
missing=$(LC_ALL=C comm -23 <(grep -v '^#' "$SYMBOLS" | grep . | LC_ALL=C sort -u) \
  <(nm -D --defined-only "$so" | awk '{ print $3 }' | LC_ALL=C sort -u))
[ -n "$missing" ] &&
  echo "the library lacks $(echo "$missing" | wc -l) of the 105 functions (see t-abi-symbols)"
# Under valgrind when there is one: invalid accesses and definite leaks
# (by the library or by a client using it as documented) fail the run.
memcheck=
if command -v valgrind > /dev/null; then
  memcheck="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
fi
for o in "${objs[@]}"; do
  base=$(basename "$o" .o)
  case "$base" in *.cc) link=("$CXX") ;; *) link=("$CC") ;; esac
  if ! "${link[@]}" "$o" -o "$tmp/$base.bin" $libs > "$tmp/ld.log" 2>&1; then
    if [ -n "$missing" ] && grep -q 'undefined reference' "$tmp/ld.log"; then
      echo "NOT LINKED $base: needs functions the library lacks"
    else
      fail "$base does not link:"; head -10 "$tmp/ld.log"
    fi
    continue
  fi
  if LD_LIBRARY_PATH="$tmp/inst/lib" timeout 300 $memcheck "$tmp/$base.bin" > "$tmp/run.log" 2>&1; then
    echo "ran $base: ok"; sed 's/^/  /' "$tmp/run.log"
  else
    fail "$base exited with $?:"; sed 's/^/  /' "$tmp/run.log" | head -20
  fi
done

# 5. The obsolete headers warn, and only warn.
for h in ipv4 ipv6; do
  printf '#include <libnetfilter_conntrack/libnetfilter_conntrack_%s.h>\nint main(void) { return 0; }\n' "$h" > "$tmp/old_$h.c"
  if ! "$CC" $cflags -c "$tmp/old_$h.c" -o "$tmp/old_$h.o" > "$tmp/old.log" 2>&1; then
    fail "libnetfilter_conntrack_$h.h does not compile"; head -5 "$tmp/old.log"
  elif ! grep -q "remove libnetfilter_conntrack_$h.h" "$tmp/old.log"; then
    fail "libnetfilter_conntrack_$h.h does not warn as upstream's does"
  fi
done

[ "$status" = 0 ] && echo "all ABI compile checks passed"
exit $status
