#!/usr/bin/env bash
# bench/pgrouting.sh: our routing engine against the usual alternative,
# PostgreSQL 15 + pgRouting, on exactly the same car graph and the same
# queries, measured in the same run (docs/bench-pgrouting.md).
#
#   bash bench/pgrouting.sh SNAPSHOT [N_QUERIES]       (default 100)
#
# 1. pgr_export writes the snapshot's car forward graph (one row per
#    directed edge, cost in integer deciseconds, reverse_cost -1) and N
#    seeded source/target pairs and N sources;
# 2. a private PostgreSQL 15 cluster is made in a temporary directory and
#    started on 127.0.0.1 on a free port (socket in a private directory;
#    as root, initdb and pg_ctl run as the postgres user); the edges are
#    COPYed, indexed on source and target, ANALYZEd;
# 3. one pgr_dijkstra call per pair and one pgr_drivingDistance call per
#    source (bound 18000 ds = 30 min), each a separate SQL statement as
#    an application sends them, timed client-side by psql's \timing (this
#    includes the function reading the edges table, which is how
#    pgRouting works); EXPLAIN ANALYZE's server-side execution time of a
#    few pairs is printed beside it;
# 4. pgr_ours answers the same queries with route_ch_p2p (alone and with
#    the path unpacked), bounded route_dijkstra and bounded PHAST;
# 5. the answers must agree exactly: every pair's time, and for every
#    source the count, sum of ids, sum of squared ids and sum of times of
#    the nodes reached within the bound; any difference fails the run;
# 6. prints "pgrouting p2p: ..." and "pgrouting one-to-all: ..." lines
#    with the ratios, and the server is stopped (always: a trap stops it
#    on every exit, failures and Ctrl-C included).
#
# Environment: BUILD (default build/release) holds libflyttkarta.a (made
# with `make` when missing) and receives pgr_export and pgr_ours; PGBIN
# (default /usr/lib/postgresql/15/bin); SEED (default 42); KEEP_PG_LOG=1
# prints the server log at the end. Needs scripts/deps-bench.sh's
# packages. About 10 s on the demo region with 100 queries; ~2.5 min on
# the generated 1 M-node network with 10 (docs/bench-pgrouting.md).
set -euo pipefail

usage() { echo "usage: bash bench/pgrouting.sh SNAPSHOT [N_QUERIES]" >&2; exit 2; }
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
[ -f "$1" ] || { echo "pgrouting: snapshot $1 not found" >&2; exit 2; }
SNAP=$(readlink -f "$1")
NQ=${2:-100}
case $NQ in '' | *[!0-9]* | 0) usage ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build/release}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
SEED=${SEED:-42}
LIMIT_DS=18000
EDGES_SQL="SELECT id, source, target, cost, reverse_cost FROM edges"

say() { echo "pgrouting: $*"; }
die() { echo "pgrouting: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

for t in "$PGBIN/initdb" "$PGBIN/pg_ctl" psql awk; do
  command -v "$t" >/dev/null || die "$t not found: run scripts/deps-bench.sh (postgresql-15, postgresql-15-pgrouting)"
done
[ -f /usr/share/postgresql/15/extension/pgrouting.control ] ||
  die "pgRouting for PostgreSQL 15 is not installed: run scripts/deps-bench.sh"

# ---- our tools, built against the library ----
PKG_LIBS="$(pkg-config --libs readosm jansson libzip zlib 2>/dev/null || echo -ljansson -lzip -lz) -lcsv -lm -lpthread"
if [ ! -f "$BUILD/libflyttkarta.a" ]; then
  say "building $BUILD/libflyttkarta.a"
  make -C "$ROOT" --no-print-directory BUILD="$BUILD" "$BUILD/libflyttkarta.a" >/dev/null
fi
for p in pgr_export pgr_ours; do
  if [ ! -x "$BUILD/$p" ] || [ "$ROOT/bench/$p.c" -nt "$BUILD/$p" ] ||
     [ "$BUILD/libflyttkarta.a" -nt "$BUILD/$p" ]; then
    # shellcheck disable=SC2086
    gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -pedantic -Wshadow -Wno-unused-parameter \
      -o "$BUILD/$p" "$ROOT/bench/$p.c" "$BUILD/libflyttkarta.a" $PKG_LIBS
  fi
done

# ---- a private directory and the cleanup that always runs ----
work=$(mktemp -d /tmp/flyttkarta-pgr.XXXXXX)
chmod 755 "$work"
pgdata=$work/pgdata
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -f "$pgdata/postmaster.pid" ]; then
    if ! as_pg "$PGBIN/pg_ctl" -D "$pgdata" -m fast -w -t 30 stop >/dev/null 2>&1; then
      local pid
      pid=$(head -1 "$pgdata/postmaster.pid" 2>/dev/null || true)
      if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
      sleep 1
    fi
    say "PostgreSQL stopped"
  fi
  if [ "${KEEP_PG_LOG:-0}" = 1 ] && [ -f "$work/pg.log" ]; then cat "$work/pg.log" >&2; fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "snapshot $SNAP, $NQ queries of each kind, seed $SEED, bound $LIMIT_DS ds (30 min)"

