#!/usr/bin/env bash
# Builds every cargo-fuzz target of fuzz/ and runs each for a bounded time.
#
#   scripts/fuzz-smoke.sh [SECONDS] [TARGET...]
#
# SECONDS per target, default 20; TARGETs default to all (`cargo fuzz list`).
# Exits non-zero when a target crashes (the input is left in
# fuzz/artifacts/TARGET/) or when a build fails.
#
# The machine has only a stable toolchain. cargo-fuzz passes nightly-only
# flags (-Zsanitizer=address, -Cllvm-args for sancov); RUSTC_BOOTSTRAP=1
# lets the stable compiler take them, and the stable rust-std ships the
# ASan runtime (librustc-stable_rt.asan.a) for x86_64-unknown-linux-gnu.
# libfuzzer-sys compiles libFuzzer itself with the system C++ compiler.
#
# Environment:
#   SANITIZER   address (default) or none (faster, no memory checks)
#   FUZZ_JOBS   cargo build jobs (default 1: the machine is shared)
#   FUZZ_CORPUS corpus root (default fuzz/corpus); grows across runs
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
SECS=${1:-20}
[ $# -gt 0 ] && shift
SANITIZER=${SANITIZER:-address}
JOBS=${FUZZ_JOBS:-1}
CORPUS=${FUZZ_CORPUS:-$TOP/fuzz/corpus}
CARGO_FUZZ_VERSION=0.13.2
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
  echo "fuzz-smoke: installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked -j "$JOBS" || exit 1
fi

cd "$TOP" || exit 1
targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < <(cargo fuzz list)

echo "fuzz-smoke: building ${targets[*]} (sanitizer $SANITIZER)"
if ! CARGO_BUILD_JOBS=$JOBS cargo fuzz build -O --sanitizer "$SANITIZER"; then
  echo "fuzz-smoke: build failed" >&2
  exit 1
fi

# seed TARGET DIR: fills the target's corpus from the committed seeds.
# Targets that read a selector byte first get each message behind
# several selectors.
seed() {
  local t=$1 dir=$2 f b
  mkdir -p "$dir"
  case $t in
    ct_parse|exp_parse|nl_walk)
      cp -n "$TOP"/fuzz/seeds/nlmsg/*.bin "$dir"/ ;;
    format|roundtrip)
      for f in "$TOP"/fuzz/seeds/nlmsg/*.bin; do
        b=$(basename "$f" .bin)
        case $b in ct-*) sels="000 002 040 006" ;; *) sels="001 003 041" ;; esac
        for s in $sels; do
          [ -e "$dir/$s-$b" ] || { printf "\\$s"; cat "$f"; } > "$dir/$s-$b"
        done
      done ;;
    labelmap|event_filter)
      cp -n "$TOP"/fuzz/seeds/"$t"/* "$dir"/ ;;
  esac
  # A whole dump in one datagram, as the kernel sends it.
  if [ "$t" = nl_walk ] && [ ! -e "$dir/dump" ]; then
    cat "$TOP"/fuzz/seeds/nlmsg/ct-*.bin > "$dir/dump"
  fi
}

status=0
summary=()
for t in "${targets[@]}"; do
  dir=$CORPUS/$t
  seed "$t" "$dir"
  mkdir -p "$TOP/fuzz/artifacts/$t"
  log=$(mktemp)
  echo "=== fuzz $t for ${SECS}s"
  cargo fuzz run -O --sanitizer "$SANITIZER" "$t" "$dir" -- \
    -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 > "$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  if [ $rc -ne 0 ]; then
    status=1
    tail -n 40 "$log"
    summary+=("$t: CRASH (exit $rc) after ${execs:-?} runs; see fuzz/artifacts/$t/")
  else
    summary+=("$t: ok, ${execs:-?} runs, ${cov:-cov: ?}, corpus $(ls "$dir" | wc -l)")
  fi
  rm -f "$log"
done

echo "=== fuzz-smoke summary (${SECS}s per target, sanitizer $SANITIZER)"
printf '%s\n' "${summary[@]}"
exit $status
