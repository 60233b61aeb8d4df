/*
 * test_nearest.c: nearest-amenity tables and queries (route/nearest.c).
 *
 * A hand-made street with exact expected times (partial edges, oneways,
 * amenities on the query's own segment, the bus-stop rule), then random
 * networks and the real OSM extracts, where for many random points and
 * every kind and mode both the O(1) answer and the k-nearest answer must
 * equal a brute-force reference exactly in time: route_dijkstra from the
 * snapped point over the whole forward graph, then the minimum over every
 * amenity of the kind of its arrival time (partial edge included), or the
 * direct trip along the segment when it shares the query's road.
 */
#include "testutil.h"

#include <math.h>

#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../ingest/osm.h"
#include "../../route/dijkstra.h"
#include "../../route/graph.h"
#include "../../route/nearest.h"
#include "../../route/snap.h"

/* Asserts success, printing the message of the fk_err `e` in scope. */
#define OK(call)                                                 \
    do {                                                         \
        int rc_ = (call);                                        \
        if (rc_) printf("error %d: %s\n", rc_, e.msg);           \
        assert_int_equal(rc_, 0);                                \
    } while (0)

static region_road mkroad(uint32_t from, uint32_t to, int hw, uint32_t len_dm)
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

static geo_point pt(double lat, double lon)
{
    geo_point p;
    assert_int_equal(geo_from_deg(lat, lon, &p), 0);
    return p;
}

static void add_poi(region_builder *b, geo_point p, int kind, int level)
{
    region_poi q;
    memset(&q, 0, sizeof q);
    q.pos = p;
    q.kind = (uint8_t)kind;
    q.level = (uint8_t)level;
    assert_int_equal(vec_push(b->pois, q), 0);
}

static void add_stop(region_builder *b, geo_point p, int type, uint32_t parent)
{
    region_stop s;
    memset(&s, 0, sizeof s);
    s.pos = p;
    s.location_type = (uint8_t)type;
    s.parent = parent;
    assert_int_equal(vec_push(b->stops, s), 0);
}

/* Builds graphs, snap index and tables, writes and reopens the snapshot. */
static void build_open(region_builder *b, const char *path, region **r, route_nearest_index *x,
                       route_nearest_report *rep)
{
    fk_err e;
    OK(route_graph_build_all(b, &e));
    OK(route_snap_build(b, &e));
    OK(route_nearest_build(b, NULL, rep, &e));
    OK(region_write(b, path, &e));
    OK(region_open(path, REGION_OPEN_VERIFY_CRC, r, &e));
    OK(route_nearest_open(*r, x, &e));
}

/* ---- the hand-made street ----
 *
 *            4
 *            | footway
 *   0 ------ 1 ------ 2 ---->- 3      residential, 100 m each; 2->3 oneway
 *       B  G            A             B school (upper sec) at 0.5 of 0-1,
 *                                     G grocery at 0.75 of 0-1, A school
 *                                     (primary) at 0.5 of 2-3, L library
 *                                     beyond node 4.
 * walk 720 ds per 100 m, car 150 ds. */
static void street(region_builder *b)
{
    geo_point n[] = {pt(65.5, 22.0), pt(65.5, 22.002), pt(65.5, 22.004), pt(65.5, 22.006),
                     pt(65.501, 22.002)};
    for (int i = 0; i < 5; i++) assert_int_equal(vec_push(b->road_nodes, n[i]), 0);
    region_road rs[] = {mkroad(0, 1, HW_RESIDENTIAL, 1000), mkroad(1, 2, HW_RESIDENTIAL, 1000),
                        mkroad(2, 3, HW_RESIDENTIAL, 1000), mkroad(1, 4, HW_FOOTWAY, 1000)};
    rs[2].oneway = ONEWAY_FORWARD;
    for (int i = 0; i < 4; i++) assert_int_equal(vec_push(b->roads, rs[i]), 0);
    add_poi(b, pt(65.5001, 22.005), POI_SCHOOL, SCHOOL_PRIMARY);     /* A: poi 0 */
    add_poi(b, pt(65.4999, 22.0015), POI_GROCERY, 0);                /* G: poi 1 */
    add_poi(b, pt(65.4999, 22.001), POI_SCHOOL, SCHOOL_UPPER_SEC);   /* B: poi 2 */
    add_poi(b, pt(65.5012, 22.002), POI_LIBRARY, 0);                 /* L: poi 3 */
    add_stop(b, pt(65.5001, 22.003), 1, REGION_NONE);  /* station with a platform */
    add_stop(b, pt(65.5001, 22.0031), 0, 0);           /* its platform: a bus stop */
    add_stop(b, pt(65.5001, 22.0061), 1, REGION_NONE); /* lone station: a bus stop */
    add_stop(b, pt(65.5001, 22.0032), 2, 0);           /* entrance: not */
}

