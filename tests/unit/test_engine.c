/*
 * test_engine.c: the routing engine facade (route/engine.c).
 *
 * A hand-made street with exact expected times (partial edges, a oneway
 * dead end, two points on one segment, an unconnected street); then the
 * demo region built by the real binary (FK_BIN: the fictional region when
 * FK_DATA is absent, Norrbotten when present) and the Copenhagen OSM
 * extract (REQUIRE_DATA), where every answer must equal a brute-force
 * reference exactly: route_dijkstra from the snapped point over the whole
 * graph (forward for routes, near and the reverse commute, backward from
 * the work point for home -> work), with the partial-edge and same-road
 * rules of docs/routing-nearest.md, taken as the minimum over candidates.
 * Route geometries must be connected chains of graph edges whose times add
 * up to the route time and whose lengths add up to the distance.
 */
#include "testutil.h"

#include <math.h>
#include <pthread.h>
#include <sys/wait.h>

#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../region/builder.h"
#include "../../route/ch.h"
#include "../../route/engine.h"
#include "../../route/graph.h"
#include "../../route/nearest.h"
#include "../../route/snap.h"

#define OK(call)                                                 \
    do {                                                         \
        int rc_ = (call);                                        \
        if (rc_) printf("error %d: %s\n", rc_, e.msg);           \
        assert_int_equal(rc_, 0);                                \
    } while (0)

#define HAS(msg, needle)                                                        \
    do {                                                                        \
        if (!strstr((msg), (needle)))                                           \
            fail_msg("message \"%s\" lacks \"%s\"", (msg), (needle));           \
    } while (0)

/* ---- an open region with its engine, scratch and reference scratch ---- */

typedef struct ctx {
    const char *name;
    region *r;
    route_engine eng;
    route_engine_scratch s;
    route_search ref;
    rng g;
} ctx;

static void ctx_open(ctx *c, const char *name, const char *path)
{
    fk_err e;
    memset(c, 0, sizeof *c);
    c->name = name;
    OK(region_open(path, 0, &c->r, &e));
    OK(route_engine_open(c->r, NULL, &c->eng, &e));
    OK(route_engine_scratch_init(&c->s, &c->eng));
    OK(route_search_init(&c->ref, (uint32_t)c->r->n_road_nodes));
    rng_seed(&c->g, 20240611);
    printf("%s: %zu nodes, %zu homes, %zu jobs, %zu pois; engine open %.1f ms\n", name,
           c->r->n_road_nodes, c->r->n_homes, c->r->n_jobs, c->r->n_pois, c->eng.open_ms);
}

static void ctx_close(ctx *c)
{
    route_search_free(&c->ref);
    route_engine_scratch_free(&c->s);
    route_engine_close(&c->eng);
    region_close(c->r);
    memset(c, 0, sizeof *c);
}

static geo_point pt(double lat, double lon)
{
    geo_point p;
    assert_int_equal(geo_from_deg(lat, lon, &p), 0);
    return p;
}

/* ---- the reference ---- */

static int ref_snap(const ctx *c, route_mode m, geo_point p, route_snap_result *sr)
{
    return route_snap(&c->eng.near.snap, m, p, ROUTE_ENGINE_SNAP_M, sr, NULL);
}

/* Along one road from a to b (docs/routing-nearest.md), ROUTE_INF when not
 * on one road or the direction is not allowed. */
static uint32_t ref_direct(const ctx *c, route_mode m, const route_snap_result *a,
                           const route_snap_result *b, uint32_t *dm)
{
    if (a->road != b->road) return ROUTE_INF;
    const region_road *rd = &c->r->roads[a->road];
    route_partial pa = route_snap_partial(rd, m, a->frac), pb = route_snap_partial(rd, m, b->frac);
    uint32_t t = ROUTE_INF, d = 0;
    if (b->frac > a->frac && pa.fwd) t = pb.from_ds - pa.from_ds, d = pb.from_dm - pa.from_dm;
    else if (b->frac < a->frac && pa.bwd) t = pa.from_ds - pb.from_ds, d = pa.from_dm - pb.from_dm;
    else if (b->frac == a->frac) t = 0;
    if (dm) *dm = d;
    return t;
}

/* Forward Dijkstra from the snapped point a over the whole graph. */
static void ref_from(ctx *c, route_mode m, const route_snap_result *a)
{
    uint32_t n[2], t[2];
    size_t k = route_snap_depart(&c->eng.near.snap, m, a, n, t, NULL);
    route_dijkstra(&c->eng.near.fwd[m], n, t, k, ROUTE_INF, ROUTE_INF, &c->ref);
}

/* Time from the point of the last ref_from (a) to b. */
static uint32_t ref_to(const ctx *c, route_mode m, const route_snap_result *a,
                       const route_snap_result *b)
{
    uint32_t n[2], t[2];
    size_t k = route_snap_arrive(&c->eng.near.snap, m, b, n, t, NULL);
    uint64_t best = ref_direct(c, m, a, b, NULL);
    for (size_t i = 0; i < k; i++)
        if (c->ref.dist[n[i]] != ROUTE_INF && (uint64_t)c->ref.dist[n[i]] + t[i] < best)
            best = (uint64_t)c->ref.dist[n[i]] + t[i];
    return (uint32_t)best;
}

