/*
 * bench_isochrone.c: benchmark of isochrone queries (route/isochrone.c).
 * Standalone program:
 *
 *   bench_isochrone SNAPSHOT [--queries Q] [--minutes M] [--side S]
 *
 * For each mode, Q (default 200) origins near random road nodes usable by
 * the mode, one M-minute isochrone each (default 30): p50 and p99 of the
 * search (snap + bounded Dijkstra), the raster, the contour of the M-minute
 * polygons, and the whole (the polygon time is raster + contour); the same
 * search by bounded PHAST for comparison; then the five default limits
 * 10/20/30/45/60 in one query (search to 60 min, five contours). Also the
 * mean grid size, cell size, nodes reached and output points. One thread;
 * times from CLOCK_MONOTONIC inside the library.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/mem.h"
#include "../base/rng.h"
#include "../region/region.h"
#include "../route/isochrone.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    if (!n) return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i];
}

static geo_point bench_origin(const route_iso_index *x, route_mode m, rng *g)
{
    const double m_per_e7 = 6371008.8 * 3.14159265358979323846 / 180.0 / 1e7;
    for (;;) {
        uint32_t v = rng_below(g, x->n_nodes);
        if (x->fwd[m].first[v] == x->fwd[m].first[v + 1]) continue;
        geo_point p = x->r->road_nodes[v];
        p.lat_e7 += (int32_t)(rng_range(g, -30, 30) / m_per_e7);
        p.lon_e7 += (int32_t)(rng_range(g, -30, 30) / m_per_e7 / 0.45);
        if (geo_bbox_contains(&x->snap.h.region, p)) return p;
    }
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int queries = 200, minutes = 30;
    uint32_t side = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--queries") && i + 1 < argc) queries = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--minutes") && i + 1 < argc) minutes = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--side") && i + 1 < argc) side = (uint32_t)atoi(argv[++i]);
        else if (argv[i][0] != '-') path = argv[i];
        else {
            fprintf(stderr, "usage: bench_isochrone SNAPSHOT [--queries Q] [--minutes M] [--side S]\n");
            return 2;
        }
    }
    if (!path || queries < 1 || minutes < 1 || minutes > 240) {
        fprintf(stderr, "usage: bench_isochrone SNAPSHOT [--queries Q] [--minutes M] [--side S]\n");
        return 2;
    }
    region *r = NULL;
    fk_err e;
    err_clear(&e);
    if (region_open(path, 0, &r, &e)) {
        fprintf(stderr, "bench_isochrone: %s\n", e.msg);
        return 1;
    }
    route_iso_index x;
    route_iso_scratch s;
    memset(&s, 0, sizeof s);
    int status = 1;
    if (route_iso_open(r, &x, &e)) {
        fprintf(stderr, "bench_isochrone: %s\n", e.msg);
        goto done;
    }
    size_t before = mem_used_bytes();
    if (route_iso_scratch_init(&s, &x, side, 1)) {
        fprintf(stderr, "bench_isochrone: out of memory\n");
        goto done;
    }
    printf("isochrones on %s: %zu road nodes; scratch %.1f MB (grid side %u, with PHAST)\n", path,
           r->n_road_nodes, (mem_used_bytes() - before) / 1e6, s.max_side);
    size_t n = (size_t)queries;
    double *ts = mem_alloc(n * sizeof *ts), *tr = mem_alloc(n * sizeof *tr);
    double *tc = mem_alloc(n * sizeof *tc), *tt = mem_alloc(n * sizeof *tt);
    double *tp = mem_alloc(n * sizeof *tp), *t5 = mem_alloc(n * sizeof *t5);
    if (!ts || !tr || !tc || !tt || !tp || !t5) goto nomem;
    for (int m = 0; m < MODE_COUNT; m++) {
        rng g;
        rng_seed(&g, 1000 + (uint64_t)m);
        double cells = 0, cell_m = 0, reached = 0, pts = 0, polys = 0;
        size_t ok = 0, failed = 0;
        uint32_t limit = (uint32_t)minutes * 600;
        route_iso_opts o;
        memset(&o, 0, sizeof o);
        while (ok < n && failed < 10 * n) {
            geo_point from = bench_origin(&x, (route_mode)m, &g);
            route_iso_grid grid;
            route_iso_polygons p;
            o.engine = ROUTE_ISO_DIJKSTRA;
            if (route_isochrone(&x, &s, (route_mode)m, from, limit, &o, &grid, &e)) {
                failed++;
                continue;
            }
            if (route_iso_contour(&s, &grid, limit, &p)) goto nomem;
            ts[ok] = grid.search_ms;
            tr[ok] = grid.raster_ms;
            tc[ok] = p.contour_ms;
            tt[ok] = grid.search_ms + grid.raster_ms + p.contour_ms;
            cells += (double)grid.nx * grid.ny;
            cell_m += grid.cell_m;
            reached += grid.n_reached;
            pts += (double)p.n_pts;
            polys += (double)p.n_polygons;
            if (x.has_ch[m]) {
                o.engine = ROUTE_ISO_PHAST;
                if (route_isochrone(&x, &s, (route_mode)m, from, limit, &o, &grid, &e)) goto nomem;
                tp[ok] = grid.search_ms;
            } else {
                tp[ok] = NAN;
            }
            /* the five default limits: search to 60 minutes, five contours */
            static const uint32_t lim5[] = {10, 20, 30, 45, 60};
            o.engine = ROUTE_ISO_DIJKSTRA;
            if (route_isochrone(&x, &s, (route_mode)m, from, 36000, &o, &grid, &e)) goto nomem;
            double t = grid.search_ms + grid.raster_ms;
            for (int k = 0; k < 5; k++) {
                if (route_iso_contour(&s, &grid, lim5[k] * 600, &p)) goto nomem;
                t += p.contour_ms;
            }
            t5[ok] = t;
            ok++;
        }
        if (!ok) {
            printf("%-4s no origin could be snapped\n", route_mode_name((route_mode)m));
            continue;
        }
        double k = (double)ok;
        printf("%-4s %d min, %zu queries: grid %.0f cells of %.0f m, %.0f nodes reached, "
               "%.0f points in %.1f polygons\n", route_mode_name((route_mode)m), minutes, ok,
               cells / k, cell_m / k, reached / k, pts / k, polys / k);
        double s50 = pct(ts, ok, 0.5), s99 = pct(ts, ok, 0.99);
        double r50 = pct(tr, ok, 0.5), r99 = pct(tr, ok, 0.99);
        double c50 = pct(tc, ok, 0.5), c99 = pct(tc, ok, 0.99);
        double a50 = pct(tt, ok, 0.5), a99 = pct(tt, ok, 0.99);
        printf("     search (Dijkstra) p50 %.2f ms p99 %.2f | raster p50 %.2f p99 %.2f | "
               "contour p50 %.2f p99 %.2f | total p50 %.2f ms p99 %.2f ms (goal <= 20)\n",
               s50, s99, r50, r99, c50, c99, a50, a99);
        if (x.has_ch[m])
            printf("     search by PHAST instead: p50 %.2f ms p99 %.2f ms\n", pct(tp, ok, 0.5),
                   pct(tp, ok, 0.99));
        printf("     10/20/30/45/60 min in one query: p50 %.2f ms p99 %.2f ms\n", pct(t5, ok, 0.5),
               pct(t5, ok, 0.99));
    }
    status = 0;
    goto freeall;
nomem:
    fprintf(stderr, "bench_isochrone: %s\n", e.msg[0] ? e.msg : "failed");
freeall:
    mem_free(ts);
    mem_free(tr);
    mem_free(tc);
    mem_free(tt);
    mem_free(tp);
    mem_free(t5);
done:
    route_iso_scratch_free(&s);
    region_close(r);
    return status;
}
