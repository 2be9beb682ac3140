#!/usr/bin/env bash
# Runs the programs of the C tests (ctests/*/) against our library under
# valgrind memcheck and under AddressSanitizer, and prints a summary.
#
#   scripts/memcheck.sh [valgrind|asan|all]      (default all)
#
# valgrind: each program is linked as the C tests link it and run with
#   LD_LIBRARY_PATH=build/lib under `valgrind --error-exitcode=1
#   --leak-check=full --errors-for-leak-kinds=definite`: any memory error
#   or definite leak fails.
# asan: our library is built again with -Zsanitizer=address (stable
#   toolchain, RUSTC_BOOTSTRAP=1, explicit --target so that build scripts
#   stay uninstrumented; target dir target/asan). A Rust cdylib does not
#   carry the ASan runtime, so the C programs are compiled with
#   -fsanitize=address and bring gcc's libasan, which serves both (the
#   instrumentation ABI is the same). LeakSanitizer runs at exit.
#
# Needs `make` (build/lib) first. Programs that need the kernel
# (ctests/filter/events.c) are left out, and so is capture-bpf.c: it reads
# the attached program back with getsockopt(SO_GET_FILTER), whose length
# is in instructions, so valgrind takes the result as uninitialised (a
# false positive of the test program, the same with the original library).
# Exits non-zero on any error.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:-all}
LIBDIR=${LIBDIR:-$TOP/build/lib}
CC=${CC:-cc}
TARGET=x86_64-unknown-linux-gnu
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

if [ ! -e "$LIBDIR/libnetfilter_conntrack.so.3" ]; then
  echo "memcheck: $LIBDIR/libnetfilter_conntrack.so.3 missing (run make)" >&2
  exit 1
fi

LIBS=(-lnetfilter_conntrack -lnfnetlink -lmnl)
CONF=$TOP/ctests/snprintf/connlabel.conf

# Each program: NAME SOURCE [extra cflags]; its runs: NAME ARGS (stdin via
# a file name after '<').
PROGS=(
  "ctattr ctests/ctattr/ctattr.c"
  "expect-basic ctests/expect/basic.c"
  "expect-tuple ctests/expect/tuple.c"
  "filter-dump ctests/filter/capture-dump.c"
  "filter-bpf ctests/filter/capture-bpf.c"
  "filter-errors ctests/filter/errors.c"
  "labels ctests/labels/labels.c"
  "nlmsg ctests/nlmsg/nlmsg.c"
  "nullargs ctests/nullargs/nullargs.c -I$TOP/include -L$LIBDIR -Wno-deprecated-declarations"
  "snprintf ctests/snprintf/driver.c"
  "diff-gen ctests/diff/gen.c -std=gnu11 -Wl,--export-dynamic -Wl,--no-as-needed"
  "fuzzdiff ctests/fuzzdiff/fuzzdiff.c"
)
RUNS=(
  "ctattr main"
  "ctattr labels"
  "ctattr null"
  "expect-basic"
  "expect-tuple"
  "filter-dump"
  "filter-errors null"
  "labels @DIR"
  "nlmsg"
  "nlmsg null"
  "nullargs $CONF"
  "snprintf $CONF < $TOP/ctests/snprintf/cases.txt"
  "snprintf $CONF < $TOP/ctests/snprintf/cases-time.txt"
  "diff-gen 42 300 $CONF @MISSING"
  "fuzzdiff run @RECS"
)

# build DIR [cflags...]: compiles every program into DIR.
build() {
  local dir=$1 p name src extra
  shift
  mkdir -p "$dir"
  for p in "${PROGS[@]}"; do
    read -r name src extra <<< "$p"
    # shellcheck disable=SC2086
    if ! "$CC" -g -O1 -Wall -Wextra -Werror "$@" $extra -o "$dir/$name" "$TOP/$src" \
        "${LIBS[@]}" 2> "$work/cc.err"; then
      echo "memcheck: $src does not build:"; head -n 20 "$work/cc.err"
      return 1
    fi
  done
  "$CC" -g -O1 "$@" -o "$dir/leak" "$work/leak.c" "${LIBS[@]}" || return 1
}

