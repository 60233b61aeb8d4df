/*
 * test_isochrone.c: isochrone grids and polygons (route/isochrone.c) and
 * `flyttkarta query isochrone`.
 *
 * - Hand-made networks with known reachable sets: a straight road (the
 *   area is a buffer of the right length, probed against the off-road
 *   model in closed form, for walk where road and off-road pace are equal
 *   and for bike and car), a square loop road (the land inside is a hole),
 *   a oneway road (only its direction is reached), a long tunnel (no
 *   off-road access in it), option and argument errors.
 * - The demo region (real Norrbotten geography when FK_DATA is there,
 *   else the fictional one) and Copenhagen (REQUIRE_DATA): from random
 *   origins, every mode, limits 10/20/30/45/60: every MultiPolygon passes
 *   GEOSisValid, rings are closed and oriented as RFC 7946 wants, holes
 *   lie in their outer ring, each limit covers the smaller ones; sampled
 *   road nodes lie inside / outside the polygon of each limit as a
 *   brute-force evaluation of the model says (with the margin the grid
 *   resolution needs: one cell diagonal of off-road walking), which
 *   includes every reached node with time <= limit - margin; grid cells
 *   agree with the brute-force model and with the polygons; PHAST and
 *   Dijkstra give the same grid; queries allocate nothing.
 * - The binary (FK_BIN): GeoJSON and grid output, 6-decimal coordinates,
 *   valid polygons that match the grid, usage errors (exit 2), failures
 *   (exit 1), --help.
 */
#include "testutil.h"

#include <math.h>
#include <sys/wait.h>

#include <geos_c.h>
#include <jansson.h>

#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../region/builder.h"
#include "../../route/ch.h"
#include "../../route/dijkstra.h"
#include "../../route/graph.h"
#include "../../route/isochrone.h"
#include "../../route/snap.h"

#define T_PI 3.14159265358979323846
#define T_M_PER_E7 (6371008.8 * T_PI / 180.0 / 1e7)

static GEOSContextHandle_t gctx;

static void geos_quiet(const char *fmt, ...)
{
    (void)fmt;
}

/* ---- helpers: networks, snapshots ---- */

static geo_point pt(double lat, double lon)
{
    geo_point p;
    assert_int_equal(geo_from_deg(lat, lon, &p), 0);
    return p;
}

/* A point dx_m east and dy_m north of p (local projection at p). */
static geo_point offset(geo_point p, double dx_m, double dy_m)
{
    double mx = T_M_PER_E7 * cos(p.lat_e7 / 1e7 * T_PI / 180.0);
    geo_point q = {p.lat_e7 + (int32_t)lround(dy_m / T_M_PER_E7),
                   p.lon_e7 + (int32_t)lround(dx_m / mx)};
    return q;
}

static void add_road(region_builder *b, uint32_t from, uint32_t to, int hw, uint8_t oneway,
                     uint8_t flags)
{
    region_road r;
    memset(&r, 0, sizeof r);
    r.from = from;
    r.to = to;
    r.highway = (uint8_t)hw;
    r.oneway = oneway;
    r.oneway_bicycle = ONEWAY_UNSET;
    r.flags = flags;
    double d = geo_dist_m(b->road_nodes.v[from], b->road_nodes.v[to]);
    r.length_dm = (uint32_t)lround(d * 10);
    assert_int_equal(vec_push(b->roads, r), 0);
}

/* Graphs, CH and snap index for the builder's roads, written to path and
 * opened. */
static region *finish_region(region_builder *b, const char *path)
{
    fk_err e;
    assert_int_equal(route_graph_build_all(b, &e), 0);
    assert_int_equal(route_ch_build_all(b, &e), 0);
    assert_int_equal(route_snap_build(b, &e), 0);
    assert_int_equal(region_write(b, path, &e), 0);
    region_builder_free(b);
    region *r = NULL;
    if (region_open(path, REGION_OPEN_VERIFY_CRC, &r, &e)) fail_msg("%s", e.msg);
    return r;
}

/* ---- helpers: checking polygons with GEOS ---- */

static GEOSGeometry *geos_ring(const geo_point *p, uint32_t n)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(gctx, n, 2);
    assert_non_null(cs);
    for (uint32_t k = 0; k < n; k++)
        GEOSCoordSeq_setXY_r(gctx, cs, k, p[k].lon_e7 / 1e7, p[k].lat_e7 / 1e7);
    GEOSGeometry *g = GEOSGeom_createLinearRing_r(gctx, cs);
    assert_non_null(g);
    return g;
}

static GEOSGeometry *geos_multi(const route_iso_polygons *c)
{
    GEOSGeometry **polys = mem_alloc((c->n_polygons + 1) * sizeof *polys);
    GEOSGeometry **holes = mem_alloc((c->n_rings + 1) * sizeof *holes);
    assert_non_null(polys);
    assert_non_null(holes);
    size_t np = 0;
    for (size_t q = 0; q < c->n_rings;) {
        const route_iso_ring *o = &c->rings[c->order[q]];
        assert_false(o->hole);
        size_t nh = 0, q2 = q + 1;
        while (q2 < c->n_rings && c->rings[c->order[q2]].hole) {
            const route_iso_ring *h = &c->rings[c->order[q2]];
            assert_int_equal(h->outer, c->order[q]);
            holes[nh++] = geos_ring(c->pts + h->first, h->n);
            q2++;
        }
        polys[np++] = GEOSGeom_createPolygon_r(gctx, geos_ring(c->pts + o->first, o->n),
                                               holes, (unsigned)nh);
        q = q2;
    }
    assert_int_equal(np, c->n_polygons);
    GEOSGeometry *mp = GEOSGeom_createCollection_r(gctx, GEOS_MULTIPOLYGON, polys, (unsigned)np);
    assert_non_null(mp);
    mem_free(polys);
    mem_free(holes);
    return mp;
}

static double ring_area2(const geo_point *p, uint32_t n)
{
    double a = 0;
    for (uint32_t k = 0; k + 1 < n; k++)
        a += ((double)p[k].lon_e7 - p[0].lon_e7) * ((double)p[k + 1].lat_e7 - p[0].lat_e7) -
             ((double)p[k + 1].lon_e7 - p[0].lon_e7) * ((double)p[k].lat_e7 - p[0].lat_e7);
    return a;
}

/* Closed rings on the 1e-6 degree lattice, RFC 7946 orientation, holes
 * inside their outer ring, GEOS validity. Returns the GEOS geometry. */