static void test_hand_made(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "Street");
    street(&b);
    region *r;
    route_nearest_index x;
    route_nearest_report rep;
    build_open(&b, "street.region", &r, &x, &rep);
    region_builder_free(&b);
    assert_int_equal(rep.n_amenities[AMEN_SCHOOL], 2);
    assert_int_equal(rep.n_amenities[AMEN_SCHOOL_PRIMARY], 1);
    assert_int_equal(rep.n_amenities[AMEN_SCHOOL_LOWER_SEC], 0);
    assert_int_equal(rep.n_amenities[AMEN_BUS_STOP], 2);
    assert_int_equal(rep.table_bytes, 5u * 8 * AMEN_COUNT * MODE_COUNT);
    uint32_t n;
    const uint32_t *stops = route_nearest_amenities(&x, AMEN_BUS_STOP, &n);
    assert_int_equal(n, 2);
    assert_int_equal(stops[0], 1);
    assert_int_equal(stops[1], 2);

    fk_err e;
    route_nearest_result res;
    geo_point q1 = pt(65.4999, 22.0);   /* 11 m south of node 0 */
    geo_point q2 = pt(65.4999, 22.0058);/* on 2-3 at 0.9 */
    /* walk to the primary school: 200 m to node 2, then half of 2-3 */
    OK(route_nearest(&x, MODE_WALK, AMEN_SCHOOL_PRIMARY, q1, 1000, &res, &e));
    assert_int_equal(res.amenity, 0);
    assert_int_equal(res.time_ds, 1440 + 360);
    assert_int_equal(res.dist_m, 250);
    assert_int_equal(res.snap.road, 0);
    /* car: 2 x 150 + half of the oneway 2->3 */
    OK(route_nearest(&x, MODE_CAR, AMEN_SCHOOL_PRIMARY, q1, 1000, &res, &e));
    assert_int_equal(res.time_ds, 300 + 75);
    /* any school: B on the query's own segment, reached directly */
    OK(route_nearest(&x, MODE_WALK, AMEN_SCHOOL, q1, 1000, &res, &e));
    assert_int_equal(res.amenity, 2);
    assert_int_equal(res.time_ds, 360);
    assert_int_equal(res.dist_m, 50);
    OK(route_nearest(&x, MODE_WALK, AMEN_GROCERY, q1, 1000, &res, &e));
    assert_int_equal(res.amenity, 1);
    assert_int_equal(res.time_ds, 540);
    /* library beyond node 4: 0 -> 1 -> 4, arriving at the end of the footway */
    OK(route_nearest(&x, MODE_WALK, AMEN_LIBRARY, q1, 1000, &res, &e));
    assert_int_equal(res.amenity, 3);
    assert_int_equal(res.time_ds, 1440);
    assert_int_equal(res.dist_m, 200);
    /* from q2 on the oneway: walking back along it to A directly */
    OK(route_nearest(&x, MODE_WALK, AMEN_SCHOOL_PRIMARY, q2, 1000, &res, &e));
    assert_true(fabs(res.snap.frac - 0.9) < 1e-12);
    assert_int_equal(res.time_ds, 648 - 360);
    assert_int_equal(res.dist_m, 40);
    /* by car node 3 is a dead end and A lies behind: nothing reachable */
    assert_int_equal(route_nearest(&x, MODE_CAR, AMEN_SCHOOL_PRIMARY, q2, 1000, &res, &e),
                     FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "no school_primary reachable by car from (65.49990, 22.00580)"));
    assert_int_equal(route_nearest(&x, MODE_WALK, AMEN_PHARMACY, q1, 1000, &res, &e),
                     FK_ENOTFOUND);
    assert_int_equal(route_nearest(&x, MODE_WALK, AMEN_SCHOOL, pt(59.0, 18.0), 1000, &res, &e),
                     FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "outside the region"));
    assert_int_equal(route_nearest(&x, MODE_WALK, AMEN_COUNT, q1, 1000, &res, &e), FK_EINVAL);

    /* k nearest */
    route_nearest_scratch s;
    assert_int_equal(route_nearest_scratch_init(&s, &x), 0);
    route_nearest_result out[ROUTE_NEAREST_K_MAX];
    size_t nout;
    OK(route_nearest_k(&x, &s, MODE_WALK, AMEN_SCHOOL, q1, 1000, ROUTE_INF, 5, out, &nout, &e));
    assert_int_equal(nout, 2);
    assert_int_equal(out[0].amenity, 2);
    assert_int_equal(out[0].time_ds, 360);
    assert_int_equal(out[1].amenity, 0);
    assert_int_equal(out[1].time_ds, 1800);
    assert_int_equal(out[1].dist_m, 250);
    OK(route_nearest_k(&x, &s, MODE_WALK, AMEN_SCHOOL, q1, 1000, ROUTE_INF, 1, out, &nout, &e));
    assert_int_equal(nout, 1);
    assert_int_equal(out[0].amenity, 2);
    /* a time limit below A's time */
    OK(route_nearest_k(&x, &s, MODE_WALK, AMEN_SCHOOL, q1, 1000, 1799, 5, out, &nout, &e));
    assert_int_equal(nout, 1);
    assert_int_equal(route_nearest_k(&x, &s, MODE_WALK, AMEN_SCHOOL_PRIMARY, q1, 1000, 1000, 5,
                                     out, &nout, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "within the time limit"));
    assert_int_equal(route_nearest_k(&x, &s, MODE_WALK, AMEN_SCHOOL, q1, 1000, ROUTE_INF, 6,
                                     out, &nout, &e), FK_EINVAL);
    /* bus stops: the platform (stop 1) and the lone station (stop 2) */
    OK(route_nearest_k(&x, &s, MODE_WALK, AMEN_BUS_STOP, q1, 1000, ROUTE_INF, 5, out, &nout, &e));
    assert_int_equal(nout, 2);
    assert_int_equal(out[0].amenity, 1);
    assert_int_equal(out[1].amenity, 2);
    route_nearest_scratch_free(&s);
    route_nearest_close(&x);
    region_close(r);
}

