#!/usr/bin/env bash
# Test runner: every unit test binary and every integration script runs in
# its own process with a timeout (libuv style). Prints one line per suite
# and a summary "N passed, N failed, N skipped"; writes the counts to
# RESULTS/counts for tests/summary.sh. Exit status 1 if anything failed.
#   tests/run.sh BUILD_DIR DATA_DIR RESULTS_DIR
set -u
BUILD=$1; DATA=$2; RESULTS=$3
TIMEOUT=${TEST_TIMEOUT:-600}
mkdir -p "$RESULTS"
# tests run in their own temporary directories: hand them absolute paths
DATA_ABS=$(cd "$DATA" 2>/dev/null && pwd) || DATA_ABS="$PWD/$DATA"
export FK_BIN="$PWD/$BUILD/flyttkarta" FK_DATA="$DATA_ABS" FK_FIXTURES="$PWD/tests/fixtures"
[ -d "$FK_DATA" ] || echo "note: DATA=$DATA not found: tests that need the real open data will be skipped"
passed=0; failed=0; skipped=0; failed_names=()

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  log="$RESULTS/$name.log"
  tmp=$(mktemp -d)
  ( cd "$tmp" && TMPDIR="$tmp" CMOCKA_MESSAGE_OUTPUT=STDOUT timeout "$TIMEOUT" "$OLDPWD/$t" ) >"$log" 2>&1
  rc=$?
  rm -rf "$tmp"
  run=$(sed -n 's/^\[==========\] \([0-9]*\) test(s) run\./\1/p' "$log" | tail -1)
  ok=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -1)
  sk=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test(s).*/\1/p' "$log" | tail -1)
  run=${run:-0}; ok=${ok:-0}; sk=${sk:-0}
  bad=$((run - ok - sk))
  if [ "$rc" -ne 0 ] && [ "$bad" -le 0 ]; then bad=1; fi   # crash, timeout or sanitizer
  passed=$((passed + ok)); skipped=$((skipped + sk)); failed=$((failed + bad))
  if [ "$bad" -gt 0 ]; then
    failed_names+=("$name"); echo "FAIL $name ($ok passed, $bad failed; log: $log)"
    sed -n '/FAILED\|ERROR\|error\|Sanitizer\|runtime error/p' "$log" | head -20
  else
    echo "ok   $name ($ok passed${sk:+, $sk skipped})"
  fi
grep '^SKIP' "$log" | sed 's/^/     /' | head -5
done

for t in tests/integration/*.sh; do
  [ -f "$t" ] || continue
  name=$(basename "$t" .sh)
  log="$RESULTS/it_$name.log"
  tmp=$(mktemp -d)
  TMPDIR="$tmp" WORK="$tmp" timeout "$TIMEOUT" bash "$t" >"$log" 2>&1
  rc=$?
  rm -rf "$tmp"
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); echo "ok   it/$name"
  elif [ $rc -eq 77 ]; then skipped=$((skipped + 1)); echo "skip it/$name: $(tail -1 "$log")"
  else failed=$((failed + 1)); failed_names+=("it/$name"); echo "FAIL it/$name (log: $log)"; tail -15 "$log"; fi
done

echo "$passed $failed $skipped" > "$RESULTS/counts"
echo "$(basename "$RESULTS"): $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