/* Backward Dijkstra: the time from every node to the snapped point w. */
static void ref_into(ctx *c, route_mode m, const route_snap_result *w)
{
    uint32_t n[2], t[2];
    size_t k = route_snap_arrive(&c->eng.near.snap, m, w, n, t, NULL);
    route_dijkstra(&c->eng.bwd[m], n, t, k, ROUTE_INF, ROUTE_INF, &c->ref);
}

/* Time from the snapped point h to w after ref_into(w). */
static uint32_t ref_from_into(const ctx *c, route_mode m, const route_snap_result *h,
                              const route_snap_result *w)
{
    uint32_t n[2], t[2];
    size_t k = route_snap_depart(&c->eng.near.snap, m, h, n, t, NULL);
    uint64_t best = ref_direct(c, m, h, w, NULL);
    for (size_t i = 0; i < k; i++)
        if (c->ref.dist[n[i]] != ROUTE_INF && (uint64_t)c->ref.dist[n[i]] + t[i] < best)
            best = (uint64_t)c->ref.dist[n[i]] + t[i];
    return (uint32_t)best;
}

/* Reference commute times of every place of a set (ROUTE_INF: not within
 * limit, not snapped, filtered out) into out[]. */
static void ref_commute(ctx *c, const route_engine_commute_q *q, uint32_t *out)
{
    route_snap_result w;
    assert_int_equal(ref_snap(c, q->mode, q->at, &w), 0);
    if (q->reverse) ref_from(c, q->mode, &w);
    else ref_into(c, q->mode, &w);
    for (uint32_t i = 0; i < c->eng.n_set[q->set]; i++) {
        out[i] = ROUTE_INF;
        geo_point p;
        assert_int_equal(route_engine_place(&c->eng, q->set, i, &p), 0);
        if (q->kind >= 0 && !route_nearest_poi_is(&c->r->pois[i], (route_amenity)q->kind))
            continue;
        route_snap_result h;
        if (ref_snap(c, q->mode, p, &h)) continue;
        uint32_t t = q->reverse ? ref_to(c, q->mode, &w, &h) : ref_from_into(c, q->mode, &h, &w);
        if (t <= q->limit_ds) out[i] = t;
    }
}

/* A random point within about 250 m of a random road node. */
static geo_point rand_point(ctx *c)
{
    geo_point n = c->r->road_nodes[rng_below(&c->g, (uint32_t)c->r->n_road_nodes)];
    double dlat = rng_range(&c->g, -250, 250) / 111195.0;
    double dlon = rng_range(&c->g, -250, 250) / (111195.0 * cos(geo_lat_deg(n) * M_PI / 180));
    return pt(geo_lat_deg(n) + dlat, geo_lon_deg(n) + dlon);
}

/* A point on the road of snap a (a same-segment pair, mostly). */
static geo_point point_on_road(ctx *c, const route_snap_result *a)
{
    const region_road *rd = &c->r->roads[a->road];
    geo_point f = c->r->road_nodes[rd->from], t = c->r->road_nodes[rd->to];
    double x = rng_unit(&c->g);
    geo_point p = {(int32_t)(f.lat_e7 + x * (t.lat_e7 - f.lat_e7)),
                   (int32_t)(f.lon_e7 + x * (t.lon_e7 - f.lon_e7))};
    return p;
}

/* Checks a route result against the reference time (already computed) and
 * its own geometry: a chain of forward-graph edges from a departure node
 * of `from` to an arrival node of `to` whose times add up to the route
 * time and whose lengths (and drawn lengths) add up to the distance. */
