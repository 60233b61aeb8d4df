/*
 * pgr_export.c: the first step of the pgRouting comparison
 * (bench/pgrouting.sh, docs/bench-pgrouting.md). Reads a snapshot and
 * writes, into an existing directory, the car forward graph as a table
 * PostgreSQL can COPY and the query sets both engines then answer:
 *
 *     pgr_export SNAPSHOT OUTDIR N_QUERIES [SEED]
 *
 *   OUTDIR/edges.csv    id,source,target,cost,reverse_cost: one row per
 *                       directed edge of route_graph_open(MODE_CAR,
 *                       DIR_FORWARD), id = CSR edge index + 1, source and
 *                       target = our node ids, cost = time in deciseconds
 *                       (an integer, so path sums are exact in both engines
 *                       and must be equal), reverse_cost = -1 (pgRouting
 *                       ignores negative costs: the row is one-way). Our
 *                       graph already keeps only the fastest of parallel
 *                       edges, so the table is exactly our graph.
 *   OUTDIR/pairs.txt    N lines "source target" (point-to-point queries)
 *   OUTDIR/sources.txt  N lines "source" (bounded one-to-all queries)
 *   OUTDIR/graph.txt    "nodes N\nedges E\nusable U\n" for the report
 *
 * Sources and targets are drawn (seeded, default 42) from the nodes that
 * have at least one car edge leaving them, as bench_ch does; a pair may be
 * unreachable (a oneway dead end), which both engines must then agree on.
 * Prints nothing on success; on failure one line on stderr, exit status 1.
 *
 * Build: gcc -std=c11 -D_GNU_SOURCE -O2 -o pgr_export bench/pgr_export.c
 *        build/release/libflyttkarta.a $(PKG_LIBS)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../base/rng.h"
#include "../route/graph.h"

/* Opens dir/name for writing; NULL (message on stderr) on failure. */
static FILE *pgr_open_out(const char *dir, const char *name, char *path, size_t cap)
{
    int n = snprintf(path, cap, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= cap) {
        fprintf(stderr, "pgr_export: output path too long: %s/%s\n", dir, name);
        return NULL;
    }
    FILE *f = fopen(path, "w");
    if (!f) fprintf(stderr, "pgr_export: %s: %s\n", path, strerror(errno));
    return f;
}

/* Closes f, reporting a write error on path. 0 or -1. */
static int pgr_close_out(FILE *f, const char *path)
{
    int bad = ferror(f);
    if (fclose(f) != 0) bad = 1;
    if (bad) fprintf(stderr, "pgr_export: writing %s failed: %s\n", path, strerror(errno));
    return bad ? -1 : 0;
}

/* Writes every edge of g as one CSV row. 0 or -1. */
static int pgr_write_edges(const route_graph *g, const char *dir)
{
    char path[4096];
    FILE *f = pgr_open_out(dir, "edges.csv", path, sizeof path);
    if (!f) return -1;
    static char buf[1 << 16];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    for (uint32_t v = 0; v < g->n_nodes; v++)
        for (uint32_t k = g->first[v]; k < g->first[v + 1]; k++)
            fprintf(f, "%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",-1\n", k + 1, v,
                    g->edges[k].head, g->edges[k].time_ds);
    return pgr_close_out(f, path);
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: pgr_export SNAPSHOT OUTDIR N_QUERIES [SEED]\n");
        return 2;
    }
    const char *snap = argv[1], *dir = argv[2];
    char *end;
    unsigned long nq = strtoul(argv[3], &end, 10);
    if (*end || nq == 0 || nq > 1000000) {
        fprintf(stderr, "pgr_export: N_QUERIES must be 1..1000000, not '%s'\n", argv[3]);
        return 2;
    }
    uint64_t seed = 42;
    if (argc == 5) {
        seed = strtoull(argv[4], &end, 10);
        if (*end) {
            fprintf(stderr, "pgr_export: SEED must be a number, not '%s'\n", argv[4]);
            return 2;
        }
    }
    int rc = 1;
    fk_err e;
    region *r = NULL;
    uint32_t *use = NULL;
    FILE *f = NULL;
    char path[4096];
    route_graph g;
    if (region_open(snap, 0, &r, &e)) {
        fprintf(stderr, "pgr_export: %s\n", e.msg);
        goto fail;
    }
    if (route_graph_open(r, MODE_CAR, DIR_FORWARD, &g, &e)) {
        fprintf(stderr, "pgr_export: %s: %s\n", snap, e.msg);
        goto fail;
    }
    use = mem_alloc((size_t)(g.n_nodes ? g.n_nodes : 1) * sizeof *use);
    if (!use) {
        fprintf(stderr, "pgr_export: out of memory\n");
        goto fail;
    }
    uint32_t n_use = 0;
    for (uint32_t v = 0; v < g.n_nodes; v++)
        if (g.first[v] < g.first[v + 1]) use[n_use++] = v;
    if (n_use < 2) {
        fprintf(stderr, "pgr_export: %s: the car graph has fewer than 2 usable nodes\n", snap);
        goto fail;
    }
    if (pgr_write_edges(&g, dir)) goto fail;

    rng gen;
    rng_seed(&gen, seed);
    if (!(f = pgr_open_out(dir, "pairs.txt", path, sizeof path))) goto fail;
    for (unsigned long i = 0; i < nq; i++) {
        uint32_t a = use[rng_below(&gen, n_use)], z = use[rng_below(&gen, n_use)];
        fprintf(f, "%" PRIu32 " %" PRIu32 "\n", a, z);
    }
    if (pgr_close_out(f, path)) { f = NULL; goto fail; }
    if (!(f = pgr_open_out(dir, "sources.txt", path, sizeof path))) goto fail;
    for (unsigned long i = 0; i < nq; i++)
        fprintf(f, "%" PRIu32 "\n", use[rng_below(&gen, n_use)]);
    if (pgr_close_out(f, path)) { f = NULL; goto fail; }
    if (!(f = pgr_open_out(dir, "graph.txt", path, sizeof path))) goto fail;
    fprintf(f, "nodes %" PRIu32 "\nedges %" PRIu32 "\nusable %" PRIu32 "\n", g.n_nodes,
            g.n_edges, n_use);
    if (pgr_close_out(f, path)) { f = NULL; goto fail; }
    f = NULL;
    rc = 0;
fail:
    if (f) fclose(f);
    mem_free(use);
    region_close(r);
    return rc;
}