# ---- 1. export ----
t0=$(now)
"$BUILD/pgr_export" "$SNAP" "$work" "$NQ" "$SEED" || die "pgr_export failed"
n_nodes=$(awk '$1 == "nodes" { print $2 }' "$work/graph.txt")
n_edges=$(awk '$1 == "edges" { print $2 }' "$work/graph.txt")
say "1/6 exported car graph: $n_nodes nodes, $n_edges directed edges ($(since "$t0") s)"

# ---- 2. a private PostgreSQL 15 on 127.0.0.1 ----
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "no postgres user (install postgresql-15: scripts/deps-bench.sh)"
fi
mkdir -p "$pgdata" "$work/sock"
[ "$(id -u)" -eq 0 ] && chown postgres: "$pgdata" "$work/sock"
chmod 700 "$pgdata"
t0=$(now)
as_pg "$PGBIN/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; die "initdb failed"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=
for try in 1 2 3 4 5; do
  p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
  port_free "$p" || continue
  # pg.log must be writable by the server's user
  : >"$work/pg.log"; [ "$(id -u)" -eq 0 ] && chown postgres: "$work/pg.log"
  if as_pg "$PGBIN/pg_ctl" -D "$pgdata" -l "$work/pg.log" -w -t 60 -o "-p $p \
      -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/sock \
      -c shared_buffers=1GB -c work_mem=256MB -c maintenance_work_mem=512MB \
      -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB \
      -c jit=off" start >"$work/pg_ctl.log" 2>&1; then
    port=$p
    break
  fi
  grep -q 'could not bind\|Address already in use' "$work/pg.log" 2>/dev/null || break
  say "port $p taken, trying another (attempt $try)"
done
if [ -z "$port" ]; then
  cat "$work/pg_ctl.log" "$work/pg.log" >&2 2>/dev/null || true
  die "PostgreSQL did not start (server log above)"
fi
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE bench" >/dev/null || die "CREATE DATABASE failed"
PSQL+=(-d bench)
pgr_version=$("${PSQL[@]}" -At -c "CREATE EXTENSION pgrouting CASCADE; SELECT pgr_version()") ||
  die "CREATE EXTENSION pgrouting failed"
pg_version=$("${PSQL[@]}" -At -c "SHOW server_version")
say "2/6 PostgreSQL $pg_version with pgRouting $pgr_version up on 127.0.0.1:$port ($(since "$t0") s)"

t0=$(now)
"${PSQL[@]}" >/dev/null <<SQL || die "loading the edges failed"
CREATE TABLE edges (id bigint NOT NULL, source bigint NOT NULL, target bigint NOT NULL,
                    cost float8 NOT NULL, reverse_cost float8 NOT NULL);
\copy edges FROM '$work/edges.csv' WITH (FORMAT csv)
ALTER TABLE edges ADD PRIMARY KEY (id);
CREATE INDEX edges_source ON edges (source);
CREATE INDEX edges_target ON edges (target);
VACUUM ANALYZE edges;
SQL
rows=$("${PSQL[@]}" -At -c "SELECT count(*) FROM edges")
[ "$rows" = "$n_edges" ] || die "edges table has $rows rows, expected $n_edges"
say "   loaded $rows edges (COPY, primary key, indexes on source/target, ANALYZE) in $(since "$t0") s"

# median of column 1 of stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
# psql output parsers: "Time: 12.345 ms" lines follow each statement
times_of() { awk '/^Time: / { print $2 }' "$1"; }

# reading the edge set alone, as pgRouting does on every call
{
  printf '%s\n' '\timing on'
  for _ in 1 2 3 4 5 6; do echo "SELECT count(*) FROM ($EDGES_SQL) e;"; done
} >"$work/scan.sql"
"${PSQL[@]}" -At -f "$work/scan.sql" >"$work/scan.out" || die "edge scan failed"
scan_ms=$(times_of "$work/scan.out" | tail -n +2 | median)