static void test_build_needs_graphs(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "G");
    street(&b);
    fk_err e;
    assert_int_equal(route_nearest_build(&b, NULL, NULL, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "build the graphs first"));
    /* and a snapshot with graphs and snap index but no tables */
    OK(route_graph_build_all(&b, &e));
    OK(route_snap_build(&b, &e));
    OK(region_write(&b, "g.region", &e));
    region_builder_free(&b);
    region *r;
    OK(region_open("g.region", 0, &r, &e));
    route_nearest_index x;
    assert_int_equal(route_nearest_open(r, &x, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "no nearest-amenity tables"));
    region_close(r);
}

/* ---- brute-force reference ---- */

typedef struct ref_ctx {
    const region *r;
    const route_nearest_index *x;
    route_snapper ws;      /* amenities snap like the build does: no region bound */
    route_search rs;
    route_snap_result *as[AMEN_COUNT][MODE_COUNT];   /* each amenity's snap */
    uint8_t *ok[AMEN_COUNT][MODE_COUNT];             /* 1 when it snapped */
} ref_ctx;

static void ref_init(ref_ctx *c, const region *r, const route_nearest_index *x)
{
    fk_err e;
    c->r = r;
    c->x = x;
    geo_bbox world = {-900000000, -1800000000, 900000000, 1800000000};
    OK(route_snap_init(&c->ws, r->road_nodes, r->n_road_nodes, r->roads, r->n_roads, &world, &e));
    assert_int_equal(route_search_init(&c->rs, (uint32_t)r->n_road_nodes), 0);
    for (int k = 0; k < AMEN_COUNT; k++)
        for (int m = 0; m < MODE_COUNT; m++) {
            uint32_t n = x->n_amen[k] ? x->n_amen[k] : 1;
            c->as[k][m] = mem_alloc(n * sizeof *c->as[k][m]);
            c->ok[k][m] = mem_alloc(n);
            for (uint32_t o = 0; o < x->n_amen[k]; o++) {
                uint32_t idx = x->amen[k][o];
                geo_point pos = k == AMEN_BUS_STOP ? r->stops[idx].pos : r->pois[idx].pos;
                c->ok[k][m][o] = route_snap(&c->ws, (route_mode)m, pos, 1000,
                                            &c->as[k][m][o], NULL) == 0;
            }
        }
}

