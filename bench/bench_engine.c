/*
 * bench_engine.c: benchmark of the routing engine facade (route/engine.c)
 * on a region snapshot (`make bench` passes the demo region):
 *
 *   bench_engine SNAPSHOT [--queries Q]
 *
 * Prints the engine open time, then per mode: near (four kinds, the O(1)
 * nearest; and with k = 3) and route (with path unpacking and geometry)
 * p50/p99 in µs over Q random points within ~250 m of a random road node;
 * commute to every home in ms for several limits with PHAST and with
 * bounded Dijkstra (what ENGINE_ALGO_AUTO chooses between), two-work, and
 * a 50 x 50 matrix. One thread; CLOCK_MONOTONIC around each query.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../base/progress.h"
#include "../base/rng.h"
#include "../region/region.h"
#include "../route/engine.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    if (!n) return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return v[(size_t)(p * (double)(n - 1) + 0.5)];
}

static geo_point rand_point(const region *r, rng *g)
{
    geo_point n = r->road_nodes[rng_below(g, (uint32_t)r->n_road_nodes)];
    double lat = n.lat_e7 / 1e7;
    double dlat = rng_range(g, -250, 250) / 111195.0;
    double dlon = rng_range(g, -250, 250) / (111195.0 * cos(lat * 3.14159265358979 / 180));
    geo_point p;
    if (geo_from_deg(lat + dlat, n.lon_e7 / 1e7 + dlon, &p)) return n;
    return p;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    size_t nq = 20000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--queries") && i + 1 < argc) nq = (size_t)atol(argv[++i]);
        else path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: bench_engine SNAPSHOT [--queries Q]\n");
        return 2;
    }
    fk_err e;
    region *r;
    if (region_open(path, 0, &r, &e)) {
        fprintf(stderr, "bench_engine: %s\n", e.msg);
        return 1;
    }
    route_engine eng;
    route_engine_scratch s;
    if (route_engine_open(r, NULL, &eng, &e)) {
        fprintf(stderr, "bench_engine: %s\n", e.msg);
        region_close(r);
        return 1;
    }
    size_t before = mem_used_bytes();
    if (route_engine_scratch_init(&s, &eng)) {
        fprintf(stderr, "bench_engine: out of memory\n");
        return 1;
    }
    printf("engine (%s): %zu road nodes, %zu homes, %zu jobs, %zu places; open %.1f ms "
           "(snapping %u places x 3 modes), scratch %.1f MB per thread\n",
           region_str(r, r->hdr->name), r->n_road_nodes, r->n_homes, r->n_jobs, r->n_pois,
           eng.open_ms, eng.n_set[0] + eng.n_set[1] + eng.n_set[2],
           (mem_used_bytes() - before) / 1e6);
    double *t = mem_alloc(nq * sizeof *t);
    if (!t) return 1;
    rng g;
    rng_seed(&g, 7);
    route_amenity kinds[4] = {AMEN_SCHOOL, AMEN_PRESCHOOL, AMEN_HEALTH, AMEN_GROCERY};
    route_engine_near nr[4];
    for (int m = 0; m < MODE_COUNT; m++) {
        const char *mn = route_mode_name((route_mode)m);
        for (int k = 0; k <= 3; k += 3) {
            size_t n = 0;
            for (size_t i = 0; i < nq; i++) {
                geo_point p = rand_point(r, &g);
                double t0 = progress_now();
                int rc = route_engine_near_at(&eng, &s, (route_mode)m, p, kinds, 4, (size_t)k,
                                              ROUTE_INF, nr, NULL, NULL);
                double dt = progress_now() - t0;
                if (!rc) t[n++] = dt * 1e6;
            }
            printf("%-4s near, 4 kinds, %s: p50 %7.1f µs  p99 %7.1f µs  (%zu queries)\n", mn,
                   k ? "k = 3  " : "nearest", pct(t, n, 0.5), pct(t, n, 0.99), n);
        }
        size_t n = 0, nodes = 0;
        for (size_t i = 0; i < nq / 4; i++) {
            geo_point a = rand_point(r, &g), b = rand_point(r, &g);
            route_engine_route rt;
            double t0 = progress_now();
            int rc = route_engine_route_p2p(&eng, &s, (route_mode)m, a, b, &rt, NULL);
            double dt = progress_now() - t0;
            if (!rc) t[n++] = dt * 1e6, nodes += rt.n_geom;
        }
        printf("%-4s route with geometry:   p50 %7.1f µs  p99 %7.1f µs  (%zu routes, %.0f "
               "points each)\n", mn, pct(t, n, 0.5), pct(t, n, 0.99), n,
               n ? (double)nodes / n : 0.0);
        static const double limits_min[] = {5, 15, 30, 60, 0};
        for (size_t li = 0; li < sizeof limits_min / sizeof limits_min[0]; li++) {
            double best[3] = {0, 0, 0};
            size_t hits = 0;
            for (int algo = 1; algo <= 2; algo++) {
                size_t reps = 30;
                n = 0;
                for (size_t i = 0; i < reps; i++) {
                    route_engine_commute_q q = {
                        r->n_jobs ? r->jobs[i % r->n_jobs].pos : rand_point(r, &g),
                        (route_mode)m,
                        limits_min[li] > 0 ? (uint32_t)(limits_min[li] * 600) : ROUTE_INF,
                        ENGINE_HOMES, -1, 0, (route_engine_algo)algo};
                    const route_engine_target *tg;
                    size_t nt;
                    double t0 = progress_now();
                    int rc = route_engine_commute(&eng, &s, &q, &tg, &nt, NULL);
                    double dt = progress_now() - t0;
                    if (!rc) t[n++] = dt * 1e3, hits += algo == 1 ? nt : 0;
                }
                best[algo] = pct(t, n, 0.5);
            }
            char lim[32];
            if (limits_min[li] > 0) snprintf(lim, sizeof lim, "%3.0f min", limits_min[li]);
            else snprintf(lim, sizeof lim, "no limit");
            printf("%-4s commute to all %zu homes, %s: PHAST %6.2f ms, Dijkstra %6.2f ms "
                   "(median of 30; %.0f homes within)\n", mn, r->n_homes, lim, best[1],
                   best[2], hits / 30.0);
        }
    }
    /* two-work and matrix */
    size_t n = 0;
    for (size_t i = 0; i < 30; i++) {
        route_engine_commute_q q1 = {rand_point(r, &g), MODE_CAR, 18000, ENGINE_HOMES, -1, 0,
                                     ENGINE_ALGO_AUTO};
        route_engine_commute_q q2 = {rand_point(r, &g), MODE_BIKE, 18000, ENGINE_HOMES, -1, 0,
                                     ENGINE_ALGO_AUTO};
        const route_engine_target *tg;
        size_t nt;
        double t0 = progress_now();
        int rc = route_engine_two_work(&eng, &s, &q1, &q2, &tg, &nt, NULL);
        double dt = progress_now() - t0;
        if (!rc) t[n++] = dt * 1e3;
    }
    printf("two-work (car 30 min + bike 30 min, all homes): median %.2f ms\n", pct(t, n, 0.5));
    geo_point pts[50];
    for (int i = 0; i < 50; i++) pts[i] = rand_point(r, &g);
    for (int m = 0; m < MODE_COUNT; m++) {
        const uint32_t *mx;
        double t0 = progress_now();
        int rc = route_engine_matrix(&eng, &s, (route_mode)m, pts, 50, pts, 50, &mx, &e);
        double dt = progress_now() - t0;
        if (rc) printf("matrix %s: %s\n", route_mode_name((route_mode)m), e.msg);
        else printf("%-4s matrix 50 x 50: %.2f ms\n", route_mode_name((route_mode)m), dt * 1e3);
    }
    mem_free(t);
    route_engine_scratch_free(&s);
    route_engine_close(&eng);
    region_close(r);
    return 0;
}
