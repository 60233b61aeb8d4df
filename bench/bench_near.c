/*
 * bench_near.c: benchmark of snapping and nearest-amenity queries
 * (route/snap.c, route/nearest.c). Standalone program:
 *
 *   bench_near [SNAPSHOT] [--nodes N] [--queries Q]
 *
 * For the snapshot given (its roads, POIs and stops; the graphs, snap index
 * and tables are rebuilt into a temporary snapshot so that any snapshot
 * works) and for a generated grid network of N road nodes (default
 * 1 048 576), it prints: the build time of the snap index (in memory, to
 * judge building it at open time) and of the nearest tables with their
 * size; p50/p99 of route_nearest (snap included) over random points near
 * the roads, random kind and mode; and p50/p99 of route_nearest_k with
 * k = 5. One thread; times from CLOCK_MONOTONIC around each query.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/mem.h"
#include "../base/progress.h"
#include "../base/rng.h"
#include "../region/builder.h"
#include "../region/region.h"
#include "../route/dijkstra.h"
#include "../route/graph.h"
#include "../route/nearest.h"
#include "../route/snap.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    if (!n) return NAN;
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i];
}

/* A jittered grid of w x h nodes (~70 m apart) with a road hierarchy:
 * residential streets, a primary road every 10th line, a motorway every
 * 100th (oneway pairs), footways and cycleways here and there, some
 * oneway streets; amenities spread at random near nodes. */
static int gen_network(region_builder *b, uint32_t w, uint32_t h, uint64_t seed)
{
    rng g;
    rng_seed(&g, seed);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            geo_point p = {655000000 + (int32_t)(y * 6300 + rng_below(&g, 2000)),
                           220000000 + (int32_t)(x * 15000 + rng_below(&g, 5000))};
            if (vec_push(b->road_nodes, p)) return FK_ENOMEM;
        }
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint32_t i = y * w + x;
            for (int k = 0; k < 2; k++) {
                if ((k == 0 && x + 1 >= w) || (k == 1 && y + 1 >= h)) continue;
                uint32_t j = k == 0 ? i + 1 : i + w;
                uint32_t line = k == 0 ? y : x;
                int hw = HW_RESIDENTIAL;
                uint8_t ow = ONEWAY_UNSET;
                uint32_t r = rng_below(&g, 100);
                if (line % 100 == 50) { hw = HW_MOTORWAY; ow = ONEWAY_NO; }
                else if (line % 10 == 5) hw = HW_PRIMARY;
                else if (r < 8) continue;             /* missing street */
                else if (r < 16) hw = HW_FOOTWAY;
                else if (r < 22) hw = HW_CYCLEWAY;
                else if (r < 30) ow = ONEWAY_FORWARD;
                region_road rd;
                memset(&rd, 0, sizeof rd);
                rd.from = i;
                rd.to = j;
                rd.highway = (uint8_t)hw;
                rd.oneway = ow;
                rd.oneway_bicycle = ONEWAY_UNSET;
                double len = geo_dist_m(b->road_nodes.v[i], b->road_nodes.v[j]);
                rd.length_dm = (uint32_t)lround(len * 10) + 1;
                if (vec_push(b->roads, rd)) return FK_ENOMEM;
            }
        }
    uint32_t n = w * h;
    /* per 1M nodes: 2000 schools, 1000 preschools, 300 health centres, 1500
     * groceries, 300 pharmacies, 200 libraries, 2000 sports, 5000 stops */
    static const uint32_t per_m[POI_KIND_COUNT] = {2000, 1000, 300, 1500, 300, 200, 2000};
    for (int k = 0; k < POI_KIND_COUNT; k++) {
        uint32_t cnt = (uint32_t)((uint64_t)per_m[k] * n / 1000000) + 1;
        for (uint32_t i = 0; i < cnt; i++) {
            geo_point base = b->road_nodes.v[rng_below(&g, n)];
            region_poi p;
            memset(&p, 0, sizeof p);
            p.pos.lat_e7 = base.lat_e7 + (int32_t)rng_below(&g, 4000) - 2000;
            p.pos.lon_e7 = base.lon_e7 + (int32_t)rng_below(&g, 8000) - 4000;
            p.kind = (uint8_t)k;
            if (k == POI_SCHOOL) p.level = (uint8_t)(1u << rng_below(&g, 3));
            if (vec_push(b->pois, p)) return FK_ENOMEM;
        }
    }
    uint32_t ns = (uint32_t)((uint64_t)5000 * n / 1000000) + 1;
    for (uint32_t i = 0; i < ns; i++) {
        geo_point base = b->road_nodes.v[rng_below(&g, n)];
        region_stop s;
        memset(&s, 0, sizeof s);
        s.pos.lat_e7 = base.lat_e7 + (int32_t)rng_below(&g, 2000) - 1000;
        s.pos.lon_e7 = base.lon_e7 + (int32_t)rng_below(&g, 4000) - 2000;
        s.parent = REGION_NONE;
        if (vec_push(b->stops, s)) return FK_ENOMEM;
    }
    return 0;
}