static GEOSGeometry *check_polygons(const route_iso_polygons *c)
{
    for (size_t q = 0; q < c->n_rings; q++) {
        const route_iso_ring *rg = &c->rings[c->order[q]];
        const geo_point *p = c->pts + rg->first;
        assert_true(rg->n >= 4);
        assert_int_equal(p[0].lat_e7, p[rg->n - 1].lat_e7);
        assert_int_equal(p[0].lon_e7, p[rg->n - 1].lon_e7);
        for (uint32_t k = 0; k < rg->n; k++) {
            assert_int_equal(p[k].lat_e7 % 10, 0);
            assert_int_equal(p[k].lon_e7 % 10, 0);
        }
        double a = ring_area2(p, rg->n);
        if (rg->hole) {
            assert_true(a < 0); /* clockwise */
            const route_iso_ring *o = &c->rings[rg->outer];
            assert_false(o->hole);
            for (uint32_t k = 0; k + 1 < rg->n; k += 1 + rg->n / 8)
                assert_true(geo_ring_contains(c->pts + o->first, o->n - 1, p[k]));
        } else {
            assert_true(a > 0); /* counter-clockwise */
        }
    }
    GEOSGeometry *mp = geos_multi(c);
    if (GEOSisValid_r(gctx, mp) != 1) {
        char *why = GEOSisValidReason_r(gctx, mp);
        fail_msg("invalid isochrone (%u min): %s", c->limit_ds / 600, why ? why : "?");
    }
    return mp;
}

static int geos_has_point(const GEOSPreparedGeometry *pg, double lon, double lat)
{
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(gctx, lon, lat);
    char r = GEOSPreparedIntersects_r(gctx, pg, p);
    GEOSGeom_destroy_r(gctx, p);
    assert_true(r == 0 || r == 1);
    return r;
}

/* ---- the reference: the off-road model evaluated by brute force ---- */

typedef struct piece {
    double px, py, qx, qy;   /* metres, local frame */
    double t0, T, share;     /* seconds, seconds for the whole length, reached fraction */
} piece;

typedef struct reference {
    route_mode m;
    geo_point from;
    double mx, my, b, R, limit_s;
    VEC(piece) pieces;
    /* buckets of BUCKET_M over the pieces' capsules */
    double x0, y0;
    uint32_t bw, bh;
    uint32_t *first, *items;
    uint32_t *dist;          /* copy of the search's times */
} reference;

#define BUCKET_M 400.0
#define SAMPLE_M 2.0

static void ref_xy(const reference *rf, geo_point p, double *x, double *y)
{
    *x = ((double)p.lon_e7 - rf->from.lon_e7) * rf->mx;
    *y = ((double)p.lat_e7 - rf->from.lat_e7) * rf->my;
}

static void ref_add(reference *rf, geo_point a, geo_point b, double t0, double T)
{
    piece pc;
    ref_xy(rf, a, &pc.px, &pc.py);
    ref_xy(rf, b, &pc.qx, &pc.qy);
    pc.t0 = t0;
    pc.T = T;
    pc.share = T > 0 ? fmin(1.0, (rf->limit_s - t0) / T) : 1.0;
    assert_int_equal(vec_push(rf->pieces, pc), 0);
}

/* The model of docs/isochrones.md, from the search the library's own
 * reference Dijkstra gives; margin_m: how far beyond R lookups may go. */
static void ref_build(reference *rf, const route_iso_index *x, route_mode m, geo_point from,
                      uint32_t limit_ds, const route_iso_grid *g, double margin_m)
{
    memset(rf, 0, sizeof *rf);
    rf->m = m;
    rf->from = from;
    rf->my = T_M_PER_E7;
    rf->mx = T_M_PER_E7 * cos(from.lat_e7 / 1e7 * T_PI / 180.0);
    rf->b = 3.6 / g->offroad_kmh;
    rf->R = g->offroad_m;
    rf->limit_s = limit_ds / 10.0;
    fk_err e;
    route_snap_result sr;
    assert_int_equal(route_snap(&x->snap, m, from, 1000, &sr, &e), 0);
    assert_int_equal(sr.road, g->snap.road);
    uint32_t src[2], st[2];
    size_t ns = route_snap_depart(&x->snap, m, &sr, src, st, NULL);
    route_search s;
    assert_int_equal(route_search_init(&s, x->n_nodes), 0);
    route_dijkstra(&x->fwd[m], src, st, ns, limit_ds, ROUTE_INF, &s);
    const region *r = x->r;
    ref_add(rf, sr.point, sr.point, 0, 0);
    const region_road *rd = &r->roads[sr.road];
    if (route_iso_stoppable(rd)) {
        route_partial pp = route_snap_partial(rd, m, sr.frac);
        if (pp.fwd) ref_add(rf, sr.point, r->road_nodes[rd->to], 0, pp.to_ds / 10.0);
        if (pp.bwd) ref_add(rf, sr.point, r->road_nodes[rd->from], 0, pp.from_ds / 10.0);
    }
    const route_graph *gr = &x->fwd[m];
    rf->dist = mem_alloc((x->n_nodes + 1) * sizeof *rf->dist);
    assert_non_null(rf->dist);
    memcpy(rf->dist, s.dist, x->n_nodes * sizeof *rf->dist);
    for (size_t i = 0; i < s.n_touched; i++) {
        uint32_t u = s.touched[i];
        for (uint32_t k = gr->first[u]; k < gr->first[u + 1]; k++)
            if (route_iso_stoppable(&r->roads[gr->edge_road[k]]))
                ref_add(rf, r->road_nodes[u], r->road_nodes[gr->edges[k].head], s.dist[u] / 10.0,
                        gr->edges[k].time_ds / 10.0);
    }
    route_search_free(&s);
    /* buckets */
    double cap = rf->R + margin_m;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < rf->pieces.n; i++) {
        const piece *p = &rf->pieces.v[i];
        x0 = fmin(x0, fmin(p->px, p->qx));
        y0 = fmin(y0, fmin(p->py, p->qy));
        x1 = fmax(x1, fmax(p->px, p->qx));
        y1 = fmax(y1, fmax(p->py, p->qy));
    }
    rf->x0 = x0 - cap - BUCKET_M;
    rf->y0 = y0 - cap - BUCKET_M;
    rf->bw = (uint32_t)((x1 - x0 + 2 * cap) / BUCKET_M) + 3;
    rf->bh = (uint32_t)((y1 - y0 + 2 * cap) / BUCKET_M) + 3;
    size_t nb = (size_t)rf->bw * rf->bh;
    rf->first = mem_calloc(nb + 1, sizeof *rf->first);
    assert_non_null(rf->first);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < rf->pieces.n; i++) {
            const piece *p = &rf->pieces.v[i];
            double ex = p->px + (p->qx - p->px) * p->share, ey = p->py + (p->qy - p->py) * p->share;
            uint32_t bx0 = (uint32_t)((fmin(p->px, ex) - cap - rf->x0) / BUCKET_M);
            uint32_t bx1 = (uint32_t)((fmax(p->px, ex) + cap - rf->x0) / BUCKET_M);
            uint32_t by0 = (uint32_t)((fmin(p->py, ey) - cap - rf->y0) / BUCKET_M);
            uint32_t by1 = (uint32_t)((fmax(p->py, ey) + cap - rf->y0) / BUCKET_M);
            for (uint32_t by = by0; by <= by1; by++)
                for (uint32_t bx = bx0; bx <= bx1; bx++) {
                    size_t k = (size_t)by * rf->bw + bx;
                    if (pass == 0) rf->first[k + 1]++;
                    else rf->items[rf->first[k]++] = (uint32_t)i;
                }
        }
        if (pass == 0) {
            for (size_t k = 0; k < nb; k++) rf->first[k + 1] += rf->first[k];
            rf->items = mem_alloc((rf->first[nb] + 1) * sizeof *rf->items);
            assert_non_null(rf->items);
        } else {
            for (size_t k = nb; k > 0; k--) rf->first[k] = rf->first[k - 1];
            rf->first[0] = 0;
        }
    }
}

