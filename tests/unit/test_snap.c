/*
 * test_snap.c: the snapping grid (route/snap.c): exact projection onto a
 * segment, mode restrictions (a point beside a motorway snaps to the
 * footway when walking), the outside-region and too-far errors, partial
 * edge times for departing and arriving, the snapshot round trip, and on
 * random networks (long segments, points outside the road bbox) the grid
 * search against a brute-force scan of every road.
 */
#include "testutil.h"

#include <math.h>

#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../route/graph.h"
#include "../../route/snap.h"

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

/* A horizontal street and a diagonal one: projections and clamping. */
static void test_exact_projection(void **state)
{
    (void)state;
    geo_point nodes[] = {pt(65.5, 22.0), pt(65.5, 22.01), pt(65.51, 22.02)};
    region_road roads[] = {mkroad(0, 1, HW_RESIDENTIAL, 4620), mkroad(1, 2, HW_RESIDENTIAL, 11500)};
    route_snapper s;
    fk_err e;
    assert_int_equal(route_snap_init(&s, nodes, 3, roads, 2, NULL, &e), 0);
    route_snap_result r;
    /* 0.0005 degrees north of the middle of the first segment */
    assert_int_equal(route_snap(&s, MODE_WALK, pt(65.5005, 22.005), 1000, &r, &e), 0);
    assert_int_equal(r.road, 0);
    assert_true(r.frac == 0.5);
    assert_int_equal(r.point.lat_e7, 655000000);
    assert_int_equal(r.point.lon_e7, 220050000);
    double want = 0.0005 * 6371008.8 * 3.14159265358979323846 / 180.0;
    assert_true(fabs(r.dist_m - want) < 1e-6);
    /* the diagonal: compare with geo_seg_dist_m and the projection formula */
    geo_point q = pt(65.508, 22.012);
    assert_int_equal(route_snap(&s, MODE_CAR, q, 1000, &r, &e), 0);
    assert_int_equal(r.road, 1);
    assert_true(fabs(r.dist_m - geo_seg_dist_m(q, nodes[1], nodes[2])) < 1e-6);
    assert_true(r.frac > 0 && r.frac < 1);
    assert_true(fabs(geo_dist_m(q, r.point) - r.dist_m) < 0.05);
    /* beyond the end: clamps to the end node */
    assert_int_equal(route_snap(&s, MODE_BIKE, pt(65.5, 21.999), 1000, &r, &e), 0);
    assert_int_equal(r.road, 0);
    assert_true(r.frac == 0.0);
    assert_int_equal(r.point.lon_e7, 220000000);
    route_snap_free(&s);
}

static void test_mode_restrictions(void **state)
{
    (void)state;
    /* motorway 20 m north of the point, footway 50 m south, cycleway 80 m north */
    double m_per_deg = 6371008.8 * 3.14159265358979323846 / 180.0;
    double lat0 = 65.6;
    geo_point nodes[] = {
        pt(lat0 + 20 / m_per_deg, 22.0), pt(lat0 + 20 / m_per_deg, 22.01),
        pt(lat0 - 50 / m_per_deg, 22.0), pt(lat0 - 50 / m_per_deg, 22.01),
        pt(lat0 + 80 / m_per_deg, 22.0), pt(lat0 + 80 / m_per_deg, 22.01)};
    region_road roads[] = {mkroad(0, 1, HW_MOTORWAY, 4600), mkroad(2, 3, HW_FOOTWAY, 4600),
                           mkroad(4, 5, HW_CYCLEWAY, 4600)};
    roads[1].bicycle = ACC_NO; /* no pushing either */
    route_snapper s;
    fk_err e;
    assert_int_equal(route_snap_init(&s, nodes, 6, roads, 3, NULL, &e), 0);
    geo_point p = pt(lat0, 22.005);
    route_snap_result r;
    assert_int_equal(route_snap(&s, MODE_CAR, p, 1000, &r, &e), 0);
    assert_int_equal(r.road, 0);
    assert_true(fabs(r.dist_m - 20) < 0.01);
    assert_int_equal(route_snap(&s, MODE_WALK, p, 1000, &r, &e), 0);
    assert_int_equal(r.road, 1);
    assert_true(fabs(r.dist_m - 50) < 0.01);
    assert_int_equal(route_snap(&s, MODE_BIKE, p, 1000, &r, &e), 0);
    assert_int_equal(r.road, 2);
    assert_true(fabs(r.dist_m - 80) < 0.01);
    /* a limit below the footway's distance: too far, with the distance */
    assert_int_equal(route_snap(&s, MODE_WALK, p, 40, &r, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "is 50 m from the nearest road usable by walk; "
                                  "the limit is 40 m"));
    assert_non_null(strstr(e.msg, "point (65.60000, 22.00500)"));
    route_snap_free(&s);
}

