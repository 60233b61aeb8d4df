/*
 * test_route.c: the speed/access model on hand-made roads (oneway,
 * roundabouts, access tags, footways only for walking, motorways not for
 * walking or cycling), the CSR graphs through a snapshot round trip, and
 * the reference Dijkstra against Bellman-Ford on random graphs.
 */
#include "testutil.h"

#include "../../base/mem.h"
#include "../../base/rng.h"
#include "../../route/dijkstra.h"
#include "../../route/graph.h"
#include "../../route/profile.h"

static region_road road(int hw)
{
    region_road r;
    memset(&r, 0, sizeof r);
    r.highway = (uint8_t)hw;
    r.oneway = ONEWAY_UNSET;
    r.oneway_bicycle = ONEWAY_UNSET;
    r.length_dm = 1000; /* 100 m */
    return r;
}

static void test_profile_classes(void **state)
{
    (void)state;
    region_road r = road(HW_MOTORWAY);
    assert_int_equal(route_profile(&r, MODE_WALK).fwd, 0);
    assert_int_equal(route_profile(&r, MODE_BIKE).fwd, 0);
    route_cost c = route_profile(&r, MODE_CAR);
    assert_int_equal(c.fwd, 1);
    assert_int_equal(c.bwd, 0); /* motorways are oneway by default */
    r = road(HW_FOOTWAY);
    assert_int_equal(route_profile(&r, MODE_WALK).fwd, 1);
    assert_int_equal(route_profile(&r, MODE_CAR).fwd, 0);
    c = route_profile(&r, MODE_BIKE); /* pushing the bike */
    assert_int_equal(c.fwd, 1);
    assert_int_equal(c.speed_kmh_x10, 50);
    r.bicycle = ACC_YES;
    assert_int_equal(route_profile(&r, MODE_BIKE).speed_kmh_x10, 160);
    r = road(HW_STEPS);
    assert_int_equal(route_profile(&r, MODE_BIKE).fwd, 0);
    assert_int_equal(route_profile(&r, MODE_WALK).time_ds, 1800); /* 100 m at 2 km/h */
    r = road(HW_RESIDENTIAL);
    assert_int_equal(route_profile(&r, MODE_WALK).time_ds, 720); /* 100 m at 5 km/h */
    assert_int_equal(route_profile(&r, MODE_BIKE).time_ds, 225);
    c = route_profile(&r, MODE_CAR); /* 40 km/h default * 60 % = 24 km/h */
    assert_int_equal(c.speed_kmh_x10, 240);
    assert_int_equal(c.time_ds, 150);
    r.maxspeed_kmh = 30;
    assert_int_equal(route_profile(&r, MODE_CAR).speed_kmh_x10, 180);
    r = road(HW_CYCLEWAY);
    assert_int_equal(route_profile(&r, MODE_CAR).fwd, 0);
    assert_int_equal(route_profile(&r, MODE_WALK).fwd, 1);
    r = road(HW_TRACK);
    assert_int_equal(route_profile(&r, MODE_CAR).fwd, 0);
    r.motor_vehicle = ACC_YES;
    assert_int_equal(route_profile(&r, MODE_CAR).fwd, 1);
    r = road(HW_NONE);
    assert_int_equal(route_profile(&r, MODE_WALK).fwd, 0);
}

