/*
 * pgr_ours.c: our side of the pgRouting comparison (bench/pgrouting.sh,
 * docs/bench-pgrouting.md). Answers exactly the queries pgr_export drew,
 * on the same snapshot's car graph, timing every query on its own:
 *
 *     pgr_ours SNAPSHOT QDIR [LIMIT_DS]
 *
 * Reads QDIR/pairs.txt ("source target" lines) and QDIR/sources.txt
 * ("source" lines), both our node ids. LIMIT_DS bounds the one-to-all
 * searches (default 18000 ds = 30 minutes, pgr_drivingDistance's bound).
 *
 *   point-to-point   route_ch_p2p alone (the time), and route_ch_p2p +
 *                    route_ch_path (the time and the node list, which is
 *                    what pgr_dijkstra returns)
 *   one-to-all       route_dijkstra bounded by LIMIT_DS, and
 *                    route_ch_phast bounded by LIMIT_DS
 *
 * Every set of queries runs once untimed first (pages the mapped snapshot
 * in and warms the caches, as the PostgreSQL side gets a warm-up query
 * and a warm buffer cache), then once timed, per query, with the
 * monotonic clock. Writes the answers for the script to compare with
 * pgRouting's:
 *   QDIR/ours_p2p.txt  one line per pair: the time in ds, -1 unreachable
 *   QDIR/ours_dd.txt   one line per source: "count sum_node sum_node2
 *                      sum_time" over the nodes reached within LIMIT_DS
 *                      (the source included), the checksum of the set
 *                      the SQL side computes from pgr_drivingDistance
 * and prints "key value" lines on stdout (times: *_us per query
 * percentiles, *_ms totals over all queries). Exits 1 when the bounded
 * Dijkstra and the bounded PHAST disagree on any source, or when the
 * unpacked path of a pair is not a path of the graph with the time found.
 *
 * Build: gcc -std=c11 -D_GNU_SOURCE -O2 -o pgr_ours bench/pgr_ours.c
 *        build/release/libflyttkarta.a $(PKG_LIBS)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../base/progress.h"
#include "../route/ch.h"
#include "../route/dijkstra.h"
#include "../route/graph.h"

typedef struct pgr_sum {
    uint64_t count, sum_node, sum_node2, sum_time;
} pgr_sum;

static int pgr_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Percentile p (0..100) of the n values in v (sorted in place). */
static double pgr_pct(double *v, size_t n, int p)
{
    qsort(v, n, sizeof *v, pgr_cmp_double);
    size_t i = n * (size_t)p / 100;
    return v[i < n ? i : n - 1];
}

/* Reads up to cap lines of `per_line` unsigned node ids (< n_nodes) from
 * dir/name into out. Returns the number of lines, or -1 (message on
 * stderr) on a missing file, a malformed line or an id out of range. */
static long pgr_read_ids(const char *dir, const char *name, int per_line, uint32_t n_nodes,
                         uint32_t *out, size_t cap)
{
    char path[4096];
    int len = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (len < 0 || (size_t)len >= sizeof path) return -1;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "pgr_ours: %s: %s\n", path, strerror(errno));
        return -1;
    }
    long n = 0;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        unsigned long a = 0, b = 0;
        int got = per_line == 2 ? sscanf(line, "%lu %lu", &a, &b) : sscanf(line, "%lu", &a);
        if (got != per_line || a >= n_nodes || b >= n_nodes || (size_t)n >= cap / (size_t)per_line) {
            line[strcspn(line, "\r\n")] = 0;
            fprintf(stderr, "pgr_ours: %s:%ld: expected %d node ids below %" PRIu32 ", got '%.40s'\n",
                    path, n + 1, per_line, n_nodes, line);
            fclose(f);
            return -1;
        }
        out[n * per_line] = (uint32_t)a;
        if (per_line == 2) out[n * per_line + 1] = (uint32_t)b;
        n++;
    }
    fclose(f);
    return n;
}

/* Time of edge u->v in g, ROUTE_INF when there is none. */
static uint32_t pgr_edge_time(const route_graph *g, uint32_t u, uint32_t v)
{
    for (uint32_t k = g->first[u]; k < g->first[u + 1]; k++)
        if (g->edges[k].head == v) return g->edges[k].time_ds;
    return ROUTE_INF;
}

static void pgr_add(pgr_sum *s, uint32_t node, uint32_t t)
{
    s->count++;
    s->sum_node += node;
    s->sum_node2 += (uint64_t)node * node;
    s->sum_time += t;
}

