#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS on its seed corpus (fuzz/corpus/NAME)
# and records pass/fail counts for tests/summary.sh.
#   tests/fuzz.sh SECONDS RESULTS_DIR TARGET...
set -u
SECONDS_EACH=$1; RESULTS=$2; shift 2
mkdir -p "$RESULTS"
passed=0; failed=0
for bin in "$@"; do
  name=$(basename "$bin")
  corpus=$(mktemp -d)
  seeds="fuzz/corpus/${name#fuzz_}"
  [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/ 2>/dev/null
  log="$RESULTS/$name.log"
  mkdir -p "$RESULTS/artifacts"
  if UBSAN_OPTIONS=halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
     "$bin" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$RESULTS/artifacts/$name-" "$corpus" >"$log" 2>&1; then
    passed=$((passed + 1)); echo "ok   fuzz/$name ($(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1) runs, ${SECONDS_EACH}s)"
  else
    failed=$((failed + 1)); echo "FAIL fuzz/$name (log: $log)"; grep -A5 'ERROR\|runtime error' "$log" | head -30
  fi
  rm -rf "$corpus"
done
echo "$passed $failed 0" > "$RESULTS/counts"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
