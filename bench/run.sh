#!/usr/bin/env bash
# make bench: import and snapshot benchmarks, each with a peer or baseline
# measured in the same run.
#   bench/run.sh BIN DATA [BUILD_DIR with bench_* programs]
# Environment: BENCH_COPIES (default 64) copies of the Copenhagen extract
# for the large OSM import; BENCH_SWEDEN=1 makes it 1024 copies (~135 M
# nodes, the size of Sweden's extract; takes ~15 minutes in all).
set -euo pipefail
BIN=$(readlink -f "$1"); DATA=$2; BDIR=${3:-$(dirname "$BIN")}
copies=${BENCH_COPIES:-64}
[ "${BENCH_SWEDEN:-0}" = 1 ] && copies=1024
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
fmt() { printf '%.3f' "$1"; }
peak_kb() { awk '/Maximum resident/ {print $6}' "$1"; }

echo "== flyttkarta bench ($(nproc) cores, $(date -u +%F))"

osm_bench() { # label file [full: also time the routing tables]
  local f=$2 t0 t1 ours peer nodes ways mb
  nodes=$(osmium fileinfo -e -g data.count.nodes "$f")
  ways=$(osmium fileinfo -e -g data.count.ways "$f")
  mb=$(echo "$(stat -c %s "$f") / 1000000" | bc -l)
  t0=$(now); osmium fileinfo -e "$f" >/dev/null; t1=$(now); peer=$(secs "$t0" "$t1")
  t0=$(now); OSMIUM_POOL_THREADS=1 osmium fileinfo -e "$f" >/dev/null; t1=$(now); peer1=$(secs "$t0" "$t1")
  # the import alone (--no-routing): what osmium's read is compared with
  t0=$(now); /usr/bin/time -v "$BIN" build -q --no-routing --osm "$f" -o "$work/osm.region" 2>"$work/time.log"
  t1=$(now); ours=$(secs "$t0" "$t1")
  printf 'osm %-22s %6.1f MB %11d nodes %9d ways: import %7.3fs (%6.1f MB/s, %5.2f M elements/s, peak RSS %5.0f MB); osmium fileinfo -e %7.3fs (1 thread %7.3fs); ratio osmium/flyttkarta %.2f (1 thread %.2f)\n' \
    "$1" "$mb" "$nodes" "$ways" "$ours" "$(echo "$mb / $ours" | bc -l)" \
    "$(echo "($nodes + $ways) / $ours / 1000000" | bc -l)" "$(echo "$(peak_kb "$work/time.log") / 1000" | bc -l)" \
    "$peer" "$peer1" "$(echo "$peer / $ours" | bc -l)" "$(echo "$peer1 / $ours" | bc -l)"
  [ "${3:-}" = full ] || return 0
  t0=$(now); "$BIN" build -q --osm "$f" -o "$work/osm.region"; t1=$(now)
  printf 'osm %-22s import + routing tables (graphs, CH, snap, nearest): %.3fs, snapshot %.1f MB\n' \
    "$1" "$(secs "$t0" "$t1")" "$(echo "$(stat -c %s "$work/osm.region") / 1000000" | bc -l)"
}

if [ -d "$DATA/osm" ]; then
  osm_bench copenhagen "$DATA/osm/copenhagen-kbh.osm.pbf" full
  osm_bench helsinki "$DATA/osm/helsinki-centre.osm.pbf" full
  echo "making a $copies-copy replica of the Copenhagen extract (ids shifted)..."
  t0=$(now)
  bash bench/make_big_osm.sh "$DATA/osm/copenhagen-kbh.osm.pbf" "$copies" "$work/big.osm.pbf"
  echo "  made in $(fmt "$(secs "$t0" "$(now)")")s"
  osm_bench "copenhagen x$copies" "$work/big.osm.pbf"
  rm -f "$work/big.osm.pbf"
else
  echo "osm: skipped, $DATA/osm not found"
fi

if [ -d "$DATA/gtfs-norrbotten" ]; then
  g=$DATA/gtfs-norrbotten
  rows=$(cat "$g"/*.txt | wc -l); mb=$(echo "$(cat "$g"/*.txt | wc -c) / 1000000" | bc -l)
  best=999
  for i in 1 2 3; do
    t0=$(now); "$BIN" build -q --gtfs "$g" -o "$work/gtfs.region"; t=$(secs "$t0" "$(now)")
    best=$(echo "if ($t < $best) $t else $best" | bc -l)
  done
  t0=$(now); cat "$g"/*.txt | wc -l >/dev/null; base=$(secs "$t0" "$(now)")
  printf 'gtfs norrbotten %.1f MB, %d rows: best of 3 %.3fs (%.1f MB/s, %.0f rows/s; baseline wc -l %.3fs)\n' \
    "$mb" "$rows" "$best" "$(echo "$mb / $best" | bc -l)" "$(echo "$rows / $best" | bc -l)" "$base"
else
  echo "gtfs: skipped, $DATA/gtfs-norrbotten not found"
fi

t0=$(now); "$BIN" build -q --demo --data "$DATA" -o "$work/demo.region"; t=$(secs "$t0" "$(now)")
printf 'demo region build: %.2fs (goal < 10 s), %.1f MB\n' "$t" "$(echo "$(stat -c %s "$work/demo.region") / 1000000" | bc -l)"
open_nv=$("$BIN" info --json --no-verify "$work/demo.region" | sed 's/.*"open_ms":\([0-9.]*\).*/\1/')
open_v=$("$BIN" info --json "$work/demo.region" | sed 's/.*"open_ms":\([0-9.]*\).*/\1/')
t0=$(now); cat "$work/demo.region" >/dev/null; cat_ms=$(echo "($(now) - $t0) * 1000" | bc -l)
printf 'snapshot open: %.2f ms validated, %.2f ms with every CRC (baseline: cat of the file %.2f ms)\n' \
  "$open_nv" "$open_v" "$cat_ms"

echo
echo "== routing (route/): nearest amenities, contraction hierarchies"
"$BDIR/bench_near" "$work/demo.region"
"$BDIR/bench_engine" "$work/demo.region"
"$BDIR/bench_transit" "$work/demo.region"
"$BDIR/bench_transit_point" "$work/demo.region"
"$BDIR/bench_isochrone" "$work/demo.region"
"$BDIR/bench_ch" "$work/demo.region"
echo "-- generated road-like network of 1 M nodes (grid with shape nodes)"
"$BDIR/bench_ch" --shape 2 --side 456
echo
echo "== pgRouting on the same graph (PostgreSQL 15 started in a temporary directory)"
bash scripts/deps-bench.sh
BUILD="$BDIR" bash bench/pgrouting.sh "$work/demo.region" "${BENCH_PGR_QUERIES:-100}"