# ---- 3a. pgr_dijkstra, one statement per pair ----
first_pair=$(head -1 "$work/pairs.txt")
{
  printf '%s\n' '\timing on'
  # warm-up (loads the pgRouting library into the backend), not counted
  echo "SELECT count(*) FROM pgr_dijkstra('$EDGES_SQL', ${first_pair% *}, ${first_pair#* }, directed => true);"
  printf '%s\n' '\echo START'
  awk -v q="$EDGES_SQL" '{ printf "\\echo Q %d\nSELECT node, edge, agg_cost FROM pgr_dijkstra('"'"'%s'"'"', %s, %s, directed => true);\n", NR, q, $1, $2 }' \
    "$work/pairs.txt"
} >"$work/dijkstra.sql"
say "3/6 pgr_dijkstra: $NQ pairs, one SQL statement each..."
t0=$(now)
"${PSQL[@]}" -At -f "$work/dijkstra.sql" >"$work/dijkstra.out" || die "pgr_dijkstra failed"
pg_p2p_wall=$(since "$t0")
# per pair: the agg_cost of the row with edge = -1 (the target), -1 when no path
awk -F'|' '/^START$/ { on = 1; next } !on { next }
  /^Q / { if (q) print c; q = $0; c = -1; next }
  /^Time: / { next }
  $2 == -1 { c = $3 }
  END { if (q) print c }' "$work/dijkstra.out" >"$work/pg_p2p.txt"
awk '/^START$/ { on = 1 } on && /^Time: / { print $2 }' "$work/dijkstra.out" >"$work/pg_p2p_ms.txt"
pg_p2p_p50=$(median <"$work/pg_p2p_ms.txt")
pg_p2p_sum=$(awk '{ s += $1 } END { printf "%.1f", s / 1000 }' "$work/pg_p2p_ms.txt")
say "   done in $pg_p2p_wall s (sum of client times ${pg_p2p_sum} s, p50 $pg_p2p_p50 ms)"

# server-side execution time of a few pairs (EXPLAIN ANALYZE), for reference
{
  # warm-up in this session too (loads the library), not counted
  printf "SELECT count(*) FROM pgr_dijkstra('%s', %s, %s, directed => true);\n" \
    "$EDGES_SQL" "${first_pair% *}" "${first_pair#* }"
  head -n 5 "$work/pairs.txt" | awk -v q="$EDGES_SQL" \
    '{ printf "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT * FROM pgr_dijkstra('"'"'%s'"'"', %s, %s, directed => true);\n", q, $1, $2 }'
} >"$work/explain.sql"
"${PSQL[@]}" -At -f "$work/explain.sql" >"$work/explain.out" || die "EXPLAIN ANALYZE failed"
pg_exec_p50=$(awk '/Execution Time:/ { print $3 }' "$work/explain.out" | median)

# ---- 3b. pgr_drivingDistance, one statement per source ----
{
  printf '%s\n' '\timing on'
  echo "SELECT count(*) FROM pgr_drivingDistance('$EDGES_SQL', $(head -1 "$work/sources.txt"), $LIMIT_DS, directed => true);"
  printf '%s\n' '\echo START'
  awk -v q="$EDGES_SQL" -v lim="$LIMIT_DS" '{ printf "SELECT count(*), coalesce(sum(node), 0), coalesce(sum(node::numeric * node), 0), coalesce(sum(agg_cost), 0)::bigint FROM pgr_drivingDistance('"'"'%s'"'"', %s, %s, directed => true);\n", q, $1, lim }' \
    "$work/sources.txt"
} >"$work/dd.sql"
say "3/6 pgr_drivingDistance: $NQ sources, bound $LIMIT_DS ds, one SQL statement each..."
t0=$(now)
"${PSQL[@]}" -At -f "$work/dd.sql" >"$work/dd.out" || die "pgr_drivingDistance failed"
pg_dd_wall=$(since "$t0")
awk -F'|' '/^START$/ { on = 1; next } on && NF == 4 { print $1, $2, $3, $4 }' "$work/dd.out" >"$work/pg_dd.txt"
awk '/^START$/ { on = 1 } on && /^Time: / { print $2 }' "$work/dd.out" >"$work/pg_dd_ms.txt"
pg_dd_p50=$(median <"$work/pg_dd_ms.txt")
pg_dd_sum=$(awk '{ s += $1 } END { printf "%.1f", s / 1000 }' "$work/pg_dd_ms.txt")
say "   done in $pg_dd_wall s (sum of client times ${pg_dd_sum} s, p50 $pg_dd_p50 ms)"