static void test_errors(void **state)
{
    (void)state;
    geo_point nodes[] = {pt(65.5, 22.0), pt(65.5, 22.01)};
    region_road roads[] = {mkroad(0, 1, HW_FOOTWAY, 4620)};
    geo_bbox rb = {pt(65.0, 21.0).lat_e7, pt(65.0, 21.0).lon_e7, pt(66.0, 23.0).lat_e7,
                       pt(66.0, 23.0).lon_e7};
    route_snapper s;
    fk_err e;
    assert_int_equal(route_snap_init(&s, nodes, 2, roads, 1, &rb, &e), 0);
    route_snap_result r;
    assert_int_equal(route_snap(&s, MODE_WALK, pt(59.3, 18.0), 1000, &r, &e), FK_ENOTFOUND);
    assert_string_equal(e.msg, "point (59.30000, 18.00000) is outside the region");
    /* 1.2 km south of the footway: inside the region, too far */
    double m_per_deg = 6371008.8 * 3.14159265358979323846 / 180.0;
    geo_point p = pt(65.5 - 1234.4 / m_per_deg, 22.005);
    assert_int_equal(route_snap(&s, MODE_WALK, p, 1000, &r, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "is 1234 m from the nearest road usable by walk; the limit is "
                                  "1000 m"));
    assert_int_equal(route_snap(&s, MODE_WALK, p, 1300, &r, &e), 0);
    /* far beyond: the search gives up at 10x the limit (at least 5 km) */
    p = pt(65.9, 22.005);
    assert_int_equal(route_snap(&s, MODE_WALK, p, 1000, &r, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "is more than 10000 m from the nearest road usable by walk; "
                                  "the limit is 1000 m"));
    /* no road for cars at all */
    assert_int_equal(route_snap(&s, MODE_CAR, pt(65.5, 22.005), 1000, &r, &e), FK_ENOTFOUND);
    assert_string_equal(e.msg, "no road in the region is usable by car");
    route_snap_free(&s);
    /* an empty network: everything is outside */
    assert_int_equal(route_snap_init(&s, NULL, 0, NULL, 0, NULL, &e), 0);
    assert_int_equal(route_snap(&s, MODE_WALK, pt(65.5, 22.0), 1000, &r, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "outside the region"));
    route_snap_free(&s);
}

static void test_partial_times(void **state)
{
    (void)state;
    geo_point nodes[] = {pt(65.5, 22.0), pt(65.5, 22.01)};
    region_road roads[] = {mkroad(0, 1, HW_RESIDENTIAL, 1000)};
    roads[0].oneway = ONEWAY_FORWARD;
    route_snapper s;
    fk_err e;
    assert_int_equal(route_snap_init(&s, nodes, 2, roads, 1, NULL, &e), 0);
    route_snap_result r = {0, 0.25, {0, 0}, 0};
    uint32_t node[2], t[2], dm[2];
    /* car: 100 m at 24 km/h = 150 ds; oneway from -> to */
    assert_int_equal(route_snap_depart(&s, MODE_CAR, &r, node, t, dm), 1);
    assert_int_equal(node[0], 1);
    assert_int_equal(t[0], 150 - 38); /* round(0.25 * 150) = 38 */
    assert_int_equal(dm[0], 750);
    assert_int_equal(route_snap_arrive(&s, MODE_CAR, &r, node, t, dm), 1);
    assert_int_equal(node[0], 0);
    assert_int_equal(t[0], 38);
    assert_int_equal(dm[0], 250);
    /* walk ignores oneway: 720 ds, both ends */
    assert_int_equal(route_snap_depart(&s, MODE_WALK, &r, node, t, NULL), 2);
    assert_int_equal(node[0], 0);
    assert_int_equal(t[0], 180);
    assert_int_equal(node[1], 1);
    assert_int_equal(t[1], 540);
    assert_int_equal(route_snap_arrive(&s, MODE_WALK, &r, node, t, NULL), 2);
    assert_int_equal(node[0], 0);
    assert_int_equal(t[0], 180);
    assert_int_equal(node[1], 1);
    assert_int_equal(t[1], 540);
    /* reverse oneway */
    roads[0].oneway = ONEWAY_REVERSE;
    assert_int_equal(route_snap_depart(&s, MODE_CAR, &r, node, t, NULL), 1);
    assert_int_equal(node[0], 0);
    assert_int_equal(t[0], 38);
    assert_int_equal(route_snap_arrive(&s, MODE_CAR, &r, node, t, NULL), 1);
    assert_int_equal(node[0], 1);
    assert_int_equal(t[0], 112);
    route_partial pp = route_snap_partial(&roads[0], MODE_CAR, 1.0);
    assert_int_equal(pp.from_ds, 150);
    assert_int_equal(pp.to_ds, 0);
    route_snap_free(&s);
}