/* Copies what the tables are built from out of an open snapshot. */
static int copy_region(const region *r, region_builder *b)
{
    for (size_t i = 0; i < r->n_road_nodes; i++)
        if (vec_push(b->road_nodes, r->road_nodes[i])) return FK_ENOMEM;
    for (size_t i = 0; i < r->n_roads; i++) {
        region_road rd = r->roads[i];
        rd.name = 0; /* strings are not copied */
        if (vec_push(b->roads, rd)) return FK_ENOMEM;
    }
    for (size_t i = 0; i < r->n_pois; i++) {
        region_poi p = r->pois[i];
        p.name = p.subkind = 0;
        if (vec_push(b->pois, p)) return FK_ENOMEM;
    }
    for (size_t i = 0; i < r->n_stops; i++) {
        region_stop s = r->stops[i];
        s.gtfs_id = s.name = s.platform_code = 0;
        if (vec_push(b->stops, s)) return FK_ENOMEM;
    }
    return 0;
}

/* Builds everything into b, writes path, opens it into *r and x. */
static int build_and_open(region_builder *b, const char *path, region **r,
                          route_nearest_index *x, fk_err *e)
{
    double t0 = progress_now();
    int rc = route_graph_build_all(b, e);
    if (rc) return rc;
    double t1 = progress_now();
    route_snapper s;
    rc = route_snap_init(&s, b->road_nodes.v, b->road_nodes.n, b->roads.v, b->roads.n, NULL, e);
    if (rc) return rc;
    double t2 = progress_now();
    size_t items = 0;
    for (int m = 0; m < MODE_COUNT; m++) items += s.h.n_items[m];
    printf("  snap index in memory: %.1f ms for %zu roads (3 modes, %ux%u cells, %zu entries)\n",
           (t2 - t1) * 1e3, b->roads.n, s.h.nx, s.h.ny, items);
    route_snap_free(&s);
    rc = route_snap_build(b, e);
    if (rc) return rc;
    route_nearest_report rep;
    rc = route_nearest_build(b, NULL, &rep, e);
    if (rc) return rc;
    unsigned unsnapped = 0;
    for (int k = 0; k < AMEN_COUNT; k++)
        for (int m = 0; m < MODE_COUNT; m++) unsnapped += rep.unsnapped[k][m];
    printf("  graphs %.2fs; nearest tables %.2fs: %.1f MB (%.0f B/node, %d kinds x %d modes), "
           "%.1f MB in all; %u (amenity, mode) pairs left unsnapped\n",
           t1 - t0, rep.seconds, rep.table_bytes / 1e6,
           (double)rep.table_bytes / (double)(b->road_nodes.n ? b->road_nodes.n : 1), AMEN_COUNT,
           MODE_COUNT, rep.bytes / 1e6, unsnapped);
    rc = region_write(b, path, e);
    if (rc) return rc;
    double t3 = progress_now();
    rc = region_open(path, 0, r, e);
    if (rc) return rc;
    rc = route_nearest_open(*r, x, e);
    if (rc) {
        region_close(*r);
        return rc;
    }
    printf("  snapshot open + route_nearest_open: %.1f ms\n", (progress_now() - t3) * 1e3);
    return 0;
}

/* A point near a random road node (within ~150 m). */
static geo_point near_point(const region *r, rng *g)
{
    geo_point b = r->road_nodes[rng_below(g, (uint32_t)r->n_road_nodes)];
    b.lat_e7 += (int32_t)rng_below(g, 27000) - 13500;
    b.lon_e7 += (int32_t)rng_below(g, 60000) - 30000;
    return b;
}