static void check_route(ctx *c, route_mode m, const route_engine_route *rt, uint32_t want)
{
    assert_int_equal(rt->time_ds, want);
    assert_true(rt->n_geom >= 2);
    assert_int_equal(rt->geom[0].lat_e7, rt->from.point.lat_e7);
    assert_int_equal(rt->geom[0].lon_e7, rt->from.point.lon_e7);
    assert_int_equal(rt->geom[rt->n_geom - 1].lat_e7, rt->to.point.lat_e7);
    assert_int_equal(rt->geom[rt->n_geom - 1].lon_e7, rt->to.point.lon_e7);
    double drawn = 0;
    for (size_t i = 1; i < rt->n_geom; i++) drawn += geo_dist_m(rt->geom[i - 1], rt->geom[i]);
    if (rt->same_road) {
        assert_int_equal(rt->n_geom, 2);
        assert_int_equal(rt->from.road, rt->to.road);
        uint32_t dm;
        assert_int_equal(ref_direct(c, m, &rt->from, &rt->to, &dm), rt->time_ds);
        assert_int_equal(dm, rt->dist_dm);
    } else {
        assert_int_equal(rt->n_geom, rt->n_nodes + 2);
        const route_snapper *sn = &c->eng.near.snap;
        uint32_t dn[2], dt[2], ddm[2], an[2], at[2], adm[2];
        size_t nd = route_snap_depart(sn, m, &rt->from, dn, dt, ddm);
        size_t na = route_snap_arrive(sn, m, &rt->to, an, at, adm);
        uint64_t t = ROUTE_INF, dm = 0;
        for (size_t i = 0; i < nd; i++)
            if (dn[i] == rt->nodes[0]) t = dt[i], dm = ddm[i];
        assert_true(t != ROUTE_INF);
        const route_graph *g = &c->eng.near.fwd[m];
        for (size_t i = 0; i + 1 < rt->n_nodes; i++) {
            uint32_t u = rt->nodes[i], v = rt->nodes[i + 1], k;
            for (k = g->first[u]; k < g->first[u + 1]; k++)
                if (g->edges[k].head == v) break;
            if (k == g->first[u + 1]) fail_msg("path step %u -> %u is no edge", u, v);
            t += g->edges[k].time_ds;
            dm += c->r->roads[g->edge_road[k]].length_dm;
            assert_int_equal(rt->geom[i + 1].lat_e7, c->r->road_nodes[u].lat_e7);
        }
        uint32_t last = rt->nodes[rt->n_nodes - 1];
        uint64_t best_end = ROUTE_INF, end_dm = 0;
        for (size_t i = 0; i < na; i++)
            if (an[i] == last && at[i] < best_end) best_end = at[i], end_dm = adm[i];
        assert_true(best_end != ROUTE_INF);
        assert_int_equal(t + best_end, rt->time_ds);
        assert_int_equal(dm + end_dm, rt->dist_dm);
    }
    /* the drawn chain is as long as the distance (road lengths are
     * haversine lengths in dm; the snapped ends are projections) */
    double d = rt->dist_dm / 10.0;
    if (fabs(drawn - d) > 2.0 + 0.01 * d)
        fail_msg("%s: drawn %.1f m, distance %.1f m", c->name, drawn, d);
}

/* ---- the hand-made street ----
 *
 *   0 ------ 1 ------ 2 ---->- 3      5 ---- 6 (not connected)
 *       H0      J0        H1              H2
 *            | (footway, north)
 *            4
 * residential, 1000 dm each (car 150 ds, walk 720 ds); 2->3 oneway.
 * H0 at 0.5 of 0-1, J0 at 0.25 of 1-2, H1 at 0.5 of 2-3, H2 at 0.5 of 5-6. */
static region_road mkroad(uint32_t from, uint32_t to, int hw)
{
    region_road r;
    memset(&r, 0, sizeof r);
    r.from = from;
    r.to = to;
    r.highway = (uint8_t)hw;
    r.oneway = ONEWAY_UNSET;
    r.oneway_bicycle = ONEWAY_UNSET;
    r.length_dm = 1000;
    return r;
}

static void street(region_builder *b)
{
    double lon[] = {22.0, 22.002, 22.004, 22.006, 22.002, 22.03, 22.032};
    for (int i = 0; i < 7; i++) {
        geo_point p = pt(i == 4 ? 65.501 : 65.5, lon[i]);
        assert_int_equal(vec_push(b->road_nodes, p), 0);
    }
    region_road rs[] = {mkroad(0, 1, HW_RESIDENTIAL), mkroad(1, 2, HW_RESIDENTIAL),
                        mkroad(2, 3, HW_RESIDENTIAL), mkroad(1, 4, HW_FOOTWAY),
                        mkroad(5, 6, HW_RESIDENTIAL)};
    rs[2].oneway = ONEWAY_FORWARD;
    for (int i = 0; i < 5; i++) assert_int_equal(vec_push(b->roads, rs[i]), 0);
    double hl[] = {22.001, 22.005, 22.031};
    for (int i = 0; i < 3; i++) {
        region_home h;
        memset(&h, 0, sizeof h);
        h.pos = pt(65.5001, hl[i]);
        h.price_sek = 1000000;
        assert_int_equal(vec_push(b->homes, h), 0);
    }
    region_job j;
    memset(&j, 0, sizeof j);
    j.pos = pt(65.5001, 22.0025);
    j.occupation = j.occupation_group = j.occupation_field = REGION_NONE;
    j.published_day = j.deadline_day = INT32_MIN;
    assert_int_equal(vec_push(b->jobs, j), 0);
    region_poi q;
    memset(&q, 0, sizeof q);
    q.pos = pt(65.4999, 22.0034);   /* grocery at 0.7 of 1-2 */
    q.kind = POI_GROCERY;
    assert_int_equal(vec_push(b->pois, q), 0);
}

static void build_street(const char *path)
{
    fk_err e;
    region_builder b;
    region_builder_init(&b, "Street");
    street(&b);
    OK(route_graph_build_all(&b, &e));
    OK(route_ch_build_all(&b, &e));
    OK(route_snap_build(&b, &e));
    OK(route_nearest_build(&b, NULL, NULL, &e));
    OK(region_write(&b, path, &e));
    region_builder_free(&b);
}