static void ref_free(reference *rf)
{
    vec_free(rf->pieces);
    mem_free(rf->first);
    mem_free(rf->items);
    mem_free(rf->dist);
}

/* The model's time at (x, y) with off-road walks up to cap metres, by
 * sampling every piece every SAMPLE_M metres or less. lower = 0: an upper
 * bound (the best sample); lower = 1: a lower bound (minus what the
 * function can drop between samples). INFINITY when nothing is in reach. */
static double ref_time(const reference *rf, double x, double y, double cap, int lower)
{
    if (x < rf->x0 || y < rf->y0) return INFINITY;
    uint32_t bx = (uint32_t)((x - rf->x0) / BUCKET_M), by = (uint32_t)((y - rf->y0) / BUCKET_M);
    if (bx >= rf->bw || by >= rf->bh) return INFINITY;
    size_t k = (size_t)by * rf->bw + bx;
    double best = INFINITY;
    for (uint32_t q = rf->first[k]; q < rf->first[k + 1]; q++) {
        const piece *p = &rf->pieces.v[rf->items[q]];
        double dx = p->qx - p->px, dy = p->qy - p->py, len = sqrt(dx * dx + dy * dy);
        double reach = len * p->share;
        int steps = len > 1e-3 && p->share > 0 ? (int)ceil(reach / SAMPLE_M) : 0;
        double slack = 0;
        if (lower && steps > 0) slack = (p->T / len + rf->b) * (reach / steps) / 2;
        for (int s = 0; s <= steps; s++) {
            double f = steps ? p->share * s / steps : 0;
            double sx = p->px + dx * f, sy = p->py + dy * f;
            double d = sqrt((x - sx) * (x - sx) + (y - sy) * (y - sy));
            if (d > cap) continue;
            double t = p->t0 + f * p->T + rf->b * d - slack;
            if (t < best) best = t;
        }
    }
    return best > rf->limit_s + 1e-9 && !lower ? INFINITY : best;
}

/* ---- the checks of one query ---- */

typedef struct check_stats {
    size_t inside, outside, reached_inside, cells;
} check_stats;

static const uint32_t LIMITS_MIN[] = {10, 20, 30, 45, 60};
#define N_LIMITS 5

/* One origin and mode: polygons of every limit, nesting, nodes against the
 * model, the grid against the model and the polygons. */
