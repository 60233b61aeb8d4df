#!/usr/bin/env bash
# Sums the counts of every test run under a results folder and prints the
# overall line "N passed, N failed, N skipped".
p=0; f=0; s=0
for c in "$1"/*/counts; do
  [ -f "$c" ] || continue
  read -r a b d < "$c"; p=$((p + a)); f=$((f + b)); s=$((s + d))
done
echo "== all suites: $p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