static void ref_free(ref_ctx *c)
{
    route_snap_free(&c->ws);
    route_search_free(&c->rs);
    for (int k = 0; k < AMEN_COUNT; k++)
        for (int m = 0; m < MODE_COUNT; m++) {
            mem_free(c->as[k][m]);
            mem_free(c->ok[k][m]);
        }
}

/* Dijkstra from the snapped point over the whole forward graph of m. */
static void ref_search(ref_ctx *c, route_mode m, const route_snap_result *sr)
{
    uint32_t node[2], t[2];
    size_t nd = route_snap_depart(&c->x->snap, m, sr, node, t, NULL);
    route_dijkstra(&c->x->fwd[m], node, t, nd, ROUTE_INF, ROUTE_INF, &c->rs);
}

/* Time from the searched point to amenity ord of kind k (after ref_search). */
static uint64_t ref_time(ref_ctx *c, route_mode m, route_amenity k, uint32_t ord,
                         const route_snap_result *sr)
{
    if (!c->ok[k][m][ord]) return UINT64_MAX;
    route_snap_result as = c->as[k][m][ord];
    uint64_t best = UINT64_MAX;
    uint32_t node[2], t[2];
    size_t na = route_snap_arrive(&c->ws, m, &as, node, t, NULL);
    for (size_t i = 0; i < na; i++)
        if (c->rs.dist[node[i]] != ROUTE_INF && (uint64_t)c->rs.dist[node[i]] + t[i] < best)
            best = (uint64_t)c->rs.dist[node[i]] + t[i];
    if (as.road == sr->road) {
        const region_road *rd = &c->r->roads[sr->road];
        route_partial pp = route_snap_partial(rd, m, sr->frac);
        route_partial pa = route_snap_partial(rd, m, as.frac);
        uint64_t d = UINT64_MAX;
        if (as.frac > sr->frac && pp.fwd) d = pa.from_ds - pp.from_ds;
        else if (as.frac < sr->frac && pp.bwd) d = pp.from_ds - pa.from_ds;
        else if (as.frac == sr->frac) d = 0;
        if (d < best) best = d;
    }
    return best;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Checks n_points random points of bbox against the reference; returns
 * the number of (point, kind, mode) answers checked. */
static uint64_t check_points(const region *r, const route_nearest_index *x, rng *g,
                             geo_bbox bb, int n_points)
{
    ref_ctx c;
    ref_init(&c, r, x);
    route_nearest_scratch s;
    assert_int_equal(route_nearest_scratch_init(&s, x), 0);
    uint32_t max_amen = 1;
    for (int k = 0; k < AMEN_COUNT; k++)
        if (x->n_amen[k] > max_amen) max_amen = x->n_amen[k];
    uint64_t *times = mem_alloc(max_amen * sizeof *times);
    uint64_t checked = 0;
    for (int q = 0; q < n_points; q++) {
        geo_point p = {bb.min_lat_e7 + (int32_t)rng_below(g, (uint32_t)(bb.max_lat_e7 - bb.min_lat_e7) + 1),
                       bb.min_lon_e7 + (int32_t)rng_below(g, (uint32_t)(bb.max_lon_e7 - bb.min_lon_e7) + 1)};
        for (int m = 0; m < MODE_COUNT; m++) {
            route_snap_result sr;
            fk_err e;
            if (route_snap(&x->snap, (route_mode)m, p, 1000, &sr, &e)) continue;
            ref_search(&c, (route_mode)m, &sr);
            for (int k = 0; k < AMEN_COUNT; k++) {
                uint64_t best = UINT64_MAX;
                size_t nt = 0;
                for (uint32_t o = 0; o < x->n_amen[k]; o++) {
                    uint64_t t = ref_time(&c, (route_mode)m, (route_amenity)k, o, &sr);
                    if (t == UINT64_MAX) continue;
                    times[nt++] = t;
                    if (t < best) best = t;
                }
                route_nearest_result res;
                int rc = route_nearest_at(x, (route_mode)m, (route_amenity)k, &sr, &res);
                if (best == UINT64_MAX) {
                    assert_int_equal(rc, FK_ENOTFOUND);
                } else {
                    assert_int_equal(rc, 0);
                    if (res.time_ds != best)
                        printf("point %d mode %d kind %d: O(1) %u, reference %llu\n", q, m, k,
                               res.time_ds, (unsigned long long)best);
                    assert_int_equal(res.time_ds, best);
                    assert_int_equal(ref_time(&c, (route_mode)m, (route_amenity)k, res.ordinal, &sr),
                                     best);
                    assert_int_equal(res.amenity, x->amen[k][res.ordinal]);
                }
                /* k nearest, k = 5 and k = 2 */
                qsort(times, nt, sizeof *times, cmp_u64);
                size_t kk[2] = {5, 2};
                for (int v = 0; v < 2; v++) {
                    route_nearest_result out[ROUTE_NEAREST_K_MAX];
                    size_t nout;
                    rc = route_nearest_k(x, &s, (route_mode)m, (route_amenity)k, p, 1000,
                                         ROUTE_INF, kk[v], out, &nout, &e);
                    size_t want = nt < kk[v] ? nt : kk[v];
                    assert_int_equal(nout, want);
                    assert_int_equal(rc, want ? 0 : FK_ENOTFOUND);
                    for (size_t i = 0; i < nout; i++) {
                        assert_int_equal(out[i].time_ds, times[i]);
                        assert_int_equal(ref_time(&c, (route_mode)m, (route_amenity)k,
                                                  out[i].ordinal, &sr), out[i].time_ds);
                        for (size_t j = 0; j < i; j++) assert_true(out[j].ordinal != out[i].ordinal);
                    }
                }
                checked++;
            }
        }
    }
    mem_free(times);
    route_nearest_scratch_free(&s);
    ref_free(&c);
    return checked;
}

/* A jittered grid of streets of random classes (some oneway, some
 * motorways and footways), long random roads, random amenities near it. */
static void random_region(rng *g, region_builder *b, int w, int h, int n_poi, int n_stop)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            geo_point p = {655000000 + y * 9000 + (int32_t)rng_below(g, 5000),
                           221000000 + x * 20000 + (int32_t)rng_below(g, 10000)};
            assert_int_equal(vec_push(b->road_nodes, p), 0);
        }
    static const int hws[] = {HW_RESIDENTIAL, HW_RESIDENTIAL, HW_RESIDENTIAL, HW_FOOTWAY,
                              HW_MOTORWAY, HW_CYCLEWAY, HW_PRIMARY, HW_STEPS, HW_SERVICE,
                              HW_TERTIARY};
    uint32_t n = (uint32_t)(w * h);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t nb[2] = {i + 1, i + (uint32_t)w};
        for (int k = 0; k < 2; k++) {
            if (nb[k] >= n || (k == 0 && (i + 1) % (uint32_t)w == 0) || rng_below(g, 10) < 1)
                continue;
            int hw = hws[rng_below(g, 10)];
            geo_point a = b->road_nodes.v[i], c = b->road_nodes.v[nb[k]];
            uint32_t len = (uint32_t)lround(geo_dist_m(a, c) * 10) + 1;
            region_road r = rng_below(g, 2) ? mkroad(i, nb[k], hw, len) : mkroad(nb[k], i, hw, len);
            uint32_t o = rng_below(g, 10);
            r.oneway = o < 2 ? ONEWAY_FORWARD : o < 3 ? ONEWAY_REVERSE : ONEWAY_UNSET;
            assert_int_equal(vec_push(b->roads, r), 0);
        }
    }
    for (int k = 0; k < 5; k++) {
        uint32_t a = rng_below(g, n), c = rng_below(g, n);
        region_road r = mkroad(a, c, HW_PRIMARY, (uint32_t)lround(geo_dist_m(
            b->road_nodes.v[a], b->road_nodes.v[c]) * 10) + 1);
        assert_int_equal(vec_push(b->roads, r), 0);
    }
    for (int i = 0; i < n_poi; i++) {
        geo_point base = b->road_nodes.v[rng_below(g, n)];
        geo_point p = {base.lat_e7 + (int32_t)rng_below(g, 8000) - 4000,
                       base.lon_e7 + (int32_t)rng_below(g, 16000) - 8000};
        add_poi(b, p, (int)rng_below(g, POI_KIND_COUNT), (int)rng_below(g, 16));
    }
    /* one amenity exactly on a node, two on the same spot */
    add_poi(b, b->road_nodes.v[0], POI_GROCERY, 0);
    add_poi(b, b->road_nodes.v[n / 2], POI_LIBRARY, 0);
    add_poi(b, b->road_nodes.v[n / 2], POI_LIBRARY, 0);
    for (int i = 0; i < n_stop; i++) {
        geo_point base = b->road_nodes.v[rng_below(g, n)];
        geo_point p = {base.lat_e7 + (int32_t)rng_below(g, 4000) - 2000,
                       base.lon_e7 + (int32_t)rng_below(g, 8000) - 4000};
        int type = (int)rng_below(g, 3);
        uint32_t parent = type == 0 && i > 0 && rng_below(g, 2) ? (uint32_t)(i - 1) : REGION_NONE;
        add_stop(b, p, type, parent);
    }
}