static void check_query(const route_iso_index *x, route_iso_scratch *s, route_mode m,
                        geo_point from, rng *g, check_stats *st)
{
    fk_err e;
    route_iso_grid grid;
    uint32_t limit = LIMITS_MIN[N_LIMITS - 1] * 600;
    int rc = route_isochrone(x, s, m, from, limit, NULL, &grid, &e);
    if (rc) fail_msg("isochrone %s from %d,%d: %s", route_mode_name(m), from.lat_e7, from.lon_e7, e.msg);
    double diag = grid.cell_m * sqrt(2.0);
    reference rf;
    ref_build(&rf, x, m, from, limit, &grid, diag + SAMPLE_M);
    double margin = rf.b * diag + 1.0; /* seconds */
    GEOSGeometry *geo[N_LIMITS];
    const GEOSPreparedGeometry *prep[N_LIMITS];
    for (int k = 0; k < N_LIMITS; k++) {
        route_iso_polygons p;
        assert_int_equal(route_iso_contour(s, &grid, LIMITS_MIN[k] * 600, &p), 0);
        geo[k] = check_polygons(&p);
        prep[k] = GEOSPrepare_r(gctx, geo[k]);
        assert_non_null(prep[k]);
        if (k > 0 && GEOSCovers_r(gctx, geo[k], geo[k - 1]) != 1) {
            GEOSGeometry *d = GEOSDifference_r(gctx, geo[k - 1], geo[k]);
            double da = 0;
            GEOSArea_r(gctx, d, &da);
            char *w = GEOSGeomToWKT_r(gctx, d);
            printf("difference: area %g deg2: %.600s\n", da, w);
            fail_msg("%s: the %u-minute area does not cover the %u-minute one",
                     route_mode_name(m), LIMITS_MIN[k], LIMITS_MIN[k - 1]);
        }
    }
    /* nodes: half of them reached, half anywhere */
    const region *r = x->r;
    uint32_t reached[4096];
    size_t n_reached = 0;
    for (uint32_t v = 0; v < x->n_nodes && n_reached < 4096; v++)
        if (rf.dist[v] != ROUTE_INF) reached[n_reached++] = v;
    for (int q = 0; q < 300; q++) {
        uint32_t v = (q % 2 && n_reached) ? reached[rng_below(g, (uint32_t)n_reached)]
                                          : rng_below(g, x->n_nodes);
        geo_point p = r->road_nodes[v];
        double px, py;
        ref_xy(&rf, p, &px, &py);
        double t_in = ref_time(&rf, px, py, rf.R - diag, 0);
        double t_out = ref_time(&rf, px, py, rf.R + diag + SAMPLE_M, 1);
        assert_true(t_out <= t_in + 1e-6);
        /* a reached node on a road one can leave is itself in the model */
        int leaves = 0;
        for (uint32_t k = x->fwd[m].first[v]; k < x->fwd[m].first[v + 1]; k++)
            leaves |= route_iso_stoppable(&r->roads[x->fwd[m].edge_road[k]]);
        if (rf.dist[v] != ROUTE_INF && leaves) assert_true(t_in <= rf.dist[v] / 10.0 + 1e-6);
        for (int k = 0; k < N_LIMITS; k++) {
            double L = LIMITS_MIN[k] * 60.0;
            int in = geos_has_point(prep[k], p.lon_e7 / 1e7, p.lat_e7 / 1e7);
            if (t_in <= L - margin) {
                if (!in)
                    fail_msg("%s %u min: node %u (model time %.1f s, network %.1f s) "
                             "should be inside", route_mode_name(m), LIMITS_MIN[k], v, t_in,
                             rf.dist[v] == ROUTE_INF ? -1.0 : rf.dist[v] / 10.0);
                st->inside++;
                if (rf.dist[v] != ROUTE_INF && rf.dist[v] / 10.0 <= L - margin) st->reached_inside++;
            }
            if (t_out > L + margin) {
                if (in)
                    fail_msg("%s %u min: node %u (model time >= %.1f s) should be outside",
                             route_mode_name(m), LIMITS_MIN[k], v, t_out);
                st->outside++;
            }
        }
    }
    /* grid cells: the model at their centres; inside the polygons exactly
     * when within the limit. All cells on a boundary, plus random ones. */
    const uint32_t *V = grid.time_ds;
    for (uint32_t j = 1; j + 1 < grid.ny; j++)
        for (uint32_t i = 1; i + 1 < grid.nx; i++) {
            size_t c = (size_t)j * grid.nx + i;
            int edge = 0;
            for (int k = 0; k < N_LIMITS && !edge; k++) {
                uint32_t L = LIMITS_MIN[k] * 600;
                int a = V[c] <= L;
                edge = a != (V[c - 1] <= L) || a != (V[c + 1] <= L) ||
                       a != (V[c - grid.nx] <= L) || a != (V[c + grid.nx] <= L);
            }
            if (!edge && rng_below(g, 200) != 0) continue;
            if (!edge && rng_below(g, 4) != 0) continue;
            double lon = (grid.west_e7 + (i + 0.5) * grid.cell_lon_e7) / 1e7;
            double lat = (grid.south_e7 + (j + 0.5) * grid.cell_lat_e7) / 1e7;
            for (int k = 0; k < N_LIMITS; k++) {
                int want = V[c] <= LIMITS_MIN[k] * 600;
                if (geos_has_point(prep[k], lon, lat) != want)
                    fail_msg("%s %u min: cell %u,%u (%u ds) is %s the polygon", route_mode_name(m),
                             LIMITS_MIN[k], i, j, V[c], want ? "outside" : "inside");
            }
            if (rng_below(g, 8) == 0) { /* the model at the centre */
                double cx = (grid.west_e7 + (i + 0.5) * grid.cell_lon_e7 - from.lon_e7) * rf.mx;
                double cy = (grid.south_e7 + (j + 0.5) * grid.cell_lat_e7 - from.lat_e7) * rf.my;
                double hi = ref_time(&rf, cx, cy, rf.R - 0.01, 0);
                double lo = ref_time(&rf, cx, cy, rf.R + SAMPLE_M, 1);
                if (V[c] == ROUTE_INF) {
                    assert_true(isinf(hi));
                } else {
                    if (!(V[c] / 10.0 <= hi + 0.11 && V[c] / 10.0 >= lo - 0.11))
                        fail_msg("cell %u,%u: %u ds, model in [%.2f, %.2f] s", i, j, V[c], lo, hi);
                }
                st->cells++;
            }
        }
    /* the border of the grid is never reached, so every ring closes */
    for (uint32_t i = 0; i < grid.nx; i++)
        assert_true(V[i] == ROUTE_INF && V[(size_t)(grid.ny - 1) * grid.nx + i] == ROUTE_INF);
    for (int k = 0; k < N_LIMITS; k++) {
        GEOSPreparedGeom_destroy_r(gctx, prep[k]);
        GEOSGeom_destroy_r(gctx, geo[k]);
    }
    ref_free(&rf);
}

/* A random origin: a road node of the mode, moved up to 40 m. */
static geo_point random_origin(const route_iso_index *x, route_mode m, rng *g)
{
    for (;;) {
        uint32_t v = rng_below(g, x->n_nodes);
        if (x->fwd[m].first[v] == x->fwd[m].first[v + 1]) continue;
        geo_point p = offset(x->r->road_nodes[v], rng_range(g, -40, 40), rng_range(g, -40, 40));
        if (geo_bbox_contains(&x->snap.h.region, p)) return p;
    }
}

static void check_region(const char *path, int origins, uint64_t seed)
{
    /* FK_ISO_ORIGINS=N and FK_ISO_SEED=S for longer runs by hand */
    if (getenv("FK_ISO_ORIGINS")) origins = atoi(getenv("FK_ISO_ORIGINS"));
    if (getenv("FK_ISO_SEED")) seed += (uint64_t)atoll(getenv("FK_ISO_SEED"));
    region *r = NULL;
    fk_err e;
    if (region_open(path, 0, &r, &e)) fail_msg("%s", e.msg);
    route_iso_index x;
    assert_int_equal(route_iso_open(r, &x, &e), 0);
    route_iso_scratch s;
    assert_int_equal(route_iso_scratch_init(&s, &x, 0, 1), 0);
    rng g;
    rng_seed(&g, seed);
    check_stats st = {0, 0, 0, 0};
    for (int m = 0; m < MODE_COUNT; m++)
        for (int q = 0; q < origins; q++)
            check_query(&x, &s, (route_mode)m, random_origin(&x, (route_mode)m, &g), &g, &st);
    printf("%s: %zu inside and %zu outside checks of nodes (%zu reached nodes), %zu cells "
           "against the model\n", path, st.inside, st.outside, st.reached_inside, st.cells);
    assert_true(st.inside > 100 && st.outside > 100 && st.reached_inside > 100 && st.cells > 100);
    route_iso_scratch_free(&s);
    region_close(r);
}

/* ---- the binary ---- */

static const char *bin(void)
{
    const char *b = getenv("FK_BIN");
    return b ? b : "build/release/flyttkarta";
}

/* Runs the binary with args; stdout to out.json, stderr to err.log. */
static int run(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s >out.json 2>err.log", bin(), args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (!strstr(buf, needle)) {
        printf("%s lacks \"%s\":\n%s\n", path, needle, buf);
        return 0;
    }
    return 1;
}

/* The demo region, built once per test binary by the real binary: on the
 * real data when present, else the fictional region. */
static const char *demo_region(void)
{
    static int built;
    if (!built) {
        const char *data = data_path("gtfs-norrbotten/stops.txt") ? getenv("FK_DATA") : NULL;
        char args[4096];
        snprintf(args, sizeof args, "build -q --demo --data %s -o demo.region",
                 data ? data : "/nonexistent-data");
        if (run(args) != 0) {
            FILE *f = fopen("err.log", "rb");
            char msg[2048] = "";
            if (f) {
                msg[fread(msg, 1, sizeof msg - 1, f)] = '\0';
                fclose(f);
            }
            fail_msg("building the demo region failed: %s", msg);
        }
        built = 1;
    }
    return "demo.region";
}