# Inputs the runs refer to.
"$CC" -O1 -o "$work/fuzzdiff-gen" "$TOP/ctests/fuzzdiff/fuzzdiff.c" "${LIBS[@]}" || exit 1
"$work/fuzzdiff-gen" gen 7 400 "$TOP"/fuzz/seeds/nlmsg/*.bin > "$work/recs" || exit 1

# A program that leaks one conntrack object: each tool must report it,
# which shows that it sees into our library's allocations.
cat > "$work/leak.c" <<'EOF'
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
struct nf_conntrack *volatile leaked;
int main(void)
{
	leaked = nfct_new();
	nfct_set_attr_u32(leaked, ATTR_MARK, 1);
	leaked = 0;
	return 0;
}
EOF
# self_check KIND BINDIR LIB CMD...: fails unless CMD reports the leak.
self_check() {
  local kind=$1 bindir=$2 lib=$3
  shift 3
  if env LD_LIBRARY_PATH="$lib" "$@" "$bindir/leak" > /dev/null 2> "$work/leak-$kind.log"; then
    echo "memcheck: $kind does not see a leak in our library" >&2
    status=1
    results+=("$kind self-check: FAIL (a leaked nfct_new() went unreported)")
  else
    results+=("$kind self-check: ok (a leaked nfct_new() is reported)")
  fi
}

# each_run TOOL-PREFIX... : runs every entry of RUNS with the given prefix;
# sets $results and $status.
status=0
results=()
each_run() {
  local kind=$1 bindir=$2 lib=$3
  shift 3
  local r name args stdin rc log summary missing
  for r in "${RUNS[@]}"; do
    name=${r%% *}
    args=${r#"$name"}
    stdin=/dev/null
    case $args in *" < "*) stdin=${args##* < }; args=${args% < *} ;; esac
    args=${args//@RECS/$work/recs}
    rm -rf "$work/labels-dir"; mkdir -p "$work/labels-dir"
    args=${args//@DIR/$work/labels-dir}
    # gen skips the functions our library does not export yet, as t-diff.sh.
    if [[ $args == *@MISSING* ]]; then
      missing=$(LD_LIBRARY_PATH="$lib" "$bindir/$name" -m)
      args=${args//@MISSING/${missing:+-x ${missing// /,}}}
    fi
    log=$work/$kind-$name.log
    # shellcheck disable=SC2086
    env LD_LIBRARY_PATH="$lib" TZ=UTC "$@" "$bindir/$name" $args < "$stdin" > /dev/null 2> "$log"
    rc=$?
    case $kind in
      valgrind)
        summary=$(grep -o 'ERROR SUMMARY: [0-9]* errors' "$log" | tail -n 1)
        summary="$summary, definitely lost $(grep -o 'definitely lost: [0-9,]* bytes' "$log" | tail -n 1 | grep -o '[0-9,]* bytes' || echo '0 bytes')" ;;
      asan)
        summary="$(grep -c '^==[0-9]*==ERROR' "$log") ASan/LSan reports" ;;
    esac
    if [ "$rc" -ne 0 ]; then
      status=1
      results+=("$kind $name$args: FAIL (exit $rc) $summary")
      echo "--- $kind $name$args: exit $rc"
      grep -v '^==[0-9]*== *$' "$log" | head -n 40
    else
      results+=("$kind $name$args: ok, $summary")
    fi
  done
}

if [ "$MODE" = valgrind ] || [ "$MODE" = all ]; then
  if ! command -v valgrind > /dev/null; then
    echo "memcheck: valgrind is not installed" >&2
    exit 1
  fi
  build "$work/plain" || exit 1
  self_check valgrind "$work/plain" "$LIBDIR" valgrind --error-exitcode=1 \
    --leak-check=full --errors-for-leak-kinds=definite
  each_run valgrind "$work/plain" "$LIBDIR" valgrind --error-exitcode=1 \
    --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite
fi

if [ "$MODE" = asan ] || [ "$MODE" = all ]; then
  echo "memcheck: building the library with AddressSanitizer"
  if ! (cd "$TOP" && RUSTC_BOOTSTRAP=1 \
      RUSTFLAGS="-Zsanitizer=address -Cforce-frame-pointers=yes" \
      cargo build --release --lib --target "$TARGET" --target-dir target/asan \
      > "$work/asan-build.log" 2>&1); then
    tail -n 30 "$work/asan-build.log"
    echo "memcheck: ASan build failed" >&2
    exit 1
  fi
  mkdir -p "$work/asanlib"
  cp "$TOP/target/asan/$TARGET/release/libnetfilter_conntrack.so" \
    "$work/asanlib/libnetfilter_conntrack.so.3"
  build "$work/asan" -fsanitize=address -fno-omit-frame-pointer || exit 1
  # The programs must load the instrumented library.
  if ! LD_LIBRARY_PATH="$work/asanlib" ldd "$work/asan/nlmsg" |
      grep -q "libnetfilter_conntrack.so.3 => $work/asanlib/"; then
    echo "memcheck: the ASan library is not picked up" >&2
    exit 1
  fi
  if ! nm -D "$work/asanlib/libnetfilter_conntrack.so.3" | grep -q ' U __asan_report_load'; then
    echo "memcheck: the library is not instrumented" >&2
    exit 1
  fi
  export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=23
  self_check asan "$work/asan" "$work/asanlib" env
  each_run asan "$work/asan" "$work/asanlib" env
fi

echo "=== memcheck summary"
printf '%s\n' "${results[@]}"
fails=$(printf '%s\n' "${results[@]}" | grep -c ': FAIL')
echo "memcheck: $(( ${#results[@]} - fails )) passed, $fails failed"
exit "$status"