/* A random network: a jittered grid of streets of random classes plus 30
 * long random roads that span many cells. */
static void random_network(rng *g, region_builder *b, int w, int h)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            geo_point p = {655000000 + y * 9000 + (int32_t)rng_below(g, 6000),
                           221000000 + x * 20000 + (int32_t)rng_below(g, 14000)};
            assert_int_equal(vec_push(b->road_nodes, p), 0);
        }
    static const int hws[] = {HW_RESIDENTIAL, HW_FOOTWAY, HW_MOTORWAY, HW_CYCLEWAY,
                              HW_PRIMARY, HW_STEPS, HW_TRACK, HW_SERVICE};
    uint32_t n = (uint32_t)(w * h);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t nb[2] = {i + 1, i + (uint32_t)w};
        for (int k = 0; k < 2; k++) {
            if (nb[k] >= n || (k == 0 && (i + 1) % (uint32_t)w == 0) || rng_below(g, 10) < 2)
                continue;
            region_road r = mkroad(i, nb[k], hws[rng_below(g, 8)], 1000 + rng_below(g, 3000));
            assert_int_equal(vec_push(b->roads, r), 0);
        }
    }
    for (int k = 0; k < 30; k++) {
        region_road r = mkroad(rng_below(g, n), rng_below(g, n), hws[rng_below(g, 8)], 50000);
        assert_int_equal(vec_push(b->roads, r), 0);
    }
}

/* Brute force: nearest road usable by m, by geo_seg_dist_m. */
static double brute(const region_builder *b, route_mode m, geo_point p, uint32_t *road)
{
    double best = INFINITY;
    *road = UINT32_MAX;
    for (size_t i = 0; i < b->roads.n; i++) {
        const region_road *rd = &b->roads.v[i];
        route_cost c = route_profile(rd, m);
        if (!c.fwd && !c.bwd) continue;
        double d = geo_seg_dist_m(p, b->road_nodes.v[rd->from], b->road_nodes.v[rd->to]);
        if (d < best) {
            best = d;
            *road = (uint32_t)i;
        }
    }
    return best;
}

static void test_random_vs_brute_force(void **state)
{
    (void)state;
    rng g;
    rng_seed(&g, 4711);
    for (int round = 0; round < 6; round++) {
        region_builder b;
        region_builder_init(&b, "R");
        random_network(&g, &b, 10 + (int)rng_below(&g, 30), 10 + (int)rng_below(&g, 30));
        geo_bbox bb = geo_bbox_empty();
        for (size_t i = 0; i < b.road_nodes.n; i++) geo_bbox_add(&bb, b.road_nodes.v[i]);
        geo_bbox rb = geo_bbox_expand(bb, 3000);
        route_snapper s;
        fk_err e;
        assert_int_equal(route_snap_init(&s, b.road_nodes.v, b.road_nodes.n, b.roads.v,
                                         b.roads.n, &rb, &e), 0);
        for (int q = 0; q < 400; q++) {
            geo_point p = {rb.min_lat_e7 + (int32_t)rng_below(&g, (uint32_t)(rb.max_lat_e7 - rb.min_lat_e7)),
                           rb.min_lon_e7 + (int32_t)rng_below(&g, (uint32_t)(rb.max_lon_e7 - rb.min_lon_e7))};
            for (int m = 0; m < MODE_COUNT; m++) {
                uint32_t want_road;
                double want = brute(&b, (route_mode)m, p, &want_road);
                route_snap_result r;
                int rc = route_snap(&s, (route_mode)m, p, 2500, &r, &e);
                if (want_road == UINT32_MAX) {
                    assert_int_equal(rc, FK_ENOTFOUND);
                    continue;
                }
                if (want > 2500 + 1e-6) {
                    assert_int_equal(rc, FK_ENOTFOUND);
                    assert_non_null(strstr(e.msg, "m from the nearest road usable by"));
                    continue;
                }
                if (want > 2500 - 1e-6) continue; /* at the limit: either is right */
                assert_int_equal(rc, 0);
                assert_true(fabs(r.dist_m - want) < 1e-6);
                const region_road *rd = &b.roads.v[r.road];
                assert_true(fabs(geo_seg_dist_m(p, b.road_nodes.v[rd->from],
                                                b.road_nodes.v[rd->to]) - want) < 1e-6);
                route_cost c = route_profile(rd, (route_mode)m);
                assert_true(c.fwd || c.bwd);
            }
        }
        route_snap_free(&s);
        region_builder_free(&b);
    }
}