/* ---- tests: hand-made networks ---- */

/* A straight east-west road of 100 segments of 100 m; the origin is its
 * middle node. Probe points against the model in closed form. */
static void test_straight_road(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "straight");
    geo_point o = pt(65.6, 22.0);
    for (int k = 0; k <= 100; k++) assert_int_equal(vec_push(b.road_nodes, offset(o, (k - 50) * 100.0, 0)), 0);
    for (uint32_t k = 0; k < 100; k++) add_road(&b, k, k + 1, HW_RESIDENTIAL, ONEWAY_UNSET, 0);
    region *r = finish_region(&b, "straight.region");
    route_iso_index x;
    fk_err e;
    assert_int_equal(route_iso_open(r, &x, &e), 0);
    route_iso_scratch s;
    assert_int_equal(route_iso_scratch_init(&s, &x, 0, 0), 0);
    for (int m = 0; m < MODE_COUNT; m++) {
        route_cost rc = route_profile(&r->roads[0], (route_mode)m);
        double a = rc.time_ds / 10.0 / (r->roads[0].length_dm / 10.0); /* s/m */
        uint32_t minutes = m == MODE_WALK ? 20 : m == MODE_BIKE ? 10 : 3;
        route_iso_grid g;
        assert_int_equal(route_isochrone(&x, &s, (route_mode)m, o, minutes * 600, NULL, &g, &e), 0);
        assert_true(g.snap.dist_m < 0.1);
        double b_pace = 3.6 / 5.0, R = g.offroad_m, L = minutes * 60.0;
        assert_true(R >= (m == MODE_CAR ? 200.0 : 300.0));
        route_iso_polygons p;
        assert_int_equal(route_iso_contour(&s, &g, minutes * 600, &p), 0);
        GEOSGeometry *mp = check_polygons(&p);
        assert_int_equal(p.n_polygons, 1);
        assert_int_equal(p.n_rings, 1);
        const GEOSPreparedGeometry *pg = GEOSPrepare_r(gctx, mp);
        /* the model along a straight road through the origin: */
        double margin = b_pace * g.cell_m * sqrt(2.0) + 1;
        size_t n_in = 0, n_out = 0;
        for (double xm = -3000; xm <= 3000; xm += 37) {
            for (double hm = 0; hm <= R + 300; hm += 23) {
                /* min over leave points x' of a|x'| + b sqrt((x - x')^2 + h^2), with
                 * walks up to R - diag (a bound from above for the cells around the
                 * probe) and up to R + diag (from below) */
                double diag = g.cell_m * sqrt(2.0), t_in = INFINITY, t_out = INFINITY;
                for (double xs = fmax(-5000, xm - R - diag); xs <= fmin(5000, xm + R + diag);
                     xs += 0.5) {
                    double d = sqrt((xm - xs) * (xm - xs) + hm * hm);
                    double t = a * fabs(xs) + b_pace * d;
                    if (d <= R - diag && t < t_in) t_in = t;
                    if (d <= R + diag && t - 0.25 * (a + b_pace) < t_out) t_out = t - 0.25 * (a + b_pace);
                }
                geo_point q = offset(o, xm, hm);
                int in = geos_has_point(pg, q.lon_e7 / 1e7, q.lat_e7 / 1e7);
                if (t_in <= L - margin) {
                    if (!in) fail_msg("%s: (%g, %g) at %.1f s should be inside", route_mode_name(m), xm, hm, t_in);
                    n_in++;
                } else if (t_out > L + margin) {
                    if (in) fail_msg("%s: (%g, %g) at >= %.1f s should be outside", route_mode_name(m), xm, hm, t_out);
                    n_out++;
                }
            }
        }
        assert_true(n_in > 20 && n_out > 20);
        /* the buffer's length: the road is reached for L / a metres each way */
        double reach = L / a;
        geo_bbox bb = p.rings[0].bbox;
        double east = (bb.max_lon_e7 - o.lon_e7) * T_M_PER_E7 * cos(65.6 * T_PI / 180);
        double west = (o.lon_e7 - bb.min_lon_e7) * T_M_PER_E7 * cos(65.6 * T_PI / 180);
        double north = (bb.max_lat_e7 - o.lat_e7) * T_M_PER_E7;
        double want = fmin(reach, 5000);
        /* the row of cell centres nearest the road is up to half a cell off
         * it: their walk to the road costs up to that much road distance */
        double lo = want - g.cell_m / 2 * sqrt(b_pace * b_pace - a * a) / a - g.cell_m;
        double hi = want + g.cell_m;
        printf("%s: east %.0f west %.0f north %.0f m; want %.0f..%.0f and %.0f (cell %.0f m)\n",
               route_mode_name(m), east, west, north, lo, hi, R, g.cell_m);
        assert_true(east >= lo && east <= hi && west >= lo && west <= hi);
        assert_true(fabs(north - R) <= g.cell_m / 2 + 1);
        GEOSPreparedGeom_destroy_r(gctx, pg);
        GEOSGeom_destroy_r(gctx, mp);
    }
    route_iso_scratch_free(&s);
    region_close(r);
}

/* A square loop road of 3 km sides: the land inside is a hole once the
 * whole loop is reached, and no hole before. */
