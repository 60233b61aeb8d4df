/*
 * bench_ch.c: benchmark of the contraction hierarchies (route/ch.c)
 * against the reference Dijkstra, on a generated road-like network of
 * about a million nodes built through the real pipeline (roads in a
 * region_builder -> route_graph_build_all -> route_ch_build -> snapshot
 * written and opened by mmap), and on a snapshot file given on the
 * command line.
 *
 *     bench_ch [--side N] [--shape K] [--all-modes] [--seed S] [--keep FILE]
 *              [SNAPSHOT]
 *
 * --side N: the generated grid is N x N nodes (default 1000, i.e. 1 M);
 * 0 skips it. --shape K puts K degree-2 shape nodes on every street
 * segment, as OSM ways have (default 0: junctions only; the default grid
 * is the harder case for PHAST, ~4 CH edges per node against ~1-2 on
 * real OSM networks). --all-modes also builds (and times) the walk and bike CHs.
 * --keep FILE keeps the generated snapshot there (to rerun the queries on
 * it as SNAPSHOT without building again).
 * Prints one line per figure: build times, one-to-all PHAST vs Dijkstra
 * (ms and ratio), many-to-one PHAST, point-to-point p50/p99 (µs),
 * many-to-many 100x100 by buckets and by repeated PHAST, storage per node
 * and per edge. Every query result is also checked against Dijkstra on a
 * sample; a mismatch makes the program exit with status 1.
 *
 * Build (release flags; no other dependency than the library's base,
 * region and route sources and zlib):
 *     gcc -std=c11 -D_GNU_SOURCE -O2 -o build/release/bench_ch bench/bench_ch.c
 *         build/release/libflyttkarta.a $(PKG_LIBS)
 * (it uses only base/, region/ and route/ch, graph, dijkstra, profile).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/mem.h"
#include "../base/progress.h"
#include "../base/rng.h"
#include "../route/ch.h"
#include "../route/dijkstra.h"
#include "../route/graph.h"

static double now_ms(void)
{
    return progress_now() * 1000.0;
}

static region_road bench_road(uint32_t from, uint32_t to, int hw, uint32_t len_dm)
{
    region_road r;
    memset(&r, 0, sizeof r);
    r.from = from;
    r.to = to;
    r.highway = (uint8_t)hw;
    r.oneway = ONEWAY_UNSET;
    r.oneway_bicycle = ONEWAY_UNSET;
    r.length_dm = len_dm;
    return r;
}

/* A perturbed N x N grid, ~120 m spacing, with a hierarchy: every 8th
 * line tertiary, every 32nd secondary, every 128th primary, every 256th
 * row a motorway (two oneway carriageways, links every 16 nodes); 6 % of
 * residential streets missing, 5 % oneway. Junction ids are row-major;
 * with shape > 0 each street segment gets that many shape nodes. */
/* Adds road r, split into shape+1 segments through new shape nodes
 * (OSM ways have many degree-2 nodes between junctions). */
static int bench_add_road(region_builder *b, region_road r, uint32_t shape, rng *g)
{
    uint32_t from = r.from, to = r.to, len = r.length_dm / (shape + 1) + 1;
    geo_point pa = b->road_nodes.v[from], pb = b->road_nodes.v[to];
    uint32_t prev = from;
    for (uint32_t k = 1; k <= shape; k++) {
        geo_point p = {pa.lat_e7 + (int32_t)((int64_t)(pb.lat_e7 - pa.lat_e7) * k / (shape + 1)) +
                           (int32_t)rng_below(g, 300),
                       pa.lon_e7 + (int32_t)((int64_t)(pb.lon_e7 - pa.lon_e7) * k / (shape + 1))};
        if (vec_push(b->road_nodes, p)) return FK_ENOMEM;
        r.from = prev;
        r.to = (uint32_t)(b->road_nodes.n - 1);
        r.length_dm = len;
        if (vec_push(b->roads, r)) return FK_ENOMEM;
        prev = r.to;
    }
    r.from = prev;
    r.to = to;
    r.length_dm = len;
    return vec_push(b->roads, r) ? FK_ENOMEM : 0;
}