static void test_snapshot_round_trip(void **state)
{
    (void)state;
    rng g;
    rng_seed(&g, 17);
    region_builder b;
    region_builder_init(&b, "S");
    random_network(&g, &b, 30, 25);
    fk_err e;
    assert_int_equal(route_snap_build(&b, &e), 0);
    assert_int_equal(route_snap_build(&b, &e), FK_EINVAL); /* sections taken */
    assert_int_equal(region_write(&b, "s.region", &e), 0);
    region *r;
    assert_int_equal(region_open("s.region", REGION_OPEN_VERIFY_CRC, &r, &e), 0);
    route_snapper so, sm;
    assert_int_equal(route_snap_open(r, &so, &e), 0);
    assert_int_equal(route_snap_init(&sm, b.road_nodes.v, b.road_nodes.n, b.roads.v, b.roads.n,
                                     &r->hdr->bbox, &e), 0);
    for (int m = 0; m < MODE_COUNT; m++) {
        assert_int_equal(so.h.n_items[m], sm.h.n_items[m]);
        assert_true(so.h.n_items[m] > 0);
    }
    for (int q = 0; q < 300; q++) {
        geo_point p = {r->hdr->bbox.min_lat_e7 + (int32_t)rng_below(&g, (uint32_t)(r->hdr->bbox.max_lat_e7 - r->hdr->bbox.min_lat_e7)),
                       r->hdr->bbox.min_lon_e7 + (int32_t)rng_below(&g, (uint32_t)(r->hdr->bbox.max_lon_e7 - r->hdr->bbox.min_lon_e7))};
        for (int m = 0; m < MODE_COUNT; m++) {
            route_snap_result a, c;
            int ra = route_snap(&so, (route_mode)m, p, 5000, &a, &e);
            int rb = route_snap(&sm, (route_mode)m, p, 5000, &c, &e);
            assert_int_equal(ra, rb);
            if (ra) continue;
            assert_int_equal(a.road, c.road);
            assert_true(a.frac == c.frac && a.dist_m == c.dist_m);
        }
    }
    route_snap_free(&sm);
    route_snap_free(&so); /* no-op for an opened index */
    region_close(r);
    region_builder_free(&b);
    /* a snapshot without the index */
    region_builder_init(&b, "N");
    random_network(&g, &b, 5, 5);
    assert_int_equal(region_write(&b, "n.region", &e), 0);
    region_builder_free(&b);
    assert_int_equal(region_open("n.region", 0, &r, &e), 0);
    assert_int_equal(route_snap_open(r, &so, &e), FK_ENOTFOUND);
    assert_non_null(strstr(e.msg, "no snap index"));
    region_close(r);
}

/* A snapshot whose snap header does not match its road network. */
static void test_open_corrupt(void **state)
{
    (void)state;
    rng g;
    rng_seed(&g, 5);
    region_builder b;
    region_builder_init(&b, "C");
    random_network(&g, &b, 8, 8);
    fk_err e;
    assert_int_equal(route_snap_build(&b, &e), 0);
    b.roads.n--; /* the index now refers to one road more than the snapshot has */
    assert_int_equal(region_write(&b, "c.region", &e), 0);
    region_builder_free(&b);
    region *r;
    route_snapper s;
    assert_int_equal(region_open("c.region", 0, &r, &e), 0);
    assert_int_equal(route_snap_open(r, &s, &e), FK_ECORRUPT);
    assert_non_null(strstr(e.msg, "snap index"));
    region_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_projection),
        cmocka_unit_test(test_mode_restrictions),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_partial_times),
        cmocka_unit_test(test_random_vs_brute_force),
        cmocka_unit_test(test_snapshot_round_trip),
        cmocka_unit_test(test_open_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