static void test_loop_hole(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "loop");
    geo_point o = pt(65.6, 22.0);
    for (int side = 0; side < 4; side++)
        for (int k = 0; k < 15; k++) {
            double t = k * 200.0;
            double dx = side == 0 ? t : side == 1 ? 3000 : side == 2 ? 3000 - t : 0;
            double dy = side == 0 ? 0 : side == 1 ? t : side == 2 ? 3000 : 3000 - t;
            assert_int_equal(vec_push(b.road_nodes, offset(o, dx, dy)), 0);
        }
    for (uint32_t k = 0; k < 60; k++) add_road(&b, k, (k + 1) % 60, HW_CYCLEWAY, ONEWAY_UNSET, 0);
    region *r = finish_region(&b, "loop.region");
    route_iso_index x;
    fk_err e;
    assert_int_equal(route_iso_open(r, &x, &e), 0);
    route_iso_scratch s;
    assert_int_equal(route_iso_scratch_init(&s, &x, 0, 1), 0);
    route_iso_grid g;
    assert_int_equal(route_isochrone(&x, &s, MODE_BIKE, o, 30 * 600, NULL, &g, &e), 0);
    route_iso_polygons p;
    assert_int_equal(route_iso_contour(&s, &g, 30 * 600, &p), 0);
    GEOSGeometry *mp = check_polygons(&p);
    assert_int_equal(p.n_polygons, 1);
    assert_int_equal(p.n_rings, 2);
    assert_true(p.rings[p.order[1]].hole);
    const GEOSPreparedGeometry *pg = GEOSPrepare_r(gctx, mp);
    geo_point c = offset(o, 1500, 1500), edge = offset(o, 1500, 150), out = offset(o, 1500, -450);
    assert_false(geos_has_point(pg, c.lon_e7 / 1e7, c.lat_e7 / 1e7));
    assert_true(geos_has_point(pg, edge.lon_e7 / 1e7, edge.lat_e7 / 1e7));
    assert_false(geos_has_point(pg, out.lon_e7 / 1e7, out.lat_e7 / 1e7));
    /* hole area: (3000 - 2 * 300)^2 less rounded corners, within a cell */
    double hole = -p.rings[p.order[1]].area_m2;
    assert_true(hole > 2300.0 * 2300 && hole < 2500.0 * 2500);
    GEOSPreparedGeom_destroy_r(gctx, pg);
    GEOSGeom_destroy_r(gctx, mp);
    /* 10 minutes (2.7 km each way) does not close the loop */
    assert_int_equal(route_iso_contour(&s, &g, 10 * 600, &p), 0);
    mp = check_polygons(&p);
    assert_int_equal(p.n_rings, 1);
    GEOSGeom_destroy_r(gctx, mp);
    /* PHAST gives the same grid */
    uint32_t *copy = mem_alloc((size_t)g.nx * g.ny * sizeof *copy);
    assert_non_null(copy);
    memcpy(copy, g.time_ds, (size_t)g.nx * g.ny * sizeof *copy);
    route_iso_opts op = {0};
    op.engine = ROUTE_ISO_PHAST;
    route_iso_grid g2;
    assert_int_equal(route_isochrone(&x, &s, MODE_BIKE, o, 30 * 600, &op, &g2, &e), 0);
    assert_int_equal(g2.nx, g.nx);
    assert_int_equal(g2.ny, g.ny);
    assert_memory_equal(copy, g2.time_ds, (size_t)g.nx * g.ny * sizeof *copy);
    mem_free(copy);
    route_iso_scratch_free(&s);
    region_close(r);
}

/* A oneway street: driving only reaches its direction; a tunnel and a
 * motorway reach no land; a bridge neither. */
static void test_direction_and_no_exit(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "oneway");
    geo_point o = pt(65.6, 22.0);
    /* nodes 0..40 west to east, 250 m apart; roads 0-19 oneway east,
     * 20-29 a tunnel (2.5 km), 30-39 ordinary */
    for (int k = 0; k <= 40; k++) assert_int_equal(vec_push(b.road_nodes, offset(o, (k - 10) * 250.0, 0)), 0);
    for (uint32_t k = 0; k < 40; k++)
        add_road(&b, k, k + 1, HW_PRIMARY, k < 20 ? ONEWAY_FORWARD : ONEWAY_UNSET,
                 k >= 20 && k < 30 ? ROAD_F_TUNNEL : 0);
    region *r = finish_region(&b, "oneway.region");
    route_iso_index x;
    fk_err e;
    assert_int_equal(route_iso_open(r, &x, &e), 0);
    route_iso_scratch s;
    assert_int_equal(route_iso_scratch_init(&s, &x, 0, 0), 0);
    route_iso_grid g;
    assert_int_equal(route_isochrone(&x, &s, MODE_CAR, o, 15 * 600, NULL, &g, &e), 0);
    route_iso_polygons p;
    assert_int_equal(route_iso_contour(&s, &g, 15 * 600, &p), 0);
    GEOSGeometry *mp = check_polygons(&p);
    assert_int_equal(p.n_polygons, 2); /* before and after the tunnel */
    const GEOSPreparedGeometry *pg = GEOSPrepare_r(gctx, mp);
    struct { double dx; int in; } probes[] = {
        {-1000, 0}, {-100, 1}, {0, 1}, {1000, 1}, {2400, 1}, {3500, 0} /* over the tunnel */,
        {4500, 0}, {5000, 1}, {6000, 1}, {7000, 1}};
    for (size_t k = 0; k < sizeof probes / sizeof probes[0]; k++) {
        geo_point q = offset(o, probes[k].dx, 0);
        if (geos_has_point(pg, q.lon_e7 / 1e7, q.lat_e7 / 1e7) != probes[k].in)
            fail_msg("probe %g m east should be %s", probes[k].dx, probes[k].in ? "inside" : "outside");
    }
    GEOSPreparedGeom_destroy_r(gctx, pg);
    GEOSGeom_destroy_r(gctx, mp);
    route_iso_scratch_free(&s);
    region_close(r);
}

static void test_errors(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "small");
    geo_point o = pt(65.6, 22.0);
    /* a footway of 500 m east of o, a motorway of 3 km north-south 1 km east */
    for (int k = 0; k <= 5; k++) assert_int_equal(vec_push(b.road_nodes, offset(o, k * 100.0, 0)), 0);
    for (int k = 0; k <= 6; k++)
        assert_int_equal(vec_push(b.road_nodes, offset(o, 1000, -1500 + k * 500.0)), 0);
    for (uint32_t k = 0; k < 5; k++) add_road(&b, k, k + 1, HW_FOOTWAY, ONEWAY_UNSET, 0);
    for (uint32_t k = 6; k < 12; k++) add_road(&b, k, k + 1, HW_MOTORWAY, ONEWAY_UNSET, 0);
    region *r = finish_region(&b, "small.region");
    route_iso_index x;
    fk_err e;
    assert_int_equal(route_iso_open(r, &x, &e), 0);
    route_iso_scratch s;
    assert_int_equal(route_iso_scratch_init(&s, &x, 3, 0), FK_EINVAL);
    route_iso_scratch_free(&s);
    assert_int_equal(route_iso_scratch_init(&s, &x, 64, 0), 0);
    route_iso_grid g;
    assert_int_equal(route_isochrone(&x, &s, (route_mode)7, o, 600, NULL, &g, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "mode"));
    assert_int_equal(route_isochrone(&x, &s, MODE_WALK, o, 0, NULL, &g, &e), FK_EINVAL);
    assert_int_equal(route_isochrone(&x, &s, MODE_WALK, o, ROUTE_ISO_MAX_LIMIT_DS + 1, NULL, &g, &e),
                     FK_EINVAL);
    assert_non_null(strstr(e.msg, "limit"));
    route_iso_opts op = {0};
    op.cell_m = 1;
    assert_int_equal(route_isochrone(&x, &s, MODE_WALK, o, 600, &op, &g, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "cell size"));
    op.cell_m = 0;
    op.engine = ROUTE_ISO_PHAST; /* the scratch has no PHAST */
    assert_int_equal(route_isochrone(&x, &s, MODE_WALK, o, 600, &op, &g, &e), FK_EINVAL);
    assert_non_null(strstr(e.msg, "PHAST"));
    /* far outside the region, and too far from a road usable by walk */
    assert_int_equal(route_isochrone(&x, &s, MODE_WALK, pt(60.0, 15.0), 600, NULL, &g, &e),
                     FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "outside the region"));
    assert_int_equal(route_isochrone(&x, &s, MODE_WALK, offset(o, 1000, 1400), 600, NULL, &g, &e),
                     FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "walk"));
    /* a 64-cell scratch: 10 m cells do not fit, so the cells grow */
    op.engine = ROUTE_ISO_DIJKSTRA;
    op.cell_m = 10;
    assert_int_equal(route_isochrone(&x, &s, MODE_WALK, o, 36000, &op, &g, &e), 0);
    assert_true(g.nx <= 64 && g.ny <= 64);
    assert_true(g.cell_m > 10 && g.offroad_m >= 300);
    route_iso_polygons p;
    assert_int_equal(route_iso_contour(&s, &g, 36001, &p), FK_EINVAL);
    /* no allocation per query */
    size_t used = mem_used_bytes();
    assert_int_equal(route_isochrone(&x, &s, MODE_WALK, o, 6000, NULL, &g, &e), 0);
    assert_int_equal(route_iso_contour(&s, &g, 3000, &p), 0);
    assert_int_equal(mem_used_bytes(), used);
    route_iso_scratch_free(&s);
    region_close(r);
}