static void test_profile_oneway_and_access(void **state)
{
    (void)state;
    region_road r = road(HW_RESIDENTIAL);
    r.oneway = ONEWAY_FORWARD;
    route_cost c = route_profile(&r, MODE_CAR);
    assert_true(c.fwd && !c.bwd);
    c = route_profile(&r, MODE_WALK);
    assert_true(c.fwd && c.bwd); /* walking ignores oneway */
    c = route_profile(&r, MODE_BIKE);
    assert_true(c.fwd && !c.bwd);
    r.oneway_bicycle = ONEWAY_NO; /* contraflow cycling */
    c = route_profile(&r, MODE_BIKE);
    assert_true(c.fwd && c.bwd);
    r = road(HW_RESIDENTIAL);
    r.oneway = ONEWAY_REVERSE;
    c = route_profile(&r, MODE_CAR);
    assert_true(!c.fwd && c.bwd);
    r = road(HW_PRIMARY);
    r.flags = ROAD_F_ROUNDABOUT;
    c = route_profile(&r, MODE_CAR);
    assert_true(c.fwd && !c.bwd);
    r = road(HW_SERVICE);
    r.access = ACC_PRIVATE;
    assert_int_equal(route_profile(&r, MODE_CAR).fwd, 0);
    assert_int_equal(route_profile(&r, MODE_WALK).fwd, 0);
    r.foot = ACC_YES;
    assert_int_equal(route_profile(&r, MODE_WALK).fwd, 1);
    assert_int_equal(route_profile(&r, MODE_CAR).fwd, 0);
    r = road(HW_RESIDENTIAL);
    r.motor_vehicle = ACC_DESTINATION;
    assert_int_equal(route_profile(&r, MODE_CAR).fwd, 1);
    r.motor_vehicle = ACC_NO;
    assert_int_equal(route_profile(&r, MODE_CAR).fwd, 0);
    assert_int_equal(route_profile(&r, MODE_BIKE).fwd, 1);
    r = road(HW_PRIMARY);
    r.bicycle = ACC_USE_SIDEPATH;
    assert_int_equal(route_profile(&r, MODE_BIKE).fwd, 0);
    r = road(HW_FERRY);
    assert_int_equal(route_profile(&r, MODE_WALK).fwd, 1);
    assert_int_equal(route_profile(&r, MODE_CAR).fwd, 1);
    assert_int_equal(route_mode_parse("bike"), MODE_BIKE);
    assert_int_equal(route_mode_parse("boat"), -1);
}

/* A small street network: 0-1-2 residential, 2->3 oneway, 3-0 footway,
 * 1-4 motorway (oneway 1->4). */
static void small_network(region_builder *b)
{
    for (int i = 0; i < 5; i++) {
        geo_point p = {655000000 + i * 1000, 221000000 + (i % 2) * 1000};
        assert_int_equal(vec_push(b->road_nodes, p), 0);
    }
    struct { uint32_t f, t; int hw, ow; } rs[] = {
        {0, 1, HW_RESIDENTIAL, ONEWAY_UNSET}, {1, 2, HW_RESIDENTIAL, ONEWAY_UNSET},
        {2, 3, HW_RESIDENTIAL, ONEWAY_FORWARD}, {3, 0, HW_FOOTWAY, ONEWAY_UNSET},
        {1, 4, HW_MOTORWAY, ONEWAY_UNSET}, {0, 1, HW_SERVICE, ONEWAY_UNSET}};
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++) {
        region_road r = road(rs[i].hw);
        r.from = rs[i].f;
        r.to = rs[i].t;
        r.oneway = (uint8_t)rs[i].ow;
        assert_int_equal(vec_push(b->roads, r), 0);
    }
}

static void test_graph_round_trip(void **state)
{
    (void)state;
    region_builder b;
    region_builder_init(&b, "G");
    small_network(&b);
    fk_err e;
    assert_int_equal(route_graph_build_all(&b, &e), 0);
    assert_int_equal(region_write(&b, "g.region", &e), 0);
    region_builder_free(&b);
    region *r;
    assert_int_equal(region_open("g.region", REGION_OPEN_VERIFY_CRC, &r, &e), 0);
    route_graph car, carb, walk;
    assert_int_equal(route_graph_open(r, MODE_CAR, DIR_FORWARD, &car, &e), 0);
    assert_int_equal(route_graph_open(r, MODE_CAR, DIR_BACKWARD, &carb, &e), 0);
    assert_int_equal(route_graph_open(r, MODE_WALK, DIR_FORWARD, &walk, &e), 0);
    /* car: 0<->1 (parallel service road dropped), 1<->2, 2->3, 1->4 */
    assert_int_equal(car.n_edges, 6);
    assert_int_equal(car.first[1] - car.first[0], 1); /* 0->1 once */
    assert_int_equal(car.edges[car.first[0]].time_ds, 150); /* residential, not service */
    assert_int_equal(car.first[4], car.first[5]);          /* nothing leaves 4 */
    assert_int_equal(carb.first[5] - carb.first[4], 1);   /* 4 is entered from 1 */
    assert_int_equal(carb.edges[carb.first[4]].head, 1);
    /* walk: no motorway, footway both ways, oneway ignored: 0-1,1-2,2-3,3-0 */
    assert_int_equal(walk.n_edges, 8);
    route_search s;
    assert_int_equal(route_search_init(&s, walk.n_nodes), 0);
    uint32_t src = 3;
    route_dijkstra(&car, &src, NULL, 1, ROUTE_INF, ROUTE_INF, &s);
    assert_int_equal(s.dist[0], ROUTE_INF); /* 3 is a dead end for cars */
    route_dijkstra(&walk, &src, NULL, 1, ROUTE_INF, ROUTE_INF, &s);
    assert_int_equal(s.dist[0], 720);
    assert_int_equal(s.dist[4], ROUTE_INF);
    route_search_free(&s);
    region_close(r);
}