static FILE *pgr_open_out(const char *dir, const char *name)
{
    char path[4096];
    int len = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (len < 0 || (size_t)len >= sizeof path) return NULL;
    FILE *f = fopen(path, "w");
    if (!f) fprintf(stderr, "pgr_ours: %s: %s\n", path, strerror(errno));
    return f;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: pgr_ours SNAPSHOT QDIR [LIMIT_DS]\n");
        return 2;
    }
    const char *snap = argv[1], *dir = argv[2];
    uint32_t limit = 18000;
    if (argc == 4) {
        char *end;
        unsigned long l = strtoul(argv[3], &end, 10);
        if (*end || l == 0 || l >= ROUTE_INF) {
            fprintf(stderr, "pgr_ours: LIMIT_DS must be a positive number, not '%s'\n", argv[3]);
            return 2;
        }
        limit = (uint32_t)l;
    }
    enum { MAX_Q = 1000000 };
    int rc = 1, s_ok = 0, ds_ok = 0, bad = 0;
    fk_err e;
    region *r = NULL;
    uint32_t *pairs = NULL, *srcs = NULL, *p2p_time = NULL;
    double *lat = NULL;
    pgr_sum *dd = NULL;
    FILE *f = NULL;
    route_graph g;
    route_ch ch;
    route_ch_scratch s;
    route_search ds;
    if (region_open(snap, 0, &r, &e)) {
        fprintf(stderr, "pgr_ours: %s\n", e.msg);
        goto fail;
    }
    if (route_graph_open(r, MODE_CAR, DIR_FORWARD, &g, &e) ||
        route_ch_open(r, MODE_CAR, &ch, &e)) {
        fprintf(stderr, "pgr_ours: %s: %s\n", snap, e.msg);
        goto fail;
    }
    pairs = mem_alloc(2 * (size_t)MAX_Q * sizeof *pairs);
    srcs = mem_alloc((size_t)MAX_Q * sizeof *srcs);
    if (!pairs || !srcs) goto nomem;
    long np = pgr_read_ids(dir, "pairs.txt", 2, g.n_nodes, pairs, 2 * (size_t)MAX_Q);
    long ns = pgr_read_ids(dir, "sources.txt", 1, g.n_nodes, srcs, MAX_Q);
    if (np < 0 || ns < 0) goto fail;
    size_t nmax = (size_t)(np > ns ? np : ns) + 1;
    lat = mem_alloc(nmax * sizeof *lat);
    p2p_time = mem_alloc(nmax * sizeof *p2p_time);
    dd = mem_calloc(nmax, sizeof *dd);
    if (!lat || !p2p_time || !dd) goto nomem;
    if (route_ch_scratch_init(&s, &ch)) goto nomem;
    s_ok = 1;
    if (route_search_init(&ds, g.n_nodes)) goto nomem;
    ds_ok = 1;

    /* point-to-point, time only */
    route_ch_result res;
    for (int pass = 0; pass < 2; pass++) {
        double t_all = progress_now();
        for (long i = 0; i < np; i++) {
            double t0 = progress_now();
            if (route_ch_p2p(&ch, &s, &pairs[2 * i], NULL, 1, &pairs[2 * i + 1], NULL, 1, &res))
                goto nomem;
            lat[i] = (progress_now() - t0) * 1e6;
            p2p_time[i] = res.time_ds;
        }
        if (pass == 1 && np > 0) {
            printf("p2p_total_ms %.3f\n", (progress_now() - t_all) * 1e3);
            printf("p2p_p50_us %.2f\n", pgr_pct(lat, (size_t)np, 50));
            printf("p2p_p99_us %.2f\n", pgr_pct(lat, (size_t)np, 99));
        }
    }
    /* point-to-point with the path (what pgr_dijkstra returns) */
    uint64_t path_nodes = 0;
    for (int pass = 0; pass < 2; pass++) {
        double t_all = progress_now();
        for (long i = 0; i < np; i++) {
            double t0 = progress_now();
            const uint32_t *path = NULL;
            size_t n_path = 0;
            if (route_ch_p2p(&ch, &s, &pairs[2 * i], NULL, 1, &pairs[2 * i + 1], NULL, 1, &res))
                goto nomem;
            int prc = res.time_ds == ROUTE_CH_INF ? FK_ENOTFOUND
                                                  : route_ch_path(&ch, &s, &path, &n_path);
            lat[i] = (progress_now() - t0) * 1e6;
            if (pass == 1 || prc == FK_ENOTFOUND) continue;
            /* check the path once: a real path of the graph with the time found */
            uint64_t sum = 0;
            for (size_t k = 0; prc == 0 && k + 1 < n_path; k++) {
                uint32_t t = pgr_edge_time(&g, path[k], path[k + 1]);
                sum += t == ROUTE_INF ? (uint64_t)UINT32_MAX * 2 : t;
            }
            if (prc || n_path == 0 || path[0] != pairs[2 * i] ||
                path[n_path - 1] != pairs[2 * i + 1] || sum != res.time_ds) {
                fprintf(stderr, "pgr_ours: pair %ld (%" PRIu32 " -> %" PRIu32 "): unpacked path "
                        "does not match the time %" PRIu32 "\n", i + 1, pairs[2 * i],
                        pairs[2 * i + 1], res.time_ds);
                bad++;
            }
            path_nodes += n_path;
        }
        if (pass == 1 && np > 0) {
            printf("p2p_path_total_ms %.3f\n", (progress_now() - t_all) * 1e3);
            printf("p2p_path_p50_us %.2f\n", pgr_pct(lat, (size_t)np, 50));
            printf("p2p_path_nodes_avg %.1f\n", (double)path_nodes / (double)np);
        }
    }
    /* bounded one-to-all: Dijkstra */
    for (int pass = 0; pass < 2; pass++) {
        double t_all = progress_now();
        for (long i = 0; i < ns; i++) {
            double t0 = progress_now();
            route_dijkstra(&g, &srcs[i], NULL, 1, limit, ROUTE_INF, &ds);
            lat[i] = (progress_now() - t0) * 1e6;
            if (pass == 0) {
                for (size_t k = 0; k < ds.n_touched; k++) {
                    uint32_t v = ds.touched[k];
                    if (ds.dist[v] <= limit) pgr_add(&dd[i], v, ds.dist[v]);
                }
            }
        }
        if (pass == 1 && ns > 0) {
            printf("dd_dijkstra_total_ms %.3f\n", (progress_now() - t_all) * 1e3);
            printf("dd_dijkstra_p50_us %.2f\n", pgr_pct(lat, (size_t)ns, 50));
        }
    }
    /* bounded one-to-all: PHAST, checked against the Dijkstra sets */
    uint64_t reached = 0;
    for (int pass = 0; pass < 2; pass++) {
        double t_all = progress_now();
        for (long i = 0; i < ns; i++) {
            double t0 = progress_now();
            const uint32_t *d = route_ch_phast(&ch, &s, DIR_FORWARD, &srcs[i], NULL, 1, limit);
            lat[i] = (progress_now() - t0) * 1e6;
            if (!d) goto nomem;
            if (pass == 1) continue;
            pgr_sum ph = {0, 0, 0, 0};
            for (uint32_t p = 0; p < ch.n_nodes; p++)
                if (d[p] != ROUTE_CH_INF) pgr_add(&ph, ch.order[p], d[p]);
            if (memcmp(&ph, &dd[i], sizeof ph) != 0) {
                fprintf(stderr, "pgr_ours: source %" PRIu32 ": PHAST reaches %" PRIu64
                        " nodes, Dijkstra %" PRIu64 " (or the times differ)\n", srcs[i],
                        ph.count, dd[i].count);
                bad++;
            }
            reached += ph.count;
        }
        if (pass == 1 && ns > 0) {
            printf("dd_phast_total_ms %.3f\n", (progress_now() - t_all) * 1e3);
            printf("dd_phast_p50_us %.2f\n", pgr_pct(lat, (size_t)ns, 50));
            printf("dd_reached_avg %.1f\n", (double)reached / (double)ns);
        }
    }
    /* answers */
    if (!(f = pgr_open_out(dir, "ours_p2p.txt"))) goto fail;
    for (long i = 0; i < np; i++) {
        if (p2p_time[i] == ROUTE_CH_INF) fprintf(f, "-1\n");
        else fprintf(f, "%" PRIu32 "\n", p2p_time[i]);
    }
    if (fclose(f)) { f = NULL; goto fail; }
    if (!(f = pgr_open_out(dir, "ours_dd.txt"))) goto fail;
    for (long i = 0; i < ns; i++)
        fprintf(f, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", dd[i].count,
                dd[i].sum_node, dd[i].sum_node2, dd[i].sum_time);
    if (fclose(f)) { f = NULL; goto fail; }
    f = NULL;
    rc = bad ? 1 : 0;
    goto done;
nomem:
    fprintf(stderr, "pgr_ours: out of memory\n");
fail:
    rc = 1;
done:
    if (f) fclose(f);
    if (s_ok) route_ch_scratch_free(&s);
    if (ds_ok) route_search_free(&ds);
    mem_free(pairs);
    mem_free(srcs);
    mem_free(lat);
    mem_free(p2p_time);
    mem_free(dd);
    region_close(r);
    return rc;
}