/* ---- tests: real regions ---- */

static void test_demo_region(void **state)
{
    (void)state;
    check_region(demo_region(), 3, 11);
}

static void test_copenhagen(void **state)
{
    (void)state;
    REQUIRE_DATA(pbf, "osm/copenhagen-kbh.osm.pbf");
    char args[4096];
    snprintf(args, sizeof args, "build -q --osm %s -o cph.region", pbf);
    assert_int_equal(run(args), 0);
    check_region("cph.region", 3, 12);
}

/* Dijkstra and PHAST agree on the demo region, grid for grid. */
static void test_phast_same_grid(void **state)
{
    (void)state;
    region *r = NULL;
    fk_err e;
    assert_int_equal(region_open(demo_region(), 0, &r, &e), 0);
    route_iso_index x;
    assert_int_equal(route_iso_open(r, &x, &e), 0);
    route_iso_scratch s;
    assert_int_equal(route_iso_scratch_init(&s, &x, 0, 1), 0);
    rng g;
    rng_seed(&g, 5);
    size_t cells = (size_t)s.max_side * s.max_side;
    uint32_t *copy = mem_alloc(cells * sizeof *copy);
    assert_non_null(copy);
    for (int m = 0; m < MODE_COUNT; m++)
        for (int q = 0; q < 3; q++) {
            geo_point from = random_origin(&x, (route_mode)m, &g);
            route_iso_grid a, c;
            route_iso_opts op = {0};
            assert_int_equal(route_isochrone(&x, &s, (route_mode)m, from, 18000, &op, &a, &e), 0);
            memcpy(copy, a.time_ds, (size_t)a.nx * a.ny * sizeof *copy);
            op.engine = ROUTE_ISO_PHAST;
            assert_int_equal(route_isochrone(&x, &s, (route_mode)m, from, 18000, &op, &c, &e), 0);
            assert_int_equal(a.nx, c.nx);
            assert_int_equal(a.ny, c.ny);
            assert_int_equal(a.n_reached, c.n_reached);
            assert_memory_equal(copy, c.time_ds, (size_t)a.nx * a.ny * sizeof *copy);
        }
    mem_free(copy);
    route_iso_scratch_free(&s);
    region_close(r);
}

/* ---- tests: the command ---- */

static json_t *load_json(const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j) fail_msg("%s: %s (line %d)", path, je.text, je.line);
    return j;
}

/* A GeoJSON MultiPolygon's coordinates as a GEOS geometry, checking the
 * 6-decimal lattice, closure and orientation on the way. */
static GEOSGeometry *geos_from_json(json_t *coords)
{
    size_t np = json_array_size(coords);
    GEOSGeometry **polys = mem_alloc((np + 1) * sizeof *polys);
    assert_non_null(polys);
    for (size_t i = 0; i < np; i++) {
        json_t *poly = json_array_get(coords, i);
        size_t nr = json_array_size(poly);
        assert_true(nr >= 1);
        GEOSGeometry **rings = mem_alloc(nr * sizeof *rings);
        assert_non_null(rings);
        for (size_t k = 0; k < nr; k++) {
            json_t *ring = json_array_get(poly, k);
            size_t n = json_array_size(ring);
            assert_true(n >= 4);
            geo_point *pts = mem_alloc(n * sizeof *pts);
            assert_non_null(pts);
            for (size_t q = 0; q < n; q++) {
                json_t *c = json_array_get(ring, q);
                double lon = json_number_value(json_array_get(c, 0));
                double lat = json_number_value(json_array_get(c, 1));
                assert_true(fabs(lon * 1e6 - round(lon * 1e6)) < 1e-3);
                assert_true(fabs(lat * 1e6 - round(lat * 1e6)) < 1e-3);
                pts[q].lon_e7 = (int32_t)lround(lon * 1e7);
                pts[q].lat_e7 = (int32_t)lround(lat * 1e7);
            }
            assert_true(pts[0].lon_e7 == pts[n - 1].lon_e7 && pts[0].lat_e7 == pts[n - 1].lat_e7);
            double a = ring_area2(pts, (uint32_t)n);
            assert_true(k == 0 ? a > 0 : a < 0);
            rings[k] = geos_ring(pts, (uint32_t)n);
            mem_free(pts);
        }
        polys[i] = GEOSGeom_createPolygon_r(gctx, rings[0], rings + 1, (unsigned)(nr - 1));
        mem_free(rings);
    }
    GEOSGeometry *mp = GEOSGeom_createCollection_r(gctx, GEOS_MULTIPOLYGON, polys, (unsigned)np);
    mem_free(polys);
    if (GEOSisValid_r(gctx, mp) != 1) fail_msg("invalid: %s", GEOSisValidReason_r(gctx, mp));
    return mp;
}