# ---- 4. our engine on the same queries ----
say "4/6 our engine on the same pairs and sources (pgr_ours)"
"$BUILD/pgr_ours" "$SNAP" "$work" "$LIMIT_DS" >"$work/ours.txt" || die "pgr_ours failed (see above)"
ours() { awk -v k="$1" '$1 == k { print $2 }' "$work/ours.txt"; }

# ---- 5. the answers must agree ----
np=$(wc -l <"$work/pg_p2p.txt"); ns=$(wc -l <"$work/pg_dd.txt")
[ "$np" -eq "$NQ" ] || die "pgr_dijkstra answered $np of $NQ pairs"
[ "$ns" -eq "$NQ" ] || die "pgr_drivingDistance answered $ns of $NQ sources"
p2p_bad=$(paste -d' ' "$work/pg_p2p.txt" "$work/ours_p2p.txt" | awk '$1 != $2 { n++ } END { print n + 0 }')
p2p_none=$(awk '$1 == -1 { n++ } END { print n + 0 }' "$work/ours_p2p.txt")
dd_bad=$(paste -d' ' "$work/pg_dd.txt" "$work/ours_dd.txt" |
  awk '$1 != $5 || $2 != $6 || $3 != $7 || $4 != $8 { n++ } END { print n + 0 }')
say "5/6 answers: $((NQ - p2p_bad))/$NQ pair times equal ($p2p_none pairs without a path in both), $((NQ - dd_bad))/$NQ reached sets equal"
if [ "$p2p_bad" -ne 0 ] || [ "$dd_bad" -ne 0 ]; then
  paste -d' ' "$work/pairs.txt" "$work/pg_p2p.txt" "$work/ours_p2p.txt" | awk '$3 != $4' | head -5 |
    sed 's/^/pgrouting:   pair (src dst pgr ours): /' >&2
  paste -d' ' "$work/sources.txt" "$work/pg_dd.txt" "$work/ours_dd.txt" |
    awk '$2 != $6 || $3 != $7 || $4 != $8 || $5 != $9' | head -5 |
    sed 's/^/pgrouting:   source (src pgr: n ids ids2 times | ours): /' >&2
  die "pgRouting and our engine disagree"
fi

# ---- 6. figures ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a * 1000 / b }'; }
echo "pgrouting graph: car, $n_nodes nodes, $n_edges directed edges; PostgreSQL $pg_version, pgRouting $pgr_version; reading the edge set alone: p50 $scan_ms ms"
printf 'pgrouting p2p: pgr_dijkstra p50 %s ms (client-side, %d pairs, %s s in all; EXPLAIN ANALYZE execution p50 %s ms on the first 5); ours p50 %s µs (route_ch_p2p), %s µs with the path (route_ch_path, %s nodes on average); ratio %s× (%s× with the path); %d/%d times equal\n' \
  "$pg_p2p_p50" "$NQ" "$pg_p2p_sum" "$pg_exec_p50" "$(ours p2p_p50_us)" "$(ours p2p_path_p50_us)" \
  "$(ours p2p_path_nodes_avg)" "$(ratio "$pg_p2p_p50" "$(ours p2p_p50_us)")" \
  "$(ratio "$pg_p2p_p50" "$(ours p2p_path_p50_us)")" "$((NQ - p2p_bad))" "$NQ"
printf 'pgrouting one-to-all (30 min): pgr_drivingDistance p50 %s ms (client-side, %d sources, %s s in all); ours p50 %s µs (bounded Dijkstra), %s µs (bounded PHAST); ratio %s× (Dijkstra), %s× (PHAST); %s nodes reached on average, %d/%d sets equal\n' \
  "$pg_dd_p50" "$NQ" "$pg_dd_sum" "$(ours dd_dijkstra_p50_us)" "$(ours dd_phast_p50_us)" \
  "$(ratio "$pg_dd_p50" "$(ours dd_dijkstra_p50_us)")" "$(ratio "$pg_dd_p50" "$(ours dd_phast_p50_us)")" \
  "$(ours dd_reached_avg)" "$((NQ - dd_bad))" "$NQ"
say "6/6 done"