static void test_random_vs_reference(void **state)
{
    (void)state;
    rng g;
    rng_seed(&g, 2024);
    uint64_t checked = 0;
    for (int round = 0; round < 5; round++) {
        region_builder b;
        region_builder_init(&b, "Random");
        int w = 10 + (int)rng_below(&g, 25), h = 10 + (int)rng_below(&g, 25);
        random_region(&g, &b, w, h, 20 + (int)rng_below(&g, 60), 10 + (int)rng_below(&g, 20));
        geo_bbox bb = geo_bbox_empty();
        for (size_t i = 0; i < b.road_nodes.n; i++) geo_bbox_add(&bb, b.road_nodes.v[i]);
        region *r;
        route_nearest_index x;
        route_nearest_report rep;
        build_open(&b, "rand.region", &r, &x, &rep);
        region_builder_free(&b);
        checked += check_points(r, &x, &g, geo_bbox_expand(bb, 300), 60);
        route_nearest_close(&x);
        region_close(r);
    }
    printf("random networks: %llu (point, mode, kind) answers equal the reference\n",
           (unsigned long long)checked);
    assert_true(checked > 5000);
}

static void real_osm(const char *path, int n_points)
{
    region_builder b;
    region_builder_init(&b, "OSM");
    ingest_report irep;
    fk_err e;
    double t0 = progress_now();
    OK(ingest_osm(&b, path, NULL, &irep, &e));
    geo_bbox bb = geo_bbox_empty();
    for (size_t i = 0; i < b.road_nodes.n; i++) geo_bbox_add(&bb, b.road_nodes.v[i]);
    size_t nn = b.road_nodes.n, nr = b.roads.n, np = b.pois.n;
    region *r;
    route_nearest_index x;
    route_nearest_report rep;
    build_open(&b, "osm.region", &r, &x, &rep);
    region_builder_free(&b);
    printf("%s: %zu nodes, %zu roads, %zu POIs; tables built in %.2fs (%.1f MB, %.0f B/node); "
           "schools %u, groceries %u, health %u\n", path, nn, nr, np, rep.seconds,
           rep.table_bytes / 1e6, (double)rep.table_bytes / (double)(nn ? nn : 1),
           rep.n_amenities[AMEN_SCHOOL], rep.n_amenities[AMEN_GROCERY],
           rep.n_amenities[AMEN_HEALTH]);
    rng g;
    rng_seed(&g, 7);
    uint64_t checked = check_points(r, &x, &g, bb, n_points);
    printf("  %llu (point, mode, kind) answers equal the reference (%.1fs)\n",
           (unsigned long long)checked, progress_now() - t0);
    assert_true(checked > (uint64_t)n_points * 10);
    route_nearest_close(&x);
    region_close(r);
}

static void test_real_copenhagen(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "osm/copenhagen-kbh.osm.pbf");
    real_osm(path, 60);
}

static void test_real_helsinki(void **state)
{
    (void)state;
    REQUIRE_DATA(path, "osm/helsinki-centre.osm.pbf");
    real_osm(path, 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_made),
        cmocka_unit_test(test_build_needs_graphs),
        cmocka_unit_test(test_random_vs_reference),
        cmocka_unit_test(test_real_copenhagen),
        cmocka_unit_test(test_real_helsinki),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