static void test_street_exact(void **state)
{
    (void)state;
    build_street("street.region");
    ctx c;
    ctx_open(&c, "street", "street.region");
    fk_err e;
    err_clear(&e);
    geo_point h0 = c.r->homes[0].pos, h1 = c.r->homes[1].pos, h2 = c.r->homes[2].pos;
    geo_point j0 = c.r->jobs[0].pos;
    route_engine_route rt;
    /* H0 -> H1 by car: 75 + 150 + 75 ds, 500 + 1000 + 500 dm */
    OK(route_engine_route_p2p(&c.eng, &c.s, MODE_CAR, h0, h1, &rt, &e));
    assert_int_equal(rt.time_ds, 300);
    assert_int_equal(rt.dist_dm, 2000);
    assert_int_equal(rt.n_nodes, 2);
    assert_int_equal(rt.nodes[0], 1);
    assert_int_equal(rt.nodes[1], 2);
    assert_int_equal(rt.same_road, 0);
    /* back against the oneway: H1 can only drive into the dead end 3 */
    int rc = route_engine_route_p2p(&c.eng, &c.s, MODE_CAR, h1, h0, &rt, &e);
    assert_int_equal(rc, FK_ENOTFOUND);
    HAS(e.msg, "no car route from (65.50010, 22.00500)");
    /* on foot the oneway does not apply: 360 + 720 + 360 */
    OK(route_engine_route_p2p(&c.eng, &c.s, MODE_WALK, h1, h0, &rt, &e));
    assert_int_equal(rt.time_ds, 1440);
    /* along one segment: 0.2 -> 0.7 of road 0 */
    OK(route_engine_route_p2p(&c.eng, &c.s, MODE_CAR, pt(65.5001, 22.0004),
                              pt(65.5001, 22.0014), &rt, &e));
    assert_int_equal(rt.same_road, 1);
    assert_int_equal(rt.time_ds, 75);
    assert_int_equal(rt.dist_dm, 500);
    assert_int_equal(rt.n_geom, 2);
    /* along the oneway the wrong way: no route; the right way: direct */
    rc = route_engine_route_p2p(&c.eng, &c.s, MODE_CAR, pt(65.5001, 22.0054),
                                pt(65.5001, 22.0044), &rt, &e);
    assert_int_equal(rc, FK_ENOTFOUND);
    OK(route_engine_route_p2p(&c.eng, &c.s, MODE_CAR, pt(65.5001, 22.0044),
                              pt(65.5001, 22.0054), &rt, &e));
    assert_int_equal(rt.time_ds, 75);
    assert_int_equal(rt.same_road, 1);
    /* not connected */
    rc = route_engine_route_p2p(&c.eng, &c.s, MODE_WALK, h0, h2, &rt, &e);
    assert_int_equal(rc, FK_ENOTFOUND);
    HAS(e.msg, "no walk route");
    /* outside the region, and the side it is on */
    rc = route_engine_route_p2p(&c.eng, &c.s, MODE_CAR, h0, pt(66.0, 22.0), &rt, &e);
    assert_int_equal(rc, FK_EINVAL);
    HAS(e.msg, "to: point (66.00000, 22.00000) is outside the region");
    rc = route_engine_route_p2p(&c.eng, &c.s, MODE_CAR, pt(60.0, 22.0), h0, &rt, &e);
    assert_int_equal(rc, FK_EINVAL);
    HAS(e.msg, "from: point");

    /* commute to J0 by car, home -> work: H0 75 + 38; H1 dead end; H2 apart */
    const route_engine_target *t;
    size_t n;
    route_engine_commute_q q = {j0, MODE_CAR, ROUTE_INF, ENGINE_HOMES, -1, 0,
                                ENGINE_ALGO_AUTO};
    for (int algo = 0; algo <= ENGINE_ALGO_DIJKSTRA; algo++) {
        q.algo = (route_engine_algo)algo;
        OK(route_engine_commute(&c.eng, &c.s, &q, &t, &n, &e));
        assert_int_equal(n, 1);
        assert_int_equal(t[0].index, 0);
        assert_int_equal(t[0].time_ds, 113);
    }
    /* work -> home: J0 to H1 goes 2 -> H1 (112 + 75) */
    q.reverse = 1;
    q.algo = ENGINE_ALGO_PHAST;
    OK(route_engine_commute(&c.eng, &c.s, &q, &t, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(t[0].index, 0);
    assert_int_equal(t[0].time_ds, 113);
    assert_int_equal(t[1].index, 1);
    assert_int_equal(t[1].time_ds, 187);
    /* the limit cuts: 150 ds keeps H0 only */
    q.limit_ds = 150;
    OK(route_engine_commute(&c.eng, &c.s, &q, &t, &n, &e));
    assert_int_equal(n, 1);
    /* walking: H0 360 + 180 = 540, H1 360 + 540 = 900 */
    route_engine_commute_q w = {j0, MODE_WALK, ROUTE_INF, ENGINE_HOMES, -1, 0,
                                ENGINE_ALGO_AUTO};
    OK(route_engine_commute(&c.eng, &c.s, &w, &t, &n, &e));
    assert_int_equal(n, 2);
    assert_int_equal(t[0].time_ds, 540);
    assert_int_equal(t[1].time_ds, 900);
    /* two workplaces: car to J0 within 200 AND walk to J0 within 600: H0 */
    q.reverse = 0;
    q.limit_ds = 200;
    w.limit_ds = 600;
    OK(route_engine_two_work(&c.eng, &c.s, &q, &w, &t, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(t[0].index, 0);
    assert_int_equal(t[0].time_ds, 113);
    assert_int_equal(t[0].time2_ds, 540);
    /* the grocery, by car from H0: 75 + 105 (at 0.7 of 1-2) */
    route_amenity kinds[] = {AMEN_GROCERY, AMEN_HEALTH};
    route_engine_near nr[2];
    OK(route_engine_near_at(&c.eng, &c.s, MODE_CAR, h0, kinds, 2, 3, ROUTE_INF, nr, NULL, &e));
    assert_int_equal(nr[0].found, 1);
    assert_int_equal(nr[0].nearest.index, 0);
    assert_int_equal(nr[0].nearest.time_ds, 75 + 105);
    assert_int_equal(nr[0].n_k, 1);
    assert_int_equal(nr[0].k[0].time_ds, 75 + 105);
    assert_int_equal(nr[1].found, 0);
    /* matrix: H0, H1, J0 by car */
    geo_point pts[] = {h0, h1, j0};
    const uint32_t *mx;
    OK(route_engine_matrix(&c.eng, &c.s, MODE_CAR, pts, 3, pts, 3, &mx, &e));
    uint32_t want[9] = {0, 300, 113, ROUTE_INF, 0, ROUTE_INF, 113, 187, 0};
    for (int i = 0; i < 9; i++) assert_int_equal(mx[i], want[i]);
    ctx_close(&c);
}

/* ---- real regions ---- */

static const char *bin(void)
{
    const char *b = getenv("FK_BIN");
    return b ? b : "build/release/flyttkarta";
}

static void build_region(const char *args, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) return;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s build -q %s -o %s >build.log 2>&1", bin(), args, path);
    int rc = system(cmd);
    if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0) fail_msg("build failed: %s (see build.log)", cmd);
}

static void build_demo(void)
{
    const char *d = getenv("FK_DATA");
    struct stat st;
    char args[4096];
    snprintf(args, sizeof args, "--demo --data %s",
             d && stat(d, &st) == 0 ? d : "/nonexistent/data");
    build_region(args, "demo.region");
}

static void check_routes(ctx *c, route_mode m, int n_src, int n_dst)
{
    fk_err e;
    int same = 0, pairs = 0, unreachable = 0;
    for (int i = 0; i < n_src; i++) {
        geo_point a = rand_point(c);
        route_snap_result sa;
        if (ref_snap(c, m, a, &sa)) continue;
        ref_from(c, m, &sa);
        for (int j = 0; j < n_dst; j++) {
            geo_point b = j % 5 == 0 ? point_on_road(c, &sa) : rand_point(c);
            route_snap_result sb;
            if (ref_snap(c, m, b, &sb)) continue;
            uint32_t want = ref_to(c, m, &sa, &sb);
            route_engine_route rt;
            int rc = route_engine_route_p2p(&c->eng, &c->s, m, a, b, &rt, &e);
            pairs++;
            assert_int_equal(rt.from.road, sa.road);
            assert_int_equal(rt.to.road, sb.road);
            if (want == ROUTE_INF) {
                if (rc != FK_ENOTFOUND) fail_msg("%s: expected no route, got %d", c->name, rc);
                HAS(e.msg, "no ");
                unreachable++;
                continue;
            }
            OK(rc);
            check_route(c, m, &rt, want);
            same += rt.same_road;
        }
    }
    printf("%s %s: %d pairs exact (%d along one segment, %d unreachable)\n", c->name,
           route_mode_name(m), pairs, same, unreachable);
    assert_true(pairs > n_src * n_dst / 2);
}

static void check_commutes(ctx *c, route_mode m, route_engine_set set, int kind, int n_work)
{
    fk_err e;
    uint32_t n_set = c->eng.n_set[set];
    uint32_t *want = mem_calloc(n_set ? n_set : 1, sizeof *want);
    uint32_t *want2 = mem_calloc(n_set ? n_set : 1, sizeof *want2);
    assert_non_null(want);
    assert_non_null(want2);
    static const uint32_t limits[] = {ROUTE_INF, 18000, 6000, 1200};
    size_t checked = 0, hits = 0;
    for (int w = 0; w < n_work; w++) {
        uint32_t nj = (uint32_t)c->r->n_jobs;
        geo_point at = w % 2 && nj ? c->r->jobs[rng_below(&c->g, nj)].pos : rand_point(c);
        route_snap_result sw;
        if (ref_snap(c, m, at, &sw)) continue;
        for (int rev = 0; rev < 2; rev++) {
            for (size_t li = 0; li < sizeof limits / sizeof limits[0]; li++) {
                route_engine_commute_q q = {at, m, limits[li], set, kind, rev,
                                            (route_engine_algo)(li % 3)};
                ref_commute(c, &q, want);
                for (int algo = 0; algo < 3; algo++) {
                    q.algo = (route_engine_algo)algo;
                    const route_engine_target *t;
                    size_t n;
                    OK(route_engine_commute(&c->eng, &c->s, &q, &t, &n, &e));
                    size_t k = 0;
                    for (uint32_t i = 0; i < n_set; i++) {
                        if (want[i] == ROUTE_INF) continue;
                        if (k >= n || t[k].index != i)
                            fail_msg("%s %s: place %u (ref %u ds) missing", c->name,
                                     route_mode_name(m), i, want[i]);
                        if (t[k].time_ds != want[i])
                            fail_msg("%s %s %s: place %u: %u ds, ref %u ds (limit %u, %s)",
                                     c->name, route_mode_name(m), rev ? "reverse" : "to work",
                                     i, t[k].time_ds, want[i], limits[li],
                                     algo == 1 ? "phast" : algo == 2 ? "dijkstra" : "auto");
                        k++;
                    }
                    assert_int_equal(k, n);
                    checked += n_set;
                    hits += n;
                }
            }
        }
        /* the commute time of a place equals the route time from it */
        route_engine_commute_q q = {at, m, ROUTE_INF, set, kind, 0, ENGINE_ALGO_AUTO};
        const route_engine_target *t;
        size_t n;
        OK(route_engine_commute(&c->eng, &c->s, &q, &t, &n, &e));
        for (size_t i = 0; i < n && i < 5; i++) {
            uint32_t idx = t[(i * 7919) % n].index, tt = t[(i * 7919) % n].time_ds;
            geo_point p;
            route_engine_place(&c->eng, set, idx, &p);
            route_engine_route rt;
            OK(route_engine_route_p2p(&c->eng, &c->s, m, p, at, &rt, &e));
            assert_int_equal(rt.time_ds, tt);
        }
        /* two workplaces: brute force intersection, other mode for work 2 */
        route_mode m2 = (route_mode)((m + 1) % MODE_COUNT);
        geo_point at2 = rand_point(c);
        route_snap_result s2;
        if (ref_snap(c, m2, at2, &s2)) continue;
        route_engine_commute_q q1 = {at, m, 9000, set, kind, 0, ENGINE_ALGO_AUTO};
        route_engine_commute_q q2 = {at2, m2, 12000, set, kind, w % 3 == 2, ENGINE_ALGO_AUTO};
        ref_commute(c, &q1, want);
        ref_commute(c, &q2, want2);
        OK(route_engine_two_work(&c->eng, &c->s, &q1, &q2, &t, &n, &e));
        size_t k = 0;
        for (uint32_t i = 0; i < n_set; i++) {
            if (want[i] == ROUTE_INF || want2[i] == ROUTE_INF) continue;
            assert_true(k < n);
            assert_int_equal(t[k].index, i);
            assert_int_equal(t[k].time_ds, want[i]);
            assert_int_equal(t[k].time2_ds, want2[i]);
            k++;
        }
        assert_int_equal(k, n);
    }
    printf("%s %s commute to %s: %zu place times exact (%zu within limits)\n", c->name,
           route_mode_name(m), route_engine_set_name(set), checked, hits);
    mem_free(want);
    mem_free(want2);
}

static void check_near(ctx *c, route_mode m, int n_points)
{
    fk_err e;
    route_amenity kinds[AMEN_COUNT];
    for (int k = 0; k < AMEN_COUNT; k++) kinds[k] = (route_amenity)k;
    route_engine_near out[AMEN_COUNT];
    int checked = 0;
    for (int i = 0; i < n_points; i++) {
        geo_point p = rand_point(c);
        route_snap_result sp;
        if (ref_snap(c, m, p, &sp)) continue;
        size_t kk = 1 + i % ROUTE_NEAREST_K_MAX;
        route_snap_result got;
        OK(route_engine_near_at(&c->eng, &c->s, m, p, kinds, AMEN_COUNT, kk, ROUTE_INF, out,
                                &got, &e));
        assert_int_equal(got.road, sp.road);
        ref_from(c, m, &sp);
        for (int k = 0; k < AMEN_COUNT; k++) {
            uint32_t na;
            const uint32_t *am = route_nearest_amenities(&c->eng.near, (route_amenity)k, &na);
            uint32_t times[8];
            size_t nt = 0;
            uint32_t best = ROUTE_INF;
            /* the kk smallest distinct amenity times, brute force */
            for (size_t j = 0; j < kk; j++) times[j] = ROUTE_INF;
            uint32_t nearest_time = ROUTE_INF;
            for (uint32_t a = 0; a < na; a++) {
                geo_point ap = k == AMEN_BUS_STOP ? c->r->stops[am[a]].pos : c->r->pois[am[a]].pos;
                route_snap_result sa;
                if (ref_snap(c, m, ap, &sa)) continue;
                uint32_t t = ref_to(c, m, &sp, &sa);
                if (out[k].found && am[a] == out[k].nearest.index) nearest_time = t;
                if (t < best) best = t;
                if (t == ROUTE_INF) continue;
                /* insert into the sorted top kk */
                size_t pos = kk;
                while (pos > 0 && times[pos - 1] > t) pos--;
                if (pos < kk) {
                    for (size_t q = kk - 1; q > pos; q--) times[q] = times[q - 1];
                    times[pos] = t;
                }
            }
            for (nt = 0; nt < kk && times[nt] != ROUTE_INF; nt++) {}
            if (best == ROUTE_INF) {
                assert_int_equal(out[k].found, 0);
                continue;
            }
            assert_int_equal(out[k].found, 1);
            assert_int_equal(out[k].nearest.time_ds, best);
            assert_int_equal(nearest_time, best);
            assert_int_equal(out[k].n_k, nt);
            for (size_t j = 0; j < nt; j++) assert_int_equal(out[k].k[j].time_ds, times[j]);
            checked++;
        }
    }
    printf("%s %s near: %d (point, kind) answers exact\n", c->name, route_mode_name(m), checked);
}

static void check_matrix(ctx *c, route_mode m, size_t np)
{
    fk_err e;
    geo_point pts[64];
    route_snap_result sn[64];
    size_t n = 0;
    while (n < np) {
        geo_point p = n % 4 == 3 ? point_on_road(c, &sn[n - 1]) : rand_point(c);
        if (ref_snap(c, m, p, &sn[n])) continue;
        pts[n++] = p;
    }
    const uint32_t *mx;
    OK(route_engine_matrix(&c->eng, &c->s, m, pts, n, pts + n / 2, n - n / 2, &mx, &e));
    for (size_t i = 0; i < n; i++) {
        ref_from(c, m, &sn[i]);
        for (size_t j = n / 2; j < n; j++) {
            uint32_t want = ref_to(c, m, &sn[i], &sn[j]);
            if (mx[i * (n - n / 2) + j - n / 2] != want)
                fail_msg("%s %s matrix [%zu][%zu]: %u, ref %u", c->name, route_mode_name(m), i,
                         j, mx[i * (n - n / 2) + j - n / 2], want);
        }
    }
    printf("%s %s matrix %zu x %zu exact\n", c->name, route_mode_name(m), n, n - n / 2);
}

static void check_errors(ctx *c)
{
    fk_err e;
    geo_point out = pt(10.0, 10.0), in = c->r->road_nodes[0];
    route_engine_near nr[1];
    route_amenity kind = AMEN_SCHOOL;
    assert_int_equal(route_engine_near_at(&c->eng, &c->s, MODE_WALK, out, &kind, 1, 1,
                                          ROUTE_INF, nr, NULL, &e), FK_EINVAL);
    HAS(e.msg, "point (10.00000, 10.00000) is outside the region");
    assert_int_equal(route_engine_near_at(&c->eng, &c->s, MODE_WALK, in, &kind, 1, 6,
                                          ROUTE_INF, nr, NULL, &e), FK_EINVAL);
    HAS(e.msg, "at most 5");
    route_engine_commute_q q = {out, MODE_CAR, ROUTE_INF, ENGINE_HOMES, -1, 0, ENGINE_ALGO_AUTO};
    const route_engine_target *t;
    size_t n;
    assert_int_equal(route_engine_commute(&c->eng, &c->s, &q, &t, &n, &e), FK_EINVAL);
    HAS(e.msg, "outside the region");
    q.at = in;
    q.kind = AMEN_SCHOOL;
    assert_int_equal(route_engine_commute(&c->eng, &c->s, &q, &t, &n, &e), FK_EINVAL);
    HAS(e.msg, "POI set");
    q.kind = -1;
    route_engine_commute_q q2 = q;
    q2.at = out;
    assert_int_equal(route_engine_two_work(&c->eng, &c->s, &q, &q2, &t, &n, &e), FK_EINVAL);
    HAS(e.msg, "work 2: point (10.00000");
    q2.at = in;
    q2.set = ENGINE_JOBS;
    assert_int_equal(route_engine_two_work(&c->eng, &c->s, &q, &q2, &t, &n, &e), FK_EINVAL);
    geo_point pts[2] = {in, out};
    const uint32_t *mx;
    assert_int_equal(route_engine_matrix(&c->eng, &c->s, MODE_BIKE, pts, 2, pts, 1, &mx, &e),
                     FK_EINVAL);
    HAS(e.msg, "matrix source 1: point");
    assert_int_equal(route_engine_matrix(&c->eng, &c->s, MODE_BIKE, pts, 1, pts,
                                         ROUTE_ENGINE_MATRIX_MAX + 1, &mx, &e), FK_EINVAL);
    /* a point inside the box but far from every road (if the region has one) */
    const geo_bbox *bb = &c->eng.near.snap.h.region;
    for (int i = 0; i < 20000; i++) {
        double fy = rng_unit(&c->g), fx = rng_unit(&c->g);
        geo_point p = {bb->min_lat_e7 + (int32_t)(fy * (bb->max_lat_e7 - bb->min_lat_e7)),
                       bb->min_lon_e7 + (int32_t)(fx * (bb->max_lon_e7 - bb->min_lon_e7))};
        route_snap_result sr;
        int rc = route_engine_snap(&c->eng, MODE_CAR, p, &sr, &e);
        if (rc == 0) continue;
        assert_int_equal(rc, FK_ENOTFOUND);
        HAS(e.msg, "from the nearest road usable by car");
        route_engine_route rt;
        assert_int_equal(route_engine_route_p2p(&c->eng, &c->s, MODE_CAR, in, p, &rt, &e),
                         FK_ENOTFOUND);
        HAS(e.msg, "to: point");
        printf("%s: far point found after %d tries: %s\n", c->name, i + 1, e.msg);
        return;
    }
    printf("%s: no point inside the box is farther than %.0f m from the roads\n", c->name,
           ROUTE_ENGINE_SNAP_M);
}

/* Several threads share one engine, each with its own scratch. */
typedef struct thread_job {
    ctx *c;
    const geo_point *pts;
    const uint32_t *want;
    size_t n;
    int bad;
} thread_job;

static void *thread_main(void *arg)
{
    thread_job *j = arg;
    route_engine_scratch s;
    if (route_engine_scratch_init(&s, &j->c->eng)) {
        j->bad = -1;
        return NULL;
    }
    for (int rep = 0; rep < 3; rep++)
        for (size_t i = 0; i + 1 < j->n; i += 2) {
            route_engine_route rt;
            int rc = route_engine_route_p2p(&j->c->eng, &s, MODE_CAR, j->pts[i], j->pts[i + 1],
                                            &rt, NULL);
            uint32_t got = rc ? ROUTE_INF : rt.time_ds;
            j->bad += got != j->want[i / 2];
        }
    route_engine_scratch_free(&s);
    return NULL;
}

static void check_threads(ctx *c)
{
    enum { NP = 200 };
    geo_point pts[NP];
    uint32_t want[NP / 2];
    for (int i = 0; i < NP; i += 2) {
        pts[i] = rand_point(c);
        pts[i + 1] = rand_point(c);
        route_engine_route rt;
        want[i / 2] = route_engine_route_p2p(&c->eng, &c->s, MODE_CAR, pts[i], pts[i + 1], &rt,
                                             NULL) ? ROUTE_INF : rt.time_ds;
    }
    pthread_t th[2];
    thread_job jobs[2];
    for (int i = 0; i < 2; i++) {
        jobs[i] = (thread_job){c, pts, want, NP, 0};
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].bad, 0);
    }
}