static void run_queries(const region *r, const route_nearest_index *x, size_t nq)
{
    rng g;
    rng_seed(&g, 12345);
    double *t = mem_alloc((nq ? nq : 1) * sizeof *t);
    if (!t || !r->n_road_nodes) {
        mem_free(t);
        return;
    }
    size_t n = 0, fail = 0;
    uint64_t sum = 0;
    fk_err e;
    for (size_t i = 0; i < nq; i++) {
        geo_point p = near_point(r, &g);
        route_mode m = (route_mode)rng_below(&g, MODE_COUNT);
        route_amenity k = (route_amenity)rng_below(&g, AMEN_COUNT);
        route_nearest_result res;
        double t0 = progress_now();
        int rc = route_nearest(x, m, k, p, 1000, &res, &e);
        double t1 = progress_now();
        if (rc) {
            fail++;
            continue;
        }
        sum += res.time_ds;
        t[n++] = (t1 - t0) * 1e6;
    }
    qsort(t, n, sizeof *t, cmp_double);
    printf("  route_nearest (snap + O(1)): %zu queries, p50 %.2f us, p99 %.2f us, max %.1f us "
           "(%zu not found; checksum %llu)\n", n, pct(t, n, 0.5), pct(t, n, 0.99),
           n ? t[n - 1] : 0.0, fail, (unsigned long long)sum);
    /* snapping alone, for the split */
    n = 0;
    rng_seed(&g, 12345);
    for (size_t i = 0; i < nq; i++) {
        geo_point p = near_point(r, &g);
        route_mode m = (route_mode)rng_below(&g, MODE_COUNT);
        (void)rng_below(&g, AMEN_COUNT);
        route_snap_result sr;
        double t0 = progress_now();
        int rc = route_snap(&x->snap, m, p, 1000, &sr, &e);
        double t1 = progress_now();
        if (!rc) t[n++] = (t1 - t0) * 1e6;
    }
    qsort(t, n, sizeof *t, cmp_double);
    printf("  route_snap alone: p50 %.2f us, p99 %.2f us\n", pct(t, n, 0.5), pct(t, n, 0.99));
    route_nearest_scratch s;
    if (route_nearest_scratch_init(&s, x)) {
        mem_free(t);
        return;
    }
    size_t nk = nq / 10 ? nq / 10 : 1;
    for (int pass = 0; pass < 2; pass++) {
        /* pass 0: the four kinds the public site shows; pass 1: every kind */
        static const route_amenity shown[] = {AMEN_SCHOOL, AMEN_PRESCHOOL, AMEN_HEALTH,
                                              AMEN_GROCERY};
        n = fail = 0;
        uint64_t settled = 0;
        for (size_t i = 0; i < nk; i++) {
            geo_point p = near_point(r, &g);
            route_mode m = (route_mode)rng_below(&g, MODE_COUNT);
            route_amenity k = pass == 0 ? shown[rng_below(&g, 4)]
                                        : (route_amenity)rng_below(&g, AMEN_COUNT);
            route_nearest_result out[ROUTE_NEAREST_K_MAX];
            size_t nout;
            double t0 = progress_now();
            int rc = route_nearest_k(x, &s, m, k, p, 1000, ROUTE_INF, 5, out, &nout, &e);
            double t1 = progress_now();
            if (rc) {
                fail++;
                continue;
            }
            settled += s.settled;
            t[n++] = (t1 - t0) * 1e6;
        }
        qsort(t, n, sizeof *t, cmp_double);
        printf("  route_nearest_k k=5 (%s): %zu queries, p50 %.1f us, p99 %.1f us "
               "(mean %.0f nodes settled, %zu not found)\n",
               pass == 0 ? "school/preschool/health/grocery" : "every kind", n,
               pct(t, n, 0.5), pct(t, n, 0.99), n ? (double)settled / (double)n : 0.0, fail);
    }
    route_nearest_scratch_free(&s);
    mem_free(t);
}

int main(int argc, char **argv)
{
    const char *snap_path = NULL;
    uint32_t nodes = 1u << 20;
    size_t nq = 200000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--nodes") && i + 1 < argc) nodes = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--queries") && i + 1 < argc) nq = strtoul(argv[++i], NULL, 10);
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: bench_near [SNAPSHOT] [--nodes N] [--queries Q]\n");
            return 2;
        } else snap_path = argv[i];
    }
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/bench_near.%d.region", (int)getpid());
    fk_err e;
    int rc = 0;
    if (snap_path) {
        region *src;
        rc = region_open(snap_path, 0, &src, &e);
        if (rc) {
            fprintf(stderr, "bench_near: %s\n", e.msg);
            return 1;
        }
        printf("== %s: %zu road nodes, %zu roads, %zu POIs, %zu stops\n", snap_path,
               src->n_road_nodes, src->n_roads, src->n_pois, src->n_stops);
        region_builder b;
        region_builder_init(&b, "bench");
        rc = copy_region(src, &b);
        region_close(src);
        region *r = NULL;
        route_nearest_index x;
        if (!rc) rc = build_and_open(&b, tmp, &r, &x, &e);
        region_builder_free(&b);
        if (rc) {
            fprintf(stderr, "bench_near: %s\n", e.msg);
            unlink(tmp);
            return 1;
        }
        run_queries(r, &x, nq);
        route_nearest_close(&x);
        region_close(r);
        unlink(tmp);
    }
    if (nodes) {
        uint32_t w = (uint32_t)ceil(sqrt((double)nodes));
        uint32_t h = (nodes + w - 1) / w;
        region_builder b;
        region_builder_init(&b, "generated");
        double t0 = progress_now();
        rc = gen_network(&b, w, h, 42);
        if (rc) {
            fprintf(stderr, "bench_near: out of memory\n");
            region_builder_free(&b);
            return 1;
        }
        printf("== generated grid %ux%u: %zu road nodes, %zu roads, %zu POIs, %zu stops "
               "(%.2fs)\n", w, h, b.road_nodes.n, b.roads.n, b.pois.n, b.stops.n,
               progress_now() - t0);
        region *r = NULL;
        route_nearest_index x;
        rc = build_and_open(&b, tmp, &r, &x, &e);
        region_builder_free(&b);
        if (rc) {
            fprintf(stderr, "bench_near: %s\n", e.msg);
            unlink(tmp);
            return 1;
        }
        run_queries(r, &x, nq);
        route_nearest_close(&x);
        region_close(r);
        unlink(tmp);
    }
    printf("peak memory %.0f MB\n", mem_peak_bytes() / 1e6);
    return 0;
}
