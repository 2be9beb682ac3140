#!/usr/bin/env bash
# Differential test of nfct_snprintf, nfct_snprintf_labels and
# nfexp_snprintf: ctests/snprintf/driver.c builds the objects of
# cases.txt and cases-time.txt through the public setters and prints
# every output, return value, errno and the bytes written at many buffer
# sizes. It runs against the original libnetfilter_conntrack.so.3 and
# against ours ($LIBDIR), in three time zones, with time() fixed by an
# LD_PRELOAD shim; the outputs must be identical. The UTC outputs of the
# original must also still equal the golden files the Rust unit tests use.
# With valgrind installed, ours also runs under it.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
LIBDIR=${LIBDIR:-$TOP/build/lib}
CC=${CC:-cc}
DIR=$TOP/ctests/snprintf

if [ ! -e "$LIBDIR/libnetfilter_conntrack.so.3" ]; then
  echo "t-snprintf: $LIBDIR/libnetfilter_conntrack.so.3 missing (run make)" >&2
  exit 1
fi

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

if ! $CC -Wall -Wextra -Werror -o "$work/driver" "$DIR/driver.c" \
    -lnetfilter_conntrack -lnfnetlink -lmnl; then
  echo "t-snprintf: compile failed" >&2
  exit 1
fi
if ! $CC -Wall -Wextra -Werror -shared -fPIC -o "$work/fixedtime.so" "$DIR/fixedtime.c"; then
  echo "t-snprintf: compile of the time shim failed" >&2
  exit 1
fi

# Make sure the runs with LD_LIBRARY_PATH really load our library.
if ! LD_LIBRARY_PATH="$LIBDIR" ldd "$work/driver" |
    grep -q "libnetfilter_conntrack.so.3 => $LIBDIR/"; then
  echo "t-snprintf: our library is not picked up from $LIBDIR" >&2
  exit 1
fi

status=0
lines=0

# run NAME TZ CASES [LD_LIBRARY_PATH]
run() {
  env TZ="$2" LD_PRELOAD="$work/fixedtime.so" ${4:+LD_LIBRARY_PATH="$4"} \
    "$work/driver" "$DIR/connlabel.conf" < "$DIR/$3" > "$work/$1.out" 2>&1
  echo $? > "$work/$1.rc"
}

for tz in UTC IST-5:30 EST5EDT,M3.2.0,M11.1.0; do
  for cases in cases.txt cases-time.txt; do
    name=$(echo "$tz-$cases" | tr -c 'A-Za-z0-9.\n-' _)
    run "orig-$name" "$tz" "$cases"
    run "ours-$name" "$tz" "$cases" "$LIBDIR"
    orig_rc=$(cat "$work/orig-$name.rc") ours_rc=$(cat "$work/ours-$name.rc")
    if [ "$orig_rc" -ne 0 ]; then
      echo "t-snprintf: driver failed against the original ($tz, $cases): $orig_rc" >&2
      status=1
    fi
    if [ "$orig_rc" -ne "$ours_rc" ]; then
      echo "t-snprintf: exit status differs ($tz, $cases): original $orig_rc, ours $ours_rc" >&2
      status=1
    fi
    if ! cmp -s "$work/orig-$name.out" "$work/ours-$name.out"; then
      diff -u "$work/orig-$name.out" "$work/ours-$name.out" | head -n 40
      echo "t-snprintf: output differs ($tz, $cases; original vs ours, first lines above)" >&2
      status=1
    fi
    lines=$((lines + $(wc -l < "$work/orig-$name.out")))
  done
done

# Memory errors in our library, when valgrind is at hand.
if command -v valgrind > /dev/null; then
  for cases in cases.txt cases-time.txt; do
    if ! env TZ=UTC LD_LIBRARY_PATH="$LIBDIR" valgrind -q --error-exitcode=99 \
        "$work/driver" "$DIR/connlabel.conf" < "$DIR/$cases" > /dev/null 2> "$work/valgrind.err"; then
      head -n 40 "$work/valgrind.err"
      echo "t-snprintf: valgrind reports errors in ours ($cases)" >&2
      status=1
    fi
  done
fi

# The golden files of the Rust unit tests come from the UTC runs.
for pair in "cases.txt expected.txt" "cases-time.txt expected-time.txt"; do
  set -- $pair
  name=$(echo "UTC-$1" | tr -c 'A-Za-z0-9.\n-' _)
  if ! cmp -s "$work/orig-$name.out" "$DIR/$2"; then
    echo "t-snprintf: $2 is stale: the original now prints something else for $1" >&2
    status=1
  fi
done

[ "$status" -eq 0 ] && echo "t-snprintf: $lines lines identical"
exit "$status"