static void run_region(ctx *c, int scale)
{
    for (int m = 0; m < MODE_COUNT; m++) {
        check_routes(c, (route_mode)m, 60 * scale, 25);
        check_near(c, (route_mode)m, 40 * scale);
        check_matrix(c, (route_mode)m, 40);
        if (c->r->n_homes) check_commutes(c, (route_mode)m, ENGINE_HOMES, -1, 4 * scale);
        check_commutes(c, (route_mode)m, ENGINE_POIS, m == MODE_WALK ? AMEN_GROCERY : -1,
                       2 * scale);
    }
    check_errors(c);
    check_threads(c);
}

static void test_demo_region(void **state)
{
    (void)state;
    build_demo();
    ctx c;
    ctx_open(&c, "demo", "demo.region");
    assert_true(c.r->n_homes > 0 && c.r->n_jobs > 0);
    /* every generated home lies by a road of every mode */
    for (int m = 0; m < MODE_COUNT; m++)
        printf("demo %s: %u homes, %u jobs, %u pois not snapped\n",
               route_mode_name((route_mode)m), c.eng.n_unsnapped[ENGINE_HOMES][m],
               c.eng.n_unsnapped[ENGINE_JOBS][m], c.eng.n_unsnapped[ENGINE_POIS][m]);
    run_region(&c, 2);
    ctx_close(&c);
}

static void test_copenhagen(void **state)
{
    (void)state;
    REQUIRE_DATA(cph, "osm/copenhagen-kbh.osm.pbf");
    char args[4096];
    snprintf(args, sizeof args, "--osm %s", cph);
    build_region(args, "cph.region");
    ctx c;
    ctx_open(&c, "copenhagen", "cph.region");
    run_region(&c, 2);
    ctx_close(&c);
}

static void test_missing_routing(void **state)
{
    (void)state;
    /* a snapshot built without routing sections: a clear refusal */
    fk_err e;
    region_builder b;
    region_builder_init(&b, "Bare");
    street(&b);
    OK(region_write(&b, "bare.region", &e));
    region_builder_free(&b);
    region *r;
    OK(region_open("bare.region", 0, &r, &e));
    route_engine eng;
    int rc = route_engine_open(r, NULL, &eng, &e);
    assert_int_equal(rc, FK_ENOTFOUND);
    HAS(e.msg, "routing engine");
    route_engine_close(&eng);   /* harmless after a failed open */
    region_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_street_exact),
        cmocka_unit_test(test_missing_routing),
        cmocka_unit_test(test_demo_region),
        cmocka_unit_test(test_copenhagen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