static void test_cli(void **state)
{
    (void)state;
    const char *reg = demo_region();
    region *r = NULL;
    fk_err e;
    assert_int_equal(region_open(reg, 0, &r, &e), 0);
    route_iso_index x;
    assert_int_equal(route_iso_open(r, &x, &e), 0);
    rng g;
    rng_seed(&g, 3);
    geo_point from = random_origin(&x, MODE_BIKE, &g);
    region_close(r);
    char args[4096];
    snprintf(args, sizeof args, "query isochrone --region %s --from %.7f,%.7f --mode bike "
             "--minutes 20,5,10", reg, from.lat_e7 / 1e7, from.lon_e7 / 1e7);
    assert_int_equal(run(args), 0);
    json_t *fc = load_json("out.json");
    assert_string_equal(json_string_value(json_object_get(fc, "type")), "FeatureCollection");
    json_t *feats = json_object_get(fc, "features");
    assert_int_equal(json_array_size(feats), 3);
    GEOSGeometry *geo[3];
    static const int want_min[3] = {5, 10, 20};
    for (size_t k = 0; k < 3; k++) {
        json_t *f = json_array_get(feats, k);
        assert_string_equal(json_string_value(json_object_get(f, "type")), "Feature");
        json_t *pr = json_object_get(f, "properties");
        assert_int_equal(json_integer_value(json_object_get(pr, "minutes")), want_min[k]);
        assert_string_equal(json_string_value(json_object_get(pr, "mode")), "bike");
        json_t *gm = json_object_get(f, "geometry");
        assert_string_equal(json_string_value(json_object_get(gm, "type")), "MultiPolygon");
        geo[k] = geos_from_json(json_object_get(gm, "coordinates"));
        assert_int_equal(GEOSGetNumGeometries_r(gctx, geo[k]),
                         json_integer_value(json_object_get(pr, "polygons")));
        if (k) assert_int_equal(GEOSCovers_r(gctx, geo[k], geo[k - 1]), 1);
    }
    json_decref(fc);
    /* the grid: cell centres inside the polygons exactly within the limit */
    snprintf(args, sizeof args, "query isochrone --region=%s --from=%.7f,%.7f --mode=bike "
             "--minutes=20,10,5 --grid", reg, from.lat_e7 / 1e7, from.lon_e7 / 1e7);
    assert_int_equal(run(args), 0);
    json_t *gj = load_json("out.json");
    size_t nx = (size_t)json_integer_value(json_object_get(gj, "nx"));
    size_t ny = (size_t)json_integer_value(json_object_get(gj, "ny"));
    double west = json_number_value(json_object_get(gj, "west"));
    double south = json_number_value(json_object_get(gj, "south"));
    double cw = json_number_value(json_object_get(gj, "cell_lon_deg"));
    double ch = json_number_value(json_object_get(gj, "cell_lat_deg"));
    json_t *rows = json_object_get(gj, "seconds");
    assert_int_equal(json_array_size(rows), ny);
    assert_int_equal(json_integer_value(json_object_get(gj, "max_minutes")), 20);
    const GEOSPreparedGeometry *pg[3];
    for (int k = 0; k < 3; k++) pg[k] = GEOSPrepare_r(gctx, geo[k]);
    size_t reached = 0, checked = 0;
    for (size_t j = 0; j < ny; j++) {
        json_t *row = json_array_get(rows, j);
        assert_int_equal(json_array_size(row), nx);
        for (size_t i = 0; i < nx; i++) {
            json_t *v = json_array_get(row, i);
            long sec = json_is_null(v) ? -1 : (long)json_integer_value(v);
            reached += sec >= 0;
            if (sec < 0 && rng_below(&g, 20)) continue;
            checked++;
            double lon = west + (i + 0.5) * cw, lat = south + (j + 0.5) * ch;
            for (int k = 0; k < 3; k++) {
                int want = sec >= 0 && sec <= want_min[k] * 60;
                if (geos_has_point(pg[k], lon, lat) != want)
                    fail_msg("cell %zu,%zu (%ld s) vs the %d-minute polygon (%s)", i, j, sec, want_min[k], args);
            }
        }
    }
    assert_true(reached > 50 && checked > reached);
    for (int k = 0; k < 3; k++) {
        GEOSPreparedGeom_destroy_r(gctx, pg[k]);
        GEOSGeom_destroy_r(gctx, geo[k]);
    }
    json_decref(gj);
    /* default limits, PHAST engine, indented */
    snprintf(args, sizeof args, "query isochrone --region %s --from %.7f,%.7f --mode car "
             "--engine phast --pretty", reg, from.lat_e7 / 1e7, from.lon_e7 / 1e7);
    assert_int_equal(run(args), 0);
    fc = load_json("out.json");
    feats = json_object_get(fc, "features");
    assert_int_equal(json_array_size(feats), 5);
    assert_true(file_has("out.json", "\n  \"features\": ["));
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_array_get(feats, 4), "properties"), "minutes")), 60);
    json_decref(fc);
    /* usage errors: exit 2 */
    snprintf(args, sizeof args, "query isochrone --from 65.5,22.1 --mode walk");
    assert_int_equal(run(args), 2);
    assert_true(file_has("err.log", "--region"));
    snprintf(args, sizeof args, "query isochrone --region %s --from 65.5,22.1 --mode boat", reg);
    assert_int_equal(run(args), 2);
    assert_true(file_has("err.log", "boat"));
    snprintf(args, sizeof args, "query isochrone --region %s --from '65.5;22.1' --mode walk", reg);
    assert_int_equal(run(args), 2);
    assert_true(file_has("err.log", "LAT,LON"));
    snprintf(args, sizeof args, "query isochrone --region %s --from 65.5,22.1 --mode walk --minutes 10,0", reg);
    assert_int_equal(run(args), 2);
    assert_true(file_has("err.log", "--minutes"));
    snprintf(args, sizeof args, "query isochrone --region %s --from 65.5,22.1 --mode walk --frobnicate", reg);
    assert_int_equal(run(args), 2);
    assert_true(file_has("err.log", "--frobnicate"));
    snprintf(args, sizeof args, "query isochrone --region %s --from 65.5,22.1 --mode", reg);
    assert_int_equal(run(args), 2);
    /* failures: exit 1 with the reason */
    assert_int_equal(run("query isochrone --region missing.region --from 65.5,22.1 --mode walk"), 1);
    assert_true(file_has("err.log", "missing.region"));
    snprintf(args, sizeof args, "query isochrone --region %s --from 10.0,10.0 --mode walk", reg);
    assert_int_equal(run(args), 1);
    assert_true(file_has("err.log", "outside the region"));
    /* help */
    assert_int_equal(run("query isochrone --help"), 0);
    assert_true(file_has("out.json", "--minutes"));
}

int main(void)
{
    gctx = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(gctx, geos_quiet);
    GEOSContext_setErrorHandler_r(gctx, geos_quiet);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_straight_road),
        cmocka_unit_test(test_loop_hole),
        cmocka_unit_test(test_direction_and_no_exit),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_demo_region),
        cmocka_unit_test(test_phast_same_grid),
        cmocka_unit_test(test_copenhagen),
        cmocka_unit_test(test_cli),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    GEOS_finish_r(gctx);
    return rc;
}
