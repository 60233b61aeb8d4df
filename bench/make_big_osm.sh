#!/usr/bin/env bash
# Makes a large OSM PBF by replicating an extract with shifted ids:
# B(2k) = merge(B(k), renumber(B(k), ids after B(k))). COPIES must be a
# power of two. 1024 copies of the Copenhagen extract give ~135 M nodes and
# ~16 M ways, about the size of Geofabrik's sweden-latest.osm.pbf.
#   bench/make_big_osm.sh SRC.pbf COPIES OUT.pbf
set -euo pipefail
src=$1; copies=$2; out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
osmium renumber -s 1,1,1 "$src" -o "$tmp/b1.pbf" -O
n=$(osmium fileinfo -e -g data.count.nodes "$tmp/b1.pbf")
w=$(osmium fileinfo -e -g data.count.ways "$tmp/b1.pbf")
r=$(osmium fileinfo -e -g data.count.relations "$tmp/b1.pbf")
k=1
while [ "$k" -lt "$copies" ]; do
  osmium renumber -s "$((k * n + 1)),$((k * w + 1)),$((k * r + 1))" "$tmp/b$k.pbf" \
    -o "$tmp/shift.pbf" -O
  osmium merge "$tmp/b$k.pbf" "$tmp/shift.pbf" -o "$tmp/b$((2 * k)).pbf" -O
  rm -f "$tmp/b$k.pbf" "$tmp/shift.pbf"
  k=$((2 * k))
done
mv "$tmp/b$k.pbf" "$out"
