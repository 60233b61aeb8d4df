#!/usr/bin/env bash
# Installs what the benchmarks (`make bench`) need: scripts/deps.sh --bench.
exec bash "$(dirname "$0")/deps.sh" --bench