static int bench_generate(region_builder *b, uint32_t side, uint32_t shape, uint64_t seed)
{
    rng g;
    rng_seed(&g, seed);
    if (vec_reserve(b->road_nodes, (size_t)side * side)) return FK_ENOMEM;
    for (uint32_t y = 0; y < side; y++)
        for (uint32_t x = 0; x < side; x++) {
            geo_point p = {600000000 + (int32_t)(y * 10800 + rng_below(&g, 4000)),
                           150000000 + (int32_t)(x * 21600 + rng_below(&g, 8000))};
            b->road_nodes.v[b->road_nodes.n++] = p;
        }
    for (uint32_t y = 0; y < side; y++)
        for (uint32_t x = 0; x < side; x++) {
            uint32_t v = y * side + x;
            for (int dir = 0; dir < 2; dir++) {
                if ((dir == 0 && x + 1 >= side) || (dir == 1 && y + 1 >= side)) continue;
                uint32_t line = dir == 0 ? y : x, u = dir == 0 ? v + 1 : v + side;
                int hw = HW_RESIDENTIAL;
                if (line % 128 == 0) hw = HW_PRIMARY;
                else if (line % 32 == 0) hw = HW_SECONDARY;
                else if (line % 8 == 0) hw = HW_TERTIARY;
                if (dir == 0 && line % 256 == 128) hw = HW_MOTORWAY;
                if (hw == HW_RESIDENTIAL && rng_below(&g, 100) < 6) continue;
                geo_point pa = b->road_nodes.v[v], pb = b->road_nodes.v[u];
                uint32_t len = (uint32_t)(geo_dist_m(pa, pb) * 10.0) + 1;
                region_road r = bench_road(v, u, hw, len);
                if (hw == HW_MOTORWAY) {
                    r.oneway = ONEWAY_FORWARD;
                    if (bench_add_road(b, r, shape, &g)) return FK_ENOMEM;
                    r.from = u;
                    r.to = v;
                } else if (hw == HW_RESIDENTIAL && rng_below(&g, 100) < 5) {
                    r.oneway = rng_below(&g, 2) ? ONEWAY_FORWARD : ONEWAY_REVERSE;
                }
                if (bench_add_road(b, r, shape, &g)) return FK_ENOMEM;
                if (hw == HW_MOTORWAY && x % 16 == 0 && y + 1 < side) {
                    region_road l = bench_road(v, v + side, HW_MOTORWAY_LINK, 3000);
                    l.oneway = ONEWAY_NO;
                    if (vec_push(b->roads, l)) return FK_ENOMEM;
                }
            }
        }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int bench_fail(const char *what, fk_err *e)
{
    fprintf(stderr, "bench_ch: %s: %s\n", what, e ? e->msg : "");
    return 1;
}

/* Queries on an open snapshot's car CH; label names the network. */
static int bench_queries(const char *label, const region *r, uint64_t seed)
{
    fk_err e;
    route_graph gf, gb;
    route_ch ch;
    if (route_graph_open(r, MODE_CAR, DIR_FORWARD, &gf, &e) ||
        route_graph_open(r, MODE_CAR, DIR_BACKWARD, &gb, &e) ||
        route_ch_open(r, MODE_CAR, &ch, &e))
        return bench_fail("open", &e);
    uint32_t n = gf.n_nodes;
    route_search ds;
    route_ch_scratch s;
    uint32_t *use = mem_alloc((size_t)(n ? n : 1) * sizeof *use);
    uint32_t *orig = mem_alloc((size_t)(n ? n : 1) * sizeof *orig);
    uint32_t *mat = mem_alloc(100 * 100 * sizeof *mat);
    double *lat = mem_alloc(2000 * sizeof *lat);
    if (!use || !orig || !mat || !lat || route_search_init(&ds, n) ||
        route_ch_scratch_init(&s, &ch)) {
        fprintf(stderr, "bench_ch: out of memory\n");
        return 1;
    }
    uint32_t n_use = 0;
    for (uint32_t v = 0; v < n; v++)
        if (gf.first[v] < gf.first[v + 1]) use[n_use++] = v;
    if (n_use < 2) {
        printf("%s: car graph has fewer than 2 usable nodes, skipped\n", label);
        return 0;
    }
    rng g;
    rng_seed(&g, seed);
    int bad = 0;
    printf("%s: car graph %u nodes, %u edges; CH %u up + %u down edges, %u levels\n", label,
           n, gf.n_edges, ch.n_up, ch.n_down, ch.n_levels);
    /* one-to-all: PHAST vs Dijkstra (same sources; first PHAST warms up) */
    enum { N_DIJ = 5, N_PHAST = 30 };
    uint32_t srcs[N_PHAST];
    for (int i = 0; i < N_PHAST; i++) srcs[i] = use[rng_below(&g, n_use)];
    double t0 = now_ms();
    for (int i = 0; i < N_DIJ; i++)
        route_dijkstra(&gf, &srcs[i], NULL, 1, ROUTE_INF, ROUTE_INF, &ds);
    double dij_ms = (now_ms() - t0) / N_DIJ;
    const uint32_t *d = route_ch_phast(&ch, &s, DIR_FORWARD, &srcs[0], NULL, 1, ROUTE_CH_INF);
    t0 = now_ms();
    for (int i = 0; i < N_PHAST; i++)
        d = route_ch_phast(&ch, &s, DIR_FORWARD, &srcs[i], NULL, 1, ROUTE_CH_INF);
    double ph_ms = (now_ms() - t0) / N_PHAST;
    /* check the last one */
    route_dijkstra(&gf, &srcs[N_PHAST - 1], NULL, 1, ROUTE_INF, ROUTE_INF, &ds);
    for (uint32_t v = 0; v < n; v++) bad += d[ch.pos[v]] != ds.dist[v];
    printf("%s: one-to-all car: PHAST %.2f ms, Dijkstra %.1f ms, speed-up %.1fx "
           "(goals >= 15x, <= 5 ms at 1 M nodes)\n", label, ph_ms, dij_ms, dij_ms / ph_ms);
    t0 = now_ms();
    for (int i = 0; i < N_PHAST; i++)
        d = route_ch_phast(&ch, &s, DIR_FORWARD, &srcs[i], NULL, 1, ROUTE_CH_INF);
    for (int i = 0; i < N_PHAST; i++) route_ch_to_original(&ch, d, orig);
    printf("%s: one-to-all car by original id (PHAST + permutation): %.2f ms\n", label,
           (now_ms() - t0) / N_PHAST);
    t0 = now_ms();
    for (int i = 0; i < N_PHAST; i++)
        d = route_ch_phast(&ch, &s, DIR_BACKWARD, &srcs[i], NULL, 1, ROUTE_CH_INF);
    double m1_ms = (now_ms() - t0) / N_PHAST;
    route_dijkstra(&gb, &srcs[N_PHAST - 1], NULL, 1, ROUTE_INF, ROUTE_INF, &ds);
    for (uint32_t v = 0; v < n; v++) bad += d[ch.pos[v]] != ds.dist[v];
    printf("%s: many-to-one car: PHAST %.2f ms\n", label, m1_ms);
    /* bounded one-to-all: 10 minutes */
    t0 = now_ms();
    for (int i = 0; i < N_PHAST; i++)
        d = route_ch_phast(&ch, &s, DIR_FORWARD, &srcs[i], NULL, 1, 6000);
    double b_ph = (now_ms() - t0) / N_PHAST;
    t0 = now_ms();
    for (int i = 0; i < N_DIJ; i++) route_dijkstra(&gf, &srcs[i], NULL, 1, 6000, ROUTE_INF, &ds);
    printf("%s: one-to-all car bounded to 10 min: PHAST %.2f ms, Dijkstra %.2f ms\n", label,
           b_ph, (now_ms() - t0) / N_DIJ);
    /* point-to-point */
    enum { N_P2P = 2000 };
    uint64_t settled = 0;
    for (int q = 0; q < N_P2P; q++) {
        uint32_t a = use[rng_below(&g, n_use)], z = use[rng_below(&g, n_use)];
        route_ch_result res;
        double q0 = now_ms();
        route_ch_p2p(&ch, &s, &a, NULL, 1, &z, NULL, 1, &res);
        lat[q] = (now_ms() - q0) * 1000.0;
        settled += s.settled;
        if (q < 100) {
            route_dijkstra(&gf, &a, NULL, 1, ROUTE_INF, z, &ds);
            bad += res.time_ds != ds.dist[z];
        }
    }
    qsort(lat, N_P2P, sizeof *lat, cmp_double);
    printf("%s: point-to-point car: p50 %.1f us, p99 %.1f us, %.0f nodes settled on average "
           "(goal p50 <= 500 us at 1 M nodes)\n", label, lat[N_P2P / 2],
           lat[N_P2P * 99 / 100], (double)settled / N_P2P);
    /* point-to-point with path unpacking */
    t0 = now_ms();
    size_t total_nodes = 0;
    for (int q = 0; q < 200; q++) {
        uint32_t a = use[rng_below(&g, n_use)], z = use[rng_below(&g, n_use)];
        route_ch_result res;
        route_ch_p2p(&ch, &s, &a, NULL, 1, &z, NULL, 1, &res);
        const uint32_t *p;
        size_t np;
        if (route_ch_path(&ch, &s, &p, &np) == 0) total_nodes += np;
    }
    printf("%s: point-to-point car with unpacked path: %.1f us on average (%.0f nodes per path)\n",
           label, (now_ms() - t0) * 1000.0 / 200, total_nodes / 200.0);
    /* many-to-many 100 x 100 */
    uint32_t ms[100], mt[100];
    for (int i = 0; i < 100; i++) {
        ms[i] = use[rng_below(&g, n_use)];
        mt[i] = use[rng_below(&g, n_use)];
    }
    route_ch_matrix(&ch, &s, ms, 100, mt, 100, mat); /* warm-up: bucket store */
    t0 = now_ms();
    if (route_ch_matrix(&ch, &s, ms, 100, mt, 100, mat)) return bench_fail("matrix", NULL);
    double mb_ms = now_ms() - t0;
    t0 = now_ms();
    for (int i = 0; i < 100; i++) {
        d = route_ch_phast(&ch, &s, DIR_FORWARD, &ms[i], NULL, 1, ROUTE_CH_INF);
        for (int j = 0; j < 100; j++) bad += d[ch.pos[mt[j]]] != mat[i * 100 + j];
    }
    double mp_ms = now_ms() - t0;
    printf("%s: many-to-many 100x100 car: buckets %.1f ms, repeated PHAST %.1f ms "
           "(buckets %.1fx faster)\n", label, mb_ms, mp_ms, mp_ms / mb_ms);
    /* storage */
    uint64_t ch_bytes = 0;
    for (int p = 0; p < 9; p++) {
        const region_section_entry *se = region_section(r, route_ch_section_id(MODE_CAR, p));
        ch_bytes += se->count * se->elem_size;
    }
    uint64_t ch_edges = (uint64_t)ch.n_up + ch.n_down;
    printf("%s: storage car CH: %.1f MB, %.1f bytes per node, %.1f bytes per graph edge; "
           "16 B/node + 12 B per CH edge (%.2f CH edges per graph edge)\n", label,
           ch_bytes / 1e6, (double)ch_bytes / n, (double)ch_bytes / gf.n_edges,
           (double)ch_edges / gf.n_edges);
    printf("%s: scratch per query thread: %.1f MB\n", label,
           (44.0 * n + (double)s.bucket_cap * sizeof(route_ch_bucket)) / 1e6);
    if (bad) printf("%s: MISMATCH against Dijkstra: %d values\n", label, bad);
    mem_free(use);
    mem_free(orig);
    mem_free(mat);
    mem_free(lat);
    route_ch_scratch_free(&s);
    route_search_free(&ds);
    return bad ? 1 : 0;
}

/* Graph + CH build of builder b (car, or all modes), write, open, query. */
static int bench_build_and_query(const char *label, region_builder *b, int all_modes,
                                 uint64_t seed, const char *keep)
{
    fk_err e;
    char path[256];
    snprintf(path, sizeof path, "%s", keep ? keep : "");
    if (!keep) snprintf(path, sizeof path, "/tmp/bench_ch_%ld.region", (long)getpid());
    double t0 = now_ms();
    if (route_graph_build_all(b, &e)) return bench_fail("graphs", &e);
    printf("%s: graphs (3 modes x 2 directions) built in %.2f s\n", label,
           (now_ms() - t0) / 1000);
    for (int m = all_modes ? 0 : MODE_CAR; m < MODE_COUNT; m++) {
        size_t mem0 = mem_peak_bytes();
        t0 = now_ms();
        if (route_ch_build(b, (route_mode)m, &e)) return bench_fail("ch build", &e);
        printf("%s: CH build %s: %.2f s (peak heap %.0f MB)\n", label,
               route_mode_name((route_mode)m), (now_ms() - t0) / 1000,
               (double)(mem_peak_bytes() > mem0 ? mem_peak_bytes() : mem0) / 1e6);
    }
    t0 = now_ms();
    if (region_write(b, path, &e)) return bench_fail("write", &e);
    region_builder_free(b);
    region *r;
    if (region_open(path, 0, &r, &e)) return bench_fail("open", &e);
    double t1 = now_ms();
    route_ch ch;
    if (route_ch_open(r, MODE_CAR, &ch, &e)) return bench_fail("ch open", &e);
    printf("%s: snapshot written and opened in %.2f s; route_ch_open (validation) %.1f ms\n",
           label, (t1 - t0) / 1000, now_ms() - t1);
    int rc = bench_queries(label, r, seed);
    region_close(r);
    if (!keep) unlink(path);
    return rc;
}

int main(int argc, char **argv)
{
    uint32_t side = 1000, shape = 0;
    int all_modes = 0;
    uint64_t seed = 42;
    const char *snap = NULL, *keep = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--side") && i + 1 < argc) side = (uint32_t)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], 0, 10);
        else if (!strcmp(argv[i], "--shape") && i + 1 < argc) shape = (uint32_t)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--all-modes")) all_modes = 1;
        else if (!strcmp(argv[i], "--keep") && i + 1 < argc) keep = argv[++i];
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: bench_ch [--side N] [--shape K] [--all-modes] [--seed S] [--keep FILE] "
                            "[SNAPSHOT]\n");
            return 2;
        } else snap = argv[i];
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* one line per figure, as it comes */
    int rc = 0;
    if (side >= 2) {
        region_builder b;
        region_builder_init(&b, "bench grid");
        char label[64];
        snprintf(label, sizeof label, "grid %ux%u shape %u", side, side, shape);
        double t0 = now_ms();
        if (bench_generate(&b, side, shape, seed)) return bench_fail("generate", NULL);
        printf("%s: generated %zu nodes, %zu roads in %.2f s\n", label, b.road_nodes.n,
               b.roads.n, (now_ms() - t0) / 1000);
        rc |= bench_build_and_query(label, &b, all_modes, seed, keep);
    }
    if (snap) {
        fk_err e;
        region *r;
        if (region_open(snap, 0, &r, &e)) return bench_fail(snap, &e);
        route_ch ch;
        if (route_ch_open(r, MODE_CAR, &ch, &e) == 0) {
            rc |= bench_queries(snap, r, seed);
            region_close(r);
        } else {
            /* no CH in it: rebuild graphs and CH from its roads */
            region_builder b;
            region_builder_init(&b, "bench snapshot");
            int bad = vec_reserve(b.road_nodes, r->n_road_nodes) ||
                      vec_reserve(b.roads, r->n_roads);
            if (bad) return bench_fail("out of memory", NULL);
            memcpy(b.road_nodes.v, r->road_nodes, r->n_road_nodes * sizeof *r->road_nodes);
            b.road_nodes.n = r->n_road_nodes;
            memcpy(b.roads.v, r->roads, r->n_roads * sizeof *r->roads);
            b.roads.n = r->n_roads;
            for (size_t i = 0; i < b.roads.n; i++) b.roads.v[i].name = 0; /* no strings */
            region_close(r);
            rc |= bench_build_and_query(snap, &b, all_modes, seed, NULL);
        }
    }
    return rc;
}
