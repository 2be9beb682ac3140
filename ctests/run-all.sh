#!/usr/bin/env bash
# Runs every C-level test script ctests/t-*.sh (and utils/check.sh if
# present) and prints a closing "N passed, M failed" line. Each script
# gets TOP (the checkout), LIBDIR (our built library) and INCDIR (our
# headers) in its environment and exits non-zero on failure.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
export TOP LIBDIR="$TOP/build/lib" INCDIR="$TOP/include"
pass=0 fail=0 failed=()
scripts=("$TOP"/ctests/t-*.sh)
[ -f "$TOP/utils/check.sh" ] && scripts+=("$TOP/utils/check.sh")
for t in "${scripts[@]}"; do
  [ -f "$t" ] || continue
  name=$(basename "$t" .sh)
  echo "=== $name"
  if timeout 1200 bash "$t"; then
    echo "--- PASS $name"; pass=$((pass + 1))
  else
    echo "--- FAIL $name"; fail=$((fail + 1)); failed+=("$name")
  fi
done
[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "ctests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