/* Random graph; Dijkstra equals Bellman-Ford from many sources, bounded
 * searches agree below the bound, and early stop gives the target right. */
static void test_dijkstra_vs_bellman_ford(void **state)
{
    (void)state;
    rng g;
    rng_seed(&g, 99);
    for (int round = 0; round < 20; round++) {
        uint32_t n = 50 + rng_below(&g, 200), m = n * (1 + rng_below(&g, 4));
        uint32_t *first = mem_calloc(n + 1, sizeof *first);
        route_edge *ed = mem_alloc(m * sizeof *ed);
        uint32_t *tail = mem_alloc(m * sizeof *tail);
        for (uint32_t k = 0; k < m; k++) tail[k] = rng_below(&g, n);
        /* counting sort of random edges into CSR */
        for (uint32_t k = 0; k < m; k++) first[tail[k] + 1]++;
        for (uint32_t v = 0; v < n; v++) first[v + 1] += first[v];
        uint32_t *fill = mem_alloc(n * sizeof *fill);
        memcpy(fill, first, n * sizeof *fill);
        for (uint32_t k = 0; k < m; k++)
            ed[fill[tail[k]]++] = (route_edge){rng_below(&g, n), 1 + rng_below(&g, 1000)};
        route_graph gr = {n, m, first, ed, NULL, MODE_CAR, DIR_FORWARD};
        route_search s;
        assert_int_equal(route_search_init(&s, n), 0);
        uint64_t *bf = mem_alloc(n * sizeof *bf);
        for (int q = 0; q < 10; q++) {
            uint32_t src = rng_below(&g, n);
            for (uint32_t v = 0; v < n; v++) bf[v] = UINT64_MAX;
            bf[src] = 0;
            for (uint32_t it = 0; it < n; it++) {
                int changed = 0;
                for (uint32_t v = 0; v < n; v++) {
                    if (bf[v] == UINT64_MAX) continue;
                    for (uint32_t k = first[v]; k < first[v + 1]; k++)
                        if (bf[v] + ed[k].time_ds < bf[ed[k].head]) {
                            bf[ed[k].head] = bf[v] + ed[k].time_ds;
                            changed = 1;
                        }
                }
                if (!changed) break;
            }
            route_dijkstra(&gr, &src, NULL, 1, ROUTE_INF, ROUTE_INF, &s);
            for (uint32_t v = 0; v < n; v++)
                assert_true(bf[v] == UINT64_MAX ? s.dist[v] == ROUTE_INF : s.dist[v] == bf[v]);
            uint32_t lim = 1500;
            route_dijkstra(&gr, &src, NULL, 1, lim, ROUTE_INF, &s);
            for (uint32_t v = 0; v < n; v++)
                assert_true(bf[v] <= lim ? s.dist[v] == bf[v] : s.dist[v] == ROUTE_INF);
            uint32_t tgt = rng_below(&g, n);
            route_dijkstra(&gr, &src, NULL, 1, ROUTE_INF, tgt, &s);
            assert_true(bf[tgt] == UINT64_MAX ? s.dist[tgt] == ROUTE_INF
                                              : s.dist[tgt] == bf[tgt]);
        }
        mem_free(bf);
        route_search_free(&s);
        mem_free(first);
        mem_free(ed);
        mem_free(tail);
        mem_free(fill);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_classes),
        cmocka_unit_test(test_profile_oneway_and_access),
        cmocka_unit_test(test_graph_round_trip),
        cmocka_unit_test(test_dijkstra_vs_bellman_ford),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
